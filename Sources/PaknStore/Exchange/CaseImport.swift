import Foundation
import GRDB
import PaknCore

/// Turns the rows of a CSV file into intake drafts, checking each field.
struct CaseImportRows {
    let columns: [CaseImportColumn?]
    let index: [CaseImportColumn: Int]
    let now: Date
    /// The `reporter` column of `pakn export --format csv` (full, masked, sealed, erased,
    /// anonymous, none): the reporter's details are taken only when it says "full".
    let reporterState: Int?

    /// Columns of `pakn export --format csv` and `pakn list --csv` that describe a case's
    /// state rather than what was received: read past, so an export imports again.
    static let exportOnly: Set<String> = [
        "id", "code", "version", "status", "unit", "unit_code", "assignee", "assignee_login", "due", "due_state",
        "days_left", "due_at", "resolved_at", "closed_at", "rating", "rating_reasons", "reply", "calendar_warning",
    ]

    /// The header: known names (spaces and case ignored; `pakn_*` columns of a reject file
    /// and the state columns of an export are ignored), none twice, every required one
    /// present. `ward_code` is the ward's code; beside it, `ward` is its name and ignored
    /// (alone, `ward` is the code, as it always was).
    init(header fields: [String], now: Date) throws(Message) {
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
    static func unguarded(_ v: String) -> String {
        guard v.unicodeScalars.first == "'", let next = v.unicodeScalars.dropFirst().first,
              "=+-@".unicodeScalars.contains(next) else { return v }
        return String(v.unicodeScalars.dropFirst())
    }

    /// The draft of one row, or why not.
    func draft(_ f: [String]) throws -> IntakeDraft {
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
    static func date(_ text: String) -> Date? {
        let parts = text.split(separator: "/")
        if parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
           parts[2].count == 4, parts[0].count <= 2, parts[1].count <= 2 {
            return Day(String(format: "%@-%02d-%02d", String(parts[2]), Int(parts[1])!, Int(parts[0])!)).map(\.start)
        }
        return ISO8601.parse(text)
    }
}

extension UnitMap {
    /// Whether `id` is `ancestor` or lies below it.
    func isWithin(_ id: Int64, ancestor: Int64) -> Bool {
        var cur: Int64? = id
        var steps = 0
        while let c = cur, steps < 16 {
            if c == ancestor { return true }
            cur = byId[c]?.parentId
            steps += 1
        }
        return false
    }
}

extension AppDatabase {
    /// The largest import file read, in MiB, unless the `import_max_mb` setting says otherwise.
    public static let importMaxMB = 2048

    /// Imports cases from a CSV file (docs/cli.md, "Import"). Each case is taken in exactly
    /// as `intake` takes one — same checks, same routing, same intake and route events in the
    /// hash chain, same search entry — by the acting official, who needs the intake
    /// permission, and a ward within their units for every case.
    ///
    /// By default the file is imported in one transaction: if any row is bad, nothing is
    /// imported (every bad row is still reported). With `skipBad`, each batch commits with its
    /// good rows and the bad ones are only reported. `onProblem` gets each bad row in file
    /// order; `progress` gets (rows read, bytes read) after each batch.
    func importCases(from url: URL, options: CaseImportOptions = CaseImportOptions(), by actor: Official,
                            at now: Date, onProblem: (CaseImportProblem) throws -> Void,
                            progress: ((Int, Int) -> Void)? = nil) throws -> CaseImportSummary {
        // Checked before reading: a regular file (never /dev/zero or a FIFO), within
        // `import_max_mb` (default 2048), no symlink out of the allowed folders; then streamed.
        let limit = Int(try setting("import_max_mb") ?? "") ?? Self.importMaxMB
        var reader = CSVReader(handle: try InputFile.open(url.path, limitMB: limit).handle, detect: true)
        reader.fixedDelimiter = options.delimiter
        return try importCases(reader: &reader, name: url.lastPathComponent, options: options, by: actor, at: now,
                               onProblem: onProblem, progress: progress)
    }

    func importCases(reader: inout CSVReader, name: String, options: CaseImportOptions, by actor: Official, at now: Date,
                     onProblem: (CaseImportProblem) throws -> Void,
                     progress: ((Int, Int) -> Void)? = nil) throws -> CaseImportSummary {
        try authorize(actor, .intake, unitId: actor.unitId, what: "import \(name)", at: now)
        guard let head = reader.next() else { throw CaseImportError.empty(file: name) }
        if let p = head.problem { throw CaseImportError.headerUnreadable(file: name, problem: p) }
        let rows: CaseImportRows
        do { rows = try CaseImportRows(header: head.fields, now: now) } catch { throw CaseImportError.header(file: name, reason: error) }
        let ref = try reference()
        let units = try read { try UnitMap($0) }
        var summary = CaseImportSummary()
        summary.dialect = reader.dialect
        var failed = false
        var finished = false

        /// Reads up to one batch of rows, writing the good ones (unless a bad row was seen
        /// in all-or-nothing mode, after which rows are only checked).
        func batch(_ d: Database, _ writer: BulkCaseWriter) throws {
            var n = 0
            while n < options.batch {
                guard let rec = reader.next() else { finished = true; return }
                n += 1
                summary.rows += 1
                do {
                    if let p = rec.problem { throw p }
                    let draft = try rows.draft(rec.fields)
                    if let code = draft.wardCode, let w = units.unit(code: code), !units.isWithin(w.id, ancestor: actor.unitId) {
                        throw Message("import.out_of_scope", w.name, actor.login)
                    }
                    let pending = try writer.intake(draft, by: actor, at: now)
                    if failed { continue }
                    try writer.write(d, pending)
                    summary.imported += 1
                    if summary.firstCode == nil { summary.firstCode = pending.c.code }
                    summary.lastCode = pending.c.code
                } catch let e as DatabaseError {
                    throw e
                } catch let e as StoreError where e.isDatabaseFailure {
                    throw e
                } catch let e as any Localized & Error {
                    summary.rejected += 1
                    if !options.skipBad { failed = true }
                    try onProblem(CaseImportProblem(line: rec.line, reason: e, raw: rec.raw))
                }
            }
        }

        struct RolledBack: Error {}
        if options.skipBad {
            while !finished {
                try write { d in
                    try Guard.require(d, actor, .intake, unitId: actor.unitId)
                    let writer = try BulkCaseWriter(d, ref: ref, units: units)
                    try batch(d, writer)
                    try writer.finish(d)
                }
                progress?(summary.rows, reader.bytesRead)
            }
        } else {
            do {
                try write { d in
                    try Guard.require(d, actor, .intake, unitId: actor.unitId)
                    let writer = try BulkCaseWriter(d, ref: ref, units: units)
                    while !finished {
                        try batch(d, writer)
                        try writer.flushSearch(d)
                        progress?(summary.rows, reader.bytesRead)
                    }
                    if failed { throw RolledBack() }
                    try writer.finish(d)
                }
            } catch is RolledBack {
                summary.imported = 0
                summary.firstCode = nil
                summary.lastCode = nil
            }
        }
        return summary
    }
}

extension CSVProblem: Error {}

extension StoreError {
    /// The database itself failed (not this row's fault).
    var isDatabaseFailure: Bool {
        switch self {
        case .databaseUnusable, .databaseMissing: true
        default: false
        }
    }
}
