import Foundation
import GRDB
import PaknCore
import Testing
@testable import PaknDemo
@testable import PaknStore

/// Seeded, time-bounded fuzzing of the case importer: the CSV reader on random bytes, a
/// round trip of random fields through RFC 4180 quoting, and whole imports of mangled
/// files into a database. Zero crashes; every row is either imported or reported; the
/// chain and the counters hold. `PAKN_FUZZ_SECONDS` / `PAKN_FUZZ_SEED` run it longer
/// (`make fuzz`).
@Suite struct ImportFuzzTests {
    static var seconds: Double { Double(ProcessInfo.processInfo.environment["PAKN_FUZZ_SECONDS"] ?? "") ?? 1.5 }
    static var seed: UInt64 { UInt64(ProcessInfo.processInfo.environment["PAKN_FUZZ_SEED"] ?? "") ?? 0x1AB0 }

    static let bytePieces: [[UInt8]] = [
        [0x2C], [0x22], [0x22, 0x22], [0x0A], [0x0D], [0x0D, 0x0A], [0xEF, 0xBB, 0xBF], [0x00], [0xC3], [0xC3, 0x28],
        [0xFF], [0xE2, 0x80, 0xAE], [0x1B, 0x5B, 0x32, 0x4A], Array("a".utf8), Array("Hà Nội".utf8), Array("đường".utf8),
        Array("feedback".utf8), Array("urban_order".utf8), Array("00070".utf8), Array("2026-11-20".utf8), Array("31/02/2026".utf8),
        Array("web".utf8), Array("\u{0301}".utf8), Array("=cmd|' /C calc'!A0".utf8), Array(" ".utf8),
    ]

    static func bytes(_ rng: inout SeededRandom, pieces: Int) -> [UInt8] {
        var b: [UInt8] = []
        for _ in 0..<rng.int(0...pieces) {
            if rng.chance(0.01) {
                b += Array(repeating: rng.pick(bytePieces), count: rng.int(1000...40_000)).flatMap { $0 }
            } else {
                b += rng.pick(bytePieces)
            }
        }
        return b
    }

    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    @Test func theReaderSurvivesRandomBytesAndAccountsForEveryLine() {
        var rng = SeededRandom(seed: Self.seed)
        let deadline = Date().addingTimeInterval(Self.seconds)
        var runs = 0
        while Date() < deadline || runs < 50 {
            runs += 1
            let input = Self.bytes(&rng, pieces: 200)
            var reader = CSVReader(bytes: input)
            var lastLine = 0
            var records = 0
            while let r = reader.next() {
                records += 1
                #expect(r.line > lastLine, "records come in line order")
                lastLine = r.line
                #expect(r.fields.count <= CSVReader.maxFields + 1)
                #expect(r.fields.allSatisfy { $0.utf8.count <= CSVReader.maxFieldBytes * 3 })
                #expect(records <= input.count + 1, "the reader always advances")
                if records > input.count + 1 { break }
            }
            // Never a line number beyond the lines there are.
            let breaks = input.filter { $0 == 0x0A || $0 == 0x0D }.count
            #expect(lastLine <= breaks + 1)
            #expect(reader.bytesRead <= input.count)
        }
    }

