import Foundation
import GRDB
import PaknCore

/// How sure the effective date of a unit change is (docs/data-sources.md).
public enum ChangeDateBasis: String, Codable, Sendable, CaseIterable {
    /// The document's own effective date, checked.
    case on
    /// In force no later than this date; the exact day is not known.
    case by
    /// The document's date as stated from memory, not re-checked against the gazette.
    case stated
}

/// An official change list: the shape of `changes_since_2025_07_01` in the Statistics
/// Office's file (`code_changes`, `type_changes`, `province_type_changes`) with the
/// document that made the changes and the day they took effect.
public struct UnitChangeList: Equatable, Sendable {
    public struct CodeChange: Equatable, Sendable { public var old: String; public var new: String; public var position: String }
    public struct TypeChange: Equatable, Sendable { public var code: String; public var was: String?; public var now: String; public var position: String }
    public struct ProvinceTypeChange: Equatable, Sendable {
        public var code: String; public var now: String; public var name: String?; public var position: String
    }

    public var document: String
    public var effective: Day
    public var dateBasis: ChangeDateBasis
    public var codeChanges: [CodeChange] = []
    public var typeChanges: [TypeChange] = []
    public var provinceTypeChanges: [ProvinceTypeChange] = []
    /// Where the list is in its file ("#2"), for messages.
    public var position: String = ""

    public var isEmpty: Bool { codeChanges.isEmpty && typeChanges.isEmpty && provinceTypeChanges.isEmpty }
}

/// One bad row of a change list: where it is and why.
public struct UnitChangeProblem: Equatable, Sendable {
    public var position: String
    public var reason: Message
}

/// A change list that was refused, naming every bad row. Nothing was written.
public struct UnitChangeListError: Error, Localized, Equatable {
    public var file: String
    public var problems: [UnitChangeProblem]

    public func text(_ lang: Lang) -> String {
        ([L10n.t("units.changes.refused", lang, file, problems.count)]
         + problems.map { "  " + L10n.t("units.changes.row", lang, $0.position, $0.reason.text(lang)) })
            .joined(separator: "\n")
    }
}

extension UnitChangeList {
    /// Whether `data` is a change list (an object, or an array of objects, with change
    /// keys) rather than a units file.
    public static func looksLikeChangeList(_ data: Data) -> Bool { UnitFile.looksLikeChangeList(data) }

