import Foundation
import PaknCore
import PaknStoreAPI
import PostgresNIO

// `pakn rules import`, `pakn calendar add/remove/import` and `pakn units import` on a server
// (migrations `v6-admin-*`, ServerAdminImportSchema.swift): the same checks, messages,
// records and results as the SQLite store (Reference/Setup.swift, Reference/CalendarStore.swift,
// Trust/AdminScope.swift). The session checks first, to refuse with the store's message and
// record the refusal (`pakn_access_refused`); the server's functions check again and write.

extension ServerSession {
    // MARK: Scope

    /// `manage_rules`, and the reach to change what is national (AdminScope.isNational, asked
    /// of the server: `pakn_national_admin`). A refusal is recorded.
    func authorizeNational(what: String, reason: (Official) -> Message) throws -> Official {
        let me = try authorize(.manageRules, unitId: nil, what: what)
        guard try db.one("SELECT pakn_national_admin()")?.bool(0) == true else { throw refuseAdmin(me, reason(me), what: what) }
        return me
    }

    /// Whether unit `id` is `me`'s or lies below it (AdminScope.covers).
    func covers(_ me: Official, _ id: Int64) throws -> Bool {
        try id == me.unitId || isWithin(unit: id, ancestor: me.unitId)
    }

    /// AdminScope.ruleRefusal: why `me` may not add, replace or retire `rule`, or nil.
    func ruleRefusal(_ me: Official, _ rule: DeadlineRule, national: Bool) throws -> Message? {
        if !rule.isNational, let code = rule.issuer, let issuer = try unit(code: code) {
            return try covers(me, issuer.id) ? nil : Message("admin.scope.local_rule", me.login, rule.id, "\(issuer.code) \(issuer.name)")
        }
        return national ? nil : Message("admin.scope.national_rule", me.login, rule.id)
    }

    // MARK: Rules

    /// As the SQLite store's `importRules`: `manage_rules`; every rule checked, local issuers
    /// found (stored under their current code); every rule that changes, and the one it
    /// replaces, within reach before anything is written; then `pakn_rules_import` checks
    /// them again, writes them and records each in the access log, in one transaction.
    public func importRules(from url: URL) throws -> Int {
        let what = "rules import \(url.lastPathComponent)"
        let me = try authorize(.manageRules, unitId: nil, what: what)
        var rules = try RuleFile.read(url)
        for i in rules.indices {
            guard let code = rules[i].issuer else { continue }
            if DeadlineRule.isLawKind(rules[i].kind) {
                throw StoreError.badData(file: url.path, line: 0, reason: Message("rules.bad.issuer_law", SafeText.clean(rules[i].id)))
            }
            guard let u = try unit(code: code) else {
                throw StoreError.badData(file: url.path, line: 0,
                                         reason: Message("rules.bad.issuer", SafeText.clean(rules[i].id), SafeText.clean(String(code.prefix(40)))))
            }
            rules[i].issuer = u.code
        }
        let texts = try rules.map(RuleFile.text)
        let national = try db.one("SELECT pakn_national_admin()")?.bool(0) == true
        for (r, text) in zip(rules, texts) {
            var b = Binds()
            let before = try db.one("SELECT json FROM deadline_rule WHERE id = \(b.add(r.id))", b)?.str(0)
            guard before != text else { continue }
            var refusal = try ruleRefusal(me, r, national: national)
            if refusal == nil, let before {
                if let old = try? JSONDecoder().decode(DeadlineRule.self, from: Data(before.utf8)) {
                    refusal = try ruleRefusal(me, old, national: national)
                } else if !national {
                    refusal = Message("admin.scope.national_rule", me.login, r.id)
                }
            }
            if let refusal { throw refuseAdmin(me, refusal, what: what) }
        }
        var b = Binds()
        _ = try db.transaction { tx in
            try tx.one("SELECT pakn_rules_import(\(b.add(url.lastPathComponent)), \(b.add(texts))::text[])", b)
        }
        return rules.count
    }

    // MARK: The calendar

    /// As the SQLite store's: `manage_rules` and the national reach; an expected day without a
    /// note takes the reason as its note.
    public func calendarAdd(_ input: CalendarEntryInput, reason: String?) throws -> CalendarResult {
        _ = try authorizeNational(what: "calendar add \(SafeText.clean(input.day))", reason: { Message("admin.scope.calendar", $0.login) })
        let why = try ActionText.reason(reason)
        var input = input
        if input.standing == CalendarException.Standing.expected.rawValue, (input.note ?? "").isEmpty { input.note = why }
        let entry = try input.validated()
        return try applyCalendar([(entry.day, entry)], reason: why)
    }

