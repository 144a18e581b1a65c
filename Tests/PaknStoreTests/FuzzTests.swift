import Foundation
import GRDB
import PaknCore
import Testing
@testable import PaknDemo
@testable import PaknStore

/// Seeded, bounded fuzzing of the code that reads what strangers wrote: search queries
/// (→ FTS5 MATCH), citizen text cleaning, output escaping, and the units importer.
/// `make fuzz` runs it longer: PAKN_FUZZ_ITERATIONS, PAKN_FUZZ_SEED, PAKN_FUZZ_SECONDS.
/// A crasher found here becomes an entry of `FuzzCorpus.regressions`.
enum FuzzCorpus {
    static var iterations: Int { Int(ProcessInfo.processInfo.environment["PAKN_FUZZ_ITERATIONS"] ?? "") ?? 400 }
    static var seed: UInt64 { UInt64(ProcessInfo.processInfo.environment["PAKN_FUZZ_SEED"] ?? "") ?? 0xF022 }
    static var seconds: Double { Double(ProcessInfo.processInfo.environment["PAKN_FUZZ_SECONDS"] ?? "") ?? 4 }

    static let pieces: [String] = [
        "a", "Z", "0", "9", " ", "  ", "ha", "noi", "duong",
        "\"", "\"\"", "*", "^", ":", "(", ")", "-", "+", "{", "}", "[", "]", "'", "\\", ",", ".", "/", "%", "_",
        "NEAR", "NEAR/2", "AND", "OR", "NOT", "near(", "title:", "^title", "col:\"x\"", "* *",
        "Hà Nội", "ĐƯỜNG", "đ", "Đặng", "\u{0301}", "\u{0323}", "\u{0309}", "ạ", "e\u{0302}\u{0301}", "ǅ", "ß", "İ", "ﬁ",
        "\u{00}", "\u{01}", "\u{07}", "\u{08}", "\u{1B}", "\u{1B}]52;c;SGVsbG8=\u{07}", "\u{1B}[2J", "\u{1B}[31m", "\u{7F}",
        "\u{80}", "\u{85}", "\u{9B}", "\u{9B}2J", "\r", "\n", "\r\n", "\t", "\u{0B}", "\u{0C}",
        "\u{202A}", "\u{202E}", "\u{2066}", "\u{2069}", "\u{200E}", "\u{200F}", "\u{061C}", "\u{200B}", "\u{FEFF}", "\u{FFFD}",
        "\u{2028}", "\u{2029}", "👨‍👩‍👧", "🇻🇳", "漢字", "عربي", "ไทย", "\u{E000}", "\u{10FFFF}",
        "=", "@SUM(1)", "=cmd|' /C calc'!A0", "+1", "-1",
    ]

    static func string(_ rng: inout SeededRandom, maxPieces: Int = 24) -> String {
        var s = ""
        for _ in 0..<rng.int(0...maxPieces) {
            if rng.chance(0.03) {
                s += String(repeating: rng.pick(pieces), count: rng.int(100...3000))
            } else {
                s += rng.pick(pieces)
            }
        }
        return s
    }

    /// Inputs that once broke something, or that look most likely to.
    static let regressions: [String] = [
        "", " ", "\"", "\"\"\"", "*", "**", "^", "-", "NEAR(", "NEAR(a b", "a OR", "NOT", "(", ")", ":", "a:b", "{a b}:c",
        "\u{0}", "\u{0}a", "\u{301}", "đ\u{301}", "\"\u{301},x", "=\u{301}1+1", "a\"\u{323}b", "\u{202E}", "\u{1B}", "a\u{0}\"b", String(repeating: "\"", count: 1000),
        String(repeating: "a ", count: 5000), String(repeating: "ạ", count: 20_000), "İstanbul", "ǅ", "\u{FEFF}x", "x*y",
    ]

    /// Runs `body` `iterations` times (or until the time is up) with a seeded generator.
    static func run(_ name: String, share: Int = 1, _ body: (inout SeededRandom, Int) throws -> Void) rethrows {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in name.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        var rng = SeededRandom(seed: seed ^ h)
        let deadline = Date().addingTimeInterval(seconds)
        for i in 0..<max(1, iterations / share) {
            try body(&rng, i)
            if Date() > deadline { break }
        }
    }
}

@Suite struct FuzzTests {
    func searchDatabase() throws -> DatabaseQueue {
        let q = try DatabaseQueue()
        try Schema.migrator.migrate(q)
        try q.write { d in
            for (i, t) in ["Đường Trần Hưng Đạo ngập nước", "Đèn đường hỏng ở Hà Nội", "Rác thải \"đổ\" trộm NEAR chợ",
                           "Tiếng ồn karaoke AND quán nhậu", "title: ô nhiễm * bụi"].enumerated() {
                try d.execute(sql: "INSERT INTO case_fts(rowid, code, title, body, address) VALUES (?, ?, ?, ?, ?)",
                              arguments: [i + 1, "hn-2026-00000\(i)", VietnameseFold.fold(t), VietnameseFold.fold(t + " " + t), ""])
            }
        }
        return q
    }