    /// Reads a change list file: one list, or an array of lists (each with its document).
    /// `document`, `effective` and `dateBasis` fill what a list does not say. Every bad
    /// row is named; nothing is returned unless all are good.
    public static func parse(_ data: Data, file: String, document: String? = nil, effective: String? = nil,
                             dateBasis: String? = nil) throws -> [UnitChangeList] {
        let any: Any
        do { any = try JSONSerialization.jsonObject(with: data) } catch {
            throw StoreError.badData(file: file, line: 0, reason: Message("store.data.json", SafeText.clean(String("\(error)".prefix(300)))))
        }
        let objects: [Any] = (any as? [Any]) ?? [any]
        var lists: [UnitChangeList] = []
        var problems: [UnitChangeProblem] = []
        func bad(_ pos: String, _ key: String, _ args: CustomStringConvertible...) {
            var m = Message(key)
            m.args = args.map(\.description)
            problems.append(UnitChangeProblem(position: pos, reason: m))
        }
        for (bi, o) in objects.enumerated() {
            let lp = objects.count > 1 ? "#\(bi + 1)" : ""
            guard let obj = o as? [String: Any] else { bad(lp.isEmpty ? "#1" : lp, "units.changes.not_object"); continue }
            let doc = (obj["document"] as? String).map { CitizenText.clean($0, multiline: false) } ?? document
            let eff = (obj["effective"] as? String) ?? effective
            let basisText = (obj["date_basis"] as? String) ?? dateBasis ?? ChangeDateBasis.on.rawValue
            let head = lp.isEmpty ? "document" : "\(lp) document"
            if (doc ?? "").isEmpty { bad(head, "units.changes.no_document") }
            let day = eff.flatMap(Day.init)
            if day == nil { bad(lp.isEmpty ? "effective" : "\(lp) effective", "units.changes.bad_date", SafeText.clean(String((eff ?? "").prefix(40)))) }
            let basis = ChangeDateBasis(rawValue: basisText)
            if basis == nil { bad(lp.isEmpty ? "date_basis" : "\(lp) date_basis", "units.changes.bad_basis", SafeText.clean(String(basisText.prefix(40)))) }
            for key in obj.keys where !["document", "effective", "date_basis", "code_changes", "type_changes", "province_type_changes", "note"].contains(key) {
                bad(lp.isEmpty ? key : "\(lp) \(key)", "units.changes.unknown_key", SafeText.clean(String(key.prefix(40))))
            }
            var list = UnitChangeList(document: doc ?? "", effective: day ?? Day(ordinal: 0), dateBasis: basis ?? .on,
                                      position: lp)
            func rows(_ key: String) -> [(String, [String: Any])] {
                guard let v = obj[key] else { return [] }
                guard let arr = v as? [Any] else { bad(lp.isEmpty ? key : "\(lp) \(key)", "units.changes.not_list"); return [] }
                return arr.enumerated().compactMap { i, r in
                    let pos = (lp.isEmpty ? "" : "\(lp) ") + "\(key)[\(i + 1)]"
                    guard let d = r as? [String: Any] else { bad(pos, "units.changes.not_object"); return nil }
                    return (pos, d)
                }
            }
            func text(_ d: [String: Any], _ k: String) -> String? {
                (d[k] as? String).map { CitizenText.clean($0, multiline: false) }.flatMap { $0.isEmpty ? nil : $0 }
            }
            func code(_ d: [String: Any], _ k: String, _ pos: String) -> String? {
                guard let c = text(d, k) else { bad(pos, "units.changes.missing", k); return nil }
                guard isStatisticsCode(c) else { bad(pos, "units.changes.bad_code", SafeText.clean(String(c.prefix(40)))); return nil }
                return c
            }
            for (pos, d) in rows("code_changes") {
                guard let old = code(d, "old", pos), let new = code(d, "new", pos) else { continue }
                if old == new { bad(pos, "units.changes.same_code", old); continue }
                if old.count != new.count { bad(pos, "units.changes.level_mismatch", old, new); continue }
                list.codeChanges.append(CodeChange(old: old, new: new, position: pos))
            }
            for (pos, d) in rows("type_changes") {
                guard let c = code(d, "code", pos) else { continue }
                guard let now = text(d, "now") else { bad(pos, "units.changes.missing", "now"); continue }
                guard UnitNames.communeType(of: now) != nil else { bad(pos, "units.changes.no_type", SafeText.clean(String(now.prefix(80)))); continue }
                list.typeChanges.append(TypeChange(code: c, was: text(d, "was"), now: now, position: pos))
            }
            for (pos, d) in rows("province_type_changes") {
                guard let c = code(d, "code", pos) else { continue }
                guard let now = text(d, "now") else { bad(pos, "units.changes.missing", "now"); continue }
                guard UnitNames.provinceTypes.contains(now) else { bad(pos, "units.changes.province_type", SafeText.clean(String(now.prefix(40)))); continue }
                list.provinceTypeChanges.append(ProvinceTypeChange(code: c, now: now, name: text(d, "name"), position: pos))
            }
            if list.isEmpty && problems.isEmpty { bad(lp.isEmpty ? "#1" : lp, "units.changes.empty") }
            lists.append(list)
        }
        if !problems.isEmpty { throw UnitChangeListError(file: file, problems: problems) }
        return lists
    }

    /// A statistics office code: 2 digits (province) or 5 (commune).
    static func isStatisticsCode(_ c: String) -> Bool {
        (c.count == 2 || c.count == 5) && c.unicodeScalars.allSatisfy { $0.isASCII && CharacterSet.decimalDigits.contains($0) }
    }
}

/// Names of units compared as a person would: NFC, lower case, tone marks placed one way
/// ("hoà" = "hòa", "thuỷ" = "thủy"), one kind of apostrophe and dash, single spaces.
enum UnitNames {
    static let provinceTypes = ["tỉnh", "thành phố"]
    static let communeTypes = ["xã", "phường", "đặc khu"]

