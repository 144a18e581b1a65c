import Foundation
import PaknCore

// Citizens' data, the chains, the access log, backups. Moved from PaknStore (issue 13): values the
// sessions of every engine speak.

/// Who a data-subject request (Law 91/2025 on personal data) is about. Every given field
/// must match; phone numbers, national IDs and e-mail addresses are compared normalized,
/// names folded (case and diacritics ignored).
public struct CitizenQuery: Sendable, Equatable {
    public var phone: String?
    public var name: String?
    public var nationalId: String?
    public var email: String?
    /// Only reporters of these cases (codes).
    public var cases: [String]

    public init(phone: String? = nil, name: String? = nil, nationalId: String? = nil, email: String? = nil, cases: [String] = []) {
        self.phone = phone; self.name = name; self.nationalId = nationalId; self.email = email; self.cases = cases
    }

    package var isEmpty: Bool { [phone, name, nationalId, email].allSatisfy { ($0 ?? "").trimmingCharacters(in: .whitespaces).isEmpty } }

    /// A name alone can be anyone's: an erasure needs a phone, an ID, an e-mail or the cases.
    package var isStrong: Bool { !(phone ?? "").isEmpty || !(nationalId ?? "").isEmpty || !(email ?? "").isEmpty || !cases.isEmpty }

    /// The kinds of selector given, for the access log (never the values: they are personal data).
    package var kinds: String {
        var k: [String] = []
        if phone != nil { k.append("phone") }
        if name != nil { k.append("name") }
        if nationalId != nil { k.append("national_id") }
        if email != nil { k.append("email") }
        if !cases.isEmpty { k.append("cases") }
        return "by " + k.joined(separator: ",")
    }

    package static func digits(_ s: String) -> String { String(s.filter(\.isNumber)) }

    package static func phoneKey(_ s: String) -> String {
        var d = digits(s)
        if d.hasPrefix("84"), d.count >= 11 { d = "0" + d.dropFirst(2) }
        return d
    }

    package static func nameKey(_ s: String) -> String { VietnameseFold.words(s).joined(separator: " ") }

    package static func idKey(_ s: String) -> String { String(s.uppercased().filter { $0.isLetter || $0.isNumber }) }

    package func matches(_ r: Reporter) -> Bool {
        if let p = phone { guard let q = r.phone, !Self.phoneKey(p).isEmpty, Self.phoneKey(q) == Self.phoneKey(p) else { return false } }
        if let n = name { guard let q = r.name, !Self.nameKey(n).isEmpty, Self.nameKey(q) == Self.nameKey(n) else { return false } }
        if let i = nationalId { guard let q = r.nationalId, !Self.idKey(i).isEmpty, Self.idKey(q) == Self.idKey(i) else { return false } }
        if let e = email {
            let k = e.trimmingCharacters(in: .whitespaces).lowercased()
            guard let q = r.email, !k.isEmpty, q.trimmingCharacters(in: .whitespaces).lowercased() == k else { return false }
        }
        return true
    }
}

/// Everything pakn holds about a person, for `pakn citizen export`.
public struct CitizenReport: Sendable, Equatable {
    public struct Held: Sendable, Equatable {
        public var reporter: Reporter
        public var `case`: Case
        public var unitName: String?
        public var wardName: String?
        public var attachments: [Attachment]

        package init(reporter: Reporter, case: Case, unitName: String?, wardName: String?, attachments: [Attachment]) {
            self.reporter = reporter; self.case = `case`; self.unitName = unitName; self.wardName = wardName; self.attachments = attachments
        }
    }

    /// Who saw or took this data: reveals, exports, earlier requests.
    public struct Access: Sendable, Equatable {
        public var at: Date
        public var login: String
        public var action: String
        public var caseCode: String
        public var note: String?

        package init(at: Date, login: String, action: String, caseCode: String, note: String?) {
            self.at = at; self.login = login; self.action = action; self.caseCode = caseCode; self.note = note
        }
    }

    public var held: [Held]
    public var accesses: [Access]
    /// Matching records in cases outside the official's units (not shown).
    public var outOfScope: Int

    package init(held: [Held], accesses: [Access], outOfScope: Int) {
        self.held = held; self.accesses = accesses; self.outOfScope = outOfScope
    }
}

public struct ErasureSummary: Sendable, Equatable {
    public var reporters: Int
    public var cases: [String]

    package init(reporters: Int, cases: [String]) {
        self.reporters = reporters; self.cases = cases
    }
}

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

    package init(integrity: [String], foreignKeyViolations: Int, events: ChainCheck, access: ChainCheck, cases: Int, replayMismatches: [String], withoutIntake: [String], facts: [FactDifference] = []) {
        self.integrity = integrity; self.foreignKeyViolations = foreignKeyViolations; self.events = events; self.access = access; self.cases = cases; self.replayMismatches = replayMismatches; self.withoutIntake = withoutIntake; self.facts = facts
    }
}

