import Foundation
import PaknCore
import PaknStoreAPI
import PostgresNIO

// Reads the SQLite store answers from its reference tables and cases, answered on the
// server the same way (Sources/PaknStore/Reference, Cases/DuplicateCandidates.swift,
// Cases/ReplyTemplates.swift): names in byte order, as SQLite orders them.

extension ServerSession {
    // MARK: Units and the calendar

    public func unitHistory(code: String) throws -> [UnitHistoryEntry] {
        guard let u = try unit(code: code) else { throw StoreError.unknownUnit(code) }
        return try db.rows("""
            SELECT old_code, new_code, old_name, new_name, old_type, new_type, effective_on::text, date_basis, document
            FROM unit_code_history WHERE unit_id = \(u.id) ORDER BY effective_on, id
            """).map { r in
            UnitHistoryEntry(unitCode: u.code, unitLabel: u.label, oldCode: try r.strOpt(0), newCode: try r.strOpt(1),
                             oldName: try r.strOpt(2), newName: try r.strOpt(3), oldType: try r.strOpt(4), newType: try r.strOpt(5),
                             effective: try r.str(6), dateBasis: try r.str(7), document: try r.str(8))
        }
    }

    public func unitAliases(code: String) throws -> [(code: String, kind: String?)] {
        guard let u = try unit(code: code) else { throw StoreError.unknownUnit(code) }
        var b = Binds()
        return try db.rows("""
            SELECT old_code, kind FROM unit_alias WHERE unit_id = \(b.add(u.id)) AND old_code <> \(b.add(u.code)) ORDER BY old_code COLLATE "C"
            """, b).map { (try $0.str(0), try $0.strOpt(1)) }
    }

    public func remoteUnits(within ancestor: Int64?) throws -> [OrgUnit] {
        var b = Binds()
        var sql = "SELECT \(Self.unitColumns) FROM unit WHERE remote"
        if let ancestor { sql += " AND starts_with(path, (SELECT path FROM unit WHERE id = \(b.add(ancestor))))" }
        return try db.rows(sql + " ORDER BY code COLLATE \"C\"", b).map { try Self.unit($0) }
    }

    public func calendarEntries(year: Int?) throws -> [CalendarException] {
        try reference().calendar.exceptions.filter { year == nil || $0.day.year == year }
    }

    // MARK: Intake's duplicates

    /// Open cases of ward `wardId` whose titles share words with `title` (DuplicateTerms):
    /// the newest 400 open cases of the ward the official may read, most words in common
    /// first, then the newest.
    public func duplicateCandidates(title: String, wardId: Int64, excluding: Int64?, limit: Int) throws -> [DuplicateCandidate] {
        let me = try current()
        guard try wardId == me.unitId || isWithin(unit: wardId, ancestor: me.unitId) else { return [] }
        let wanted = DuplicateTerms.of(title)
        guard wanted.filter({ !$0.contains(" ") }).count >= 2 else { return [] }
        var scored: [DuplicateCandidate] = []
        for r in try db.rows("""
            SELECT id, code, title, status, extract(epoch FROM received_at)::bigint FROM pakn_case
            WHERE ward_id = \(wardId) AND NOT done ORDER BY received_at DESC, id DESC LIMIT 400
            """) {
            let id = try r.int(0)
            if id == excluding { continue }
            let text = try r.str(2)
            let shared = wanted.intersection(DuplicateTerms.of(text)).count
            guard DuplicateTerms.alike(shared: shared, wanted: wanted.count) else { continue }
            scored.append(DuplicateCandidate(id: id, code: try r.str(1), title: text, status: CaseStatus(rawValue: try r.str(3)) ?? .received,
                                             receivedAt: Self.date(try r.int(4)), shared: shared))
        }
        scored.sort { ($0.shared, $0.receivedAt, $0.id) > ($1.shared, $1.receivedAt, $1.id) }
        return Array(scored.prefix(max(0, min(limit, 20))))
    }

    // MARK: Letters

    /// Fills a reply template for a case the official may see (`pakn reply --template`).
    public func letter(template id: String, caseRef: String, action: ActionName, citizenLang: Lang,
                       authority: String?, reason: String?, targetUnitId: Int64?) throws -> TemplateLetter {
        let c = try resolveCase(caseRef)
        let all = try templates(category: c.category, kind: c.kind, lang: citizenLang, purposes: nil)
        guard let any = all.first(where: { $0.id == id }) else { throw Message("tpl.unknown", id, c.code) }
        if let refusal = any.refusal(for: action) { throw refusal }
        guard let t = all.first(where: { $0.id == id && $0.lang == citizenLang }) else {
            throw Message("tpl.no_lang", id, citizenLang.rawValue)
        }
        let unit = try c.unitId.flatMap { try self.unit(id: $0) }
        let office = try unit.flatMap { u in u.level == .department ? try u.parentId.flatMap { try self.unit(id: $0) } : u }
        let ward = try c.wardId.flatMap { try self.unit(id: $0) }
        var auth = authority.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        if auth == nil, let target = try targetUnitId.flatMap({ try self.unit(id: $0) }) {
            auth = TemplateFill.body(target, citizenLang)
        }
        if t.needsAuthority && auth == nil { throw Message("tpl.authority_needed", id) }
        let why = reason.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        if t.needsReason && why == nil { throw Message("tpl.reason_needed", id) }
        let fill = TemplateFill.of(c, ward: ward, unit: unit, office: office, lang: citizenLang, authority: auth, reason: why)
        return TemplateLetter(text: t.filled(fill), purpose: t.purpose)
    }

    // MARK: Remote communes

    /// Flags (or unflags) communes as remote (RemoteUnits.setRemote's rules): every code
    /// found first, `manage_rules` over each (a refusal recorded), then all or nothing
    /// through `pakn_unit_set_remote`, each change its access-log entry.
    public func setRemote(codes: [String], remote: Bool, reason: String, file: String?, lines: [Int]?) throws -> RemoteSummary {
        let why = CitizenText.clean(reason, multiline: false)
        guard !why.isEmpty else { throw StoreError.missingField("--reason") }
        guard why.count <= CitizenText.maxLineFieldLength else { throw StoreError.tooLong(field: "--reason", max: CitizenText.maxLineFieldLength) }
        guard !codes.isEmpty else { throw StoreError.missingField("CODE") }
        var units: [OrgUnit] = []
        for (i, code) in codes.enumerated() {
            guard let u = try unit(code: code) else {
                if let file, let lines { throw StoreError.badData(file: file, line: lines[i], reason: Message("units.remote.unknown", code)) }
                throw StoreError.unknownUnit(code)
            }
            guard u.level == .commune else {
                let m = Message("units.remote.not_commune", u.code, u.label)
                if let file, let lines { throw StoreError.badData(file: file, line: lines[i], reason: m) }
                throw m
            }
            if !units.contains(where: { $0.id == u.id }) { units.append(u) }
        }
        for u in units { try authorize(.manageRules, unitId: u.id, what: "units remote \(remote ? "set" : "unset") \(u.code)") }
        let note = why + (file.map { " (\($0))" } ?? "")
        return try db.transaction { tx in
            var s = RemoteSummary()
            for u in units {
                var b = Binds()
                let changed = try tx.one("SELECT pakn_unit_set_remote(\(b.add(u.code)), \(b.add(remote)), \(b.add(note)))", b)?.bool(0) ?? false
                var now = u
                now.remote = remote
                if changed { s.changed.append(now) } else { s.unchanged.append(now) }
            }
            return s
        }
    }
}

