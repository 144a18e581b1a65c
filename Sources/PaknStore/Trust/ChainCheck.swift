import Foundation
import GRDB
import PaknCore

/// Walks a chain entry by entry: ids in order from 1, each hash over the previous one.
struct ChainWalker {
    let chain: ChainCheck.Chain
    let against: String?
    var prev = EventLog.genesis
    var expectedId: Int64 = 1
    var n = 0
    var problem: ChainCheck.Problem?
    var againstId: Int64?
    var factsCase: String?

    init(_ chain: ChainCheck.Chain, against: String?) {
        self.chain = chain
        self.against = against?.lowercased().trimmingCharacters(in: .whitespaces)
    }

    /// An entry whose stored text does not read back (`PackedText`): altered, or a gap.
    mutating func unreadable(id: Int64) {
        problem = id == expectedId ? .altered(id: id) : .gap(id: id, expected: expectedId)
    }

    /// Checks one entry; false once the chain is broken.
    mutating func step(id: Int64, text: String, stored: [UInt8]) -> Bool {
        guard id == expectedId else {
            problem = .gap(id: id, expected: expectedId)
            return false
        }
        let h = ChainHash.digest(prev + Array(text.utf8))
        guard h == stored else {
            problem = .altered(id: id)
            return false
        }
        prev = h
        expectedId += 1
        n += 1
        if let against, againstId == nil, SHA256.toHex(h) == against { againstId = id }
        return true
    }

    func report() -> ChainCheck {
        var p = problem
        if p == nil, let against, againstId == nil {
            // The genesis "head" of an empty chain is reached by every chain.
            if against != SHA256.toHex(EventLog.genesis) { p = .headNotFound(head: against, lastId: expectedId - 1) }
        }
        return ChainCheck(chain: chain, entries: n, head: SHA256.toHex(prev), problem: p, againstId: againstId, factsCase: factsCase)
    }
}

enum TrustCheck {
    static func eventChain(_ db: Database, against: String? = nil) throws -> ChainCheck {
        var walker = ChainWalker(.events, against: against)
        let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM event ORDER BY id")
        while let r = try cursor.next() {
            guard let (e, changes) = try? EventLog.stored(r) else {
                walker.unreadable(id: r["id"])
                break
            }
            let text = EventLog.canonical(id: e.id, draft: e.draft, changes: changes, facts: try EventLog.storedFacts(db, e.draft))
            if !walker.step(id: e.id, text: text, stored: [UInt8]((r["hash"] as Data?) ?? Data())) {
                if EventLog.coversFacts(e.draft) { walker.factsCase = try CaseRow.fetch(db, id: e.caseId, reply: false)?.code }
                break
            }
        }
        return walker.report()
    }

    static func accessChain(_ db: Database, against: String? = nil) throws -> ChainCheck {
        // A database from before the access log (restored from an old backup) has none.
        guard try db.tableExists("access_log") else { return ChainWalker(.access, against: against).report() }
        return try AccessLog.verify(db, against: against)
    }

    /// Every check, on any connection (the live database or a backup copy).
    static func consistency(_ db: Database) throws -> ConsistencyReport {
        let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
        let fk = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count
        let events = try eventChain(db)
        let access = try accessChain(db)
        var mismatches: [String] = []
        var noIntake: [String] = []
        var cases = 0
        // One pass over the events in case order, alongside the cases in id order.
        let caseCursor = try Row.fetchCursor(db, sql: "SELECT \(CaseRow.columns) FROM pakn_case ORDER BY id")
        let eventCursor = try Row.fetchCursor(db, sql: "SELECT * FROM event ORDER BY case_id, id")
        var pending = try eventCursor.next().map(EventLog.event(from:))
        while let r = try caseCursor.next() {
            var c = try CaseRow.decodeRow(r)
            cases += 1
            var drafts: [EventDraft] = []
            while let e = pending, e.caseId <= c.id {
                if e.caseId == c.id { drafts.append(e.draft) }
                pending = try eventCursor.next().map(EventLog.event(from:))
            }
            // A reply is stored once, in its event (rows from before v4-compact-storage
            // keep a copy in the row, which the replay then checks).
            if c.reply == nil { c.reply = EventLog.currentReply(drafts) }
            if drafts.first?.action != .intake {
                if noIntake.count < 20 { noIntake.append(c.code) }
                continue
            }
            if CaseSnapshot.replay(drafts) != CaseSnapshot.of(c), mismatches.count < 20 { mismatches.append(c.code) }
        }
        return ConsistencyReport(integrity: integrity, foreignKeyViolations: fk, events: events, access: access,
                                 cases: cases, replayMismatches: mismatches, withoutIntake: noIntake,
                                 facts: try Facts.differences(db))
    }
}

extension AppDatabase {
    /// Walks the case-event chain. With `against` (a head printed earlier by `pakn audit
    /// head`), also requires that hash to be some event's hash: a history cut after it, or
    /// rewritten from scratch, is caught.
    func checkChain(against: String? = nil) throws -> ChainCheck {
        try read { try TrustCheck.eventChain($0, against: against) }
    }

    /// Walks the access log's chain.
    func checkAccessChain(against: String? = nil) throws -> ChainCheck {
        try read { try TrustCheck.accessChain($0, against: against) }
    }

    /// Integrity, foreign keys, both chains, every case replayed from its events, and the
    /// administrative tables against the access chain's digests.
    func checkConsistency() throws -> ConsistencyReport {
        try read { try TrustCheck.consistency($0) }
    }
}