    static func normalized(_ s: String) -> String {
        var t = s.precomposedStringWithCanonicalMapping.lowercased()
        for (a, b) in [("’", "'"), ("‘", "'"), ("ʼ", "'"), ("`", "'"), ("–", "-"), ("—", "-"), ("‐", "-"), ("‑", "-")] {
            t = t.replacingOccurrences(of: a, with: b)
        }
        // The old placement puts the mark on the last vowel of "oa", "oe", "uy"; the new one
        // on the first. Both sides go through this, so "quý" (either way) stays comparable.
        for (old, new) in [("oà", "òa"), ("oá", "óa"), ("oả", "ỏa"), ("oã", "õa"), ("oạ", "ọa"),
                           ("oè", "òe"), ("oé", "óe"), ("oẻ", "ỏe"), ("oẽ", "õe"), ("oẹ", "ọe"),
                           ("uỳ", "ùy"), ("uý", "úy"), ("uỷ", "ủy"), ("uỹ", "ũy"), ("uỵ", "ụy")] {
            t = t.replacingOccurrences(of: old, with: new)
        }
        t = t.replacingOccurrences(of: "-", with: " - ")
        return t.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// The name without its division type word ("Phường Lộc Ninh" → "lộc ninh"), normalised.
    static func core(_ s: String) -> String {
        let n = normalized(s)
        for t in communeTypes + provinceTypes where n.hasPrefix(t + " ") { return String(n.dropFirst(t.count + 1)) }
        return n
    }

    /// "xã", "phường" or "đặc khu" from a commune's full name.
    static func communeType(of name: String) -> String? {
        let n = normalized(name)
        return communeTypes.first { n.hasPrefix($0 + " ") }
    }

    /// "Tỉnh Đồng Nai" → "Thành phố Đồng Nai" for type "thành phố".
    static func provinceName(_ name: String, as type: String) -> String {
        var rest = name
        for lead in ["Thành phố ", "Tỉnh "] where rest.hasPrefix(lead) { rest = String(rest.dropFirst(lead.count)) }
        return (type == "thành phố" ? "Thành phố " : "Tỉnh ") + rest
    }
}

enum UnitChanges {
    /// Checks and applies change lists in the caller's transaction; throws (and the caller
    /// rolls back) naming every bad row of the first list that has any.
    ///
    /// `allow`, when given, is asked about every unit a list would change (after the list's
    /// rows are found good, before anything of it is written) and throws to refuse it.
    static func apply(_ db: Database, _ lists: [UnitChangeList], file: String,
                      departments: [String: [BundledData.DepartmentEntry]], at now: Date,
                      allow: ((OrgUnit) throws -> Void)? = nil) throws -> UnitChangeSummary {
        var summary = UnitChangeSummary()
        for list in lists {
            let s = try apply(db, list, file: file, at: now, allow: allow)
            summary.codes += s.codes; summary.types += s.types; summary.provinceTypes += s.provinceTypes
            summary.alreadyInForce += s.alreadyInForce
        }
        summary.departmentsRenamed = try UnitStore.renameDepartments(db, departments: departments)
        try UnitStore.refreshLabels(db)
        return summary
    }

    private static func historyHas(_ db: Database, old: String, new: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM unit_code_history WHERE old_code = ? AND new_code = ?", arguments: [old, new]) != nil
    }

