import Foundation
import PaknCore

// The pure part of `pakn import` (moved from PaknStore's CaseImport.swift): a CSV file's
// header and rows turned into intake drafts, checked field by field, the same for every
// engine. Each engine writes the drafts its own way.

/// Turns the rows of a CSV file into intake drafts, checking each field.
package struct CaseImportRows {
    /// The largest import file read, in MiB, unless the `import_max_mb` setting says otherwise.
    package static let defaultMaxMB = 2048

    package let columns: [CaseImportColumn?]
    package let index: [CaseImportColumn: Int]
    package let now: Date
    /// The `reporter` column of `pakn export --format csv` (full, masked, sealed, erased,
    /// anonymous, none): the reporter's details are taken only when it says "full".
    package let reporterState: Int?

    /// Columns of `pakn export --format csv` and `pakn list --csv` that describe a case's
    /// state rather than what was received: read past, so an export imports again.
    package static let exportOnly: Set<String> = [
        "id", "code", "version", "status", "unit", "unit_code", "assignee", "assignee_login", "due", "due_state",
        "days_left", "due_at", "resolved_at", "closed_at", "rating", "rating_reasons", "reply", "calendar_warning",
    ]

    /// The header: known names (spaces and case ignored; `pakn_*` columns of a reject file
    /// and the state columns of an export are ignored), none twice, every required one
    /// present. `ward_code` is the ward's code; beside it, `ward` is its name and ignored
    /// (alone, `ward` is the code, as it always was).
    package init(header fields: [String], now: Date) throws(Message) {
        var cols: [CaseImportColumn?] = []
        var index: [CaseImportColumn: Int] = [:]
        var reporterState: Int?
        let names = fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let wardCodeGiven = names.contains("ward_code")
        for (i, f) in fields.enumerated() {
            var name = names[i]
            if name.hasPrefix("pakn_") || Self.exportOnly.contains(name) || (name == "ward" && wardCodeGiven) { cols.append(nil); continue }
            if name == "reporter" {
                guard reporterState == nil else { throw Message("import.duplicate_column", name) }
                reporterState = i
                cols.append(nil)
                continue
            }
            if name == "ward_code" { name = "ward" }
            guard let c = CaseImportColumn(rawValue: name) else {
                throw Message("import.unknown_column", SafeText.clean(String(f.prefix(60))),
                              CaseImportColumn.allCases.map(\.rawValue).joined(separator: ", "))
            }
            guard index[c] == nil else { throw Message("import.duplicate_column", c.rawValue) }
            index[c] = i
            cols.append(c)
        }
        let missing = CaseImportColumn.required.filter { index[$0] == nil }
        guard missing.isEmpty else { throw Message("import.missing_columns", missing.map(\.rawValue).joined(separator: ", ")) }
        columns = cols
        self.index = index
        self.now = now
        self.reporterState = reporterState
    }

    /// A field as pakn's own CSV wrote it: the ' that keeps a spreadsheet from running a
    /// leading = + - @ as a formula (`SafeText.csv`) is taken off again.
    package static func unguarded(_ v: String) -> String {
        guard v.unicodeScalars.first == "'", let next = v.unicodeScalars.dropFirst().first,
              "=+-@".unicodeScalars.contains(next) else { return v }
        return String(v.unicodeScalars.dropFirst())
    }

    /// The draft of one row, or why not.
    package func draft(_ f: [String]) throws -> IntakeDraft {
        guard f.count == columns.count else { throw Message("import.column_count", columns.count, f.count) }
        func value(_ c: CaseImportColumn) -> String? {
            guard let i = index[c] else { return nil }
            let v = Self.unguarded(f[i].trimmingCharacters(in: .whitespaces))
            return v.isEmpty ? nil : v
        }
        // An export's reporter that is masked, sealed or erased: its details are not the person's.
        let state = reporterState.map { f[$0].trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let detailsGiven = state.isEmpty || state == "full"
        func line(_ c: CaseImportColumn) throws -> String? {
            guard let v = value(c) else { return nil }
            guard v.count <= CitizenText.maxLineFieldLength else {
                throw StoreError.tooLong(field: c.rawValue, max: CitizenText.maxLineFieldLength)
            }
            return v
        }
        func person(_ c: CaseImportColumn) throws -> String? { detailsGiven ? try line(c) : nil }
        func code<T: RawRepresentable & CaseIterable>(_ c: CaseImportColumn, _: T.Type) throws -> T where T.RawValue == String {
            let v = value(c) ?? ""
            guard let t = T(rawValue: v.lowercased()) else {
                throw Message("import.bad_code", c.rawValue, SafeText.clean(String(v.prefix(60))),
                              T.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return t
        }
        func flag(_ c: CaseImportColumn) throws -> Bool {
            guard let v = value(c)?.lowercased() else { return false }
            switch v {
            case "1", "true", "yes", "y", "x", "có", "co": return true
            case "0", "false", "no", "n", "không", "khong": return false
            default: throw Message("import.bad_flag", c.rawValue, SafeText.clean(String(v.prefix(60))))
            }
        }
        func number(_ c: CaseImportColumn) throws -> Double? {
            guard let v = value(c) else { return nil }
            guard let d = Double(v), d.isFinite else { throw Message("import.bad_number", c.rawValue, SafeText.clean(String(v.prefix(60)))) }
            return d
        }
        var received: Date?
        if let v = value(.receivedAt) {
            guard let d = Self.date(v) else { throw Message("import.bad_date", SafeText.clean(String(v.prefix(60)))) }
            received = d
        }
        let routing: IntakeDraft.Routing
        switch value(.route)?.lowercased() {
        case nil, "auto": routing = .auto
        case "none": routing = .none
        case let code?: routing = .unit(code)
        }
        return IntakeDraft(
            title: value(.title) ?? "", body: Self.unguarded(f[index[.body]!]), kind: try code(.kind, CaseKind.self),
            category: value(.category) ?? "", channel: try code(.channel, Channel.self), wardCode: value(.ward),
            address: try line(.address), latitude: try number(.latitude), longitude: try number(.longitude),
            reporter: Reporter(name: try person(.reporterName), phone: try person(.reporterPhone), email: try person(.reporterEmail),
                               address: try person(.reporterAddress), nationalId: try person(.reporterNationalId),
                               anonymous: try flag(.anonymous) || state == "anonymous",
                               confidential: try flag(.confidential) || state == "sealed"),
            complex: try flag(.complex), receivedAt: received, routing: routing)
    }

    /// ISO 8601 (`2026-03-05`, `2026-03-05T08:30`, with `Z` or `+07:00`) or the Vietnamese
    /// `05/03/2026` (day first, Vietnam time).
    package static func date(_ text: String) -> Date? {
        let parts = text.split(separator: "/")
        if parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
           parts[2].count == 4, parts[0].count <= 2, parts[1].count <= 2 {
            return Day(String(format: "%@-%02d-%02d", String(parts[2]), Int(parts[1])!, Int(parts[0])!)).map(\.start)
        }
        return ISO8601.parse(text)
    }
}

extension CSVProblem: Error {}
