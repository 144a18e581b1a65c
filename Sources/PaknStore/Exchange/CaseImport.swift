import Foundation
import GRDB
import PaknCore

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
    public static let importMaxMB = CaseImportRows.defaultMaxMB

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

extension StoreError {
    /// The database itself failed (not this row's fault).
    var isDatabaseFailure: Bool {
        switch self {
        case .databaseUnusable, .databaseMissing: true
        default: false
        }
    }
}
