import Foundation
import PaknCore
import PaknStoreAPI
import PostgresNIO

// Cases on the server: the same rows, orders and refusals as the SQLite store
// (Sources/PaknStore/Cases), read through the official's own role, so row-level security
// holds every query to their units whatever it asks.

extension ServerSession {
    /// A case row as `Case`: instants as epoch seconds, days as day ordinals.
    static let caseColumns = """
        c.id, c.code, c.title, c.body, c.kind, c.category, c.channel, c.ward_id, c.address, c.latitude, c.longitude,
        c.reporter_id, c.anonymous, c.confidential, c.unit_id, c.assignee_id, c.status, c.complexity::bigint,
        extract(epoch FROM c.received_at)::bigint, c.rule_id, c.counting, (c.clock_start - date '1970-01-01')::bigint,
        c.clock_days::bigint, c.extended_days::bigint, c.extensions::bigint, c.paused_days::bigint,
        (c.paused_since - date '1970-01-01')::bigint, extract(epoch FROM c.due_at)::bigint, c.master_id, c.reply,
        extract(epoch FROM c.resolved_at)::bigint, extract(epoch FROM c.closed_at)::bigint, c.rating::bigint, c.rating_reasons,
        c.version, extract(epoch FROM c.updated_at)::bigint, c.accept_days::bigint, c.accept_counting,
        (c.accepted_on - date '1970-01-01')::bigint, c.rollover
        """

