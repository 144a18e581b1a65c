import Foundation
import GRDB
import PaknCore
import Testing
@testable import PaknStore

/// Queue pages are read by column index (`QueuePageRows`); every row must say what the
/// case itself says, read whole by `CaseRow` (by column name) with its names looked up.
@Suite struct QueuePageRowsTests {
    static func expected(_ db: Database, _ id: Int64, order: QueueOrder, ref: ReferenceData) throws -> QueueRow {
        let c = try CaseRow.resolve(db, String(id))
        let dueAt = CaseRow.secs(c.dueAt), receivedAt = CaseRow.secs(c.receivedAt)
        return QueueRow(
            id: c.id, code: c.code, title: c.title, kind: c.kind, category: c.category, status: c.status,
            unitName: try c.unitId.flatMap { try UnitQueries.unit(db, id: $0)?.label },
            wardName: try c.wardId.flatMap { try UnitQueries.unit(db, id: $0)?.label },
            assigneeName: try c.assigneeId.flatMap { try OfficialStore.byId(db, $0)?.fullName },
            receivedAt: c.receivedAt, dueAt: c.dueAt,
            deadline: DeadlineStatus.of(c.deadline, status: c.status, today: Day(Fixtures.now), calendar: ref.calendar,
                                        dueSoonDays: ref.policy.dueSoonDays),
            cursor: QueueCursor(key: order == .urgency ? QueueCursor.urgencyKey(status: c.status, dueAt: dueAt)
                                    : CaseQueries.cursorKey(order, done: !c.status.isOpen, dueAt: dueAt, receivedAt: receivedAt),
                                id: c.id))
    }

    @Test(arguments: QueueOrder.allCases)
    func pageRowsEqualTheCasesReadWhole(order: QueueOrder) throws {
        let db = try Fixtures.demo()
        let ref = try db.reference()
        // A handler (assigned cases, paused ones among them) and the city trainer (everything).
        for login in ["canbo.hoankiem.kt", "taphuan"] {
            let me = try Fixtures.official(db, login)
            let bound = ref.calendar.add(ref.policy.dueSoonDays, to: Day(Fixtures.now), counting: .working).end
            for view in QueueView.allCases {
                let f = view.filter(for: me, now: Fixtures.now, dueSoonBound: bound)
                for backwards in [false, true] {
                    let rows = try db.queue(QueueQuery(filter: f, order: order, backwards: backwards, limit: 60), now: Fixtures.now)
                    try db.read { d in
                        for row in rows {
                            let whole = try Self.expected(d, row.id, order: order, ref: ref)
                            #expect(row == whole, "\(login) \(view) \(row.code)")
                        }
                    }
                }
            }
        }
    }

    @Test func everyDeadlineStateAndNullableColumnIsRead() throws {
        let db = try Fixtures.demo()
        let me = try Fixtures.official(db, "taphuan")
        let rows = try db.queue(QueueQuery(filter: QueueFilter(unitSubtree: me.unitId), limit: 10_000), now: Fixtures.now)
        // The demo holds every deadline state, unassigned and assigned cases: the index
        // reading covers each kind of value, nulls included.
        #expect(Set(rows.map(\.deadline.state)) == Set(DueState.allCases))
        #expect(rows.contains { $0.assigneeName == nil } && rows.contains { $0.assigneeName != nil })
        let ref = try db.reference()
        try db.read { d in
            for row in rows where row.deadline.state == .paused || row.assigneeName == nil {
                let whole = try Self.expected(d, row.id, order: .urgency, ref: ref)
                #expect(row == whole, "\(row.code)")
            }
        }
    }
}
