import CZlib
import Foundation
import GRDB
import PaknCore
import Testing
@testable import PaknDemo
@testable import PaknStore

/// Stored text (`PackedText`): pakn writes plain text (`v6-plain-text`); the deflated form
/// versions v4–v5 wrote still reads back byte for byte (backups of those versions).
@Suite struct PackedTextTests {
    /// The form v4–v5 stored for `text`, read back; with whether it was compressed.
    static func roundTrip(_ text: String) throws -> (back: String, packed: Bool, stored: Int) {
        let v = PackedText.deflated(text) ?? text.databaseValue
        let back = try #require(try PackedText.text(v, "test"))
        if case let .blob(d) = v.storage { return (back, true, d.count) }
        return (back, false, text.utf8.count)
    }

    /// Byte for byte: Swift's `==` on strings would take NFD for NFC.
    static func expectSame(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let r = try roundTrip(text)
        #expect(Array(r.back.utf8) == Array(text.utf8), "\(text.prefix(80))", sourceLocation: sourceLocation)
        #expect(r.stored <= max(text.utf8.count, 1), sourceLocation: sourceLocation)
    }

    static let vietnamese = "Đề nghị Ủy ban nhân dân Phường Hoàn Kiếm kiểm tra, xử lý việc lấn chiếm vỉa hè trước số 12 phố Hàng Bài."

    @Test func theFrozenDictionaryIsTheOneShipped() throws {
        let bytes = [UInt8](try BundledData.data(PackedText.dictionaryV1Name))
        #expect(SHA256.hex(bytes) == PackedText.dictionaryV1SHA256, "text-dictionary-v1.txt must never change")
        #expect(try #require(PackedText.dictionaryV1).count == bytes.count)
    }

    @Test func everyKindOfTextReadsBackExactly() throws {
        let nfd = Self.vietnamese.decomposedStringWithCanonicalMapping
        #expect(Array(nfd.utf8) != Array(Self.vietnamese.utf8))
        let texts = [
            "", "x", "{}", "Đ", "🇻🇳", Self.vietnamese, nfd, String(repeating: nfd, count: 20),
            "Ngập 👨‍👩‍👧‍👦 nước 🌧️🌊 và e\u{0301} \u{0000} NUL, \u{FEFF} BOM, \u{202E} RTL",
            String(repeating: "a", count: 100_000),            // runs: matches at distance 1, length 258
            String(repeating: "Hà Nội ", count: 9_000),         // beyond the 32 KB window
            EventLog.changesJSON(["reply": FieldChange(before: nil, after: Self.vietnamese), "status": FieldChange(before: "in_progress", after: "resolved")]),
            String(decoding: [UInt8](try BundledData.data(PackedText.dictionaryV1Name)), as: UTF8.self),
        ]
        for t in texts { try Self.expectSame(t) }
    }

    @Test func textThatDoesNotCompressIsStoredAsText() throws {
        var rng = SeededRandom(seed: 42)
        // Scalars from all over Unicode: nothing to match.
        let noise = String(String.UnicodeScalarView((0..<400).map { _ in Unicode.Scalar(UInt32(rng.int(0x4E00...0x9FFF)))! }))
        let r = try Self.roundTrip(noise)
        #expect(!r.packed)
        #expect(Array(r.back.utf8) == Array(noise.utf8))
        #expect(PackedText.deflated("ngắn") == nil, "too short to pack")
    }

    @Test func newTextIsStoredPlain() {
        for t in ["", "ngắn", Self.vietnamese, String(repeating: Self.vietnamese, count: 50)] {
            #expect(PackedText.pack(t) == t.databaseValue)
            #expect(PackedText.pack(utf8: Array(t.utf8)) == t.databaseValue)
        }
    }