    private static func apply(_ db: Database, _ list: UnitChangeList, file: String, at now: Date,
                              allow: ((OrgUnit) throws -> Void)?) throws -> UnitChangeSummary {
        var problems: [UnitChangeProblem] = []
        func bad(_ pos: String, _ m: Message) { problems.append(UnitChangeProblem(position: pos, reason: m)) }
        func strict(_ code: String, _ pos: String) -> OrgUnit? {
            do { return try UnitQueries.current(db, code: code) } catch let m as Message { bad(pos, m) } catch {
                bad(pos, Message("units.changes.unknown_code", code))
            }
            return nil
        }
        var summary = UnitChangeSummary()

        // Code changes: every old code names a unit now, every new code is free or is
        // given up by another row of the same list (a swap or a chain).
        var moves: [(unit: OrgUnit, new: String, pos: String)] = []
        let olds = Set(list.codeChanges.map(\.old))
        var seenOld: Set<String> = [], seenNew: Set<String> = []
        for c in list.codeChanges {
            if !seenOld.insert(c.old).inserted { bad(c.position, Message("units.changes.twice", c.old)); continue }
            if !seenNew.insert(c.new).inserted { bad(c.position, Message("units.changes.twice", c.new)); continue }
            if let u = try Row.fetchOne(db, sql: "SELECT \(UnitQueries.columns) FROM unit WHERE code = ?", arguments: [c.old]).map(UnitQueries.unit(from:)) {
                guard (u.level == .province) == (c.old.count == 2) else { bad(c.position, Message("units.changes.level_mismatch", c.old, c.new)); continue }
                if let holder = try Row.fetchOne(db, sql: "SELECT \(UnitQueries.columns) FROM unit WHERE code = ?", arguments: [c.new]).map(UnitQueries.unit(from:)),
                   !olds.contains(c.new) {
                    bad(c.position, Message("units.changes.code_taken", c.new, holder.label))
                    continue
                }
                moves.append((u, c.new, c.position))
            } else if try historyHas(db, old: c.old, new: c.new) {
                summary.alreadyInForce += 1
            } else if let now = try UnitQueries.aliased(db, code: c.old), now.code == c.new {
                summary.alreadyInForce += 1
            } else {
                _ = strict(c.old, c.position)
            }
        }
        var retypes: [(unit: OrgUnit, name: String, type: String, pos: String)] = []
        for t in list.typeChanges {
            guard let u = strict(t.code, t.position) else { continue }
            guard u.level == .commune else { bad(t.position, Message("units.changes.not_commune", t.code)); continue }
            let type = UnitNames.communeType(of: t.now) ?? u.divisionType
            if UnitNames.normalized(u.name) == UnitNames.normalized(t.now) && u.divisionType == type {
                summary.alreadyInForce += 1
                continue
            }
            if let was = t.was, UnitNames.normalized(was) != UnitNames.normalized(u.name) {
                bad(t.position, Message("units.changes.was", t.code, u.name, was))
                continue
            }
            retypes.append((u, t.now, type, t.position))
        }
        var provinces: [(unit: OrgUnit, name: String, type: String, pos: String)] = []
        for p in list.provinceTypeChanges {
            guard let u = strict(p.code, p.position) else { continue }
            guard u.level == .province else { bad(p.position, Message("units.changes.not_province", p.code)); continue }
            if u.divisionType == p.now { summary.alreadyInForce += 1; continue }
            provinces.append((u, p.name ?? UnitNames.provinceName(u.name, as: p.now), p.now, p.position))
        }
        if !problems.isEmpty { throw UnitChangeListError(file: file, problems: problems) }
        if let allow {
            for u in moves.map(\.unit) + retypes.map(\.unit) + provinces.map(\.unit) { try allow(u) }
        }

        let recorded = CaseRow.secs(now)
        func history(_ u: OrgUnit, oldCode: String?, newCode: String?, oldName: String?, newName: String?,
                     oldType: String?, newType: String?) throws {
            try db.execute(sql: """
                INSERT INTO unit_code_history(unit_id, old_code, new_code, old_name, new_name, old_type, new_type,
                                              effective_on, date_basis, document, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [u.id, oldCode, newCode, oldName, newName, oldType, newType, list.effective.description,
                                 list.dateBasis.rawValue, list.document, recorded])
        }
        let home = try AppDatabase.setting(db, "home_unit")
        try recode(db, moves.map { ($0.unit.id, $0.unit.code, $0.new) })
        for m in moves {
            try db.execute(sql: "INSERT OR REPLACE INTO unit_alias(old_code, unit_id, note, kind) VALUES (?, ?, ?, 'change')",
                           arguments: [m.unit.code, m.unit.id, list.document])
            try history(m.unit, oldCode: m.unit.code, newCode: m.new, oldName: nil, newName: nil, oldType: nil, newType: nil)
            if home == m.unit.code { try AppDatabase.setSetting(db, "home_unit", m.new) }
        }
        for r in retypes + provinces {
            try db.execute(sql: "UPDATE unit SET name = ?, division_type = ?, folded = ? WHERE id = ?",
                           arguments: [r.name, r.type, VietnameseFold.fold(r.name), r.unit.id])
            try history(r.unit, oldCode: nil, newCode: nil, oldName: r.unit.name, newName: r.name, oldType: r.unit.divisionType, newType: r.type)
        }
        summary.codes = moves.count
        summary.types = retypes.count
        summary.provinceTypes = provinces.count
        return summary
    }

    /// Gives units new codes, with their departments (`<code>-<suffix>`), through
    /// temporary codes so a swap or a chain (A→B while B→C) never meets UNIQUE(code).
    static func recode(_ db: Database, _ moves: [(id: Int64, old: String, new: String)]) throws {
        for m in moves {
            let tmp = "~\(m.id)"
            try db.execute(sql: "UPDATE unit SET code = ? WHERE id = ?", arguments: [tmp, m.id])
            try db.execute(sql: """
                UPDATE unit SET code = ? || substr(code, ?) WHERE parent_id = ? AND level = 'department' AND substr(code, 1, ?) = ?
                """, arguments: [tmp, m.old.count + 1, m.id, m.old.count + 1, m.old + "-"])
        }
        for m in moves {
            let tmp = "~\(m.id)"
            try db.execute(sql: "UPDATE unit SET code = ? WHERE id = ?", arguments: [m.new, m.id])
            try db.execute(sql: """
                UPDATE unit SET code = ? || substr(code, ?) WHERE parent_id = ? AND substr(code, 1, ?) = ?
                """, arguments: [m.new, tmp.count + 1, m.id, tmp.count + 1, tmp + "-"])
        }
    }

    /// Records the shipped changes since 1 July 2025 (already in the shipped units file) as
    /// history, and their old codes as aliases, for the units that carry the new codes.
    static func installShippedHistory(_ db: Database, at now: Date) throws {
        let lists = try UnitChangeList.parse(try BundledData.data("units/changes-since-2025-07-01.json"),
                                             file: "changes-since-2025-07-01.json")
        let recorded = CaseRow.secs(now)
        for list in lists {
            func history(_ u: OrgUnit, _ oc: String?, _ nc: String?, _ on: String?, _ nn: String?, _ ot: String?, _ nt: String?) throws {
                try db.execute(sql: """
                    INSERT INTO unit_code_history(unit_id, old_code, new_code, old_name, new_name, old_type, new_type,
                                                  effective_on, date_basis, document, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [u.id, oc, nc, on, nn, ot, nt, list.effective.description, list.dateBasis.rawValue,
                                     list.document, recorded])
            }
            for c in list.codeChanges {
                guard let u = try UnitQueries.unit(db, code: c.new), u.code == c.new else { continue }
                if try historyHas(db, old: c.old, new: c.new) { continue }
                try db.execute(sql: "INSERT OR REPLACE INTO unit_alias(old_code, unit_id, note, kind) VALUES (?, ?, ?, 'change')",
                               arguments: [c.old, u.id, list.document])
                try history(u, c.old, c.new, nil, nil, nil, nil)
            }
            for t in list.typeChanges {
                guard let u = try UnitQueries.unit(db, code: t.code), u.code == t.code else { continue }
                let oldType = t.was.flatMap(UnitNames.communeType(of:))
                try history(u, nil, nil, t.was, t.now, oldType, UnitNames.communeType(of: t.now))
            }
            for p in list.provinceTypeChanges {
                guard let u = try UnitQueries.unit(db, code: p.code), u.code == p.code else { continue }
                let old = p.now == "thành phố" ? "tỉnh" : "thành phố"
                try history(u, nil, nil, UnitNames.provinceName(u.name, as: old), u.name, old, p.now)
            }
        }
    }

