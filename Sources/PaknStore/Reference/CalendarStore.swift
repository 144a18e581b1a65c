import Foundation
import GRDB
import PaknCore

/// The `calendar_exception` table: reads, writes, the record of each change and the due
/// instants of the open cases a change moves.
enum CalendarTable {
    static func row(_ r: Row) -> CalendarException? {
        guard let day = Day(r["day"] as String), let kind = CalendarException.Kind(rawValue: r["kind"]) else { return nil }
        return CalendarException(day: day, kind: kind, name: r["name"],
                                 standing: CalendarException.Standing(rawValue: r["standing"] ?? "") ?? .expected,
                                 document: r["document"], note: r["note"])
    }

    static func all(_ db: Database) throws -> [CalendarException] {
        // A database before `v5-calendar` (a test building an old one) reads as expected days.
        let columns = try hasStandings(db) ? "standing, document, note" : "NULL AS standing, NULL AS document, NULL AS note"
        return try Row.fetchAll(db, sql: "SELECT day, kind, name, \(columns) FROM calendar_exception ORDER BY day").compactMap(row)
    }

    /// Whether the table has the columns of `v5-calendar`.
    static func hasStandings(_ db: Database) throws -> Bool {
        try db.columns(in: "calendar_exception").contains { $0.name == "standing" }
    }

    static func fetch(_ db: Database, _ day: Day) throws -> CalendarException? {
        try Row.fetchOne(db, sql: "SELECT day, kind, name, standing, document, note FROM calendar_exception WHERE day = ?",
                         arguments: [day.description]).flatMap(row)
    }

    static func put(_ db: Database, _ e: CalendarException) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO calendar_exception(day, kind, name, standing, document, note) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [e.day.description, e.kind.rawValue, e.name, e.standing.rawValue, e.document, e.note])
    }

    static func delete(_ db: Database, _ day: Day) throws {
        try db.execute(sql: "DELETE FROM calendar_exception WHERE day = ?", arguments: [day.description])
    }

    /// One entry as the access log records it: `holiday "Tết…" announced: DOC`.
    static func describe(_ e: CalendarException?) -> String {
        guard let e else { return "—" }
        var s = "\(e.kind.rawValue) \"\(e.name)\" \(e.standing.rawValue)"
        if let d = e.document { s += ": " + d }
        if let n = e.note { s += " (" + n + ")" }
        return s
    }

    /// Applies `wanted` (each: the day, and the entry it should hold or nil to remove),
    /// recomputes the due instants the changes move, and appends one access-log entry per
    /// day that changed (naming the open cases whose due day it moved), all inside the
    /// caller's transaction.
    static func apply(_ db: Database, _ wanted: [(Day, CalendarException?)], actorId: Int64?, login: String,
                      reason: String, at now: Date) throws -> CalendarResult {
        let before = WorkingCalendar(exceptions: try all(db))
        var changes: [CalendarChange] = []
        for (day, after) in wanted {
            let change = CalendarChange(day: day, before: try fetch(db, day), after: after)
            changes.append(change)
            guard change.isChange else { continue }
            if let after { try put(db, after) } else { try delete(db, day) }
        }
        let changed = changes.filter(\.isChange)
        let withFacts = try Facts.enabled(db)
        let calendar = WorkingCalendar(exceptions: try all(db))
        let moved = try redate(db, days: changed.map(\.day), calendar: calendar)
        for c in changed {
            let action: AccessAction = c.before == nil ? .calendarAdd : c.after == nil ? .calendarRemove : .calendarUpdate
            let cases = moved.filter { $0.start < c.day.ordinal && $0.oldDue >= CaseRow.secs(c.day.start) }.map(\.id)
            try AccessLog.append(db, AccessDraft(at: now, actorId: actorId, login: login, action: action,
                                                 target: c.day.description,
                                                 note: "\(reason) | \(describe(c.before)) → \(describe(c.after))",
                                                 count: cases.count, caseIds: cases,
                                                 facts: withFacts ? [try Facts.current(db, Facts.calendar, key: c.day.description)] : []))
        }
        let old = Set(before.coveredYears), new = Set(calendar.coveredYears)
        return CalendarResult(changes: changes, redated: moved.count, newYears: new.subtracting(old).sorted(),
                              lostYears: old.subtracting(new).sorted(), horizon: calendar.horizon)
    }

    /// Recomputes `due_at` of the open cases whose clock spans one of `days` (a day that
    /// changes kind can move only a due day on or after it, of a clock started before it),
    /// as the workflow computes it. Returns the cases whose due instant moved.
    static func redate(_ db: Database, days: [Day], calendar: WorkingCalendar) throws -> [(id: Int64, start: Int, oldDue: Int64)] {
        guard let first = days.min(), let last = days.max() else { return [] }
        let rows = try Row.fetchAll(db, sql: """
            SELECT id, rule_id, counting, clock_start, clock_days, extended_days, extensions, paused_days, paused_since, due_at
            FROM pakn_case WHERE done = 0 AND due_at >= ? AND clock_start < ?
            """, arguments: [CaseRow.secs(first.start), last.ordinal])
        var moved: [(id: Int64, start: Int, oldDue: Int64)] = []
        let update = try db.cachedStatement(sql: "UPDATE pakn_case SET due_at = ? WHERE id = ?")
        for r in rows {
            let oldDue: Int64 = r["due_at"]
            let due = CaseRow.secs(CaseRow.deadline(r).dueDay(in: calendar).end)
            if due != oldDue {
                let id: Int64 = r["id"]
                try update.execute(arguments: [due, id])
                moved.append((id, r["clock_start"], oldDue))
            }
        }
        return moved
    }
}

