import PaknCore
import TOMLKit

/// Why a theme or the config file could not be used. Shown to the person before the desk
/// opens, in their language.
public enum ThemeError: Error, Equatable, Localized {
    /// No theme of that name in any theme folder nor built in.
    case notFound(name: String, available: [String])
    /// The file is not valid TOML.
    case syntax(origin: String, line: Int, column: Int, detail: String)
    /// A value or key the theme format does not allow.
    case invalid(origin: String, detail: String)
    /// Roles the theme leaves undefined (and it does not `extends` another theme).
    case missingRoles(origin: String, roles: [String])
    /// The file exists but cannot be read.
    case unreadable(path: String)

    public func text(_ lang: Lang) -> String {
        switch self {
        case let .notFound(name, available):
            return L10n.t("theme.not_found", lang, name, available.joined(separator: ", "))
        case let .syntax(origin, line, column, detail):
            return L10n.t("theme.syntax", lang, origin, line, column, detail)
        case let .invalid(origin, detail):
            return L10n.t("theme.invalid", lang, origin, detail)
        case let .missingRoles(origin, roles):
            return L10n.t("theme.missing_roles", lang, origin, roles.joined(separator: ", "))
        case let .unreadable(path):
            return L10n.t("theme.unreadable", lang, path)
        }
    }
}

/// Reads a theme file:
///
/// ```toml
/// background = "dark"          # or "light": the terminal background the theme expects
/// extends = "default"          # optional: take undefined roles from another theme
///
/// [palette]                    # named colours: a name (cyan, bright-black), 0–255, "#rrggbb"
/// accent = 37
///
/// [roles]                      # every StyleRole raw value → palette name or colour + attributes
/// normal = {}
/// "queue.selected" = { fg = "black", bg = "accent", bold = true }
/// ```
public enum ThemeParser {
    static let topLevelKeys: Set<String> = ["name", "description", "background", "extends", "palette", "roles"]
    static let roleKeys: Set<String> = Set(["fg", "bg"] + TextAttributes.named.map(\.0))

    /// Parses `text`. `origin` names the file in messages. `loadBase` loads the theme named
    /// by `extends` (none: `extends` is an error).
    public static func parse(_ text: String, name: String, origin: String,
                             loadBase: ((String) throws -> Theme)? = nil) throws -> Theme {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ThemeError.syntax(origin: origin, line: error.source.begin.line, column: error.source.begin.column,
                                    detail: error.description)
        }
        for key in root.keys where !topLevelKeys.contains(key) {
            throw ThemeError.invalid(origin: origin, detail: "unknown key '\(key)'")
        }

        var background = Theme.Background.dark
        if let value = root["background"] {
            guard let s = value.string, let b = Theme.Background(rawValue: s) else {
                throw ThemeError.invalid(origin: origin, detail: "background must be \"dark\" or \"light\"")
            }
            background = b
        }

        var base: Theme?
        if let value = root["extends"] {
            guard let baseName = value.string else {
                throw ThemeError.invalid(origin: origin, detail: "extends must be a theme name")
            }
            guard let loadBase, baseName != name else {
                throw ThemeError.invalid(origin: origin, detail: "cannot extend '\(baseName)' here")
            }
            base = try loadBase(baseName)
            if root["background"] == nil, let base { background = base.background }
        }

        // Palette: name → colour.
        var palette: [String: ThemeColor] = [:]
        if let value = root["palette"] {
            guard let table = value.table else {
                throw ThemeError.invalid(origin: origin, detail: "[palette] must be a table")
            }
            for key in table.keys {
                guard let color = literalColor(table[key]) else {
                    throw ThemeError.invalid(origin: origin, detail: "palette.\(key): not a colour (\(describe(table[key])))")
                }
                palette[key] = color
            }
        }

        // Roles.
        var styles = base?.styles ?? [:]
        guard let rolesValue = root["roles"], let roles = rolesValue.table else {
            throw ThemeError.invalid(origin: origin, detail: "missing [roles] table")
        }
        for key in roles.keys {
            guard let role = StyleRole(rawValue: key) else {
                throw ThemeError.invalid(origin: origin, detail: "unknown role '\(key)'")
            }
            guard let entry = roles[key]?.table else {
                throw ThemeError.invalid(origin: origin, detail: "roles.\(key) must be a table such as { fg = \"white\", bold = true }")
            }
            var style = ThemeStyle()
            for attrKey in entry.keys {
                guard roleKeys.contains(attrKey) else {
                    throw ThemeError.invalid(origin: origin, detail: "roles.\(key): unknown key '\(attrKey)'")
                }
            }
            for (field, keyPath) in [("fg", \ThemeStyle.fg), ("bg", \ThemeStyle.bg)] {
                guard let raw = entry[field] else { continue }
                if let s = raw.string, let color = palette[s] {
                    style[keyPath: keyPath] = color
                } else if let color = literalColor(raw) {
                    style[keyPath: keyPath] = color
                } else {
                    throw ThemeError.invalid(origin: origin,
                                             detail: "roles.\(key).\(field): '\(describe(raw))' is neither in [palette] nor a colour")
                }
            }
            for (attrName, attr) in TextAttributes.named {
                guard let raw = entry[attrName] else { continue }
                guard let on = raw.bool else {
                    throw ThemeError.invalid(origin: origin, detail: "roles.\(key).\(attrName) must be true or false")
                }
                if on { style.attributes.insert(attr) }
            }
            styles[role] = style
        }

        let missing = StyleRole.allCases.filter { styles[$0] == nil }.map(\.rawValue)
        if !missing.isEmpty { throw ThemeError.missingRoles(origin: origin, roles: missing) }
        let displayName = root["name"]?.string ?? name
        return Theme(name: displayName, background: background, styles: styles)
    }

    static func literalColor(_ value: TOMLValueConvertible?) -> ThemeColor? {
        guard let value else { return nil }
        if let n = value.int { return ThemeColor(index: n) }
        if let s = value.string { return ThemeColor(literal: s) }
        return nil
    }

    static func describe(_ value: TOMLValueConvertible?) -> String {
        guard let value else { return "nothing" }
        if let s = value.string { return s }
        if let n = value.int { return String(n) }
        return value.debugDescription
    }
}
