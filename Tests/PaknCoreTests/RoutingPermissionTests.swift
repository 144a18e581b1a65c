import Foundation
import Testing
@testable import PaknCore

@Suite("Routing table")
struct RoutingTests {
    static let province = OrgUnit(id: 1, code: "01", name: "Thành phố Hà Nội", level: .province, divisionType: "thành phố", parentId: nil)
    static let ward = OrgUnit(id: 10, code: "00070", name: "Phường Hoàn Kiếm", level: .commune, divisionType: "phường", parentId: 1)
    /// Departments that exist, as (parent id, suffix) → unit.
    static let departments: [OrgUnit] = [
        OrgUnit(id: 11, code: "00070-KT", name: "Phòng Kinh tế, Hạ tầng và Đô thị", level: .department, divisionType: "phòng", parentId: 10),
        OrgUnit(id: 12, code: "00070-VH", name: "Phòng Văn hoá – Xã hội", level: .department, divisionType: "phòng", parentId: 10),
        OrgUnit(id: 2, code: "01-TTR", name: "Thanh tra Thành phố", level: .department, divisionType: "thanh tra", parentId: 1),
    ]
    static func lookup(_ parent: OrgUnit, _ suffix: String) -> OrgUnit? {
        departments.first { $0.parentId == parent.id && $0.code.hasSuffix("-" + suffix) }
    }

    static let table = RoutingTable([
        RoutingRule(kind: nil, category: nil, level: .commune, department: "VP"),            // 0: no such dept
        RoutingRule(kind: nil, category: "do_thi", level: .commune, department: "KT"),       // 1
        RoutingRule(kind: .denunciation, category: nil, level: .province, department: "TTR"), // 2
        RoutingRule(kind: .feedback, category: "van_hoa", level: .commune, department: "VH"), // 3
        RoutingRule(kind: nil, category: "do_thi", level: .commune, department: "XD"),       // 4: same specificity as 1, later
    ])

    @Test func specificityOrder() {
        #expect(RoutingRule(kind: .feedback, category: "x", level: .commune, department: "A").specificity
                > RoutingRule(kind: .feedback, category: nil, level: .commune, department: "A").specificity)
        #expect(RoutingRule(kind: .feedback, category: nil, level: .commune, department: "A").specificity
                > RoutingRule(kind: nil, category: "x", level: .commune, department: "A").specificity)
        #expect(RoutingRule(kind: nil, category: "x", level: .commune, department: "A").specificity
                > RoutingRule(kind: nil, category: nil, level: .commune, department: "A").specificity)
    }

    @Test func candidatesMostSpecificFirstAndStable() {
        let c = Self.table.candidates(kind: .feedback, category: "do_thi").map(\.department)
        #expect(c == ["KT", "XD", "VP"])
        let d = Self.table.candidates(kind: .denunciation, category: "do_thi").map(\.department)
        #expect(d == ["TTR", "KT", "XD", "VP"])
        let v = Self.table.candidates(kind: .feedback, category: "van_hoa").map(\.department)
        #expect(v == ["VH", "VP"])
        #expect(Self.table.candidates(kind: .complaint, category: "van_hoa").map(\.department) == ["VP"])
    }

    @Test func routesToTheFirstExistingDepartment() {
        func route(_ k: CaseKind, _ cat: String, ward: OrgUnit? = RoutingTests.ward, province: OrgUnit? = RoutingTests.province) -> Int64? {
            Self.table.route(kind: k, category: cat, ward: ward, province: province, department: Self.lookup)?.id
        }
        #expect(route(.feedback, "do_thi") == 11)
        #expect(route(.feedback, "van_hoa") == 12)
        #expect(route(.denunciation, "do_thi") == 2, "denunciations go to the provincial inspectorate")
        // No department for the generic rule: the ward itself takes it.
        #expect(route(.complaint, "y_te") == 10)
        // Without a ward, commune rules cannot apply: province-level rule or the province itself.
        #expect(route(.denunciation, "do_thi", ward: nil) == 2)
        #expect(route(.feedback, "do_thi", ward: nil) == 1)
        #expect(route(.feedback, "do_thi", ward: nil, province: nil) == nil)
        // Without a province, the province rule is skipped.
        #expect(route(.denunciation, "do_thi", province: nil) == 11)
    }

    @Test func emptyTableFallsBack() {
        let t = RoutingTable([])
        #expect(t.route(kind: .feedback, category: "x", ward: Self.ward, province: Self.province) { _, _ in nil }?.id == 10)
    }
}

@Suite("Permissions")
struct PermissionTests {
    let table = PermissionTable.standard

    @Test func everyActionNeedsAPermission() {
        for a in ActionName.allCases {
            let p = Permission.required(for: a)
            #expect(Role.allCases.contains { table.allows($0, p) }, "\(a) needs \(p), which no role holds")
        }
        #expect(Permission.required(for: .reveal) == .revealReporter)
    }

    @Test func everyRoleCanView() {
        for r in Role.allCases { #expect(table.allows(r, .view)) }
    }

    @Test func viewerOnlyViews() {
        for p in Permission.allCases { #expect(table.allows(.viewer, p) == (p == .view)) }
    }

    @Test func onlyLeadersRevealOrExportIdentities() {
        for r in Role.allCases {
            let leader = [Role.supervisor, .admin, .trainer].contains(r)
            #expect(table.allows(r, .revealReporter) == leader, "\(r)")
            #expect(table.allows(r, .exportUnredacted) == leader, "\(r)")
        }
    }

    @Test func rolesNest() {
        func perms(_ r: Role) -> Set<Permission> { Set(Permission.allCases.filter { table.allows(r, $0) }) }
        #expect(perms(.clerk).isSubset(of: perms(.supervisor)))
        #expect(perms(.handler).isSubset(of: perms(.supervisor)))
        #expect(perms(.supervisor).isSubset(of: perms(.admin)))
        #expect(perms(.admin).isSubset(of: perms(.trainer)))
        #expect(perms(.trainer) == Set(Permission.allCases))
        #expect(!table.allows(.admin, .training))
    }

    @Test func handlersWorkClerksRoute() {
        #expect(table.allows(.handler, Permission.required(for: .reply)))
        #expect(table.allows(.handler, Permission.required(for: .wait)))
        #expect(!table.allows(.handler, .route))
        #expect(table.allows(.clerk, .route) && table.allows(.clerk, .intake))
        // Clerks answer simple feedback at the one-stop desk, but do not work cases.
        #expect(table.allows(.clerk, Permission.required(for: .reply)))
        #expect(!table.allows(.clerk, Permission.required(for: .start)))
        #expect(!table.allows(.viewer, Permission.required(for: .reply)))
        #expect(!table.allows(.clerk, .manageRules))
    }

    @Test func unknownRoleHoldsNothing() {
        let empty = PermissionTable(grants: [:])
        for r in Role.allCases { #expect(!empty.allows(r, .view)) }
    }
}
