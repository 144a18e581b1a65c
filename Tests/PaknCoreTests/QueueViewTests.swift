import Foundation
import Testing
@testable import PaknCore

@Suite("Desk queue views")
struct QueueViewTests {
    static let official = Official(id: 100, login: "canbo.hoankiem", fullName: "Lê Thị Mai", unitId: 10, role: .handler)
    static let now = Fx.vn(2026, 2, 10, 9)
    static let bound = Fx.day("2026-02-13").end

    func filter(_ v: QueueView) -> QueueFilter {
        v.filter(for: Self.official, now: Self.now, dueSoonBound: Self.bound)
    }

    @Test("Every view but 'mine' and 'sent up' stays within the official's unit subtree",
          arguments: QueueView.allCases.filter { $0 != .mine && $0 != .sentUp })
    func scoped(view: QueueView) {
        #expect(filter(view).unitSubtree == Self.official.unitId)
        #expect(filter(view).assigneeId == nil)
    }

    /// Sent up: handled elsewhere now, so not the official's units, but sent from them.
    @Test func sentUpIsWhatMyUnitsSent() {
        let f = filter(.sentUp)
        #expect(f.sentFromSubtree == Self.official.unitId)
        #expect(f.unitSubtree == nil && f.assigneeId == nil && f.statuses == nil)
    }

    @Test func mineIsMyOpenCases() {
        let f = filter(.mine)
        #expect(f.assigneeId == Self.official.id)
        #expect(f.openOnly)
        #expect(f.statuses == nil)
    }

    @Test func triageAndUnassigned() {
        #expect(filter(.triage).statuses == [.received])
        #expect(filter(.unassigned).statuses == [.routed])
        #expect(filter(.unassigned).unassigned)
        #expect(filter(.awaiting).statuses == [.awaitingInfo])
        #expect(filter(.awaitingRating).statuses == [.resolved])
    }

    @Test func dueSoonExcludesOverdue() {
        let f = filter(.dueSoon)
        #expect(f.openOnly)
        #expect(f.dueAfter == Self.now, "cases already past due belong to 'overdue'")
        #expect(f.dueBefore == Self.bound)
        #expect(!f.overdue)
        #expect(f.clockRunning, "a paused case is not due soon: its clock is stopped")
        #expect(!filter(.all).clockRunning && !filter(.overdue).clockRunning)
    }

    @Test func overdueAndAll() {
        #expect(filter(.overdue).overdue)
        let all = filter(.all)
        #expect(all.statuses == nil && !all.openOnly && !all.overdue && all.dueBefore == nil && all.text == nil)
    }

    @Test func viewsDiffer() {
        let fs = QueueView.allCases.map(filter)
        for i in fs.indices { for j in fs.indices where i < j { #expect(fs[i] != fs[j]) } }
    }

    @Test func queryDefaults() {
        let q = QueueQuery()
        #expect(q.order == .urgency)
        #expect(q.after == nil && !q.backwards && q.limit > 0)
        #expect(q.filter == QueueFilter())
    }
}
