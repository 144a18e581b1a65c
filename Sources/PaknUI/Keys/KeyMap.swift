import PaknCore
import TOMLKit

/// The keys bound to each action: the registry's defaults, with the user's overrides.
public struct KeyMap: Equatable, Sendable {
    public private(set) var keys: [ActionID: [Key]]
    private var lookup: [KeyContext: [Key: ActionID]]

    /// The defaults, overridden action by action (an empty list unbinds an action).
    public init(overrides: [ActionID: [Key]] = [:]) {
        var keys: [ActionID: [Key]] = [:]
        for a in ActionRegistry.all { keys[a.id] = overrides[a.id] ?? a.defaultKeys }
        self.keys = keys
        var lookup: [KeyContext: [Key: ActionID]] = [:]
        // Overridden actions first, so a rebinding wins over a default it collides with.
        let ordered = ActionRegistry.all.filter { overrides[$0.id] != nil } + ActionRegistry.all.filter { overrides[$0.id] == nil }
        for a in ordered {
            for ctx in a.contexts {
                for k in keys[a.id] ?? [] where !(ctx.typesText && k.typedText != nil) {
                    if lookup[ctx, default: [:]][k] == nil { lookup[ctx, default: [:]][k] = a.id }
                }
            }
        }
        self.lookup = lookup
    }

    public static let standard = KeyMap()

    public func keys(for id: ActionID) -> [Key] { keys[id] ?? [] }

    /// The keys of an action that work in a context (text keys do not act where you type).
    public func keys(for id: ActionID, in ctx: KeyContext) -> [Key] {
        keys(for: id).filter { !(ctx.typesText && $0.typedText != nil) && lookup[ctx]?[$0] == id }
    }

    /// The action a key triggers in the first of `contexts` that binds it, with the key's
    /// position among the action's keys (for `choose`, `score`, `insert_template`).
    public func action(for key: Key, in contexts: [KeyContext]) -> (id: ActionID, index: Int)? {
        for ctx in contexts {
            if let id = lookup[ctx]?[key] {
                return (id, keys(for: id).firstIndex(of: key) ?? 0)
            }
        }
        return nil
    }

    /// Pairs of actions that share a key within one context (after overrides).
    public func conflicts() -> [(KeyContext, Key, ActionID, ActionID)] {
        var out: [(KeyContext, Key, ActionID, ActionID)] = []
        for ctx in KeyContext.allCases {
            var seen: [Key: ActionID] = [:]
            for a in ActionRegistry.all where a.contexts.contains(ctx) {
                for k in keys(for: a.id) where !(ctx.typesText && k.typedText != nil) {
                    if let other = seen[k], other != a.id { out.append((ctx, k, other, a.id)) } else { seen[k] = a.id }
                }
            }
        }
        return out
    }
}

/// The `[keys]` table of `~/.config/pakn/config.toml`:
///
/// ```toml
/// [keys]
/// assign = "a"            # one key
/// reply = ["R", "C-r"]    # several keys
/// reject = []             # no key (still available as :reject)
/// ```
///
/// Names are those of `ActionID` (see docs/keybindings.md); keys are written as `Key`
/// names (`a`, `Space`, `Enter`, `C-s`, `M-1`, `PgDn`, `F1`).
public enum KeyConfig {
    public struct Result: Sendable {
        public var overrides: [ActionID: [Key]]
        /// Problems found, each already in the reader's language.
        public var warnings: [Message]
        public var keyMap: KeyMap { KeyMap(overrides: overrides) }
    }

    /// Parses a whole config file and reads its `[keys]` table. Other tables are ignored.
    /// A syntax error yields no overrides and one warning; bad entries are skipped with a warning.
    public static func parse(toml: String) -> Result {
        let table: TOMLTable
        do { table = try TOMLTable(string: toml) } catch let e as TOMLParseError {
            return Result(overrides: [:], warnings: [Message("desk.keys.syntax", e.source.begin.line, e.description)])
        } catch {
            return Result(overrides: [:], warnings: [Message("desk.keys.syntax", 0, "\(error)")])
        }
        guard let keysValue = table["keys"] else { return Result(overrides: [:], warnings: []) }
        guard let keys = keysValue.table else {
            return Result(overrides: [:], warnings: [Message("desk.keys.not_table")])
        }
        var overrides: [ActionID: [Key]] = [:]
        var warnings: [Message] = []
        for name in keys.keys.sorted() {
            guard let id = ActionID(rawValue: name) else { warnings.append(Message("desk.keys.unknown_action", name)); continue }
            guard let value = keys[name] else { continue }
            var names: [String] = []
            if let s = value.string {
                names = [s]
            } else if let arr = value.array {
                var ok = true
                for v in arr {
                    if let s = v.string { names.append(s) } else { ok = false }
                }
                if !ok { warnings.append(Message("desk.keys.bad_value", name)); continue }
            } else {
                warnings.append(Message("desk.keys.bad_value", name)); continue
            }
            var parsed: [Key] = []
            for n in names {
                if let k = Key(name: n) { parsed.append(k) } else { warnings.append(Message("desk.keys.bad_key", name, n)) }
            }
            overrides[id] = parsed
        }
        let map = KeyMap(overrides: overrides)
        for (ctx, key, a, b) in map.conflicts() where overrides[a] != nil || overrides[b] != nil {
            warnings.append(Message("desk.keys.conflict", key.description, a.rawValue, b.rawValue, ctx.rawValue))
        }
        return Result(overrides: overrides, warnings: warnings)
    }
}
