/// One row of the routing table: cases matching `kind` and `category` (nil = any) go to the
/// department `department` of the case's ward (`level == .commune`) or of its province.
public struct RoutingRule: Codable, Equatable, Sendable {
    public var kind: CaseKind?
    public var category: String?
    public var level: UnitLevel
    public var department: String

    public init(kind: CaseKind?, category: String?, level: UnitLevel, department: String) {
        self.kind = kind; self.category = category; self.level = level; self.department = department
    }

    public func matches(kind k: CaseKind, category c: String) -> Bool {
        (kind == nil || kind == k) && (category == nil || category == c)
    }

    /// More specific rows win: kind and category both set beats one set beats none.
    public var specificity: Int { (kind != nil ? 2 : 0) + (category != nil ? 1 : 0) }
}

/// Decides the responsible unit at intake. Routing is data; the lookups of units by code
/// are given by the caller so this stays pure.
public struct RoutingTable: Sendable {
    public let rules: [RoutingRule]

    public init(_ rules: [RoutingRule]) { self.rules = rules }

    /// The matching rules, most specific first (stable within a specificity).
    public func candidates(kind: CaseKind, category: String) -> [RoutingRule] {
        rules.enumerated()
            .filter { $0.element.matches(kind: kind, category: category) }
            .sorted { ($0.element.specificity, -$0.offset) > ($1.element.specificity, -$1.offset) }
            .map(\.element)
    }

    /// The unit a case goes to: the first candidate whose department exists, else the ward
    /// itself (or province) as fallback.
    /// - Parameters:
    ///   - ward: the case's ward; `province` its province.
    ///   - department: finds a department by parent unit and suffix.
    public func route(kind: CaseKind, category: String, ward: OrgUnit?, province: OrgUnit?,
                      department: (OrgUnit, String) -> OrgUnit?) -> OrgUnit? {
        for rule in candidates(kind: kind, category: category) {
            let parent = rule.level == .province ? province : ward
            if let parent, let dept = department(parent, rule.department) { return dept }
        }
        return ward ?? province
    }
}