    @Test func aBodyAndAnEventAreStoredSmallerThanTheirText() throws {
        let body = Self.vietnamese + " Đề nghị cơ quan chức năng sớm kiểm tra, xử lý dứt điểm, trả lại lòng đường cho người đi bộ."
        let b = try Self.roundTrip(body)
        #expect(b.packed && b.stored < body.utf8.count)
        let intake = #"{"category":{"after":"urban_order"},"complex":{"after":"0"},"deadline":{"after":"feedback-local working 2026-11-20 +10 ext 0/0 paused 0"},"due_at":{"after":"2026-12-04T23:59:59+07:00"},"kind":{"after":"feedback"},"status":{"after":"received"},"unit_id":{"after":"3"}}"#
        let e = try Self.roundTrip(intake)
        #expect(e.packed && e.stored * 4 < intake.utf8.count)
    }

    /// Random texts of Vietnamese, JSON and awkward pieces.
    @Test func randomTextsReadBack() throws {
        var rng = SeededRandom(seed: 9)
        let pieces = ["Phường ", "Ủy ban nhân dân ", "\"", "\\", "\n", "đường ống", "e\u{0301}", "😀", "{\"after\":\"", "0", "12",
                      "ngập", "Trân trọng cảm ơn ông/bà.", " ", "\u{1F}", "ﷺ", "𝔸", "các", "x"]
        for _ in 0..<1500 {
            let t = (0..<rng.int(0...120)).map { _ in rng.pick(pieces) }.joined()
            try Self.expectSame(t)
        }
    }

    /// The format is plain raw deflate: what zlib itself writes with the dictionary reads
    /// back too, and pakn's encoder is about as small as zlib's best level.
    @Test func theFormatIsZlibsRawDeflate() throws {
        let dict = [UInt8](try BundledData.data(PackedText.dictionaryV1Name))
        func zlib(_ text: String) -> [UInt8] {
            let input = Array(text.utf8)
            var out = [UInt8](repeating: 0, count: input.count * 2 + 64)
            let n = pakn_deflate_raw(dict, UInt32(dict.count), input, UInt(input.count), &out, UInt(out.count))
            return Array(out[0..<max(0, n)])
        }
        let texts = try BundledData.templates().map(\.body) + [Self.vietnamese, String(repeating: "Hà Nội ", count: 9_000)]
        var ours = 0, theirs = 0
        for (i, t) in texts.enumerated() {
            let z = zlib(t)
            #expect(!z.isEmpty)
            let back = try PackedText.text(Data([PackedText.deflateV1] + z).databaseValue, "zlib")
            #expect(back.map { Array($0.utf8) } == Array(t.utf8))
            // Sizes of ordinary text only: on a long repetitive text zlib's dynamic Huffman
            // codes win (one fixed block is all pakn writes).
            if i < texts.count - 1 {
                theirs += z.count + 1
                ours += try Self.roundTrip(t).stored
            }
        }
        // pakn tries fewer candidates per position than zlib -9 (8 in the text, 8 in the
        // dictionary, against zlib's 4096), which costs most on text copied whole from the
        // dictionary, as these templates are: about 17 bytes a template against zlib's 11.
        #expect(Double(ours) <= Double(theirs) * 1.75, "pakn \(ours) bytes, zlib -9 \(theirs)")
    }

