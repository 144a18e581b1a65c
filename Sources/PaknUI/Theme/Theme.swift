/// Text attributes a theme can give a role. Monochrome themes use only these.
public struct TextAttributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = TextAttributes(rawValue: 1 << 0)
    public static let dim = TextAttributes(rawValue: 1 << 1)
    public static let underline = TextAttributes(rawValue: 1 << 2)
    public static let reverse = TextAttributes(rawValue: 1 << 3)
    public static let italic = TextAttributes(rawValue: 1 << 4)

    /// The names used as keys in theme files, in a stable order.
    public static let named: [(String, TextAttributes)] = [
        ("bold", .bold), ("dim", .dim), ("underline", .underline), ("reverse", .reverse), ("italic", .italic),
    ]
}

/// How one `StyleRole` looks: colours (already resolved from the palette) and attributes.
public struct ThemeStyle: Hashable, Sendable {
    public var fg: ThemeColor
    public var bg: ThemeColor
    public var attributes: TextAttributes

    public init(fg: ThemeColor = .terminalDefault, bg: ThemeColor = .terminalDefault, attributes: TextAttributes = []) {
        self.fg = fg; self.bg = bg; self.attributes = attributes
    }

    public static let plain = ThemeStyle()
}

/// A complete theme: a style for every `StyleRole`. Built from a TOML file in `themes/`
/// (see `ThemeParser`); the terminal adapts it to what it can show with `adapted(toColors:)`.
public struct Theme: Sendable, Equatable {
    /// Whether the theme expects a dark or a light terminal background. Used when colours
    /// are reduced: text whose colour would vanish into the background is flipped.
    public enum Background: String, Sendable, Equatable { case dark, light }

    public var name: String
    public var background: Background
    public var styles: [StyleRole: ThemeStyle]

    public init(name: String, background: Background, styles: [StyleRole: ThemeStyle]) {
        self.name = name; self.background = background; self.styles = styles
    }

    public func style(_ role: StyleRole) -> ThemeStyle { styles[role] ?? styles[.normal] ?? .plain }

    /// Whether the theme uses no colour at all (attributes only).
    public var isMonochrome: Bool {
        styles.values.allSatisfy { $0.fg == .terminalDefault && $0.bg == .terminalDefault }
    }

    /// The theme as a terminal with `colors` colours can show it: unchanged with 256 or
    /// more; each colour mapped to the nearest of 16 or 8 (keeping text readable: a
    /// foreground that would equal its background is flipped to black or white); with
    /// fewer than 8, the built-in monochrome theme.
    public func adapted(toColors colors: Int) -> Theme {
        if colors >= 256 { return self }
        if colors < 8 { return Theme.monochrome }
        var out = self
        let terminalBackground: ThemeColor = background == .dark ? .indexed(0) : .indexed(7)
        for (role, style) in styles {
            var s = style
            s.fg = style.fg.reduced(to: colors)
            s.bg = style.bg.reduced(to: colors)
            let effectiveBg = s.bg == .terminalDefault ? terminalBackground : s.bg
            let effectiveFg: ThemeColor = s.fg == .terminalDefault
                ? (background == .dark ? .indexed(7) : .indexed(0)) : s.fg
            let bgIsDark = effectiveBg.isDark ?? (background == .dark)
            let contrast: ThemeColor = bgIsDark ? .indexed(colors >= 16 ? 15 : 7) : .indexed(0)
            if Theme.sameOnScreen(effectiveFg, effectiveBg, colors: colors) {
                s.fg = contrast
            } else if s.bg != .terminalDefault, !Theme.sameOnScreen(s.bg, terminalBackground, colors: colors),
                      let fgDark = effectiveFg.isDark, fgDark == bgIsDark {
                // A bar or highlight in a basic colour: light text on cyan, say, is hard to
                // read; use black or white instead.
                s.fg = contrast
            }
            // With eight colours a mid grey becomes plain white or black: keep it quieter.
            if colors < 16, let n = style.fg.index, n >= 16, ThemeColor.isMidGrey(n) {
                s.attributes.insert(.dim)
            }
            out.styles[role] = s
        }
        return out
    }

    /// Whether two colours look the same on a terminal with `colors` colours.
    static func sameOnScreen(_ a: ThemeColor, _ b: ThemeColor, colors: Int) -> Bool {
        guard let x = a.index, let y = b.index else { return false }
        return colors >= 16 ? x == y : x % 8 == y % 8
    }

    /// The theme pakn falls back to without colours (NO_COLOR, or a terminal without
    /// colours): the shipped `monochrome` theme.
    public static let monochrome: Theme = {
        // The bundled copy always parses: a test checks it.
        (try? ThemeParser.parse(BundledThemes.files["monochrome"] ?? "", name: "monochrome", origin: "bundled:monochrome"))
            ?? Theme(name: "monochrome", background: .dark, styles: [:])
    }()

    /// The default dark theme as bundled in the binary.
    public static let bundledDefault: Theme = {
        (try? ThemeParser.parse(BundledThemes.files["default"] ?? "", name: "default", origin: "bundled:default"))
            ?? Theme.monochrome
    }()
}