    /// Removes a day; refused when the calendar does not have it.
    public func calendarRemove(day text: String, reason: String?) throws -> CalendarResult {
        _ = try authorizeNational(what: "calendar remove \(SafeText.clean(text))", reason: { Message("admin.scope.calendar", $0.login) })
        let why = try ActionText.reason(reason)
        guard let day = Day(text.trimmingCharacters(in: .whitespaces)) else { throw Message("calendar.err.day", text) }
        return try applyCalendar([(day, nil)], reason: why, mustExist: day)
    }

    /// Loads a calendar file: every entry checked before anything is written, all written in
    /// one transaction.
    public func calendarImport(from url: URL, reason: String?) throws -> CalendarResult {
        _ = try authorizeNational(what: "calendar import \(url.lastPathComponent)", reason: { Message("admin.scope.calendar", $0.login) })
        let why = try ActionText.reason(reason)
        let entries = try CalendarFile.read(url)
        return try applyCalendar(entries.map { ($0.day, $0) }, reason: "import \(SafeText.clean(url.lastPathComponent)): \(why)")
    }

    /// CalendarTable.apply on the server, in one transaction: `pakn_calendar_clocks` locks the
    /// calendar and gives the clocks of the open cases (of every unit) whose due day a change
    /// of these days may move; the calendar is read under the lock; the due instants are
    /// recomputed with the new calendar by the core (`Deadline.dueDay`, as `CalendarTable.redate`);
    /// `pakn_calendar_apply` writes the days, the moved due instants and one access-log entry
    /// per changed day.
    func applyCalendar(_ wanted: [(Day, CalendarException?)], reason: String, mustExist: Day? = nil) throws -> CalendarResult {
        guard let lo = wanted.map(\.0).min(), let hi = wanted.map(\.0).max() else {
            throw StoreError.badData(file: "calendar", line: 0, reason: Message("calendar.err.empty"))
        }
        return try db.transaction { tx in
            var b = Binds()
            // The candidates for the widest span (lo…hi); narrowed below to the changed days.
            let clocks = try tx.rows("""
                SELECT id, rule_id, counting, clock_start, clock_days, extended_days, extensions, paused_days, paused_since,
                       accept_days, accept_counting, accepted_on, rollover, due_at
                FROM pakn_calendar_clocks(\(b.add(lo.description))::date, \(b.add(hi.description))::date)
                """, b)
            let stored = try tx.rows("SELECT day::text, kind, name, standing, document, note FROM calendar_exception ORDER BY day")
                .compactMap(Self.calendarEntry)
            var byDay = Dictionary(stored.map { ($0.day, $0) }, uniquingKeysWith: { a, _ in a })
            if let d = mustExist, byDay[d] == nil { throw Message("calendar.err.not_found", d.description) }
            let before = WorkingCalendar(exceptions: stored)
            var changes: [CalendarChange] = []
            for (day, after) in wanted {
                let change = CalendarChange(day: day, before: byDay[day], after: after)
                changes.append(change)
                if change.isChange { byDay[day] = after }
            }
            let calendar = WorkingCalendar(exceptions: byDay.values.sorted { $0.day < $1.day })
            let changedDays = changes.filter(\.isChange).map(\.day)
            var moves: [[String: Any]] = []
            if let first = changedDays.min(), let last = changedDays.max() {
                for r in clocks {
                    let oldDue = try r.int(13), start = Int(try r.int(3))
                    guard oldDue >= Self.secs(first.start), start < last.ordinal else { continue }
                    let deadline = Deadline(ruleId: try r.str(1), counting: DayCounting(rawValue: try r.str(2)) ?? .working,
                                            start: Day(ordinal: start), days: Int(try r.int(4)), extendedDays: Int(try r.int(5)),
                                            extensions: Int(try r.int(6)), pausedDays: Int(try r.int(7)),
                                            pausedSince: try r.intOpt(8).map { Day(ordinal: Int($0)) },
                                            acceptDays: try r.intOpt(9).map { Int($0) },
                                            acceptCounting: try r.strOpt(10).flatMap(DayCounting.init(rawValue:)),
                                            acceptedOn: try r.intOpt(11).map { Day(ordinal: Int($0)) }, rollover: try r.bool(12))
                    let due = Self.secs(deadline.dueDay(in: calendar).end)
                    if due != oldDue { moves.append(["id": try r.int(0), "due": due]) }
                }
            }
            let days: [[String: Any]] = wanted.map { day, e in
                ["day": day.description,
                 "entry": e.map { e -> Any in
                     ["kind": e.kind.rawValue, "name": e.name, "standing": e.standing.rawValue,
                      "document": e.document as Any? ?? NSNull(), "note": e.note as Any? ?? NSNull()] as [String: Any]
                 } ?? NSNull()]
            }
            var a = Binds()
            let moved = try tx.one("""
                SELECT pakn_calendar_apply(\(a.add(try Self.json(days)))::jsonb, \(a.add(reason)), \(a.add(try Self.json(moves)))::jsonb)
                """, a)?.int(0) ?? 0
            let old = Set(before.coveredYears), new = Set(calendar.coveredYears)
            return CalendarResult(changes: changes, redated: Int(moved), newYears: new.subtracting(old).sorted(),
                                  lostYears: old.subtracting(new).sorted(), horizon: calendar.horizon)
        }
    }

