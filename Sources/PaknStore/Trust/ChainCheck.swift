import Foundation
import GRDB
import PaknCore

/// The result of walking one hash chain (the case events, or the access log).
public struct ChainCheck: Equatable, Sendable {
    public enum Chain: String, Sendable { case events, access }

    public enum Problem: Equatable, Sendable {
        /// Ids must run 1, 2, 3…: a gap or a repeat means an entry was removed, inserted or moved.
        case gap(id: Int64, expected: Int64)
        /// The stored hash does not match: this entry, or one before it, was altered.
        case altered(id: Int64)
        /// `--against`: the chain never reaches the head kept earlier — history after it
        /// was cut off, or everything was rewritten.
        case headNotFound(head: String, lastId: Int64)
    }

    public var chain: Chain
    /// Entries that verified.
    public var entries: Int
    /// The hash of the last verified entry (all zeros for an empty chain).
    public var head: String
    public var problem: Problem?
    /// With `against`: the id of the entry whose hash it is.
    public var againstId: Int64?
    /// When the broken entry is an intake that fixes its case's facts: that case's code
    /// (its title, body, date, ward, channel, kind, category, address or reporter were
    /// changed outside pakn, or the intake event itself).
    public var factsCase: String?

    public init(chain: Chain, entries: Int, head: String, problem: Problem?, againstId: Int64?, factsCase: String? = nil) {
        self.chain = chain; self.entries = entries; self.head = head; self.problem = problem; self.againstId = againstId
        self.factsCase = factsCase
    }

    public var ok: Bool { problem == nil }

    /// The first entry that does not hold, if any.
    public var firstBrokenId: Int64? {
        switch problem {
        case let .gap(id, _), let .altered(id): id
        case let .headNotFound(_, last): last + 1
        case nil: nil
        }
    }

    public func text(_ lang: Lang) -> String {
        let what = L10n.t("trust.chain.\(chain.rawValue)", lang)
        switch problem {
        case nil:
            if let a = againstId { return L10n.t("trust.chain.ok_against", lang, what, entries, head, a) }
            return L10n.t("trust.chain.ok", lang, what, entries, head)
        case let .gap(id, expected): return L10n.t("trust.chain.gap", lang, what, id, expected)
        case let .altered(id):
            if let code = factsCase { return L10n.t("trust.chain.facts_altered", lang, what, id, code) }
            return L10n.t("trust.chain.altered", lang, what, id)
        case let .headNotFound(h, last): return L10n.t("trust.chain.head_missing", lang, what, h, last)
        }
    }
}

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

/// Everything `pakn audit verify --full` and a backup's verification check.
public struct ConsistencyReport: Equatable, Sendable {
    /// `PRAGMA integrity_check` lines; `["ok"]` when sound.
    public var integrity: [String]
    public var foreignKeyViolations: Int
    public var events: ChainCheck
    public var access: ChainCheck
    public var cases: Int
    /// Cases whose stored state differs from the replay of their events (codes, at most 20).
    public var replayMismatches: [String]
    /// Cases with no intake event (codes, at most 20): a half-written case.
    public var withoutIntake: [String]
    /// Rows of the covered administrative tables (officials, units, aliases, deadline rules,
    /// calendar days, settings) that are not what the access chain says (`Facts`).
    public var facts: [FactDifference] = []

    public var ok: Bool {
        integrity == ["ok"] && foreignKeyViolations == 0 && events.ok && access.ok
            && replayMismatches.isEmpty && withoutIntake.isEmpty && facts.isEmpty
    }

    /// At most this many changed rows are named one by one; the rest are counted.
    public static let factLines = 20

    /// One line per problem, or one line saying it is sound.
    public func lines(_ lang: Lang, chains: Bool = true) -> [String] {
        var out: [String] = []
        if integrity != ["ok"] { out.append(L10n.t("trust.check.integrity", lang, integrity.prefix(5).joined(separator: "; "))) }
        if foreignKeyViolations > 0 { out.append(L10n.t("trust.check.foreign_keys", lang, foreignKeyViolations)) }
        if chains { out += [events.text(lang), access.text(lang)] }
        if !replayMismatches.isEmpty { out.append(L10n.t("trust.check.replay", lang, replayMismatches.joined(separator: ", "))) }
        if !withoutIntake.isEmpty { out.append(L10n.t("trust.check.no_intake", lang, withoutIntake.joined(separator: ", "))) }
        out += facts.prefix(Self.factLines).map { $0.text(lang) }
        if facts.count > Self.factLines { out.append(L10n.t("trust.facts.more", lang, facts.count - Self.factLines)) }
        if ok { out.append(L10n.t("trust.check.ok", lang, cases)) }
        return out
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
