import Foundation
import PaknCore

/// The data files shipped with pakn (Resources/): units, categories, deadline rules,
/// holidays, routing, reply templates and the demo corpus. See docs/data-sources.md.
public enum BundledData {
    static let root: URL = {
        let base = Bundle.module.resourceURL ?? Bundle.module.bundleURL
        let nested = base.appendingPathComponent("Resources")
        return FileManager.default.fileExists(atPath: nested.appendingPathComponent("categories.json").path) ? nested : base
    }()

    public static func url(_ name: String) -> URL { root.appendingPathComponent(name) }

    static func data(_ name: String) throws -> Data {
        let u = url(name)
        do { return try Data(contentsOf: u) } catch {
            throw StoreError.unreadable(u.path, error)
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        do { return try JSONDecoder().decode(T.self, from: data(name)) } catch let e as StoreError { throw e } catch {
            throw StoreError.badData(file: name, line: 0, reason: Message("store.data.json", "\(error)"))
        }
    }

    public struct CategoryEntry: Codable, Sendable {
        public var code: String
        public var vi: String
        public var en: String
        public var department: String?
    }

    public struct DepartmentEntry: Codable, Sendable {
        public var suffix: String
        public var name: String
        public var name_en: String?
        /// The name where the parent unit's division type calls for another one
        /// ("phường" → "Phòng Kinh tế, Hạ tầng và Đô thị"; "thành phố" → "Thanh tra Thành phố").
        public var names: [String: String]?

        /// The department's name under a parent of `divisionType`.
        public func name(under divisionType: String) -> String { names?[divisionType] ?? name }
    }

    public struct TemplateEntry: Codable, Sendable {
        public var id: String
        public var category: String?
        public var kind: String?
        public var lang: String
        /// What the text is for (`TemplatePurpose`): which actions may send it.
        public var purpose: String
        /// The one action it is for, when its purpose serves several (a notice of transfer).
        public var action: String?
        public var title: String
        public var body: String
    }

    public static func categories() throws -> [CategoryEntry] { try decode([CategoryEntry].self, "categories.json") }
    public static func departments() throws -> [String: [DepartmentEntry]] {
        try decode([String: [DepartmentEntry]].self, "departments.json")
    }
    public static func rules() throws -> [DeadlineRule] { try decode([DeadlineRule].self, "deadline-rules.json") }
    public static func routing() throws -> [RoutingRule] { try decode([RoutingRule].self, "routing.json") }
    public static func templates() throws -> [TemplateEntry] { try decode([TemplateEntry].self, "reply-templates.json") }

    /// The shipped holiday calendar (holidays.json), checked like an imported file.
    public static func holidays() throws -> [CalendarException] { try calendarFile("holidays.json") }

    /// A shipped calendar file (holidays.json, or one under calendar/).
    public static func calendarFile(_ name: String) throws -> [CalendarException] {
        try CalendarFile.parse(try data(name), name: name, ext: "json")
    }

    public static var unitsFile: URL { url("units/vn-divisions-2026.tsv") }
    public static var aliasesFile: URL { url("units/code-aliases.tsv") }
    /// Codes of the older, wrong vn-divisions-2025.json → official codes (docs/data-sources.md).
    public static var corrections2025File: URL { url("units/corrections-2025.tsv") }
    /// The official changes since 1 July 2025, as change lists (`pakn units import` format).
    public static var changesFile: URL { url("units/changes-since-2025-07-01.json") }
}