    /// pakn reads its own streams in place (`FixedInflater`); zlib reads the same bytes
    /// the same way, damaged ones included: both give the same text, or both refuse.
    @Test func theInPlaceReaderAgreesWithZlib() throws {
        let dict = try #require(PackedText.dictionaryV1)
        func read(_ z: [UInt8], zlib: Bool) -> [UInt8]?? {
            z.withUnsafeBufferPointer { zin in
                var out = [UInt8](repeating: 0, count: 1 << 20)
                let n = out.withUnsafeMutableBufferPointer { o -> Int?? in
                    do {
                        if zlib { return .some(try PackedText.zlibInflate(zin, dictionary: dict, into: o.baseAddress!, capacity: o.count)) }
                        guard let n = try FixedInflater.decode(zin, dict: dict, into: o.baseAddress!, capacity: o.count) else { return .none }
                        return .some(n)
                    } catch {
                        return .some(nil)
                    }
                }
                return n.map { $0.map { Array(out[0..<$0]) } }
            }
        }
        var rng = SeededRandom(seed: 11)
        let pieces = ["Phường ", "Ủy ban nhân dân ", "\"", "{\"after\":\"", "đường ống", "e\u{0301}", "😀", "0", "12", " ", "x", "ngập"]
        var checked = 0, refused = 0
        for round in 0..<600 {
            let text = round == 0 ? "" : (0..<rng.int(1...80)).map { _ in rng.pick(pieces) }.joined()
            let z = Array(text.utf8).withUnsafeBufferPointer { DeflateEncoder.encode($0, dict: dict) }
            #expect(read(z, zlib: false) == .some(Array(text.utf8)))
            #expect(read(z, zlib: true) == .some(Array(text.utf8)))
            // The same stream damaged: a flipped bit, a byte cut off, a byte added.
            for _ in 0..<4 {
                var bad = z
                switch rng.int(0...2) {
                case 0: bad[rng.int(0...(bad.count - 1))] ^= UInt8(1 << rng.int(0...7))
                case 1: bad.removeLast()
                default: bad.append(UInt8(rng.int(0...255)))
                }
                guard !bad.isEmpty, let ours = read(bad, zlib: false) else { continue }
                #expect(ours == read(bad, zlib: true), "\(bad)")
                checked += 1
                if ours == nil { refused += 1 }
            }
        }
        #expect(checked > 1000 && refused > 100)
    }

    @Test func damagedOrUnknownDataIsATypedError() throws {
        let good = try #require(PackedText.deflated(Self.vietnamese))
        guard case var .blob(d) = good.storage else { Issue.record("not packed"); return }
        d[0] = 9   // a format that does not exist
        #expect(throws: StoreError.unreadableText("case 1 body")) { try PackedText.text(d.databaseValue, "case 1 body") }
        for bad in [Data(), Data([1]), Data([1, 0x07]), Data([1] + [UInt8](repeating: 0xFF, count: 40))] {
            #expect(throws: StoreError.unreadableText("x")) { try PackedText.text(bad.databaseValue, "x") }
        }
        #expect(StoreError.unreadableText("event 7 changes").text(.vi).contains("event 7 changes"))
        #expect(StoreError.unreadableText("event 7 changes").text(.en).contains("cannot be read"))
    }

    /// A damaged stored value breaks the chain at its event; the history refuses to show it.
    @Test func aDamagedEventIsNamedByTheChainCheck() throws {
        let db = try Fixtures.demo()
        try TrustFixtures.dropGuards(db)
        let caseId = try db.pool.write { d -> Int64 in
            try d.execute(sql: "UPDATE event SET changes = x'01ff00' WHERE id = 40")
            return try Int64.fetchOne(d, sql: "SELECT case_id FROM event WHERE id = 40")!
        }
        #expect(try db.checkChain().problem == .altered(id: 40))
        #expect(try db.verifyChain().firstBroken?.id == 40)
        let code = try db.pool.read { try String.fetchOne($0, sql: "SELECT code FROM pakn_case WHERE id = ?", arguments: [caseId])! }
        #expect(throws: StoreError.unreadableText("event 40 changes")) {
            _ = try db.history(caseRef: code, viewer: try Fixtures.official(db, "taphuan"))
        }
    }

    /// The hash covers the text, not the stored bytes: the same text stored plain verifies.
    @Test func theHashCoversTheTextNotTheBytes() throws {
        let db = try Fixtures.demo()
        try TrustFixtures.dropGuards(db)
        try db.pool.write { d in
            for r in try Row.fetchAll(d, sql: "SELECT * FROM event WHERE id <= 30") {
                let (e, changes) = try EventLog.stored(r)
                try d.execute(sql: "UPDATE event SET changes = ?, note = ? WHERE id = ?", arguments: [changes, e.note, e.id])
            }
        }
        let kinds = try db.pool.read { try String.fetchAll($0, sql: "SELECT DISTINCT typeof(changes) FROM event WHERE id <= 30") }
        #expect(kinds == ["text"])
        #expect(try db.checkChain().ok)
        #expect(try db.checkConsistency().ok)
    }
}