    /// The codes of the older, wrong vn-divisions-2025.json, kept as aliases of the units
    /// they were meant for (an old CSV or export lands right). A current code wins over
    /// them in every lookup.
    static func installCorrectionAliases(_ db: Database) throws {
        let text = String(decoding: try BundledData.data("units/corrections-2025.tsv"), as: UTF8.self)
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 2, let id = try Int64.fetchOne(db, sql: "SELECT id FROM unit WHERE code = ?", arguments: [f[1]]) else { continue }
            try db.execute(sql: "INSERT OR IGNORE INTO unit_alias(old_code, unit_id, note, kind) VALUES (?, ?, ?, 'correction')",
                           arguments: [f[0], id, "vn-divisions-2025.json → \(f[1])"])
        }
    }

    /// old 2025-file code → official code.
    static func corrections() throws -> [String: String] {
        let text = String(decoding: try BundledData.data("units/corrections-2025.tsv"), as: UTF8.self)
        var out: [String: String] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if f.count >= 2 { out[f[0]] = f[1] }
        }
        return out
    }
}

extension AppDatabase {
    /// Loads official change lists (`pakn units import` with a change list): needs
    /// `manage_rules` and every unit a list changes, and the unit above it, within the
    /// actor's units (rows already in force are not changes); all or nothing; recorded in
    /// the access log, with the digest of every row changed, in the same transaction.
    func importUnitChanges(_ lists: [UnitChangeList], file: String, by actor: Official, at now: Date) throws -> UnitChangeSummary {
        let what = "units import \(file)"
        let me = try authorize(actor, .manageRules, unitId: actor.unitId, what: what, at: now)
        let depts = try BundledData.departments()
        return try scoped(me, what: what, at: now) {
            try write { db in
                let watch = try Facts.Watch(db, [Facts.unit, Facts.unitAlias, Facts.setting])
                let s = try UnitChanges.apply(db, lists, file: file, departments: depts, at: now) { u in
                    if let refusal = try AdminScope.unitRefusal(db, me, unit: u.id, parent: u.parentId, label: AdminScope.label(u)) {
                        throw ScopeRefusal(reason: refusal)
                    }
                }
                let docs = lists.map { "\($0.document) (\($0.dateBasis.rawValue) \($0.effective))" }.joined(separator: "; ")
                try AccessLog.append(db, AccessDraft(at: now, actorId: me.id, login: me.login, action: .unitsChange, target: file,
                                                     note: "\(docs): codes \(s.codes), types \(s.types), provinces \(s.provinceTypes), already \(s.alreadyInForce)",
                                                     count: s.applied, facts: try watch.changes(db)))
                return s
            }
        }
    }

