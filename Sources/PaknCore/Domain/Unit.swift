/// Levels of the administrative tree after the 2025 reform (two tiers of government),
/// plus the departments (phòng ban) and villages/residential groups under a unit.
public enum UnitLevel: String, Codable, CaseIterable, Sendable {
    case centre
    case province
    case commune
    case village
    case department
}

/// An administrative unit or a department. `code` is the statistics office code for
/// provinces and communes; departments and villages get codes derived from their parent.
public struct OrgUnit: Codable, Equatable, Sendable, Identifiable {
    public var id: Int64
    public var code: String
    public var name: String
    public var level: UnitLevel
    public var divisionType: String
    public var parentId: Int64?
    /// Remote or especially difficult area: longer complaint deadlines apply.
    public var remote: Bool
    /// The name to show where units of different wards meet: a department's name says
    /// whose it is ("Phòng Kinh tế, Hạ tầng và Đô thị — Phường Hoàn Kiếm"). Built by
    /// `UnitNaming.qualified`; the name itself for provinces and communes.
    public var label: String

    public init(id: Int64, code: String, name: String, level: UnitLevel, divisionType: String,
                parentId: Int64?, remote: Bool = false, label: String? = nil) {
        self.id = id; self.code = code; self.name = name; self.level = level
        self.divisionType = divisionType; self.parentId = parentId; self.remote = remote
        self.label = label ?? name
    }
}

/// How a unit is named where it meets units of other wards. The one place the qualified
/// name is built: the store keeps it in `unit.label` (refreshed whenever a unit or its
/// parent is renamed) and every list, picker, export and history line shows that.
public enum UnitNaming {
    public static let separator = " — "

    /// "Phòng Văn hóa - Xã hội — Phường Hoàn Kiếm" for a department (or a village) under
    /// `parentName`; the name alone for provinces, communes and the centre.
    public static func qualified(name: String, level: UnitLevel, parentName: String?) -> String {
        switch level {
        case .department, .village:
            guard let p = parentName, !p.isEmpty else { return name }
            return name + separator + p
        case .centre, .province, .commune:
            return name
        }
    }
}

/// An official who acts on cases. `login` is the OS account name.
public struct Official: Codable, Equatable, Sendable, Identifiable {
    public var id: Int64
    public var login: String
    public var fullName: String
    public var unitId: Int64
    public var role: Role
    public var active: Bool

    public init(id: Int64, login: String, fullName: String, unitId: Int64, role: Role, active: Bool = true) {
        self.id = id; self.login = login; self.fullName = fullName; self.unitId = unitId
        self.role = role; self.active = active
    }
}

/// A field of administration (lĩnh vực). Categories are data, loaded from the store.
public struct Category: Codable, Equatable, Sendable {
    public var code: String
    public var nameVi: String
    public var nameEn: String

    public init(code: String, nameVi: String, nameEn: String) {
        self.code = code; self.nameVi = nameVi; self.nameEn = nameEn
    }

    public func name(_ lang: Lang) -> String { lang == .vi ? nameVi : nameEn }
}