/// The bulk writer's shortcuts write what the general code would.
@Suite struct BulkShortcutTests {
    /// The hash's input, written straight into a buffer, is the previous hash and the
    /// UTF-8 of `EventLog.canonical` (which must never change).
    @Test func theHashInputIsThePreviousHashAndTheCanonicalText() throws {
        let db = try Fixtures.demo()
        let stored = try db.pool.read { try Row.fetchAll($0, sql: "SELECT * FROM event ORDER BY id").map(EventLog.stored) }
        #expect(stored.count > 100)
        var rng = SeededRandom(seed: 3)
        for (e, changes) in stored {
            let prev = (0..<32).map { _ in UInt8(rng.int(0...255)) }
            var draft = e.draft
            if rng.chance(0.3) { draft.note = rng.pick(["", "Đề nghị bổ sung", "e\u{0301}\u{1F}x", "🇻🇳"]) }
            let reference = prev + Array(EventLog.canonical(id: e.id, draft: draft, changes: changes).utf8)
            #expect(EventLog.hashInput(prev: prev, id: e.id, draft: draft, changes: changes) == reference)
        }
    }
}

/// The chains' SHA-256 (the CPU's SHA instructions where it has them) is the portable one.
@Suite struct ChainHashTests {
    @Test func theDigestIsTheSameAsThePortableOnesForEveryLength() {
        var rng = SeededRandom(seed: 5)
        for n in Array(0...300) + [447, 448, 511, 512, 513, 4096, 70_000] {
            let bytes = (0..<n).map { _ in UInt8(rng.int(0...255)) }
            #expect(ChainHash.digest(bytes) == SHA256.digest(bytes), "\(n) bytes (hardware: \(ChainHash.hardware))")
        }
        #expect(SHA256.toHex(ChainHash.digest(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}

/// An event's statuses are stored as they are (`v6-plain-text`); the empty strings v4–v5
/// wrote for a status the changes already record still read back (`EventLog.statuses`).
@Suite struct EventStatusStorageTests {
    @Test func everyStatusPairReadsBack() {
        let statuses: [CaseStatus?] = [nil] + CaseStatus.allCases.map { $0 }
        for from in statuses {
            for to in statuses {
                for recorded in [true, false] {
                    var changes: [String: FieldChange] = ["unit_id": FieldChange(before: "3", after: "4")]
                    if recorded && from != to { changes["status"] = FieldChange(before: from?.rawValue, after: to?.rawValue) }
                    let e = EventDraft(caseId: 1, at: Fixtures.now, actorId: 1, action: .route, fromStatus: from, toStatus: to, changes: changes)
                    let stored = EventLog.storedStatuses(e)
                    #expect(stored.from == from?.rawValue && stored.to == to?.rawValue)
                    let back = EventLog.statuses(from: stored.from, to: stored.to, changes: changes)
                    #expect(back.0 == from && back.1 == to, "\(String(describing: from)) → \(String(describing: to))")
                    // The v4–v5 form.
                    let old: (String?, String?) = recorded && from != to && to != nil ? ("", "")
                        : (to != nil && from == to ? ("", to?.rawValue) : (from?.rawValue, to?.rawValue))
                    let oldBack = EventLog.statuses(from: old.0, to: old.1, changes: changes)
                    #expect(oldBack.0 == from && oldBack.1 == to, "v5 form \(String(describing: from)) → \(String(describing: to))")
                }
            }
        }
    }

    @Test func theHistoryShowsTheStatusesAndAnEditedOneBreaksTheChain() throws {
        let db = try Fixtures.demo()
        let (stored, empty) = try db.pool.read { d in
            (try Row.fetchAll(d, sql: "SELECT * FROM event ORDER BY id").map(EventLog.stored),
             try Int.fetchOne(d, sql: "SELECT count(*) FROM event WHERE from_status = ''")!)
        }
        #expect(empty == 0, "every event stores both its statuses")
        for (e, _) in stored where e.action == .route { #expect(e.toStatus == .routed && e.fromStatus != nil) }
        let intake = try #require(stored.first { $0.event.action == .intake }?.event)
        #expect(intake.fromStatus == nil && intake.toStatus == .received)
        try TrustFixtures.dropGuards(db)
        let id = try #require(stored.first { $0.event.action == .assign }?.event.id)
        try db.pool.write { try $0.execute(sql: "UPDATE event SET from_status = 'closed' WHERE id = ?", arguments: [id]) }
        #expect(try db.checkChain().problem == .altered(id: id))
    }
}

/// A reply is in the event that records it (the history) and, as plain data, in the case's
/// row (`v6-plain-text`); `audit verify --full` checks the two agree.
@Suite struct ReplyStorageTests {
    static let first = "Đơn vị đã thu dọn rác tại số 45 phố Huế. Trân trọng cảm ơn ông/bà."
    static let second = "Bổ sung: đơn vị đã kiểm tra lại và lắp biển cấm đổ rác."

    static func replied(_ db: AppDatabase) throws -> (Case, clerk: Official, handler: Official) {
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        let handler = try Fixtures.official(db, "canbo.hoankiem.kt")
        let c = try db.intake(Fixtures.draft(), by: clerk, at: Fixtures.now)
        try db.perform(.assign(officialId: handler.id), on: c.code, by: clerk, at: Fixtures.now)
        let done = try db.perform(.reply(text: first), on: c.code, by: handler, at: Fixtures.now.addingTimeInterval(3600))
        return (done, clerk, handler)
    }

    static func column(_ db: AppDatabase, _ c: Case) throws -> String? {
        try db.pool.read { try String.fetchOne($0, sql: "SELECT reply FROM pakn_case WHERE id = ?", arguments: [c.id]) }
    }

    static func replyEvents(_ db: AppDatabase, _ c: Case) throws -> [FieldChange] {
        try db.pool.read { try EventLog.history($0, caseId: c.id) }.compactMap { $0.changes["reply"] }
    }

    @Test func theReplyIsInItsEventAndItsRowAndEveryReaderSeesIt() throws {
        let db = try Fixtures.demo()
        let (c, _, _) = try Self.replied(db)
        #expect(c.reply == Self.first)
        #expect(try Self.column(db, c) == Self.first, "the row holds the reply, for any tool to read")
        #expect(try Self.replyEvents(db, c) == [FieldChange(before: nil, after: Self.first)])
        let sup = try Fixtures.official(db, "lanhdao.hoankiem")
        #expect(try db.resolveCase(c.code).reply == Self.first)
        #expect(try db.detail(caseRef: c.code, viewer: sup, now: Fixtures.now).case.reply == Self.first)
        var exported: [ExportRecord] = []
        try db.exportCases(ExportRequest(), by: sup, at: Fixtures.now) { exported.append($0) }
        #expect(exported.first { $0.case.id == c.id }?.case.reply == Self.first)
        let admin = try Fixtures.official(db, "admin")
        let report = try db.citizenExport(CitizenQuery(phone: "0987654321"), reason: "Đơn yêu cầu", by: admin, at: Fixtures.now)
        #expect(report.held.first { $0.case.id == c.id }?.case.reply == Self.first)
        #expect(try db.checkConsistency().ok)
    }

    /// Reopened by a low rating and answered again: both answers stay in the history, the
    /// case shows the latest, and an unchanged second answer still reads right.
    @Test func aReopenedCaseKeepsEveryReplyInItsHistory() throws {
        let db = try Fixtures.demo()
        let (c, clerk, handler) = try Self.replied(db)
        let rated = try db.perform(.rate(Rating(score: 1, reasons: [.notResolved])), on: c.code, by: clerk, at: Fixtures.now.addingTimeInterval(7200))
        #expect(rated.status == .inProgress)
        #expect(try db.resolveCase(c.code).reply == Self.first, "a reopened case still shows its last answer")
        let again = try db.perform(.reply(text: Self.second), on: c.code, by: handler, at: Fixtures.now.addingTimeInterval(9000))
        #expect(again.reply == Self.second)
        #expect(try db.resolveCase(c.code).reply == Self.second)
        #expect(try Self.replyEvents(db, c) == [FieldChange(before: nil, after: Self.first), FieldChange(before: Self.first, after: Self.second)])
        // The same words a third time: the event changes no reply, the case still has it.
        try db.perform(.reopen(reason: "Công dân phản ánh lại"), on: c.code, by: clerk, at: Fixtures.now.addingTimeInterval(9500))
        try db.perform(.reply(text: Self.second), on: c.code, by: handler, at: Fixtures.now.addingTimeInterval(9800))
        #expect(try Self.replyEvents(db, c).count == 2)
        #expect(try db.resolveCase(c.code).reply == Self.second)
        #expect(try Self.column(db, c) == Self.second)
        #expect(try db.checkConsistency().ok)
        // A row's reply edited outside pakn no longer matches its history.
        try TrustFixtures.dropGuards(db)
        try db.pool.write { try $0.execute(sql: "UPDATE pakn_case SET reply = 'Đã xử lý xong.' WHERE id = ?", arguments: [c.id]) }
        #expect(try db.checkConsistency().replayMismatches == [c.code])
        #expect(try db.checkChain().ok)
    }
}

/// Every path a keyset page and a history is read by uses an index, after the indexes
/// became partial (`v4-compact-storage`).
@Suite struct CompactIndexTests {
    static func plan(_ d: Database, _ sql: String, _ args: [DatabaseValueConvertible?]) throws -> String {
        try Row.fetchAll(d, sql: "EXPLAIN QUERY PLAN " + sql, arguments: StatementArguments(args))
            .map { $0["detail"] as String }.prefix { $0 != "SCAN page" }.joined(separator: " | ")
    }

    /// The status indexes hold open and resolved cases only; a list of any other status
    /// (or of several) reads the urgency index of its scope in order instead.
    @Test func everyStatusListReadsAnIndexInOrder() throws {
        let db = try Fixtures.demo()
        try db.pool.write { try BulkCaseWriter.analyze($0) }
        let ref = try db.reference()
        try db.pool.read { d in
            let partial = try String.fetchAll(d, sql: "SELECT sql FROM sqlite_schema WHERE name IN ('case_status_due', 'case_unit_status')")
            #expect(partial.count == 2 && partial.allSatisfy { $0.contains("WHERE") && !$0.contains("'closed'") })
            for login in BenchQueryTests.logins {
                let me = try #require(try OfficialStore.byLogin(d, login))
                let sets: [[CaseStatus]] = CaseStatus.allCases.map { [$0] } + [[.closed, .rejected], [.received, .routed], [.received, .closed]]
                for statuses in sets {
                    for after in [nil, QueueCursor(key: 1e9, id: 50)] {
                        let q = QueueQuery(filter: QueueFilter(statuses: statuses, unitSubtree: me.unitId), after: after, limit: 100)
                        let (sql, args, _) = try CaseQueries.pageSQL(d, q, now: Fixtures.now, ref: ref)
                        let p = try Self.plan(d, sql, args)
                        #expect(!p.contains("TEMP B-TREE") && !p.contains("SCAN pakn_case"), "\(login) \(statuses): \(p)")
                    }
                    // And the rows are the ones a plain filter gives.
                    let rows = try CaseQueries.page(d, QueueQuery(filter: QueueFilter(statuses: statuses, unitSubtree: me.unitId), limit: 10_000),
                                                    now: Fixtures.now, ref: ref)
                    #expect(rows.allSatisfy { statuses.contains($0.status) })
                    #expect(rows.count == (try CaseQueries.count(d, QueueFilter(statuses: statuses, unitSubtree: me.unitId), now: Fixtures.now, ref: ref)))
                }
            }
        }
    }

    @Test func aHistoryIsReadInOrderFromTheEventIndex() throws {
        let db = try Fixtures.demo()
        try db.pool.read { d in
            for sql in ["SELECT * FROM event WHERE case_id = ? ORDER BY id", "SELECT id, changes FROM event WHERE case_id = ? ORDER BY id DESC"] {
                let p = try Self.plan(d, sql, [5])
                #expect(p.contains("event_case") && !p.contains("TEMP B-TREE"), "\(p)")
            }
        }
    }
}