    func checkQuery(_ q: DatabaseQueue, _ text: String) throws {
        for prefix in [true, false] {
            guard let m = SearchIndex.match(text, prefixLast: prefix) else {
                #expect(VietnameseFold.words(text).isEmpty, "no query for \(text.debugDescription)")
                continue
            }
            // Must be valid FTS5 whatever was typed: a syntax error here is a crash at the desk.
            _ = try q.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM case_fts WHERE case_fts MATCH ?", arguments: [m]) }
        }
    }

    @Test func searchQueriesAlwaysMakeValidFTS5() throws {
        let q = try searchDatabase()
        for s in FuzzCorpus.regressions { try checkQuery(q, s) }
        try FuzzCorpus.run("match") { rng, _ in try checkQuery(q, FuzzCorpus.string(&rng)) }
        // And they find what they should: any word of a title, typed without diacritics.
        #expect(try q.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM case_fts WHERE case_fts MATCH ?",
                                                arguments: [SearchIndex.match("duong hung dao")!]) } == 1)
        #expect(try q.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM case_fts WHERE case_fts MATCH ?",
                                                arguments: [SearchIndex.match("\"đổ\" NEAR")!]) } == 1)
    }

    /// The whole path a desk search takes: typed text → queue and count queries, on a
    /// real database. Any text gives rows or none, never an error.
    @Test func searchingTheQueueWithAnyTextNeverFails() throws {
        let db = try Fixtures.demo()
        func check(_ text: String) throws {
            for order in QueueOrder.allCases {
                _ = try db.queue(QueueQuery(filter: QueueFilter(text: text), order: order, limit: 20), now: Fixtures.now)
            }
            _ = try db.count(QueueFilter(openOnly: true, text: text), now: Fixtures.now)
        }
        for s in FuzzCorpus.regressions { try check(s) }
        try FuzzCorpus.run("queue", share: 4) { rng, _ in try check(FuzzCorpus.string(&rng, maxPieces: 8)) }
        // And it still finds: a case by its own title wrapped in FTS5 syntax.
        let c = try db.resolveCase("1")
        let rows = try db.queue(QueueQuery(filter: QueueFilter(text: "\"(^" + c.title + ")*:\""), limit: 100_000), now: Fixtures.now)
        #expect(rows.contains { $0.id == c.id })
    }

    func checkClean(_ s: String) {
        for multiline in [true, false] {
            let c = CitizenText.clean(s, multiline: multiline)
            let allowed: Set<Unicode.Scalar> = multiline ? ["\n", "\t"] : []
            #expect(!c.unicodeScalars.contains { CitizenText.isUnsafe($0) && !allowed.contains($0) }, "unsafe left in \(s.debugDescription)")
            #expect(c == c.precomposedStringWithCanonicalMapping, "not NFC: \(s.debugDescription)")
            #expect(CitizenText.clean(c, multiline: multiline) == c, "not idempotent: \(s.debugDescription)")
            if !multiline { #expect(!c.contains("\n") && !c.contains("\t")) }
            #expect(!c.contains("\r"))
        }
    }

    func checkSafe(_ s: String) {
        let out = SafeText.clean(s)
        #expect(!out.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value) || SafeText.isBidi($0) })
        let line = SafeText.clean(s, keepNewlines: false)
        #expect(!line.unicodeScalars.contains { $0.value < 0x20 })
        // Spreadsheets read scalars (bytes), not Swift Characters.
        let field = Array(SafeText.csv(s).unicodeScalars)
        let formula: Set<Unicode.Scalar> = ["=", "+", "-", "@"]
        if let f = field.first {
            #expect(!formula.contains(f), "formula not neutralised: \(s.debugDescription)")
            if f == "\"" {
                let inner = field.dropFirst().dropLast()
                #expect(field.last == "\"" && field.count >= 2)
                // Inside quotes every quote is doubled.
                var i = inner.startIndex
                while i < inner.endIndex {
                    if inner[i] == "\"" {
                        #expect(inner.index(after: i) < inner.endIndex && inner[inner.index(after: i)] == "\"", "lone quote: \(s.debugDescription)")
                        i = inner.index(i, offsetBy: 2)
                    } else { i = inner.index(after: i) }
                }
                if let g = inner.first { #expect(!formula.contains(g)) }
            } else {
                #expect(!field.contains { $0 == "," || $0 == "\n" || $0 == "\r" || $0 == "\"" }, "unquoted: \(s.debugDescription)")
            }
        }
    }

    @Test func citizenTextAndOutputEscapingHoldTheirPromises() throws {
        for s in FuzzCorpus.regressions { checkClean(s); checkSafe(s) }
        FuzzCorpus.run("clean") { rng, _ in
            let s = FuzzCorpus.string(&rng)
            checkClean(s)
            checkSafe(s)
        }
        // Invalid UTF-8 is decoded with replacement characters before it gets here; a
        // megabyte of text is cleaned whole (its speed is the benchmark's business).
        let big = String(repeating: "Nội dung \u{1B}[2J dài ", count: 60_000)
        let cleaned = CitizenText.clean(big, multiline: true)
        #expect(!cleaned.contains("\u{1B}"))
        #expect(cleaned.hasPrefix("Nội dung") && cleaned.count > 900_000)
    }

    static let unitsHeader = "code\tname\tlevel\tdivision_type\tparent_code"

    func mutate(_ text: String, _ rng: inout SeededRandom) -> Data {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for _ in 0..<rng.int(1...4) {
            guard !lines.isEmpty else { break }
            let i = rng.int(0...(lines.count - 1))
            switch rng.int(0...7) {
            case 0: lines[i] = lines[i].replacingOccurrences(of: "\t", with: rng.chance(0.5) ? "" : "\t\t")
            case 1: lines.insert(FuzzCorpus.string(&rng), at: i)
            case 2: lines.remove(at: i)
            case 3: lines[i] += String(repeating: "x", count: rng.int(1...10_000))
            case 4: lines.append(lines[i])
            case 5:
                var f = lines[i].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                if !f.isEmpty { f[rng.int(0...(f.count - 1))] = FuzzCorpus.string(&rng, maxPieces: 4) }
                lines[i] = f.joined(separator: "\t")
            case 6: lines[i] = lines[i].replacingOccurrences(of: "province", with: rng.pick(["commune", "village", "centre", "x", ""]))
            default:
                var f = lines[i].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                if f.count == 5 { f[4] = rng.pick(["", "01", "99", f[0], "00070"]) }   // unknown parents, cycles
                lines[i] = f.joined(separator: "\t")
            }
        }
        var data = Data(lines.joined(separator: "\n").utf8)
        if rng.chance(0.1), !data.isEmpty { data[rng.int(0...(data.count - 1))] = rng.pick([0xFF, 0xC3, 0x00, 0x80]) }
        return data
    }

    func importUnits(_ data: Data, name: String) throws -> [UnitRow]? {
        let file = Fixtures.tempPath("units-fuzz") + "." + name
        defer { try? FileManager.default.removeItem(atPath: file) }
        try data.write(to: URL(fileURLWithPath: file))
        let rows: [UnitRow]
        do { rows = try UnitFile.read(URL(fileURLWithPath: file)) } catch let e as StoreError {
            // A refusal names the file and, for a TSV, the line; in both languages.
            if case let .badData(f, line, _) = e {
                #expect(f == URL(fileURLWithPath: file).lastPathComponent)
                if name == "tsv" { #expect(line >= 1, "\(e.text(.en))") }
            }
            for lang in Lang.allCases { #expect(!e.text(lang).unicodeScalars.contains(where: CitizenText.isUnsafe), "\(e.text(.en))") }
            return nil
        }
        let q = try DatabaseQueue()
        try Schema.migrator.migrate(q)
        let depts = try BundledData.departments()
        do {
            _ = try q.write { try UnitStore.importUnits($0, rows: rows, departments: depts) }
            // What is stored is as clean as what was read.
            for n in try q.read({ try String.fetchAll($0, sql: "SELECT name || division_type || code FROM unit") }) {
                #expect(!n.unicodeScalars.contains(where: CitizenText.isUnsafe), "stored: \(n.debugDescription)")
            }
        } catch let e as StoreError {
            if case let .badData(_, line, _) = e, name == "tsv" { #expect(line >= 2, "\(e.text(.en))") }
        } catch is DatabaseError {
            // A constraint (a unit its own parent, a code twice) rolls the whole import back.
            #expect(try q.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM unit") } == 0)
        }
        #expect(try q.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") } == ["ok"])
        #expect(try q.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM unit WHERE path = '' OR path IS NULL") } == 0)
        return rows
    }

    @Test func theUnitsImporterRefusesOrImportsButNeverCrashes() throws {
        let tsv = try String(contentsOf: BundledData.unitsFile, encoding: .utf8)
        let sample = tsv.split(separator: "\n").prefix(60).joined(separator: "\n")
        let json = """
            [{"name":"Thành phố Hà Nội","code":1,"division_type":"thành phố trung ương","wards":[
              {"name":"Phường Hoàn Kiếm","code":70,"division_type":"phường"},{"name":"Xã Sóc Sơn","code":376,"division_type":"xã"}]}]
            """
        var imported: [UnitRow] = []
        // Each iteration builds a database: a quarter of the iterations.
        try FuzzCorpus.run("units", share: 4) { rng, i in
            let data = i % 4 == 3 ? mutate(json, &rng) : mutate(sample, &rng)
            imported += try importUnits(data, name: i % 4 == 3 ? "json" : "tsv")?.prefix(5) ?? []
        }
        // Whatever a units file carries, what is imported is clean: no controls or bidi
        // overrides, NFC, within the limits, codes of letters, digits and '-'.
        #expect(!imported.isEmpty, "the fuzzer never got a file through")
        for u in imported {
            for v in [u.name, u.divisionType, u.code, u.parentCode ?? ""] {
                #expect(!v.unicodeScalars.contains(where: CitizenText.isUnsafe), "unsafe in \(v.debugDescription)")
                #expect(v == v.precomposedStringWithCanonicalMapping)
            }
            #expect(!u.name.isEmpty && u.name.count <= CitizenText.maxLineFieldLength)
            #expect(u.code.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-") })
        }
    }
}
