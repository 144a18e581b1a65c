import Foundation
import PaknCore
import TOMLKit

/// The top-level settings of `~/.config/pakn/config.toml` besides `theme` and `[keys]`:
///
/// ```toml
/// lang = "en"                                      # the desk's language (default: Vietnamese)
/// mouse = false                                    # no mouse: the terminal keeps its own selection
/// columns = ["code", "deadline", "status", "title"]   # the queue's columns, in this order
/// sort = "deadline"                                # the queue's sort: deadline, received, code;
///                                                  # "-received" sorts descending
/// ```
///
/// A setting that cannot be used is skipped with a warning (the desk says it on its status
/// line); a file that cannot be read gives the defaults.
public struct DeskPreferences: Equatable, Sendable {
    public var lang: Lang?
    public var mouse = true
    /// The queue's columns, in order (`code` and `title` are always there).
    public var columns: [QueueColumns.Column]?
    /// The queue's sort column and direction (nil: by deadline, most urgent first).
    public var sortColumn: SortColumn?
    public var sortDescending = false
    public var warnings: [Message] = []

    public init() {}

    public static func parse(toml: String) -> DeskPreferences {
        var p = DeskPreferences()
        guard let table = try? TOMLTable(string: toml) else { return p }
        if let v = table["lang"] {
            if let s = v.string, let l = Lang(rawValue: s.lowercased()) { p.lang = l } else {
                p.warnings.append(Message("desk.prefs.bad", "lang", "vi, en"))
            }
        }
        if let v = table["mouse"] {
            if let b = v.bool { p.mouse = b } else { p.warnings.append(Message("desk.prefs.bad", "mouse", "true, false")) }
        }
        if let v = table["columns"] {
            let names = v.array.map { $0.compactMap { $0.string } } ?? []
            let cols = names.compactMap { QueueColumns.Column(rawValue: $0) }.filter { $0 != .mark }
            let known = QueueColumns.Column.allCases.filter { $0 != .mark }.map(\.rawValue).joined(separator: ", ")
            if cols.isEmpty || cols.count != names.count || v.array == nil {
                p.warnings.append(Message("desk.prefs.bad", "columns", known))
            }
            if !cols.isEmpty { p.columns = cols }
        }
        if let v = table["sort"] {
            if let text = v.string, let (column, descending) = SortColumn.parse(text) {
                p.sortColumn = column
                p.sortDescending = descending
            } else {
                let known = SortColumn.allCases.map(\.rawValue).joined(separator: ", ")
                p.warnings.append(Message("desk.prefs.bad", "sort", known + " (-: " + "↓)"))
            }
        }
        return p
    }

    public static func load(configPath: String) -> DeskPreferences {
        guard let data = FileManager.default.contents(atPath: configPath), let text = String(data: data, encoding: .utf8) else {
            return DeskPreferences()
        }
        return parse(toml: text)
    }

    /// The language: the config file's `lang`, else the locale (`Lang.from(environment:)`,
    /// Vietnamese unless it says English).
    public static func language(environment env: [String: String]) -> Lang {
        load(configPath: ThemeLoader(environment: env).configPath).lang ?? Lang.from(environment: env)
    }
}