/// What the access log records: acts that are not one case's workflow — bulk reads of
/// personal data, data-subject requests, changes to officials, backups, refusals of such
/// acts. Each entry names the cases it touched (by id only) in `access_case`.
public enum AccessAction: String, Codable, CaseIterable, Sendable {
    case export
    case exportUnredacted = "export_unredacted"
    case citizenExport = "citizen_export"
    case citizenErase = "citizen_erase"
    case officialAdd = "official_add"
    case officialRole = "official_role"
    case officialDisable = "official_disable"
    case officialEnable = "official_enable"
    case backup, restore
    case refused
    /// A day added to, changed in or removed from the holiday calendar (`pakn calendar`).
    case calendarAdd = "calendar_add"
    case calendarUpdate = "calendar_update"
    case calendarRemove = "calendar_remove"
    // Units (`pakn units …`, migration v5-units-2026).
    case unitsMigrate = "units_migrate"
    /// A deadline rule added or replaced (`pakn rules import`).
    case rulesImport = "rules_import"
    case unitsImport = "units_import"
    case unitsChange = "units_change"
    case unitRemoteSet = "unit_remote_set"
    case unitRemoteUnset = "unit_remote_unset"
    /// Every row of one covered table, by digest (`target`: the table): written when a
    /// database is made and by migration `v6-admin-facts` (docs/data-model.md, "What the
    /// chain covers").
    case factsBaseline = "facts_baseline"
    /// A period report printed or written (`pakn report`), with the overdue cases it lists.
    case reportExport = "report_export"
    /// A child office's report file imported (`pakn report import`).
    case reportImport = "report_import"
    /// An Open311 API key made or revoked (`pakn apikeys`, docs/open311.md).
    case apiKeyAdd = "api_key_add"
    case apiKeyRevoke = "api_key_revoke"
}

/// One entry of the access log. Never holds a citizen's personal data: selectors of a
/// data-subject request are recorded by kind ("phone"), not value.
public struct AccessEntry: Equatable, Sendable, Codable {
    public var id: Int64
    public var at: Date
    public var actorId: Int64?
    public var login: String
    public var action: AccessAction
    public var target: String?
    public var note: String?
    public var count: Int
    public var digest: String?
    public var caseIds: [Int64]
    public var hash: String
    /// The administrative rows the act changed, by digest (`access_fact`).
    public var facts: [AccessFact] = []

    package init(id: Int64, at: Date, actorId: Int64?, login: String, action: AccessAction, target: String?, note: String?, count: Int, digest: String?, caseIds: [Int64], hash: String, facts: [AccessFact] = []) {
        self.id = id; self.at = at; self.actorId = actorId; self.login = login; self.action = action; self.target = target; self.note = note; self.count = count; self.digest = digest; self.caseIds = caseIds; self.hash = hash; self.facts = facts
    }
}

/// One row of an administrative table as an access-log entry records it: the table, the
/// row's key, and the canonical digest of the row after the act (nil: the act removed it).
public struct AccessFact: Equatable, Hashable, Sendable, Codable {
    public var table: String
    public var key: String
    public var digest: String?

    public init(table: String, key: String, digest: String?) {
        self.table = table; self.key = key; self.digest = digest
    }
}

/// A row of a covered table that is not what the access chain says it is
/// (`pakn audit verify --full`).
public struct FactDifference: Equatable, Sendable {
    public enum Change: String, Sendable {
        /// The row is there, with other values than the chain's latest digest of it.
        case altered
        /// The row is there; the chain never recorded it (or recorded it removed).
        case added
        /// The chain's latest digest says the row is there; it is not.
        case removed
    }

    public var table: String
    public var key: String
    public var change: Change
    /// How a person knows the row, from its current values: an official's login, a unit's
    /// code and name. Nil for a removed row.
    public var name: String?

    public init(table: String, key: String, change: Change, name: String? = nil) {
        self.table = table; self.key = key; self.change = change; self.name = name
    }

    /// "official nva (id 12) changed outside pakn: …"
    public func text(_ lang: Lang) -> String {
        let thing: String
        switch (table, name) {
        case let ("official", name?): thing = L10n.t("trust.facts.official", lang, name, key)
        case ("official", nil): thing = L10n.t("trust.facts.official_gone", lang, key)
        case let ("unit", name?): thing = L10n.t("trust.facts.unit", lang, name, key)
        case ("unit", nil): thing = L10n.t("trust.facts.unit_gone", lang, key)
        default: thing = L10n.t("trust.facts.\(table)", lang, key)
        }
        return L10n.t("trust.facts.\(change.rawValue)", lang, thing)
    }
}

public struct BackupResult: Sendable, Equatable {
    public var path: String
    public var bytes: Int64
    public var check: ConsistencyReport

    package init(path: String, bytes: Int64, check: ConsistencyReport) {
        self.path = path; self.bytes = bytes; self.check = check
    }
}

public struct RestoreResult: Sendable, Equatable {
    public var check: ConsistencyReport
    /// The database that was replaced, kept beside it (nil when there was none).
    public var previousCopy: String?
    /// A training backup replaced a production database (allowed only with `force`; the
    /// CLI prints a warning).
    public var trainingOverProduction = false

    package init(check: ConsistencyReport, previousCopy: String?, trainingOverProduction: Bool = false) {
        self.check = check; self.previousCopy = previousCopy; self.trainingOverProduction = trainingOverProduction
    }
}
