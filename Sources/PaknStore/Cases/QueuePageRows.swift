import Foundation
import GRDB
import PaknCore

/// The rows of a queue page, read by column index from the statement as SQLite steps
/// through it: no row is copied and no column is looked up by name (a by-name lookup
/// lower-cases the name and searches the columns, ~20 times per row; a page of 100 rows
/// spent most of its time there). `columns` and `row(_:)` must stay in step; the tests
/// compare every decoded row with the case read whole (`QueuePageRowsTests`).
enum QueuePageRows {
    /// What a page selects, in the order `row` reads it (`c` the case, `u` its unit, `w` its
    /// ward, `o` its assignee).
    static let columns = """
        c.id, c.code, c.title, c.kind, c.category, c.status, c.done, c.received_at, c.due_at,
        c.rule_id, c.counting, c.clock_start, c.clock_days, c.extended_days, c.extensions, c.paused_days, c.paused_since,
        u.label, w.label, o.full_name, c.accept_days, c.accept_counting, c.accepted_on, c.rollover
        """

    /// Reads the page's rows in the statement's order.
    static func fetch(_ stmt: Statement, arguments: StatementArguments, order: QueueOrder, today: Day,
                      ref: ReferenceData) throws -> [QueueRow] {
        var rows: [QueueRow] = []
        let cursor = try Row.fetchCursor(stmt, arguments: arguments)
        while let r = try cursor.next() {
            rows.append(try row(r, order: order, today: today, ref: ref))
        }
        return rows
    }

    static func row(_ r: Row, order: QueueOrder, today: Day, ref: ReferenceData) throws -> QueueRow {
        let id: Int64 = r[0]
        let status = CaseStatus(rawValue: r[5]) ?? .received
        let done: Bool = r[6]
        let receivedAt: Int64 = r[7], dueAt: Int64 = r[8]
        // The clock (as `CaseRow.deadline` reads it by name).
        let deadline = Deadline(ruleId: r[9], counting: DayCounting(rawValue: r[10]) ?? .working,
                                start: Day(ordinal: r[11]), days: r[12], extendedDays: r[13], extensions: r[14],
                                pausedDays: r[15], pausedSince: (r[16] as Int?).map(Day.init(ordinal:)),
                                acceptDays: r[20], acceptCounting: (r[21] as String?).flatMap(DayCounting.init(rawValue:)),
                                acceptedOn: (r[22] as Int?).map(Day.init(ordinal:)), rollover: r[23])
        let status_ = DeadlineStatus.of(deadline, status: status, today: today, calendar: ref.calendar,
                                        dueSoonDays: ref.policy.dueSoonDays)
        var row = QueueRow(
            id: id, code: r[1], title: try PackedText.text(r[2] as DatabaseValue, "case \(id) title") ?? "", kind: CaseKind(rawValue: r[3]) ?? .feedback, category: r[4], status: status,
            unitName: r[17], wardName: r[18], assigneeName: r[19],
            receivedAt: CaseRow.date(receivedAt), dueAt: CaseRow.date(dueAt),
            deadline: status_,
            cursor: QueueCursor(key: CaseQueries.cursorKey(order, done: done, dueAt: dueAt, receivedAt: receivedAt), id: id))
        row.calendarWarning = CalendarWarning(dueDay: status_.dueDay, calendar: ref.calendar)
        return row
    }
}
