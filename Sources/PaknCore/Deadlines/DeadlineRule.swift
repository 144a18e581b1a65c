/// How a rule lets a case's clock stand still.
public enum PausePolicy: String, Codable, Sendable, CaseIterable {
    /// The clock never stops (Law on Complaints 2011: no suspension).
    case none
    /// The clock stops while the citizen supplies information, as local regulations allow.
    case awaitingInfo = "awaiting_info"
    /// The clock stops only by a suspension decision (number required) on one of the rule's
    /// stated grounds (`suspensionGrounds`); the time suspended is not counted.
    case suspension
}

/// One lawful ground for suspending the handling of a case ("Cần đợi kết quả giám định…").
public struct SuspensionGround: Codable, Equatable, Sendable {
    public var code: String
    public var vi: String
    public var en: String

    public init(code: String, vi: String, en: String) { self.code = code; self.vi = vi; self.en = en }
}

/// A deadline rule set by law or by local practice, in force from `effectiveFrom`
/// (inclusive) until `effectiveTo` (exclusive). Rules are data, so a new law is a new row.
public struct DeadlineRule: Codable, Equatable, Sendable, Identifiable {
    public var id: String
    public var kind: CaseKind
    public var effectiveFrom: Day
    public var effectiveTo: Day?
    public var counting: DayCounting
    /// Days to accept (thụ lý) or refuse the case, from receipt. With it, acceptance is a
    /// step of its own and the resolution clock starts on the day of acceptance; without
    /// it, the resolution clock starts at receipt.
    public var acceptanceDays: Int?
    /// How acceptance days are counted (Law on Denunciations art. 24: working days), when
    /// it differs from `counting`.
    public var acceptanceCounting: DayCounting?
    /// The longer acceptance limit where verification is needed (art. 24: 10 working days),
    /// reached by one `extend` before acceptance.
    public var acceptanceMaxDays: Int?
    /// Days to resolve, from acceptance (or receipt, without an acceptance step).
    public var days: Int
    public var complexDays: Int?
    public var remoteDays: Int?
    public var remoteComplexDays: Int?
    /// Days added by one extension, and how many extensions the law allows.
    public var extensionDays: Int
    public var maxExtensions: Int
    /// Extensions need the case marked complex: one for a complex case, two for an
    /// especially complex one (Law on Denunciations art. 30).
    public var extensionNeedsComplexity: Bool
    /// Whether and how the clock may stand still.
    public var pause: PausePolicy
    public var suspensionGrounds: [SuspensionGround]
    /// Civil Code art. 148(5): when the last day is a day off, the time limit ends at the end
    /// of the next working day.
    public var lastDayOffMovesToNextWorkingDay: Bool
    /// The legal basis, shown beside the deadline ("Điều 28 Luật Khiếu nại 2011").
    public var basis: String
    /// The unit that issued a local rule (its code, e.g. a ward's "00070"): the rule applies
    /// only to cases within that unit, and only an admin whose units cover it may change it.
    /// Nil for a national rule. Rules for the kinds the law governs (`isLawKind`) never
    /// have one (docs/data-model.md, "Deadline rules").
    public var issuer: String?

    public init(id: String, kind: CaseKind, effectiveFrom: Day, effectiveTo: Day? = nil,
                counting: DayCounting, acceptanceDays: Int? = nil, acceptanceCounting: DayCounting? = nil,
                acceptanceMaxDays: Int? = nil, days: Int,
                complexDays: Int? = nil, remoteDays: Int? = nil, remoteComplexDays: Int? = nil,
                extensionDays: Int = 0, maxExtensions: Int = 0, extensionNeedsComplexity: Bool = false,
                pause: PausePolicy = .awaitingInfo, suspensionGrounds: [SuspensionGround] = [],
                lastDayOffMovesToNextWorkingDay: Bool = false, basis: String, issuer: String? = nil) {
        self.id = id; self.kind = kind; self.effectiveFrom = effectiveFrom; self.effectiveTo = effectiveTo
        self.counting = counting; self.acceptanceDays = acceptanceDays; self.acceptanceCounting = acceptanceCounting
        self.acceptanceMaxDays = acceptanceMaxDays; self.days = days
        self.complexDays = complexDays; self.remoteDays = remoteDays; self.remoteComplexDays = remoteComplexDays
        self.extensionDays = extensionDays; self.maxExtensions = maxExtensions
        self.extensionNeedsComplexity = extensionNeedsComplexity; self.pause = pause
        self.suspensionGrounds = suspensionGrounds; self.lastDayOffMovesToNextWorkingDay = lastDayOffMovesToNextWorkingDay
        self.basis = basis
        self.issuer = issuer
    }

