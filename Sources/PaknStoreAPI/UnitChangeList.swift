import Foundation
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
    package static func isStatisticsCode(_ c: String) -> Bool {
        (c.count == 2 || c.count == 5) && c.unicodeScalars.allSatisfy { $0.isASCII && CharacterSet.decimalDigits.contains($0) }
    }
}

/// Names of units compared as a person would: NFC, lower case, tone marks placed one way
/// ("hoà" = "hòa", "thuỷ" = "thủy"), one kind of apostrophe and dash, single spaces.
package enum UnitNames {
    package static let provinceTypes = ["tỉnh", "thành phố"]
    package static let communeTypes = ["xã", "phường", "đặc khu"]

    package static func normalized(_ s: String) -> String {
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
    package static func core(_ s: String) -> String {
        let n = normalized(s)
        for t in communeTypes + provinceTypes where n.hasPrefix(t + " ") { return String(n.dropFirst(t.count + 1)) }
        return n
    }

    /// "xã", "phường" or "đặc khu" from a commune's full name.
    package static func communeType(of name: String) -> String? {
        let n = normalized(name)
        return communeTypes.first { n.hasPrefix($0 + " ") }
    }

    /// "Tỉnh Đồng Nai" → "Thành phố Đồng Nai" for type "thành phố".
    package static func provinceName(_ name: String, as type: String) -> String {
        var rest = name
        for lead in ["Thành phố ", "Tỉnh "] where rest.hasPrefix(lead) { rest = String(rest.dropFirst(lead.count)) }
        return (type == "thành phố" ? "Thành phố " : "Tỉnh ") + rest
    }
}

/// What checking a change list needs to know of the units: each engine answers from what it
/// holds (SQLite from the database, inside the write; a server from the units it read).
package protocol UnitChangeUnits {
    /// The unit whose code is `code` now (current codes only).
    func unit(code: String) throws -> OrgUnit?
    /// The unit an old code now names: an alias, or a department under an aliased unit.
    func aliased(code: String) throws -> OrgUnit?
    /// Whether the change `old` → `new` is recorded in the units' history.
    func historyHas(old: String, new: String) throws -> Bool
}

/// What one change list changes, found good: units to recode, communes and provinces to
/// rename under another type, and how many rows were already in force.
package struct UnitChangeStep: Sendable {
    package var moves: [(unit: OrgUnit, new: String, pos: String)] = []
    package var retypes: [(unit: OrgUnit, name: String, type: String, pos: String)] = []
    package var provinces: [(unit: OrgUnit, name: String, type: String, pos: String)] = []
    package var alreadyInForce = 0
    /// Every unit the list changes (the ones `allow` is asked about).
    package var units: [OrgUnit] { moves.map(\.unit) + retypes.map(\.unit) + provinces.map(\.unit) }
}

extension UnitChangeList {
    /// Checks one list against the units as they stand (after the lists before it): every
    /// old code names a unit now and every new code is free or given up by another row of
    /// the list (a swap or a chain); a type change names a commune, its `was` the name it
    /// has; a province type change names a province. A row already recorded or already true
    /// counts as in force. Throws naming every bad row; the one rule for both engines.
    package func check(file: String, units: some UnitChangeUnits) throws -> UnitChangeStep {
        var problems: [UnitChangeProblem] = []
        func bad(_ pos: String, _ m: Message) { problems.append(UnitChangeProblem(position: pos, reason: m)) }
        func strict(_ code: String, _ pos: String) throws -> OrgUnit? {
            if let u = try units.unit(code: code) { return u }
            if let now = try units.aliased(code: code) {
                bad(pos, Message("units.superseded", code, now.code, now.label))
            } else {
                bad(pos, Message("units.changes.unknown_code", code))
            }
            return nil
        }
        var step = UnitChangeStep()
        let olds = Set(codeChanges.map(\.old))
        var seenOld: Set<String> = [], seenNew: Set<String> = []
        for c in codeChanges {
            if !seenOld.insert(c.old).inserted { bad(c.position, Message("units.changes.twice", c.old)); continue }
            if !seenNew.insert(c.new).inserted { bad(c.position, Message("units.changes.twice", c.new)); continue }
            if let u = try units.unit(code: c.old) {
                guard (u.level == .province) == (c.old.count == 2) else { bad(c.position, Message("units.changes.level_mismatch", c.old, c.new)); continue }
                if let holder = try units.unit(code: c.new), !olds.contains(c.new) {
                    bad(c.position, Message("units.changes.code_taken", c.new, holder.label))
                    continue
                }
                step.moves.append((u, c.new, c.position))
            } else if try units.historyHas(old: c.old, new: c.new) {
                step.alreadyInForce += 1
            } else if let now = try units.aliased(code: c.old), now.code == c.new {
                step.alreadyInForce += 1
            } else {
                _ = try strict(c.old, c.position)
            }
        }
        for t in typeChanges {
            guard let u = try strict(t.code, t.position) else { continue }
            guard u.level == .commune else { bad(t.position, Message("units.changes.not_commune", t.code)); continue }
            let type = UnitNames.communeType(of: t.now) ?? u.divisionType
            if UnitNames.normalized(u.name) == UnitNames.normalized(t.now) && u.divisionType == type {
                step.alreadyInForce += 1
                continue
            }
            if let was = t.was, UnitNames.normalized(was) != UnitNames.normalized(u.name) {
                bad(t.position, Message("units.changes.was", t.code, u.name, was))
                continue
            }
            step.retypes.append((u, t.now, type, t.position))
        }
        for p in provinceTypeChanges {
            guard let u = try strict(p.code, p.position) else { continue }
            guard u.level == .province else { bad(p.position, Message("units.changes.not_province", p.code)); continue }
            if u.divisionType == p.now { step.alreadyInForce += 1; continue }
            step.provinces.append((u, p.name ?? UnitNames.provinceName(u.name, as: p.now), p.now, p.position))
        }
        if !problems.isEmpty { throw UnitChangeListError(file: file, problems: problems) }
        return step
    }
}