    static func calendarEntry(_ r: PostgresRandomAccessRow) throws -> CalendarException? {
        guard let day = Day(try r.str(0)), let kind = CalendarException.Kind(rawValue: try r.str(1)) else { return nil }
        return CalendarException(day: day, kind: kind, name: try r.str(2),
                                 standing: CalendarException.Standing(rawValue: try r.str(3)) ?? .expected,
                                 document: try r.strOpt(4), note: try r.strOpt(5))
    }

    static func json(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
    }

    // MARK: Units

    /// As the SQLite store's `importUnitFile` for a units file (TSV or the statistics office's
    /// JSON): `manage_rules`; the rows read and checked; every change within the caller's
    /// units (the first one outside named and the refusal recorded); then `pakn_units_import`
    /// checks the changes again, writes them and records the load, in one transaction. The
    /// new state of every unit is worked out here as `UnitStore.importUnits` does it: the
    /// rows, the standard departments a row lacks, the departments' names under their
    /// parent's type, the labels. A change list (docs/data-sources.md) is checked and written
    /// as on SQLite (ServerUnitChanges.swift).
    public func importUnitFile(_ url: URL, document: String?, effective: String?, dateBasis: String?) throws -> UnitFileImport {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw StoreError.unreadable(url.path, error) }
        let what = "units import \(url.lastPathComponent)"
        let me = try authorize(.manageRules, unitId: nil, what: what)
        guard let departments else { throw notYet("units import") }
        if UnitFile.looksLikeChangeList(data) {
            let lists = try UnitChangeList.parse(data, file: url.lastPathComponent, document: document, effective: effective,
                                                 dateBasis: dateBasis)
            return .changes(try importUnitChanges(lists, file: url.lastPathComponent, me: me, departments: departments))
        }
        let rows = try UnitFile.read(url)
        let plan = try UnitPlan(stored: try db.rows(ServerUnit.selectAll + " ORDER BY id").map(ServerUnit.init))
        try plan.apply(rows, departments: departments)
        if let refusal = try plan.scopeRefusal(rows, departments: departments, me: me) { throw refuseAdmin(me, refusal, what: what) }
        var b = Binds()
        let r = try db.transaction { tx in
            try tx.one("SELECT added, updated, departments FROM pakn_units_import(\(b.add(url.lastPathComponent)), \(b.add(try Self.json(plan.entries(rows))))::jsonb)", b)
        }
        guard let r else { throw notYet("units import") }
        return .units(UnitImportSummary(added: Int(try r.int(0)), updated: Int(try r.int(1)), departments: Int(try r.int(2))))
    }
}

/// The units after a units file is loaded, worked out in memory from the stored ones as
/// `UnitStore.importUnits` writes them on SQLite (the server then writes what differs).
final class UnitPlan {
    typealias Unit = ServerUnit

    /// The units as stored, by code.
    let stored: [String: Unit]
    /// The units after the load, by code, and the codes in the order they were first written.
    var units: [String: Unit]
    var order: [String] = []

    init(stored list: [Unit]) throws {
        let codeOf = Dictionary(list.map { ($0.id, $0.code) }, uniquingKeysWith: { a, _ in a })
        var byCode: [String: Unit] = [:]
        for var u in list {
            u.parent = u.parentId.flatMap { codeOf[$0] }
            byCode[u.code] = u
        }
        stored = byCode
        units = byCode
    }