    static func date(_ secs: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(secs)) }
    static func secs(_ d: Date) -> Int64 { Int64(d.timeIntervalSince1970.rounded(.down)) }

    static func decodeCase(_ r: PostgresRandomAccessRow) throws -> Case {
        let deadline = Deadline(ruleId: try r.str(19), counting: DayCounting(rawValue: try r.str(20)) ?? .working,
                                start: Day(ordinal: Int(try r.int(21))), days: Int(try r.int(22)), extendedDays: Int(try r.int(23)),
                                extensions: Int(try r.int(24)), pausedDays: Int(try r.int(25)),
                                pausedSince: try r.intOpt(26).map { Day(ordinal: Int($0)) },
                                acceptDays: try r.intOpt(36).map { Int($0) },
                                acceptCounting: try r.strOpt(37).flatMap(DayCounting.init(rawValue:)),
                                acceptedOn: try r.intOpt(38).map { Day(ordinal: Int($0)) }, rollover: try r.bool(39))
        let reasons = (try r.strOpt(33) ?? "").split(separator: ",").compactMap { RatingReason(rawValue: String($0)) }
        return Case(id: try r.int(0), code: try r.str(1), title: try r.str(2), body: try r.str(3),
                    kind: CaseKind(rawValue: try r.str(4)) ?? .feedback, category: try r.str(5),
                    channel: Channel(rawValue: try r.str(6)) ?? .web, wardId: try r.intOpt(7), address: try r.strOpt(8),
                    latitude: try r.dbl(9), longitude: try r.dbl(10), reporterId: try r.intOpt(11),
                    anonymous: try r.bool(12), confidential: try r.bool(13), unitId: try r.intOpt(14), assigneeId: try r.intOpt(15),
                    status: CaseStatus(rawValue: try r.str(16)) ?? .received, complexity: Int(try r.int(17)),
                    receivedAt: date(try r.int(18)), deadline: deadline, dueAt: date(try r.int(27)), masterId: try r.intOpt(28),
                    reply: try r.strOpt(29), resolvedAt: try r.intOpt(30).map(date), closedAt: try r.intOpt(31).map(date),
                    rating: try r.intOpt(32).map { Int($0) }, ratingReasons: reasons, version: Int(try r.int(34)),
                    updatedAt: date(try r.int(35)))
    }

    /// A case by code (any case) or id, as row-level security lets the official read it;
    /// nil when there is none or it is outside their units (the server does not say which).
    func fetchCase(_ ref: String, tx: ServerDB.Tx? = nil) throws -> Case? {
        let t = ref.trimmingCharacters(in: .whitespaces)
        // No row lock (`FOR UPDATE` needs an UPDATE privilege officials' roles do not hold):
        // `pakn_case_act` locks the row and refuses a version that moved meanwhile (40001,
        // and the transaction is retried on the row as it is then).
        let code = t.uppercased()
        if !code.isEmpty, code.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || $0 == 0x2D }) {
            // A case code or an id, as every desk step names it: the prepared statement.
            let args = [ServerSchema.literal(code), Int64(t).map(String.init) ?? "NULL"]
            let rows = try tx.map { try $0.prepared(Self.caseByRef, args) } ?? db.prepared(Self.caseByRef, args)
            return try rows.first.map(Self.decodeCase)
        }
        var b = Binds()
        let sql = "SELECT \(Self.caseColumns) FROM pakn_case c WHERE c.code = \(b.add(code)) LIMIT 1"
        let rows = try tx.map { try $0.rows(sql, b) } ?? db.rows(sql, b)
        return try rows.first.map(Self.decodeCase)
    }

    /// A case by code, or by id when the reference is a number (the code wins).
    static let caseByRef = ServerDB.PreparedStatement(name: "pakn_case_by_ref", definition: """
        (text, bigint) AS SELECT \(caseColumns) FROM pakn_case c WHERE c.code = $1 OR c.id = $2
        ORDER BY (c.code = $1) DESC LIMIT 1
        """)

    /// Outside one's units a case reads as unknown; the attempt is recorded in its history
    /// (`pakn_record_refusal`) before the refusal is thrown.
    public func resolveCase(_ ref: String) throws -> Case {
        try recordingRefusal(caseRef: ref) {
            _ = try current()
            guard let c = try fetchCase(ref) else { throw StoreError.outOfScope(login: official.login, code: ref) }
            return c
        }
    }

    public func peekCase(_ ref: String) -> Case? { try? fetchCase(ref) }

    // MARK: Detail and history

    public func history(caseRef: String) throws -> [HistoryEntry] {
        try recordingRefusal(caseRef: caseRef) {
            _ = try current()
            guard let c = try fetchCase(caseRef) else { throw StoreError.outOfScope(login: official.login, code: caseRef) }
            return try history(caseId: c.id)
        }
    }

    static func decodeChanges(_ text: String) -> [String: FieldChange] {
        (try? JSONDecoder().decode([String: FieldChange].self, from: Data(text.utf8))) ?? [:]
    }

    static func encodeChanges(_ changes: [String: FieldChange]) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: enc.encode(changes), as: UTF8.self)) ?? "{}"
    }

    static let duplicatesOfCase = ServerDB.PreparedStatement(name: "pakn_case_duplicates", definition: """
        (bigint) AS SELECT d.id, d.code, d.title, d.status FROM case_link l JOIN pakn_case d ON d.id = l.other_id
        WHERE l.case_id = $1 AND l.kind = 'duplicate' ORDER BY l.other_id
        """)

    static let historyOfCase = ServerDB.PreparedStatement(name: "pakn_case_history", definition: """
        (bigint) AS SELECT e.id, e.case_id, extract(epoch FROM e.at)::bigint, e.actor_id, e.action, e.from_status, e.to_status,
          e.note, e.changes, encode(e.hash, 'hex'), o.full_name
        FROM event e LEFT JOIN official o ON o.id = e.actor_id WHERE e.case_id = $1 ORDER BY e.id
        """)

    func history(caseId: Int64) throws -> [HistoryEntry] {
        let rows = try db.prepared(Self.historyOfCase, [String(caseId)])
        var units: [Int64: String] = [:]
        func unitLabel(_ id: Int64) throws -> String {
            if let u = units[id] { return u }
            let label = try unit(id: id)?.label ?? "#\(id)"
            units[id] = label
            return label
        }
        return try rows.map { r in
            let draft = EventDraft(caseId: try r.int(1), at: Self.date(try r.int(2)), actorId: try r.int(3),
                                   action: ActionName(rawValue: try r.str(4)) ?? .note,
                                   fromStatus: try r.strOpt(5).flatMap(CaseStatus.init(rawValue:)),
                                   toStatus: try r.strOpt(6).flatMap(CaseStatus.init(rawValue:)),
                                   note: try r.strOpt(7), changes: Self.decodeChanges(try r.str(8)))
            let e = Event(id: try r.int(0), draft: draft, hash: try r.str(9))
            var h = HistoryEntry(event: e, actorName: try r.strOpt(10) ?? "#\(e.actorId)")
            if let id = e.changes["assignee_id"]?.after.flatMap({ Int64($0) }) {
                if let o = try official(id: id) {
                    h.assignedTo = o.fullName + " (" + (try unitLabel(o.unitId)) + ")"
                } else {
                    h.assignedTo = "#\(id)"
                }
            }
            if let id = e.changes["unit_id"]?.after.flatMap({ Int64($0) }) { h.sentTo = try unitLabel(id) }
            if let id = e.changes["master_id"]?.after.flatMap({ Int64($0) }) {
                h.mergedInto = try db.one("SELECT code FROM pakn_case WHERE id = \(id)")?.str(0) ?? "#\(id)"
            }
            return h
        }
    }

    /// A case's detail. The reporter as the SQLite store shows it, through
    /// `pakn_case_reporter` (the `reporter` table is not readable by officials' roles on a
    /// server): whole to one who may reveal reporters and handles the case, masked to other
    /// readers; an anonymous or sealed one as such, unsealed only by `revealReporter`.
    public func detail(caseRef: String, reference: ReferenceData?, recording: Bool) throws -> CaseDetail {
        try recordingRefusal(caseRef: caseRef, recording: recording) {
            try unrecordedDetail(caseRef: caseRef, reference: reference)
        }
    }

    func unrecordedDetail(caseRef: String, reference: ReferenceData?) throws -> CaseDetail {
        let ref = try reference ?? self.reference()
        let me = try current()
        guard var c = try fetchCase(caseRef) else { throw StoreError.outOfScope(login: official.login, code: caseRef) }
        var reporter: Reporter? = c.anonymous || c.confidential || c.reporterId != nil
            ? Reporter(id: c.reporterId, anonymous: c.anonymous, confidential: c.confidential) : nil
        var masked = true
        if let rid = c.reporterId, !c.anonymous, !c.confidential,
           let r = try db.one("SELECT name, phone, email, address, national_id, masked FROM pakn_case_reporter(\(c.id))") {
            reporter = Reporter(id: rid, name: try r.strOpt(0), phone: try r.strOpt(1), email: try r.strOpt(2),
                                address: try r.strOpt(3), nationalId: try r.strOpt(4), anonymous: false, confidential: false)
            masked = try r.bool(5)
        }
        let rule = ref.rulebook.rule(id: c.deadline.ruleId)
        let status = DeadlineStatus.of(c.deadline, status: c.status, today: Day(now), calendar: ref.calendar,
                                       dueSoonDays: ref.policy.dueSoonDays)
        let dups = try db.prepared(Self.duplicatesOfCase, [String(c.id)]).map { CaseRef(id: try $0.int(0), code: try $0.str(1), title: try $0.str(2), status: CaseStatus(rawValue: try $0.str(3)) ?? .received) }
        let master = try c.masterId.flatMap { id in
            try db.one("SELECT id, code, title, status FROM pakn_case WHERE id = \(id)").map {
                CaseRef(id: try $0.int(0), code: try $0.str(1), title: try $0.str(2), status: CaseStatus(rawValue: try $0.str(3)) ?? .received)
            }
        }
        let history = try history(caseId: c.id)
        if c.reply == nil { c.reply = history.last { $0.event.changes["reply"] != nil }?.event.changes["reply"]?.after }
        let attachments = try attachments(caseId: c.id)
        let allowed = try inScope(c)
            ? Workflow.allowedActions(for: c).filter { permissions.allows(me.role, Permission.required(for: $0)) } : []
        var detail = CaseDetail(case: c, reporter: reporter, reporterMasked: masked,
                                ward: try c.wardId.flatMap { try unit(id: $0) }, unit: try c.unitId.flatMap { try unit(id: $0) },
                                assignee: try c.assigneeId.flatMap { try official(id: $0) }, rule: rule, deadline: status,
                                attachments: attachments, duplicates: dups, master: master, history: history, allowedActions: allowed)
        detail.calendarWarning = CalendarWarning(dueDay: status.dueDay, calendar: ref.calendar)
        return detail
    }

    // MARK: Queues

    /// A filter held to the official's units (Session.scoped): without a unit, their own;
    /// one naming a unit outside them is refused.
    func scoped(_ f: QueueFilter) throws -> QueueFilter {
        var f = f
        let o = try current()
        guard permissions.allows(o.role, .view) else {
            throw StoreError.permissionDenied(login: o.login, permission: .view, unit: "-")
        }
        // Sent up: handled outside the official's units by definition, sent from within them.
        if let sent = f.sentFromSubtree, sent != o.unitId, try !isWithin(unit: sent, ancestor: o.unitId) {
            let code = try unit(id: sent)?.code ?? "#\(sent)"
            let e = StoreError.unitOutOfScope(login: o.login, unit: code)
            logRefusal(e, what: "list --unit \(code)")
            throw e
        }
        if let id = f.caseId {
            guard try fetchCase(String(id)) != nil else {
                let e = StoreError.outOfScope(login: o.login, code: String(id))
                recordRefusal(e, caseRef: String(id))
                throw e
            }
            return f
        }
        if let u = f.unitSubtree {
            if u != o.unitId, try !isWithin(unit: u, ancestor: o.unitId) {
                let code = try unit(id: u)?.code ?? "#\(u)"
                let e = StoreError.unitOutOfScope(login: o.login, unit: code)
                logRefusal(e, what: "list --unit \(code)")
                throw e
            }
        } else if f.sentFromSubtree == nil {
            f.unitSubtree = o.unitId
        }
        return f
    }

    /// The WHERE clause of a filter (QueueSQL), every value bound.
    func whereSQL(_ f: QueueFilter, _ b: inout Binds, ref: ReferenceData) throws -> String {
        var clauses: [String] = []
        // The one unit or commune the cases are held to, if so (the words' search within it).
        var within: (unit: Int64?, commune: Int64?) = (nil, nil)
        var openOnly = f.openOnly
        var done: Bool?
        if let s = f.statuses, !s.isEmpty {
            clauses.append("c.status IN (" + s.map { "'\($0.rawValue)'" }.joined(separator: ",") + ")")
            let dones = Set(s.map { !$0.isOpen })
            if dones.count == 1 { done = dones.first }
        }
        if let k = f.kind { clauses.append("c.kind = \(b.add(k.rawValue))") }
        if let c = f.category { clauses.append("c.category = \(b.add(c))") }
        // The cases behind a statistics figure (QueueSQL): received, answered or rated in a
        // period, on time or late, by channel, a unit's own cases. (No per-scope
        // received/resolved indexes on the server yet: docs/performance.md §6.)
        if let c = f.channel { clauses.append("c.channel = \(b.add(c))") }
        if let u = f.handledBy { clauses.append("coalesce(c.unit_id, c.ward_id, 0) = \(b.add(u))") }
        if let x = f.receivedFrom { clauses.append("c.received_at >= to_timestamp(\(b.add(Self.secs(x))))") }
        if let x = f.receivedBefore { clauses.append("c.received_at < to_timestamp(\(b.add(Self.secs(x))))") }
        if let x = f.resolvedFrom { clauses.append("c.resolved_at >= to_timestamp(\(b.add(Self.secs(x))))") }
        if let x = f.resolvedBefore { clauses.append("c.resolved_at < to_timestamp(\(b.add(Self.secs(x))))") }
        if let ok = f.resolvedOnTime {
            clauses.append(ok ? "c.resolved_at IS NOT NULL AND c.resolved_at <= c.due_at" : "c.resolved_at > c.due_at")
        }
        if f.ratedFrom != nil || f.ratedBefore != nil {
            var e = ["e.case_id = c.id", "e.action = 'rate'"]
            if let x = f.ratedFrom { e.append("e.at >= to_timestamp(\(b.add(Self.secs(x))))") }
            if let x = f.ratedBefore { e.append("e.at < to_timestamp(\(b.add(Self.secs(x))))") }
            clauses.append("EXISTS (SELECT 1 FROM event e WHERE \(e.joined(separator: " AND ")))")
        }
        if let u = f.unitSubtree, let unit = try unit(id: u) {
            switch unit.level {
            case .centre: break
            case .province: clauses.append("c.province_id = \(b.add(u))")
            case .commune:
                clauses.append("c.commune_id = \(b.add(u))")
                within.commune = u
            case .village, .department:
                // The subtree's units named (most often the department alone): `unit_id = x`
                // lets the server walk the unit's urgency index in order and stop at the
                // page; `unit_id IN (subquery)` read and sorted every case of the unit
                // (0.95 s for a handler's search at a million cases, 15–30 s under load).
                var ub = Binds()
                let ids = try db.rows("SELECT id FROM unit WHERE path ^@ (SELECT path FROM unit WHERE id = \(ub.add(u)))", ub)
                    .map { try $0.int(0) }
                switch ids.count {
                case 0: clauses.append("false")
                case 1:
                    clauses.append("c.unit_id = \(b.add(ids[0]))")
                    within.unit = ids[0]
                default: clauses.append("c.unit_id = ANY(\(b.add(ids)))")
                }
            }
        } else if f.unitSubtree != nil {
            clauses.append("false")
        }
        if let w = f.wardSubtree, let unit = try unit(id: w) {
            switch unit.level {
            case .centre: break
            case .commune: clauses.append("c.ward_id = \(b.add(w))")
            default:
                clauses.append("c.ward_id IN (SELECT id FROM unit WHERE starts_with(path, (SELECT path FROM unit WHERE id = \(b.add(w)))))")
            }
        } else if f.wardSubtree != nil {
            clauses.append("false")
        }
        if let sent = f.sentFromSubtree {
            // Sent away by a unit of the subtree, and handled outside it now (SentUp.clause).
            let path = "(SELECT path FROM unit WHERE id = \(b.add(sent)))"
            clauses.append("""
                c.id IN (SELECT s.case_id FROM case_sent_up s JOIN unit su ON su.id = s.from_unit_id WHERE starts_with(su.path, \(path)))
                AND c.unit_id NOT IN (SELECT id FROM unit WHERE starts_with(path, \(path)))
                """)
        }
        if let id = f.caseId { clauses.append("c.id = \(b.add(id))") }
        if let a = f.assigneeId { clauses.append("c.assignee_id = \(b.add(a))") }
        if f.unassigned { clauses.append("c.assignee_id IS NULL") }
        if f.overdue {
            openOnly = true
            clauses.append("c.status <> 'awaiting_info' AND c.due_at < to_timestamp(\(b.add(Self.secs(now))))")
        }
        var before = f.dueBefore
        if let n = f.dueWithinDays {
            let bound = ref.calendar.add(n, to: Day(now), counting: .working).end
            before = min(before ?? bound, bound)
        }
        if let x = before { openOnly = true; clauses.append("c.due_at <= to_timestamp(\(b.add(Self.secs(x))))") }
        if let a = f.dueAfter { clauses.append("c.due_at >= to_timestamp(\(b.add(Self.secs(a))))") }
        if f.clockRunning { openOnly = true; clauses.append("c.status <> 'awaiting_info'") }
        if f.pausedOnly { openOnly = true; clauses.append("c.status = 'awaiting_info'") }
        var impossible = false
        if f.doneOnly {
            if openOnly || done == false { impossible = true }
            done = true
        }
        if openOnly {
            if done == true { impossible = true }
            done = false
        }
        if let d = done { clauses.append(d ? "c.done" : "NOT c.done") }
        if impossible { clauses.append("false") }
        if let t = f.text, case let words = Self.searchWords(t), let pats = Self.searchPatterns(words) {
            // The words' index first (when every word is plain a-z/0-9, as folded Vietnamese
            // is): it finds the candidates; the patterns keep the exact meaning.
            if let q = Self.searchWordsQuery(words) {
                // A rare word: the cases holding it, found through the index by the server
                // (`pakn_search_ids`, migration `v7-search-ids`); a common one (nil): the
                // words' condition, checked along the queue's order.
                if let ids = try searchIds(words, unit: within.unit, commune: within.commune) {
                    clauses.append("c.id = ANY(\(b.add(ids)))")
                } else {
                    clauses.append("c.words @@ to_tsquery('simple', \(b.add(q)))")
                }
            } else if words.contains(where: { $0.unicodeScalars.contains { !$0.isASCII } }) {
                // A word outside a-z/0-9: the trigram index, which holds only the cases whose
                // text has such a character (migration `v10-write-path`), asked with its own
                // condition.
                clauses.append(Self.otherScriptClause)
            }
            for p in pats { clauses.append("c.search ~ \(b.add(p))") }
        }
        return clauses.isEmpty ? "true" : clauses.joined(separator: " AND ")
    }

    /// The one urgency tier (`tierSQL`) every case of a filter is in, if its statuses or
    /// clocks say so (as `whereSQL` reads them): 0 a running clock, 1 paused (awaiting
    /// information), 2 finished. Such a view's urgency order is (due_at, id), which the
    /// server reads in order from a scope's status or done index (`case_province_status`,
    /// `case_province_due`, …) rather than sorting every case of the view by the tier.
    static func onlyTier(_ f: QueueFilter) -> Int? {
        var tiers: Set<Int> = [0, 1, 2]
        if let s = f.statuses, !s.isEmpty {
            tiers = Set(s.map { !$0.isOpen ? 2 : $0 == .awaitingInfo ? 1 : 0 })
        }
        if f.doneOnly { tiers = tiers.intersection([2]) }
        if f.openOnly || f.overdue || f.dueWithinDays != nil || f.dueBefore != nil || f.clockRunning || f.pausedOnly {
            tiers = tiers.intersection([0, 1])
        }
        if f.overdue || f.clockRunning { tiers = tiers.intersection([0]) }
        if f.pausedOnly { tiers = tiers.intersection([1]) }
        return tiers.count == 1 ? tiers.first : nil
    }

    /// The cases holding `words` (the last a beginning) the official may read, when they
    /// are few (`pakn_search_ids`: the index asked for the whole words, the last checked on
    /// each candidate; within `unit` or `commune` when the queue is held to one), or nil for
    /// common words.
    func searchIds(_ words: [String], unit: Int64? = nil, commune: Int64? = nil) throws -> [Int64]? {
        guard Self.searchWordsQuery(words) != nil else { return nil }
        // The whole words (all but the last, each plain a-z/0-9 as searchWordsQuery checked).
        let whole: String? = words.count > 1 ? words.dropLast().joined(separator: " & ") : nil
        var b = Binds()
        let sql = """
            SELECT pakn_search_ids(to_tsquery('simple', \(b.add(whole))), to_tsquery('simple', \(b.add(words.last! + ":*"))),
                                   \(b.add(searchIdsMax))::integer, \(b.add(unit))::bigint, \(b.add(commune))::bigint)
            """
        return try db.one(sql, b).flatMap { try $0[0].decode([Int64]?.self) }
    }

    /// Every word of what was typed, folded (đ→d), as a whole word of the case's folded
    /// text; the last as a word's beginning (as SQLite's search index matches).
    static func searchPatterns(_ words: [String]) -> [String]? {
        guard !words.isEmpty else { return nil }
        return words.enumerated().map { i, w in
            let escaped = NSRegularExpression.escapedPattern(for: w)
            return i == words.count - 1 ? "\\m" + escaped : "\\m" + escaped + "\\M"
        }
    }

    /// The same words as a text-search query over the words' index (`case_words`):
    /// each word whole, the last a prefix. nil when a word is not plain a-z/0-9 (the index
    /// splits at every other character, and could then miss what the pattern matches).
    /// The partial trigram index's condition on the queue's cases (`c`), word for word as the
    /// index says it (ServerSchema.otherScriptCondition).
    static let otherScriptClause = "c." + ServerSchema.otherScriptCondition

    static func searchWordsQuery(_ words: [String]) -> String? {
        guard !words.isEmpty, words.allSatisfy({ $0.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) } }) else {
            return nil
        }
        return words.enumerated().map { i, w in i == words.count - 1 ? w + ":*" : w }.joined(separator: " & ")
    }

    /// The words of what was typed, folded (đ→d): runs of letters and digits.
    static func searchWords(_ text: String) -> [String] {
        VietnameseFold.fold(text).unicodeScalars.split { !isTokenScalar($0) }.map { String(String.UnicodeScalarView($0)) }
    }

    static func isTokenScalar(_ u: Unicode.Scalar) -> Bool {
        switch u.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber, .privateUse:
            return true
        default:
            return false
        }
    }

    /// The urgency tier (UrgencyTiers): running clocks, then paused ones, then finished.
    static let tierSQL = "(CASE WHEN c.done THEN 2 WHEN c.status = 'awaiting_info' THEN 1 ELSE 0 END)"

    /// The keyset condition after (or before) `cursor` and the ORDER BY of an order.
    /// `tier`: the one urgency tier of every case listed (`onlyTier`), if known.
    static func order(_ order: QueueOrder, after cursor: QueueCursor?, backwards: Bool, tier: Int? = nil,
                      _ b: inout Binds) -> (keyset: String?, order: String) {
        let (cmp, dir) = backwards ? ("<", "DESC") : (">", "ASC")
        let (rcmp, rdir) = backwards ? (">", "ASC") : ("<", "DESC")
        switch order {
        case .urgency:
            // Within one tier the order is (due_at, id); else the tier leads.
            let keyset = cursor.map { c -> String in
                let t = max(0, min(2, Int((c.key / QueueCursor.urgencyTierSpan).rounded(.down))))
                let due = Int64(c.key - Double(t) * QueueCursor.urgencyTierSpan)
                if tier != nil { return "(c.due_at, c.id) \(cmp) (to_timestamp(\(b.add(due))), \(b.add(c.id)))" }
                return "(\(tierSQL), c.due_at, c.id) \(cmp) (\(b.add(Int64(t)))::int, to_timestamp(\(b.add(due))), \(b.add(c.id)))"
            }
            return (keyset, (tier == nil ? "\(tierSQL) \(dir), " : "") + "c.due_at \(dir), c.id \(dir)")
        case .oldest:
            let keyset = cursor.map { "(c.received_at, c.id) \(cmp) (to_timestamp(\(b.add(Int64($0.key)))), \(b.add($0.id)))" }
            return (keyset, "c.received_at \(dir), c.id \(dir)")
        case .newest:
            let keyset = cursor.map { "(c.received_at, c.id) \(rcmp) (to_timestamp(\(b.add(Int64($0.key)))), \(b.add($0.id)))" }
            return (keyset, "c.received_at \(rdir), c.id \(rdir)")
        case .code:
            return (cursor.map { "c.id \(cmp) \(b.add($0.id))" }, "c.id \(dir)")
        }
    }

    public func queue(_ q: QueueQuery, reference: ReferenceData?) throws -> [QueueRow] {
        let ref = try reference ?? self.reference()
        let f = try scoped(q.filter)
        var b = Binds()
        var w = try whereSQL(f, &b, ref: ref)
        let (keyset, order) = Self.order(q.order, after: q.after, backwards: q.backwards, tier: Self.onlyTier(f), &b)
        if let keyset { w += " AND " + keyset }
        let sql = """
            SELECT c.id, c.code, c.title, c.kind, c.category, c.status, c.done, extract(epoch FROM c.received_at)::bigint,
              extract(epoch FROM c.due_at)::bigint, c.rule_id, c.counting, (c.clock_start - date '1970-01-01')::bigint,
              c.clock_days::bigint, c.extended_days::bigint, c.extensions::bigint, c.paused_days::bigint,
              (c.paused_since - date '1970-01-01')::bigint, u.label, w.label, o.full_name, c.accept_days::bigint, c.accept_counting,
              (c.accepted_on - date '1970-01-01')::bigint, c.rollover
            FROM pakn_case c
            LEFT JOIN unit u ON u.id = c.unit_id
            LEFT JOIN unit w ON w.id = c.ward_id
            LEFT JOIN official o ON o.id = c.assignee_id
            WHERE \(w) ORDER BY \(order) LIMIT \(b.add(Int64(q.limit)))
            """
        let today = Day(now)
        var rows = try db.rows(sql, b).map { r -> QueueRow in
            let id = try r.int(0)
            let status = CaseStatus(rawValue: try r.str(5)) ?? .received
            let receivedAt = try r.int(7), dueAt = try r.int(8)
            let deadline = Deadline(ruleId: try r.str(9), counting: DayCounting(rawValue: try r.str(10)) ?? .working,
                                    start: Day(ordinal: Int(try r.int(11))), days: Int(try r.int(12)), extendedDays: Int(try r.int(13)),
                                    extensions: Int(try r.int(14)), pausedDays: Int(try r.int(15)),
                                    pausedSince: try r.intOpt(16).map { Day(ordinal: Int($0)) },
                                    acceptDays: try r.intOpt(20).map { Int($0) },
                                    acceptCounting: try r.strOpt(21).flatMap(DayCounting.init(rawValue:)),
                                    acceptedOn: try r.intOpt(22).map { Day(ordinal: Int($0)) }, rollover: try r.bool(23))
            let ds = DeadlineStatus.of(deadline, status: status, today: today, calendar: ref.calendar, dueSoonDays: ref.policy.dueSoonDays)
            let key: Double
            switch q.order {
            case .urgency: key = QueueCursor.urgencyKey(status: status, dueAt: dueAt)
            case .oldest, .newest: key = Double(receivedAt)
            case .code: key = 0
            }
            var row = QueueRow(id: id, code: try r.str(1), title: try r.str(2), kind: CaseKind(rawValue: try r.str(3)) ?? .feedback,
                               category: try r.str(4), status: status, unitName: try r.strOpt(17), wardName: try r.strOpt(18),
                               assigneeName: try r.strOpt(19), receivedAt: Self.date(receivedAt), dueAt: Self.date(dueAt),
                               deadline: ds, cursor: QueueCursor(key: key, id: id))
            row.calendarWarning = CalendarWarning(dueDay: ds.dueDay, calendar: ref.calendar)
            return row
        }
        if q.backwards { rows.reverse() }
        return rows
    }

    /// The cases of a filter (before `cursor` in `order`), counted up to `cap` (nil: all).
    /// `budget`: the most milliseconds the server may spend counting (the desk's header,
    /// counted when the official pauses: a key typed meanwhile waits for it); past it the
    /// count is "at least 0", capped (the desk shows the rows it holds, with a "+").
    func countCases(_ f: QueueFilter, order: QueueOrder, before cursor: QueueCursor?, cap: Int?, ref: ReferenceData,
                    budget: Int? = nil) throws -> CappedCount {
        if cursor == nil, let n = try counterCount(f) {
            if let cap, n > cap { return CappedCount(count: cap, capped: true) }
            return CappedCount(count: n, capped: false)
        }
        var b = Binds()
        var w = try whereSQL(f, &b, ref: ref)
        if let cursor, let keyset = Self.order(order, after: cursor, backwards: true, tier: Self.onlyTier(f), &b).keyset {
            w += " AND " + keyset
        }
        let limit = cap.map { " LIMIT \($0 + 1)" } ?? ""
        let sql = "SELECT count(*) FROM (SELECT 1 FROM pakn_case c WHERE \(w)\(limit)) x"
        let n: Int
        if let budget {
            guard let rows = try db.rows(within: budget, sql, b) else { return CappedCount(count: 0, capped: true) }
            n = Int(try rows.first?.int(0) ?? 0)
        } else {
            n = Int(try db.one(sql, b)?.int(0) ?? 0)
        }
        if let cap, n > cap { return CappedCount(count: cap, capped: true) }
        return CappedCount(count: n, capped: false)
    }

    public func count(_ f: QueueFilter, reference: ReferenceData?) throws -> Int {
        let ref = try reference ?? self.reference()
        return try countCases(try scoped(f), order: .urgency, before: nil, cap: nil, ref: ref).count
    }

    public func headerCount(_ f: QueueFilter, order: QueueOrder, before cursor: QueueCursor?,
                            reference: ReferenceData?) throws -> (total: CappedCount, before: CappedCount?) {
        let ref = try reference ?? self.reference()
        let f = try scoped(f)
        let cap = HeaderCountCap.cap(for: f)
        let total = try countCases(f, order: order, before: nil, cap: cap, ref: ref, budget: headerCountBudget)
        let before = try cursor.map { c -> CappedCount in
            // The whole list was past the budget: its beginning is left uncounted too.
            if total.capped && total.count == 0 { return CappedCount(count: 0, capped: true) }
            return try countCases(f, order: order, before: c, cap: cap, ref: ref, budget: headerCountBudget)
        }
        return (total, before)
    }

    public func count(_ f: QueueFilter, order: QueueOrder, before cursor: QueueCursor, reference: ReferenceData?) throws -> Int {
        let ref = try reference ?? self.reference()
        return try countCases(try scoped(f), order: order, before: cursor, cap: nil, ref: ref).count
    }

    /// What the counters can count for a scoped filter (one the session's `scoped` passed):
    /// from `case_count`, the open cases of a unit subtree, those overdue and those due
    /// between two instants with their clock running — the desk's plain views — and from
    /// `case_status_total`, every case of the subtree (the "all" view) or those in some
    /// statuses (a status view: awaiting information, triage, awaiting a rating…). Anything narrower (text, kind, category, ward,
    /// assignee, period) reads the rows.
    enum CounterShape: Equatable {
        /// Every case of the subtree, finished ones too (`case_status_total`).
        case all
        /// The cases of the subtree in these statuses (`case_status_total`).
        case statuses([CaseStatus])
        case open, overdue
        case due(after: Date, before: Date)

        init?(_ f: QueueFilter) {
            guard f.unitSubtree != nil else { return nil }
            var g = f
            g.unitSubtree = nil
            var due = QueueFilter(openOnly: true)
            due.dueAfter = g.dueAfter
            due.dueBefore = g.dueBefore
            due.clockRunning = true
            if g == QueueFilter() { self = .all }
            else if g == QueueFilter(openOnly: true) { self = .open }
            else if g == QueueFilter(overdue: true) { self = .overdue }
            else if let a = g.dueAfter, let b = g.dueBefore, g == due { self = .due(after: a, before: b) }
            else if let s = g.statuses, !s.isEmpty, g == QueueFilter(statuses: s) { self = .statuses(s) }
            else { return nil }
        }
    }

    /// The count of a plain view from `case_count` (`CounterShape`), which the same
    /// transaction as every change keeps: a few index entries instead of a read of every
    /// case of the scope under the read policy (docs/performance.md §8). The scopes are the
    /// unit columns the filter's `unitSubtree` clause compares, and the read policy lets
    /// the official read every case of a subtree of their units, so the two counts agree.
    func counterCount(_ f: QueueFilter) throws -> Int? {
        guard let shape = CounterShape(f) else { return nil }
        let scopes = try countScopes(f.unitSubtree)
        guard !scopes.isEmpty else { return 0 }
        let list = scopes.map(String.init).joined(separator: ",")
        var b = Binds()
        let when: String
        switch shape {
        case .all:
            return Int(try db.one("SELECT coalesce(sum(n), 0)::bigint FROM case_status_total WHERE scope IN (\(list))")?.int(0) ?? 0)
        case let .statuses(set):
            let names = Set(set).map { b.add($0.rawValue) }.joined(separator: ", ")
            return Int(try db.one("""
                SELECT coalesce(sum(n), 0)::bigint FROM case_status_total WHERE scope IN (\(list)) AND status IN (\(names))
                """, b)?.int(0) ?? 0)
        case .open: when = "true"
        case .overdue: when = "NOT paused AND due_at < to_timestamp(\(b.add(Self.secs(now))))"
        case let .due(after, before):
            when = "NOT paused AND due_at >= to_timestamp(\(b.add(Self.secs(after)))) AND due_at <= to_timestamp(\(b.add(Self.secs(before))))"
        }
        let r = try db.one("""
            SELECT coalesce(sum(n), 0)::bigint FROM case_count
            WHERE scope IN (\(list)) AND \(when)
            """, b)
        return Int(try r?.int(0) ?? 0)
    }

    /// The `case_count` scopes that hold exactly a unit subtree's cases (CaseQueries.countScopes).
    func countScopes(_ unitSubtree: Int64?) throws -> [Int64] {
        guard let id = unitSubtree else { return [0] }
        guard let u = try unit(id: id) else { return [] }
        switch u.level {
        case .centre: return [0]
        case .province, .commune: return [id]
        case .village, .department:
            return try db.rows("SELECT id FROM unit WHERE starts_with(path, (SELECT path FROM unit WHERE id = \(id)))")
                .map { -(try $0.int(0)) }
        }
    }

    public func counts(unitSubtree: Int64?, reference: ReferenceData?) throws -> QueueCounts {
        let ref = try reference ?? self.reference()
        let f = try scoped(QueueFilter(unitSubtree: unitSubtree))
        let scopes = try countScopes(f.unitSubtree)
        guard !scopes.isEmpty else { return QueueCounts(open: 0, dueSoon: 0, overdue: 0) }
        let bound = ref.calendar.add(ref.policy.dueSoonDays, to: Day(now), counting: .working).end
        var b = Binds()
        let n = b.add(Self.secs(now)), hi = b.add(Self.secs(bound))
        let r = try db.one("""
            SELECT coalesce(sum(n), 0)::bigint,
              coalesce(sum(n) FILTER (WHERE NOT paused AND due_at >= to_timestamp(\(n)) AND due_at <= to_timestamp(\(hi))), 0)::bigint,
              coalesce(sum(n) FILTER (WHERE NOT paused AND due_at < to_timestamp(\(n))), 0)::bigint
            FROM case_count WHERE scope IN (\(scopes.map(String.init).joined(separator: ",")))
            """, b)
        return QueueCounts(open: Int(try r?.int(0) ?? 0), dueSoon: Int(try r?.int(1) ?? 0), overdue: Int(try r?.int(2) ?? 0))
    }

    public func overdueByUnit(unitSubtree: Int64?) throws -> [(unit: OrgUnit, count: Int)] {
        let f = try scoped(QueueFilter(unitSubtree: unitSubtree))
        var b = Binds()
        var filter = ""
        if let id = f.unitSubtree, let u = try unit(id: id) {
            switch u.level {
            case .centre: break
            case .province: filter = "AND scope IN (SELECT -id FROM unit WHERE province_id = \(b.add(id)))"
            default: filter = "AND scope IN (SELECT -id FROM unit WHERE starts_with(path, (SELECT path FROM unit WHERE id = \(b.add(id)))))"
            }
        } else if f.unitSubtree != nil {
            return []
        }
        // The units in the same statement: one round trip for a province's hundreds of units.
        let rows = try db.rows("""
            SELECT \(Self.unitColumns.split(separator: ",").map { "u." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")),
              o.n FROM (
              SELECT -scope AS unit_id, sum(n)::bigint AS n FROM case_count
              WHERE scope < 0 \(filter) AND NOT paused AND due_at < to_timestamp(\(b.add(Self.secs(now))))
              GROUP BY scope HAVING sum(n) > 0) o
            JOIN unit u ON u.id = o.unit_id
            ORDER BY o.n DESC, o.unit_id
            """, b)
        return try rows.map { r in (try Self.unit(r), Int(try r.int(8))) }
    }

    public func caseKeys(ids: [Int64]) throws -> [Int64: CaseKeys] {
        guard !ids.isEmpty else { return [:] }
        var out: [Int64: CaseKeys] = [:]
        for r in try db.rows("""
            SELECT c.id, c.channel, c.version, c.complex, u.code, w.code, o.login FROM pakn_case c
            LEFT JOIN unit u ON u.id = c.unit_id LEFT JOIN unit w ON w.id = c.ward_id LEFT JOIN official o ON o.id = c.assignee_id
            WHERE c.id IN (\(ids.map(String.init).joined(separator: ",")))
            """) {
            out[try r.int(0)] = CaseKeys(channel: Channel(rawValue: try r.str(1)) ?? .web, version: Int(try r.int(2)),
                                         complex: try r.bool(3), unitCode: try r.strOpt(4), wardCode: try r.strOpt(5),
                                         assigneeLogin: try r.strOpt(6))
        }
        return out
    }
}
