import Foundation
import PaknCore
import Testing
@testable import PaknUI

/// The runner puts prefetching the queue's next page off until `idle()` (or the next thing
/// it is told). Whether or not a quiet moment comes between keys, every key must be
/// answered as if the work had been done at once, and the work must never be needed by
/// the frame that follows its key.
@Suite("Work put off until the desk is idle", .serialized)
struct IdleWorkTests {
    static func visible(_ r: DeskRunner) -> [Int64] {
        let q = r.state.queue
        let n = DeskUpdate.queueVisibleRows(r.state)
        return Array(q.rows[min(q.top, q.rows.count)..<min(q.rows.count, q.top + n)].map(\.id))
    }

    @Test func keysAreAnsweredAsIfPrefetchingWereDoneAtOnce() throws {
        let db = try DemoDB.copy()
        // Immediate: every put-off page is read right after its key. Idle: read in a quiet
        // moment after the frame. Busy: never idle, the next key reads it first.
        let immediate = try DemoDB.runner(db, "taphuan", width: 120, height: 40, view: .all)
        let idle = try DemoDB.runner(db, "taphuan", width: 120, height: 40, view: .all)
        let busy = try DemoDB.runner(db, "taphuan", width: 120, height: 40, view: .all)
        immediate.idle(); idle.idle(); busy.idle()
        var keys: [Key] = Array(repeating: .pageDown, count: 14) + Array(repeating: .down, count: 30)
        keys += Array(repeating: .pageUp, count: 16) + [.end] + Array(repeating: .pageUp, count: 12) + [.home]
        keys += Array(repeating: .pageDown, count: 9) + [.char("2"), .pageDown, .char("8")] + Array(repeating: .pageDown, count: 6)
        var putOff = 0
        for k in keys {
            immediate.send(k)
            immediate.idle()
            idle.send(k)
            busy.send(k)
            if idle.hasIdleWork { putOff += 1 }
            // The frame after the key shows the same cases, the same one selected, its detail.
            for r in [idle, busy] {
                #expect(Self.visible(r) == Self.visible(immediate), "\(k)")
                #expect(r.state.selectedRow?.id == immediate.state.selectedRow?.id, "\(k)")
                #expect(r.state.selectedDetail?.case.id == immediate.state.selectedDetail?.case.id, "\(k)")
            }
            idle.idle()
            #expect(!idle.hasIdleWork)
            #expect(idle.state == immediate.state, "\(k)")
        }
        #expect(putOff > 5, "the keys crossed the edge of the rows in memory")
        busy.idle()
        #expect(busy.state == immediate.state)
    }
}