    private enum CodingKeys: String, CodingKey {
        case id, kind, effectiveFrom, effectiveTo, counting, acceptanceDays, acceptanceCounting, acceptanceMaxDays, days
        case complexDays, remoteDays, remoteComplexDays, extensionDays, maxExtensions, extensionNeedsComplexity
        case pause, suspensionGrounds, lastDayOffMovesToNextWorkingDay, basis, issuer
    }

    /// Rules stored before these properties existed read with the old behaviour: the clock
    /// pauses while awaiting information, no day-off rule, extensions as counted.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            id: c.decode(String.self, forKey: .id), kind: c.decode(CaseKind.self, forKey: .kind),
            effectiveFrom: c.decode(Day.self, forKey: .effectiveFrom), effectiveTo: c.decodeIfPresent(Day.self, forKey: .effectiveTo),
            counting: c.decode(DayCounting.self, forKey: .counting),
            acceptanceDays: c.decodeIfPresent(Int.self, forKey: .acceptanceDays),
            acceptanceCounting: c.decodeIfPresent(DayCounting.self, forKey: .acceptanceCounting),
            acceptanceMaxDays: c.decodeIfPresent(Int.self, forKey: .acceptanceMaxDays),
            days: c.decode(Int.self, forKey: .days),
            complexDays: c.decodeIfPresent(Int.self, forKey: .complexDays),
            remoteDays: c.decodeIfPresent(Int.self, forKey: .remoteDays),
            remoteComplexDays: c.decodeIfPresent(Int.self, forKey: .remoteComplexDays),
            extensionDays: c.decode(Int.self, forKey: .extensionDays), maxExtensions: c.decode(Int.self, forKey: .maxExtensions),
            extensionNeedsComplexity: c.decodeIfPresent(Bool.self, forKey: .extensionNeedsComplexity) ?? false,
            pause: c.decodeIfPresent(PausePolicy.self, forKey: .pause) ?? .awaitingInfo,
            suspensionGrounds: c.decodeIfPresent([SuspensionGround].self, forKey: .suspensionGrounds) ?? [],
            lastDayOffMovesToNextWorkingDay: c.decodeIfPresent(Bool.self, forKey: .lastDayOffMovesToNextWorkingDay) ?? false,
            basis: c.decode(String.self, forKey: .basis),
            issuer: c.decodeIfPresent(String.self, forKey: .issuer))
    }

    /// Kinds whose time limits come from the law (complaints, denunciations): their rules
    /// are national whatever a file says.
    public static func isLawKind(_ kind: CaseKind) -> Bool { [.complaint, .complaint2, .denunciation].contains(kind) }

    /// A national rule: set by law, or without a local issuer. Changed only by an admin at
    /// province level or above (docs/security.md, "Administration in scope").
    public var isNational: Bool { issuer == nil || Self.isLawKind(kind) }

    public func applies(to kind: CaseKind, on day: Day) -> Bool {
        self.kind == kind && effectiveFrom <= day && (effectiveTo.map { day < $0 } ?? true)
    }

    /// Days allowed for a case of this rule, given how hard and how remote it is.
    public func resolutionDays(complex: Bool, remote: Bool) -> Int {
        switch (complex, remote) {
        case (false, false): return days
        case (true, false): return complexDays ?? days
        case (false, true): return remoteDays ?? days
        case (true, true): return remoteComplexDays ?? max(remoteDays ?? days, complexDays ?? days)
        }
    }

    /// How many extensions a case of this complexity may have (0 none, 1 complex, 2
    /// especially complex).
    public func extensionsAllowed(complexity: Int) -> Int {
        extensionNeedsComplexity ? min(maxExtensions, max(0, complexity)) : maxExtensions
    }

    public func ground(_ code: String) -> SuspensionGround? { suspensionGrounds.first { $0.code == code } }
}

/// The rules in force, with the choice of which applies to a case.
public struct DeadlineRulebook: Sendable {
    public let rules: [DeadlineRule]

    public init(_ rules: [DeadlineRule]) { self.rules = rules }

    /// The rule for a case of `kind` received on `day`: the in-force rule with the latest
    /// start. A local rule (one with an `issuer`) applies only where `covers(issuer)` says the
    /// case lies within the issuing unit, and there it comes before the national rules.
    public func rule(for kind: CaseKind, receivedOn day: Day, covers: ((String) -> Bool)? = nil) -> DeadlineRule? {
        let inForce = rules.filter { $0.applies(to: kind, on: day) }
        let local = inForce.filter { r in !r.isNational && r.issuer.map { covers?($0) ?? false } ?? false }
        let candidates = local.isEmpty ? inForce.filter(\.isNational) : local
        return candidates.max { $0.effectiveFrom < $1.effectiveFrom }
    }

    public func rule(id: String) -> DeadlineRule? { rules.first { $0.id == id } }
}