extension AppDatabase {
    /// The calendar's days, in order; of one year when `year` is given (`pakn calendar list`).
    func calendarEntries(year: Int? = nil) throws -> [CalendarException] {
        try read { db in try CalendarTable.all(db).filter { year == nil || $0.day.year == year } }
    }

    /// Adds a day, or changes it when the calendar has it (`pakn calendar add`). Needs
    /// `manage_rules` and, the calendar being national, an admin at province level or above
    /// (`AdminScope.isNational`); a refusal is recorded. An expected day without a note takes the
    /// reason as its note. The change, its record and the due days it
    /// moves are one transaction.
    @discardableResult
    func calendarAdd(_ input: CalendarEntryInput, reason: String?, by actor: Official, at now: Date) throws -> CalendarResult {
        let me = try authorizeNational(actor, what: "calendar add \(SafeText.clean(input.day))", reason: { Message("admin.scope.calendar", $0.login) }, at: now)
        let why = try ActionText.reason(reason)
        var input = input
        if input.standing == CalendarException.Standing.expected.rawValue, (input.note ?? "").isEmpty { input.note = why }
        let entry = try input.validated()
        return try write { db in
            try CalendarTable.apply(db, [(entry.day, entry)], actorId: me.id, login: me.login, reason: why, at: now)
        }
    }

    /// Removes a day (`pakn calendar remove`); refused when the calendar does not have it.
    @discardableResult
    func calendarRemove(day text: String, reason: String?, by actor: Official, at now: Date) throws -> CalendarResult {
        let me = try authorizeNational(actor, what: "calendar remove \(SafeText.clean(text))", reason: { Message("admin.scope.calendar", $0.login) }, at: now)
        let why = try ActionText.reason(reason)
        guard let day = Day(text.trimmingCharacters(in: .whitespaces)) else { throw Message("calendar.err.day", text) }
        return try write { db in
            guard try CalendarTable.fetch(db, day) != nil else { throw Message("calendar.err.not_found", day.description) }
            return try CalendarTable.apply(db, [(day, nil)], actorId: me.id, login: me.login, reason: why, at: now)
        }
    }

    /// Loads a calendar file (`pakn calendar import`): every entry is checked before anything
    /// is written, then all are written in one transaction; a day the calendar has is
    /// updated (and recorded as an update), an identical one is left as it is.
    @discardableResult
    func calendarImport(from url: URL, reason: String?, by actor: Official, at now: Date) throws -> CalendarResult {
        let me = try authorizeNational(actor, what: "calendar import \(url.lastPathComponent)", reason: { Message("admin.scope.calendar", $0.login) }, at: now)
        let why = try ActionText.reason(reason)
        let entries = try CalendarFile.read(url)
        let note = "import \(SafeText.clean(url.lastPathComponent)): \(why)"
        return try write { db in
            try CalendarTable.apply(db, entries.map { ($0.day, $0) }, actorId: me.id, login: me.login, reason: note, at: now)
        }
    }
}
