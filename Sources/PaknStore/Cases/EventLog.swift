import Foundation
import GRDB
import PaknCore

/// The append-only, hash-chained history. Each event's hash covers the previous hash and
/// the event's own fields, so altering, removing or reordering one breaks every later link.
package enum EventLog {
    static let genesis = [UInt8](repeating: 0, count: 32)

    /// The changes as JSON with sorted keys, as `JSONEncoder` (`.sortedKeys`,
    /// `.withoutEscapingSlashes`) writes them — written by hand because it runs for every
    /// event of a bulk load (a test compares the two). The hash covers this text as it was
    /// written (stored as it is, or compressed: `PackedText`), so only its validity matters
    /// to old chains, never that it is byte-identical.
    package static func changesJSON(_ changes: [String: FieldChange]) -> String {
        String(decoding: changesJSONBytes(changes), as: UTF8.self)
    }

    /// `changesJSON` as UTF-8 bytes (the bulk writer hashes and packs these).
    static func changesJSONBytes(_ changes: [String: FieldChange]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(96 + changes.values.reduce(0) { $0 + ($1.after?.utf8.count ?? 0) + ($1.before?.utf8.count ?? 0) })
        for (i, (key, c)) in changes.sorted(by: { $0.key < $1.key }).enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            jsonString(key, into: &out)
            out.append(contentsOf: ":{".utf8)
            if let a = c.after { out.append(contentsOf: "\"after\":".utf8); jsonString(a, into: &out) }
            if let b = c.before {
                out.append(contentsOf: (c.after == nil ? "\"before\":" : ",\"before\":").utf8)
                jsonString(b, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// A JSON string: runs that need no escape are copied whole.
    static func jsonString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { p in
            var start = 0
            for i in 0..<p.count {
                let b = p[i]
                guard b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<i]))
                start = i + 1
                switch b {
                case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
                case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
                case 0x0A: out.append(contentsOf: "\\n".utf8)
                case 0x0D: out.append(contentsOf: "\\r".utf8)
                case 0x09: out.append(contentsOf: "\\t".utf8)
                case 0x08: out.append(contentsOf: "\\b".utf8)
                case 0x0C: out.append(contentsOf: "\\f".utf8)
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: "\\u00".utf8)
                    out.append(hex[Int(b >> 4)])
                    out.append(hex[Int(b & 15)])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<p.count]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// What `changesJSON` must equal (kept for the test).
    static func changesJSONReference(_ changes: [String: FieldChange]) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: enc.encode(changes), as: UTF8.self)) ?? "{}"
    }

    /// The text a hash covers: the fields as text, with `changes` and `note` as they read
    /// back (`PackedText.text`), never their stored bytes, so compression changes no hash.
    /// Changing this breaks every existing chain: don't.
    ///
    /// An intake event written from `v5` on carries `"facts": {"after": "v1"}` in its changes,
    /// and its hash covers the facts of the case as well (`facts(_:)`: title, body, when it
    /// was received, ward, channel, kind, category, address, reporter id, anonymity), read
    /// from the case row: editing any of them breaks the intake event's link. Intake events
    /// written before have no marker and hash as they always did.
    static func canonical(id: Int64, draft e: EventDraft, changes: String, facts: String? = nil) -> String {
        var fields = [String(id), String(e.caseId), String(CaseRow.secs(e.at)), String(e.actorId), e.action.rawValue,
                      e.fromStatus?.rawValue ?? "", e.toStatus?.rawValue ?? "", e.note ?? "", changes]
        if let facts { fields.append(facts) }
        return fields.joined(separator: "\u{1F}")
    }

    /// The key an intake event's changes carry when its hash covers the case's facts.
    static let factsKey = "facts"
    static let factsVersion = "v1"

    /// Whether a stored event's hash covers its case's facts.
    static func coversFacts(_ e: EventDraft) -> Bool { e.action == .intake && e.changes[factsKey]?.after == factsVersion }

    /// Marks a new intake event as covering its case's facts.
    static func coveringFacts(_ e: EventDraft) -> EventDraft {
        var e = e
        e.changes[factsKey] = FieldChange(before: nil, after: factsVersion)
        return e
    }

    /// The facts of a case an intake event fixes, as text. Changing this breaks chains.
    static func facts(_ c: Case) -> String {
        [c.title, c.body, String(CaseRow.secs(c.receivedAt)), c.wardId.map(String.init) ?? "", c.channel.rawValue,
         c.kind.rawValue, c.category, c.address ?? "", c.reporterId.map(String.init) ?? "", c.anonymous ? "1" : "0",
         c.confidential ? "1" : "0"].joined(separator: "\u{1F}")
    }

    /// The facts an event's hash covers as its case row holds them now (nil: none covered).
    static func storedFacts(_ db: Database, _ e: EventDraft) throws -> String? {
        guard coversFacts(e) else { return nil }
        // A missing or unreadable row gives facts no hash matches.
        return (try? CaseRow.fetch(db, id: e.caseId, reply: false)).flatMap { $0 }.map(facts) ?? "\u{0}missing"
    }

    /// SHA-256 over the previous hash (32 bytes) and the canonical text.
    static func hash(prev: [UInt8], id: Int64, draft: EventDraft, changes: String, facts: String? = nil) -> [UInt8] {
        ChainHash.digest(hashInput(prev: prev, id: id, draft: draft, changesUTF8: Array(changes.utf8), facts: facts))
    }

    /// The previous hash and the UTF-8 of `canonical`, written straight into one buffer (it
    /// runs for every event of a bulk load; a test compares it with `canonical`).
    static func hashInput(prev: [UInt8], id: Int64, draft e: EventDraft, changes: String) -> [UInt8] {
        hashInput(prev: prev, id: id, draft: e, changesUTF8: Array(changes.utf8))
    }

    static func hashInput(prev: [UInt8], id: Int64, draft e: EventDraft, changesUTF8 changes: [UInt8],
                          facts: String? = nil) -> [UInt8] {
        var out = prev
        out.reserveCapacity(prev.count + 96 + (e.note?.utf8.count ?? 0) + changes.count)
        let separator = UInt8(0x1F)
        func add(_ s: String) { out.append(contentsOf: s.utf8) }
        add(String(id)); out.append(separator)
        add(String(e.caseId)); out.append(separator)
        add(String(CaseRow.secs(e.at))); out.append(separator)
        add(String(e.actorId)); out.append(separator)
        add(e.action.rawValue); out.append(separator)
        add(e.fromStatus?.rawValue ?? ""); out.append(separator)
        add(e.toStatus?.rawValue ?? ""); out.append(separator)
        add(e.note ?? ""); out.append(separator)
        out.append(contentsOf: changes)
        if let facts { out.append(separator); add(facts) }
        return out
    }

    static func head(_ db: Database) throws -> (id: Int64, hash: [UInt8])? {
        let stmt = try db.cachedStatement(sql: "SELECT id, hash FROM event ORDER BY id DESC LIMIT 1")
        return try Row.fetchOne(stmt).map { ($0["id"], [UInt8](($0["hash"] as Data))) }
    }

    /// Appends inside the caller's transaction, so the event commits with its change or not at all.
    @discardableResult
    static func append(_ db: Database, _ draft: EventDraft, facts: String? = nil) throws -> Event {
        let prev = try head(db)
        let id = (prev?.id ?? 0) + 1
        let changes = changesJSON(draft.changes)
        let h = hash(prev: prev?.hash ?? genesis, id: id, draft: draft, changes: changes, facts: facts)
        let stmt = try db.cachedStatement(sql: """
            INSERT INTO event(id, case_id, at, actor_id, action, from_status, to_status, note, changes, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let statuses = storedStatuses(draft)
        try stmt.execute(arguments: [id, draft.caseId, CaseRow.secs(draft.at), draft.actorId, draft.action.rawValue,
                                     statuses.from, statuses.to, PackedText.pack(draft.note), PackedText.pack(changes), Data(h)])
        return Event(id: id, draft: draft, hash: SHA256.toHex(h))
    }

    static func event(from r: Row) throws -> Event { try stored(r).event }

    /// An event row read back: the event, and its changes as the text its hash covers.
    static func stored(_ r: Row) throws -> (event: Event, changes: String) {
        let id: Int64 = r["id"]
        let changesText = try PackedText.text(r, "changes", "event \(id) changes")
        let changes = (try? JSONDecoder().decode([String: FieldChange].self, from: Data(changesText.utf8))) ?? [:]
        let (from, to) = statuses(from: r["from_status"], to: r["to_status"], changes: changes)
        let draft = EventDraft(caseId: r["case_id"], at: CaseRow.date(r["at"]), actorId: r["actor_id"],
                               action: ActionName(rawValue: r["action"]) ?? .note, fromStatus: from, toStatus: to,
                               note: try PackedText.optionalText(r, "note", "event \(id) note"), changes: changes)
        return (Event(id: id, draft: draft, hash: SHA256.toHex([UInt8]((r["hash"] as Data?) ?? Data()))), changesText)
    }

    /// How an event's statuses are stored: the statuses themselves (plain data, from
    /// `v6-plain-text` on). Versions v4–v5 wrote an empty string for a status the event
    /// already recorded (`('', '')`: the changes' `status` holds both; `('', to)`: from is
    /// to); `statuses(from:to:changes:)` still reads those, and the migration rewrites them.
    /// The hash covers the statuses themselves (`canonical`).
    static func storedStatuses(_ e: EventDraft) -> (from: String?, to: String?) {
        (e.fromStatus?.rawValue, e.toStatus?.rawValue)
    }

    /// The statuses of a stored event (`storedStatuses` read back).
    static func statuses(from: String?, to: String?, changes: [String: FieldChange]) -> (CaseStatus?, CaseStatus?) {
        let toStatus = to.flatMap(CaseStatus.init(rawValue:))
        guard from == "" else { return (from.flatMap(CaseStatus.init(rawValue:)), toStatus) }
        guard to == "" else { return (toStatus, toStatus) }
        let s = changes["status"]
        return (s?.before.flatMap(CaseStatus.init(rawValue:)), s?.after.flatMap(CaseStatus.init(rawValue:)))
    }

    static func history(_ db: Database, caseId: Int64) throws -> [Event] {
        let stmt = try db.cachedStatement(sql: "SELECT * FROM event WHERE case_id = ? ORDER BY id")
        return try Row.fetchAll(stmt, arguments: [caseId]).map(event(from:))
    }

    /// The case's current reply as its history holds it: the `after` of the latest event
    /// that changed `reply` (nil if none did). New replies are stored only there; the case
    /// row's `reply` column keeps the text only for rows written before migration
    /// `v4-compact-storage` (`CaseRow.decode`).
    static func currentReply(_ db: Database, caseId: Int64) throws -> String? {
        let stmt = try db.cachedStatement(sql: "SELECT id, changes FROM event WHERE case_id = ? ORDER BY id DESC")
        let rows = try Row.fetchCursor(stmt, arguments: [caseId])
        while let r = try rows.next() {
            let id: Int64 = r["id"]
            let text = try PackedText.text(r, "changes", "event \(id) changes")
            // A key is `"reply":{` only outside a string value (a quote inside one is escaped).
            guard text.contains("\"reply\":{") else { continue }
            let changes = (try? JSONDecoder().decode([String: FieldChange].self, from: Data(text.utf8))) ?? [:]
            if let c = changes["reply"] { return c.after }
        }
        return nil
    }

    /// The same from events already read (oldest first).
    static func currentReply(_ events: [EventDraft]) -> String? {
        events.last { $0.changes["reply"] != nil }?.changes["reply"]?.after
    }
}

/// The result of walking the chain.
public struct ChainReport: Equatable, Sendable {
    public var events: Int
    public var head: String
    /// The first event whose hash or link does not hold, with why (in both languages).
    public var firstBroken: (id: Int64, reason: Message)?

    public static func == (a: ChainReport, b: ChainReport) -> Bool {
        a.events == b.events && a.head == b.head && a.firstBroken?.id == b.firstBroken?.id
    }
}

extension AppDatabase {
    /// Recomputes every hash in order. Stops at the first break.
    func verifyChain() throws -> ChainReport {
        try read { db in
            var prev = EventLog.genesis
            var expectedId: Int64 = 1
            var n = 0
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM event ORDER BY id")
            while let r = try cursor.next() {
                let id: Int64 = r["id"]
                // A stored text that does not read back was altered (or damaged) too.
                guard let (e, changes) = try? EventLog.stored(r) else {
                    let reason = id == expectedId ? Message("trust.chain.event_altered") : Message("trust.chain.event_gap", expectedId)
                    return ChainReport(events: n, head: SHA256.toHex(prev), firstBroken: (id, reason))
                }
                if e.id != expectedId {
                    return ChainReport(events: n, head: SHA256.toHex(prev),
                                       firstBroken: (e.id, Message("trust.chain.event_gap", expectedId)))
                }
                let h = EventLog.hash(prev: prev, id: e.id, draft: e.draft, changes: changes,
                                      facts: try EventLog.storedFacts(db, e.draft))
                if SHA256.toHex(h) != e.hash {
                    return ChainReport(events: n, head: SHA256.toHex(prev),
                                       firstBroken: (e.id, Message("trust.chain.event_altered")))
                }
                prev = h
                expectedId += 1
                n += 1
            }
            return ChainReport(events: n, head: SHA256.toHex(prev), firstBroken: nil)
        }
    }

    func chainHead() throws -> String { try read { SHA256.toHex(try EventLog.head($0)?.hash ?? EventLog.genesis) } }
}
