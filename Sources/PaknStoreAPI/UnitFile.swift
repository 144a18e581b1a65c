import Foundation
import PaknCore

/// One row of a units file: a province or a commune, by statistics office code.
public struct UnitRow: Equatable, Sendable {
    public var code: String
    public var name: String
    public var level: UnitLevel
    public var divisionType: String
    public var parentCode: String?
    /// Where the row is in its file (0 for JSON), for error messages.
    public var line: Int = 0
}

/// Reads the units of the administrative divisions, from the shipped TSV or from the
/// statistics office's JSON (provinces with their `wards`).
public enum UnitFile {
    public static func read(_ url: URL) throws -> [UnitRow] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw StoreError.unreadable(url.path, error)
        }
        return try read(data: data, name: url.lastPathComponent, path: url.path)
    }

    /// The same from bytes already read (the shipped file, built into the binary).
    package static func read(data: Data, name: String, path: String) throws -> [UnitRow] {
        guard let text = String(data: data, encoding: .utf8) else {
            throw StoreError.unreadableFile(path: path, reason: "store.units.not_utf8")
        }
        let trimmed = text.drop { $0 == "\u{FEFF}" || $0.isWhitespace }
        if trimmed.first == "[" { return try readJSON(data, name: name) }
        return try readTSV(text, name: name)
    }

    static func readTSV(_ text: String, name: String) throws -> [UnitRow] {
        var rows: [UnitRow] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let header = lines.first?.split(separator: "\t").map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) else { return [] }
        func col(_ n: String) throws -> Int {
            guard let i = header.firstIndex(of: n) else {
                throw StoreError.badData(file: name, line: 1, reason: Message("store.units.missing_column", n))
            }
            return i
        }
        let ci = try col("code"), ni = try col("name"), li = try col("level"), di = try col("division_type"), pi = try col("parent_code")
        for (i, line) in lines.enumerated().dropFirst() {
            let l = line.trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            if l.isEmpty { continue }
            let f = l.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count > max(ci, ni, li, di, pi) else {
                throw StoreError.badData(file: name, line: i + 1, reason: Message("store.units.columns", header.count, f.count))
            }
            guard let level = UnitLevel(rawValue: f[li]) else {
                throw StoreError.badData(file: name, line: i + 1, reason: Message("store.units.level", SafeText.clean(String(f[li].prefix(40)))))
            }
            rows.append(try checked(code: f[ci], name: f[ni], level: level, divisionType: f[di],
                                    parentCode: f[pi].isEmpty ? nil : f[pi], file: name, line: i + 1))
        }
        return rows
    }

    struct JSONProvince: Decodable {
        var name: String
        var code: Int
        var division_type: String
        var wards: [JSONWard]
    }

    struct JSONWard: Decodable {
        var name: String
        var code: Int
        var division_type: String
    }

    static func readJSON(_ data: Data, name: String) throws -> [UnitRow] {
        let provinces: [JSONProvince]
        do { provinces = try JSONDecoder().decode([JSONProvince].self, from: data) } catch {
            throw StoreError.badData(file: name, line: 0, reason: Message("store.units.json", SafeText.clean(String("\(error)".prefix(300)))))
        }
        var rows: [UnitRow] = []
        for p in provinces {
            guard (0...99).contains(p.code) else {
                throw StoreError.badData(file: name, line: 0, reason: Message("store.units.code", String(p.code)))
            }
            let pc = String(format: "%02d", p.code)
            rows.append(try checked(code: pc, name: p.name, level: .province, divisionType: p.division_type,
                                    parentCode: nil, file: name, line: 0))
            for w in p.wards {
                guard (0...99_999).contains(w.code) else {
                    throw StoreError.badData(file: name, line: 0, reason: Message("store.units.code", String(w.code)))
                }
                rows.append(try checked(code: String(format: "%05d", w.code), name: w.name, level: .commune,
                                        divisionType: w.division_type, parentCode: pc, file: name, line: 0))
            }
        }
        return rows
    }

    /// A unit as it will be stored: a code of ASCII letters, digits and '-' (at most 16), a
    /// name and division type cleaned like citizen text (NFC, no controls, no bidi
    /// overrides) and not empty, at most `CitizenText.maxLineFieldLength` characters. A
    /// row that cannot be made so is refused with its line: a units file is trusted data
    /// that ends up on every official's screen.
    static func checked(code: String, name: String, level: UnitLevel, divisionType: String, parentCode: String?,
                        file: String, line: Int) throws -> UnitRow {
        func validCode(_ c: String) -> Bool {
            (1...16).contains(c.unicodeScalars.count)
                && c.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-") }
        }
        let code = code.trimmingCharacters(in: .whitespaces)
        guard validCode(code) else {
            throw StoreError.badData(file: file, line: line, reason: Message("store.units.code", SafeText.clean(String(code.prefix(40)))))
        }
        let parent = parentCode?.trimmingCharacters(in: .whitespaces)
        if let parent, !validCode(parent) {
            throw StoreError.badData(file: file, line: line, reason: Message("store.units.code", SafeText.clean(String(parent.prefix(40)))))
        }
        guard level == .province || level == .commune else {
            throw StoreError.badData(file: file, line: line, reason: Message("store.units.level", level.rawValue))
        }
        let cleanName = CitizenText.clean(name, multiline: false)
        let cleanType = CitizenText.clean(divisionType, multiline: false)
        guard !cleanName.isEmpty else { throw StoreError.badData(file: file, line: line, reason: Message("store.units.empty_name")) }
        for (field, v) in [("name", cleanName), ("division_type", cleanType)] where v.count > CitizenText.maxLineFieldLength {
            throw StoreError.badData(file: file, line: line, reason: Message("store.units.too_long", field, CitizenText.maxLineFieldLength))
        }
        return UnitRow(code: code, name: cleanName, level: level, divisionType: cleanType, parentCode: parent, line: line)
    }
}

extension UnitFile {
    /// Whether `data` is a change list (an object, or an array of objects, with change
    /// keys) rather than a units file (`UnitChangeList`, docs/data-sources.md).
    public static func looksLikeChangeList(_ data: Data) -> Bool {
        guard let any = try? JSONSerialization.jsonObject(with: data) else { return false }
        let objects = (any as? [Any])?.compactMap { $0 as? [String: Any] } ?? (any as? [String: Any]).map { [$0] } ?? []
        return !objects.isEmpty && objects.allSatisfy { o in
            o["wards"] == nil && ["code_changes", "type_changes", "province_type_changes"].contains { o[$0] != nil }
        }
    }
}

/// A standard department every province or commune has (departments.json, by level): its
/// code is `<parent code>-<suffix>`, its name the one its parent's division type calls for.
public struct DepartmentEntry: Codable, Sendable {
    public var suffix: String
    public var name: String
    public var name_en: String?
    public var names: [String: String]?

    public func name(under divisionType: String) -> String { names?[divisionType] ?? name }
}
