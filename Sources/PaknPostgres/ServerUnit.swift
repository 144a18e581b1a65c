import PaknCore
import PostgresNIO

/// A unit as the server stores it, as the administrative imports read them all at once and
/// work on them in memory: a units file (`UnitPlan`) and an official change list
/// (`UnitChangeSnapshot`).
struct ServerUnit {
    /// Every unit, in the columns `init(_:)` reads.
    static let selectAll = "SELECT id, code, name, level, division_type, parent_id, path, folded, label, remote FROM unit"

    /// 0 for a unit a units file adds (not stored yet).
    var id: Int64
    var code: String
    var name: String
    var level: String
    var type: String
    var parentId: Int64?
    /// The parent's code, where the reader resolves it (`UnitPlan`, once every unit is read).
    var parent: String?
    var path: String
    var folded: String
    var label: String
    var remote: Bool

    init(_ r: PostgresRandomAccessRow) throws {
        id = try r.int(0); code = try r.str(1); name = try r.str(2); level = try r.str(3); type = try r.str(4)
        parentId = try r.intOpt(5); path = try r.str(6); folded = try r.str(7); label = try r.strOpt(8) ?? ""
        remote = try r.bool(9)
    }

    /// A unit a units file adds.
    init(code: String, name: String, level: String, type: String, parent: String?, folded: String) {
        id = 0; self.code = code; self.name = name; self.level = level; self.type = type; self.parent = parent
        path = ""; self.folded = folded; label = ""; remote = false
    }

    var org: OrgUnit {
        OrgUnit(id: id, code: code, name: name, level: UnitLevel(rawValue: level) ?? .department, divisionType: type,
                parentId: parentId, remote: remote, label: label.isEmpty ? nil : label)
    }
}