    @Test func quotedFieldsComeBackExactly() {
        var rng = SeededRandom(seed: Self.seed ^ 0x55)
        let deadline = Date().addingTimeInterval(Self.seconds / 2)
        var runs = 0
        let text = ["a", "b c", ",", "\"", "\"\"", "\n", "Đặng", "ngập", " ", "x,y", "\"q\"", "e\u{0301}", "🇻🇳"]
        while Date() < deadline || runs < 100 {
            runs += 1
            let rows = (0..<rng.int(1...8)).map { _ in
                (0..<rng.int(1...6)).map { _ in (0..<rng.int(0...5)).map { _ in rng.pick(text) }.joined() }
            }
            // A record that is one empty field is a blank line, which the reader skips.
            let expected = rows.filter { $0 != [""] }
            let eol = rng.chance(0.5) ? "\r\n" : "\n"
            let csv = rows.map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: eol) + (rng.chance(0.5) ? eol : "")
            var reader = CSVReader(bytes: Array(csv.utf8))
            var got: [[String]] = []
            while let r = reader.next() {
                #expect(r.problem == nil, "\(csv.debugDescription): \(String(describing: r.problem))")
                got.append(r.fields)
            }
            #expect(got == expected, "\(csv.debugDescription)")
        }
    }

    @Test func mangledFilesImportOnlyWhatIsGoodAndLeaveTheStoreConsistent() throws {
        let db = try Fixtures.demo()
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        var rng = SeededRandom(seed: Self.seed ^ 0xC5)
        let header = "title,body,kind,category,channel,ward,received_at,complex,route"
        let good = ["Ngập nước,Đường ngập sâu,feedback,urban_order,web,00070,2026-11-20,0,auto",
                    "\"Rác, thải\",\"Hai\ndòng\",complaint,environment,hotline,00070,,1,",
                    "Đèn hỏng,Tắt cả dãy,feedback,urban_order,app,,20/11/2026,no,none"]
        let deadline = Date().addingTimeInterval(Self.seconds)
        var runs = 0
        let casesBefore = try db.count(QueueFilter(), now: Fixtures.now)
        var imported = 0
        while Date() < deadline || runs < 5 {
            runs += 1
            var b = Array((header + "\n").utf8)
            for _ in 0..<rng.int(1...30) {
                var line = Array(rng.pick(good).utf8)
                if rng.chance(0.5) {
                    let at = rng.int(0...line.count)
                    line.insert(contentsOf: rng.pick(Self.bytePieces), at: at)
                }
                if rng.chance(0.1) { line = Self.bytes(&rng, pieces: 20) }
                b += line + (rng.chance(0.8) ? [0x0A] : [0x0D, 0x0A])
            }
            var reader = CSVReader(bytes: b)
            var problems = 0
            let summary = try db.importCases(reader: &reader, name: "fuzz.csv", options: CaseImportOptions(skipBad: rng.chance(0.5), batch: 7),
                                             by: clerk, at: Fixtures.now, onProblem: { p in
                                                 problems += 1
                                                 #expect(p.line >= 2)
                                                 #expect(!p.text(.en).isEmpty)
                                             })
            #expect(summary.rows == summary.imported + summary.rejected || summary.imported == 0)
            #expect(problems == summary.rejected)
            imported += summary.imported
        }
        #expect(try db.count(QueueFilter(), now: Fixtures.now) == casesBefore + imported)
        #expect(try db.verifyChain().firstBroken == nil)
        #expect(try db.checkConsistency().ok)
    }
}

/// The hand-written event JSON is what `JSONEncoder` writes, and always decodes back.
@Suite struct ChangesJSONTests {
    @Test func theHandWrittenJSONMatchesTheEncoder() throws {
        let db = try Fixtures.demo()
        let stored = try db.pool.read { d in
            try Row.fetchAll(d, sql: "SELECT id, changes FROM event ORDER BY id LIMIT 3000").map { try PackedText.text($0, "changes", "changes") }
        }
        #expect(stored.count > 100)
        for text in stored {
            let changes = try JSONDecoder().decode([String: FieldChange].self, from: Data(text.utf8))
            #expect(EventLog.changesJSON(changes) == EventLog.changesJSONReference(changes))
        }
        var rng = SeededRandom(seed: 7)
        let pieces = ["a", "\"", "\\", "/", "\n", "\r", "\t", "\u{08}", "\u{0C}", "\u{01}", "\u{1F}", "\u{7F}", "Đường", "\u{2028}", "🇻🇳", "e\u{0301}", ""]
        for _ in 0..<2000 {
            var changes: [String: FieldChange] = [:]
            for _ in 0..<rng.int(0...4) {
                func text() -> String? { rng.chance(0.2) ? nil : (0..<rng.int(0...6)).map { _ in rng.pick(pieces) }.joined() }
                changes[rng.pick(["status", "unit_id", "reply", "due_at", "a_b", "ab", "note"])] = FieldChange(before: text(), after: text())
            }
            let json = EventLog.changesJSON(changes)
            #expect(try JSONDecoder().decode([String: FieldChange].self, from: Data(json.utf8)) == changes, "\(json)")
        }
    }
}
