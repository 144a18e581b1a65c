import Foundation
import PaknCore
import PaknStoreAPI

/// The data files shipped with pakn (Resources/): units, categories, deadline rules,
/// holidays, routing, reply templates and the demo corpus. See docs/data-sources.md.
public enum BundledData {
    /// The shipped files' paths under Resources/ (`units/vn-divisions-2026.tsv`, …).
    public static var names: [String] { BundledResources.files.keys.sorted() }

    /// A shipped file's bytes. The files are built into the binary (BundledResources.swift,
    /// made by mk/embed-resources.sh): an installed pakn needs no resource folder.
    static func data(_ name: String) throws -> Data {
        guard let text = BundledResources.files[name] else {
            throw StoreError.unreadable("Resources/" + name, CocoaError(.fileNoSuchFile))
        }
        return Data(text.utf8)
    }

    /// A shipped file's text.
    static func text(_ name: String) throws -> String {
        guard let text = BundledResources.files[name] else {
            throw StoreError.unreadable("Resources/" + name, CocoaError(.fileNoSuchFile))
        }
        return text
    }

    /// A shipped file as a file on disk, for code that wants a path (`pakn calendar import`
    /// in the tests): written once per process into a private temporary folder. pakn itself
    /// reads the embedded bytes (`data`), never these copies.
    public static func url(_ name: String) -> URL { Materialized.shared.url(name) }

    private final class Materialized: @unchecked Sendable {
        static let shared = Materialized()
        private let lock = NSLock()
        private let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("pakn-resources-\(getuid())-\(getpid())", isDirectory: true)

        func url(_ name: String) -> URL {
            let u = dir.appendingPathComponent(name)
            lock.lock()
            defer { lock.unlock() }
            if !FileManager.default.fileExists(atPath: u.path), let text = BundledResources.files[name] {
                try? FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
                try? Data(text.utf8).write(to: u, options: .atomic)
            }
            return u
        }
    }

    package static func decode<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
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

    public typealias DepartmentEntry = PaknStoreAPI.DepartmentEntry

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

    /// The official units (units/vn-divisions-2026.tsv), read from the embedded copy.
    static func unitRows() throws -> [UnitRow] {
        try UnitFile.read(data: try data(unitsName), name: "vn-divisions-2026.tsv", path: "Resources/" + unitsName)
    }
    static let unitsName = "units/vn-divisions-2026.tsv"
    static let aliasesName = "units/code-aliases.tsv"

    // Paths of temporary copies (`url`), for tests and tools that read files.
    public static var unitsFile: URL { url(unitsName) }
    public static var aliasesFile: URL { url(aliasesName) }
    /// Codes of the older, wrong vn-divisions-2025.json → official codes (docs/data-sources.md).
    public static var corrections2025File: URL { url("units/corrections-2025.tsv") }
    /// The official changes since 1 July 2025, as change lists (`pakn units import` format).
    public static var changesFile: URL { url("units/changes-since-2025-07-01.json") }
}
