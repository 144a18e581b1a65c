import PaknCore

/// The `?` overlay: every key of the contexts that were active, from the registry.
public enum HelpText {
    /// The actions of a context that have a key there, in registry order.
    public static func entries(_ map: KeyMap, _ ctx: KeyContext) -> [(keys: [Key], action: DeskAction)] {
        ActionRegistry.all.filter { $0.contexts.contains(ctx) }.compactMap { a in
            let keys = map.keys(for: a.id, in: ctx)
            return keys.isEmpty ? nil : (keys, a)
        }
    }

    /// How a key list reads in help: `j, Down`, or `1…9` for numbered actions.
    public static func keyText(_ keys: [Key], _ action: DeskAction) -> String {
        if action.indexed && keys.count > 2 {
            return keys.first!.description + "…" + keys.last!.description
        }
        return keys.map(\.description).joined(separator: ", ")
    }

    public static func lines(_ s: DeskState, contexts: [KeyContext]) -> [StyledLine] {
        var out: [StyledLine] = []
        for ctx in contexts {
            let list = entries(s.keyMap, ctx)
            guard !list.isEmpty else { continue }
            if !out.isEmpty { out.append([]) }
            out.append([Span(ctx.label(s.lang), .emphasis)])
            for (keys, a) in list {
                out.append([Span("  " + TerminalText.pad(keyText(keys, a), to: 14), .helpKey), Span(a.help(s.lang), .helpText)])
            }
        }
        if contexts.contains(.editor) || contexts.contains(.prompt) || contexts.contains(.picker) {
            out.append([])
            out.append([Span(L10n.t("desk.help.typing", s.lang), .dim)])
        }
        return out
    }
}
