import Foundation
import PaknCore
@testable import PaknStore
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
            // A detail read ahead is the one a fresh read gives (the busy runner never reads ahead).
            #expect(busy.state.selectedDetail == immediate.state.selectedDetail, "\(k)")
            idle.idle()
            #expect(!idle.hasIdleWork)
            #expect(idle.state == immediate.state, "\(k)")
        }
        #expect(putOff > 5, "the keys crossed the edge of the rows in memory")
        busy.idle()
        #expect(busy.state == immediate.state)
    }

    /// Reading ahead asks for cases the official did not choose: a refusal there (here: the
    /// account disabled meanwhile) is not recorded in those cases' histories, while the
    /// refusal for the case the desk itself reloads is.
    @Test func readingAheadRecordsNoRefusal() throws {
        let db = try DemoDB.copy()
        let r = try DemoDB.runner(db, "vanthu.hoankiem", width: 120, height: 40, view: .all)
        r.send(.down)
        r.idle()
        func refusals() throws -> Int {
            try db.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM event WHERE action = 'refused'") ?? 0 }
        }
        let before = try refusals()
        _ = try db.setActive(login: "vanthu.hoankiem", active: false, by: try DemoDB.official(db, "tester"), at: DemoDB.now)
        #expect(r.pollForChanges())
        // The reload asked for the selected case's detail: refused, and recorded once.
        #expect(r.state.detailError != nil)
        #expect(try refusals() == before + 1)
        // Looking ahead now is refused for every neighbour: nothing more is recorded.
        #expect(r.hasIdleWork)
        r.idle()
        #expect(try refusals() == before + 1)
        // A move asks for the next case: that refusal is recorded.
        r.send(.down)
        #expect(try refusals() == before + 2)
    }

    /// A detail read ahead is dropped by anything but a move: after a reload (C-l) the next
    /// case shows a change another official made after it was read ahead.
    @Test func aReloadDropsWhatWasReadAhead() throws {
        let db = try DemoDB.copy()
        let r = try DemoDB.runner(db, "tester", width: 120, height: 40, view: .all)
        r.idle()
        let next = try #require(r.state.queue.rows.dropFirst().first)
        #expect(!r.hasIdleWork)
        // Another official notes on the next case (as another clerk's desk would).
        let other = try DemoDB.official(db, "tester")
        _ = try db.perform(.note(text: "Ghi chú mới sau khi đọc trước"), on: next.code, by: other, at: DemoDB.now)
        r.send(.ctrl("l"))
        r.idle()
        r.send(.down)
        #expect(r.state.selectedRow?.id == next.id)
        #expect(r.state.selectedDetail?.history.contains { $0.event.note == "Ghi chú mới sau khi đọc trước" } == true)
    }

    /// The page End would show is read ahead too, and dropped when someone else changes the
    /// database: End then shows the last case as it is now, not as it was read.
    @Test func endAfterAChangeElsewhereReadsAgain() throws {
        let db = try DemoDB.copy()
        let r = try DemoDB.runner(db, "tester", width: 120, height: 40, view: .all)
        r.idle()
        #expect(r.state.queue.moreBelow, "the demo's queue is longer than a page")
        // What End shows with nothing read ahead.
        let fresh = try DemoDB.runner(db, "tester", width: 120, height: 40, view: .all)
        fresh.send(.end)
        let last = try #require(fresh.state.selectedRow)
        _ = try db.perform(.note(text: "Ghi chú sau khi đọc trước trang cuối"), on: last.code,
                           by: try DemoDB.official(db, "tester"), at: DemoDB.now)
        #expect(r.pollForChanges())
        r.send(.end)
        #expect(r.state.selectedRow?.id == last.id)
        #expect(r.state.selectedDetail?.history.contains { $0.event.note == "Ghi chú sau khi đọc trước trang cuối" } == true)
    }

    /// What is read ahead is what the next key could use, however far the official scrolls
    /// or however many views they look at.
    @Test func readingAheadHoldsOnlyWhatTheNextKeyCouldUse() throws {
        let db = try DemoDB.copy()
        let r = try DemoDB.runner(db, "taphuan", width: 120, height: 40, view: .all)
        var most = (details: 0, pages: 0)
        for k in Array(repeating: Key.down, count: 150) + Array(repeating: .pageDown, count: 6)
            + [.char("2"), .char("3"), .char("8"), .end, .home] + Array(repeating: .up, count: 20) {
            r.send(k)
            r.idle()
            let size = r.readAheadSize
            most = (max(most.details, size.details), max(most.pages, size.pages))
        }
        #expect(most.details > 0 && most.pages > 0, "it did read ahead")
        #expect(most.details <= 6, "four neighbours and the two edges' cases")
        #expect(most.pages <= 2, "Home's and End's pages")
    }
}