    /// UnitStore.importUnits, in memory.
    func apply(_ rows: [UnitRow], departments: [String: [DepartmentEntry]]) throws {
        guard units["VN"] != nil else { throw StoreError.unknownUnit("VN") }
        for r in rows {
            if let pc = r.parentCode, units[pc] == nil {
                throw StoreError.badData(file: "units", line: r.line, reason: Message("store.units.parent", pc))
            }
            let parent = r.parentCode ?? "VN"
            if var u = units[r.code] {
                u.name = r.name; u.level = r.level.rawValue; u.type = r.divisionType; u.parent = parent
                u.folded = VietnameseFold.fold(r.name)
                units[r.code] = u
            } else {
                units[r.code] = Unit(code: r.code, name: r.name, level: r.level.rawValue, type: r.divisionType, parent: parent,
                                     folded: VietnameseFold.fold(r.name))
                order.append(r.code)
            }
        }
        for r in rows {
            for d in departments[r.level.rawValue] ?? [] {
                let code = "\(r.code)-\(d.suffix)"
                if units[code] != nil { continue }
                let name = d.name(under: r.divisionType)
                units[code] = Unit(code: code, name: name, level: UnitLevel.department.rawValue, type: "phòng ban", parent: r.code,
                                   folded: VietnameseFold.fold(name + " " + r.name))
                order.append(code)
            }
        }
        // UnitStore.renameDepartments.
        for (code, var d) in units where d.level == UnitLevel.department.rawValue {
            guard let pc = d.parent, let p = units[pc], code.hasPrefix(pc + "-") else { continue }
            let suffix = String(code.dropFirst(pc.count + 1))
            guard let entry = (departments[p.level] ?? []).first(where: { $0.suffix == suffix }) else { continue }
            d.name = entry.name(under: p.type)
            d.folded = VietnameseFold.fold(d.name + " " + p.name)
            units[code] = d
        }
        // UnitStore.refreshLabels.
        for (code, var u) in units {
            u.label = UnitNaming.qualified(name: u.name, level: UnitLevel(rawValue: u.level) ?? .department,
                                           parentName: u.parent.flatMap { units[$0]?.name })
            units[code] = u
        }
    }

    /// Whether `me` covers the stored unit `code` (its path under theirs).
    func covers(_ me: Official, _ code: String, myPath: String) -> Bool {
        stored[code].map { $0.path.hasPrefix(myPath) } ?? false
    }

    /// UnitStore.scopeRefusal: why `me` may not load `rows`, naming the first unit out of
    /// their reach, or nil.
    func scopeRefusal(_ rows: [UnitRow], departments: [String: [DepartmentEntry]], me: Official) throws -> Message? {
        guard let myPath = stored.values.first(where: { $0.id == me.unitId })?.path else {
            return Message("admin.scope.unit", me.login, "-")
        }
        var added: Set<String> = []
        for r in rows {
            let label = "\(r.code) \(r.name)"
            let parentIsNew = r.parentCode.map(added.contains) ?? false
            let parent: String?
            let parentCovered: Bool
            if parentIsNew {
                parent = r.parentCode
                parentCovered = true
            } else if let pc = r.parentCode {
                guard stored[pc] != nil else { continue }
                parent = pc
                parentCovered = covers(me, pc, myPath: myPath)
            } else {
                parent = stored["VN"] == nil ? nil : "VN"
                parentCovered = parent.map { covers(me, $0, myPath: myPath) } ?? false
            }
            if let s = stored[r.code] {
                let changed = parentIsNew || s.name != r.name || s.level != r.level.rawValue || s.type != r.divisionType
                    || s.parent != parent
                guard changed else { continue }
                if !covers(me, r.code, myPath: myPath) || !parentCovered { return Message("admin.scope.unit", me.login, label) }
            } else {
                if !parentCovered { return Message("admin.scope.unit", me.login, label) }
                added.insert(r.code)
            }
        }
        for r in rows where !added.contains(r.code) {
            guard stored[r.code] != nil else { continue }
            for d in departments[r.level.rawValue] ?? [] where stored["\(r.code)-\(d.suffix)"] == nil {
                if !covers(me, r.code, myPath: myPath) {
                    return Message("admin.scope.unit", me.login, "\(r.code)-\(d.suffix) (\(r.code) \(r.name))")
                }
            }
        }
        return nil
    }

    /// What `pakn_units_import` is given: every row of the file (its unit's new state), then
    /// every other unit the load adds or changes, parents before children.
    func entries(_ rows: [UnitRow]) -> [[String: Any]] {
        func entry(_ u: Unit, row: Bool) -> [String: Any] {
            ["code": u.code, "name": u.name, "level": u.level, "division_type": u.type,
             "parent": u.parent as Any? ?? NSNull(), "folded": u.folded, "label": u.label, "row": row]
        }
        var out = rows.compactMap { units[$0.code].map { entry($0, row: true) } }
        let inRows = Set(rows.map(\.code))
        for code in order where !inRows.contains(code) {
            if let u = units[code] { out.append(entry(u, row: false)) }
        }
        for code in units.keys.sorted() where !inRows.contains(code) && stored[code] != nil {
            guard let u = units[code], let s = stored[code] else { continue }
            if u.name != s.name || u.level != s.level || u.type != s.type || u.parent != s.parent || u.folded != s.folded
                || u.label != s.label {
                out.append(entry(u, row: false))
            }
        }
        return out
    }
}