    /// A unit's recorded changes (by any of its codes, old or current), oldest first.
    func unitHistory(code: String) throws -> [UnitHistoryEntry] {
        try read { db in
            guard let u = try UnitQueries.unit(db, code: code) else { throw StoreError.unknownUnit(code) }
            return try Row.fetchAll(db, sql: """
                SELECT * FROM unit_code_history WHERE unit_id = ? ORDER BY effective_on, id
                """, arguments: [u.id]).map { r in
                UnitHistoryEntry(unitCode: u.code, unitLabel: u.label, oldCode: r["old_code"], newCode: r["new_code"],
                                 oldName: r["old_name"], newName: r["new_name"], oldType: r["old_type"], newType: r["new_type"],
                                 effective: r["effective_on"], dateBasis: r["date_basis"], document: r["document"])
            }
        }
    }

    /// The old codes that lead to a unit (`unit_alias`), with their kind.
    func unitAliases(code: String) throws -> [(code: String, kind: String?)] {
        try read { db in
            guard let u = try UnitQueries.unit(db, code: code) else { throw StoreError.unknownUnit(code) }
            return try Row.fetchAll(db, sql: "SELECT old_code, kind FROM unit_alias WHERE unit_id = ? AND old_code <> ? ORDER BY old_code",
                                    arguments: [u.id, u.code]).map { ($0["old_code"], $0["kind"]) }
        }
    }
}
