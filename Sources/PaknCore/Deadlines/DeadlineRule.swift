/// A deadline rule set by law or by local practice, in force from `effectiveFrom`
/// (inclusive) until `effectiveTo` (exclusive). Rules are data, so a new law is a new row.
public struct DeadlineRule: Codable, Equatable, Sendable, Identifiable {
    public var id: String
    public var kind: CaseKind
    public var effectiveFrom: Day
    public var effectiveTo: Day?
    public var counting: DayCounting
    /// Days to accept (thụ lý) or refuse the case, from receipt.
    public var acceptanceDays: Int?
    /// Days to resolve, from receipt.
    public var days: Int
    public var complexDays: Int?
    public var remoteDays: Int?
    public var remoteComplexDays: Int?
    /// Days added by one extension, and how many extensions the law allows.
    public var extensionDays: Int
    public var maxExtensions: Int
    /// The legal basis, shown beside the deadline ("Điều 28 Luật Khiếu nại 2011").
    public var basis: String

    public init(id: String, kind: CaseKind, effectiveFrom: Day, effectiveTo: Day? = nil,
                counting: DayCounting, acceptanceDays: Int? = nil, days: Int,
                complexDays: Int? = nil, remoteDays: Int? = nil, remoteComplexDays: Int? = nil,
                extensionDays: Int = 0, maxExtensions: Int = 0, basis: String) {
        self.id = id; self.kind = kind; self.effectiveFrom = effectiveFrom; self.effectiveTo = effectiveTo
        self.counting = counting; self.acceptanceDays = acceptanceDays; self.days = days
        self.complexDays = complexDays; self.remoteDays = remoteDays; self.remoteComplexDays = remoteComplexDays
        self.extensionDays = extensionDays; self.maxExtensions = maxExtensions; self.basis = basis
    }

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
}

/// The rules in force, with the choice of which applies to a case.
public struct DeadlineRulebook: Sendable {
    public let rules: [DeadlineRule]

    public init(_ rules: [DeadlineRule]) { self.rules = rules }

    /// The rule for a case of `kind` received on `day`: the in-force rule with the latest start.
    public func rule(for kind: CaseKind, receivedOn day: Day) -> DeadlineRule? {
        rules.filter { $0.applies(to: kind, on: day) }.max { $0.effectiveFrom < $1.effectiveFrom }
    }

    public func rule(id: String) -> DeadlineRule? { rules.first { $0.id == id } }
}
