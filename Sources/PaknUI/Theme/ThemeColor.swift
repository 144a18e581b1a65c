/// A colour as a theme names it: the terminal's own default, or one of the 256 indexed
/// colours (0–7 the basic eight, 8–15 their bright variants, 16–231 a 6×6×6 cube,
/// 232–255 a grey ramp). Terminals with fewer colours get each colour mapped down with
/// `reduced(to:)`.
public enum ThemeColor: Hashable, Sendable {
    case terminalDefault
    case indexed(Int)

    /// The basic eight names and their bright variants, as written in theme files.
    public static let names: [String: Int] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
        "bright-black": 8, "gray": 8, "grey": 8, "bright-red": 9, "bright-green": 10, "bright-yellow": 11,
        "bright-blue": 12, "bright-magenta": 13, "bright-cyan": 14, "bright-white": 15,
    ]

    /// Parses a literal colour: `default`, a name (`cyan`, `bright-red`), an index (`"238"`)
    /// or `#rrggbb` (mapped to the nearest of the 256 colours).
    public init?(literal raw: String) {
        let s = raw.trimmingCharacters(in: .whitespaces).lowercased()
        if s == "default" || s == "none" { self = .terminalDefault; return }
        if let n = ThemeColor.names[s] { self = .indexed(n); return }
        if let n = Int(s), (0...255).contains(n) { self = .indexed(n); return }
        if s.hasPrefix("#"), s.count == 7, let v = Int(s.dropFirst(), radix: 16) {
            self = .indexed(ThemeColor.nearest256(r: (v >> 16) & 0xFF, g: (v >> 8) & 0xFF, b: v & 0xFF))
            return
        }
        return nil
    }

    public init?(index: Int) {
        guard (0...255).contains(index) else { return nil }
        self = .indexed(index)
    }

    public var index: Int? {
        if case let .indexed(n) = self { return n }
        return nil
    }

    // MARK: - RGB of the xterm 256-colour palette

    /// The RGB an xterm shows for index `n` (the usual defaults for 0–15).
    public static func rgb(_ n: Int) -> (r: Int, g: Int, b: Int) {
        let system: [(Int, Int, Int)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
            (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        switch n {
        case 0..<16:
            return system[n]
        case 16..<232:
            let levels = [0, 95, 135, 175, 215, 255]
            let i = n - 16
            return (levels[i / 36], levels[(i / 6) % 6], levels[i % 6])
        case 232..<256:
            let v = 8 + 10 * (n - 232)
            return (v, v, v)
        default:
            return (0, 0, 0)
        }
    }

    /// The 256-colour index closest to an RGB value (cube or grey ramp; never 0–15, whose
    /// look varies between terminals).
    public static func nearest256(r: Int, g: Int, b: Int) -> Int {
        var best = 16, bestDistance = Int.max
        for n in 16..<256 {
            let c = rgb(n)
            let d = (c.r - r) * (c.r - r) * 3 + (c.g - g) * (c.g - g) * 4 + (c.b - b) * (c.b - b) * 2
            if d < bestDistance { best = n; bestDistance = d }
        }
        return best
    }

    // MARK: - Fewer colours

    /// This colour on a terminal with `colors` colours (8 or 16; 256 or more keeps it).
    /// Saturated colours keep their hue (dark blue stays blue rather than turning black, so
    /// a selection bar stays visible); greys become black or white (and, with 16 colours,
    /// the two bright greys).
    public func reduced(to colors: Int) -> ThemeColor {
        guard case let .indexed(n) = self else { return self }
        if colors >= 256 || n < min(colors, 16) { return self }
        if n < 16 { return .indexed(n % 8) }   // bright variant on an 8-colour terminal
        let (r, g, b) = ThemeColor.rgb(n)
        let hi = max(r, g, b), lo = min(r, g, b)
        let luminance = (r * 299 + g * 587 + b * 114) / 1000
        if hi - lo < 48 {
            // Grey.
            if colors >= 16 {
                switch luminance {
                case ..<50: return .indexed(0)
                case ..<150: return .indexed(8)
                case ..<220: return .indexed(7)
                default: return .indexed(15)
                }
            }
            return .indexed(luminance < 128 ? 0 : 7)
        }
        let hue = ThemeColor.hue(r: r, g: g, b: b)
        let base: Int
        switch hue {
        case ..<30, 330...: base = 1    // red
        case ..<90: base = 3            // yellow
        case ..<150: base = 2           // green
        case ..<210: base = 6           // cyan
        case ..<270: base = 4           // blue
        default: base = 5               // magenta
        }
        if colors >= 16, hi >= 230 { return .indexed(base + 8) }
        return .indexed(base)
    }

    /// A grey between dark and light (the "muted text" greys of the 256 palette).
    static func isMidGrey(_ n: Int) -> Bool {
        let (r, g, b) = rgb(n)
        let hi = max(r, g, b), lo = min(r, g, b)
        let luminance = (r * 299 + g * 587 + b * 114) / 1000
        return hi - lo < 48 && (70...200).contains(luminance)
    }

    static func hue(r: Int, g: Int, b: Int) -> Double {
        let rf = Double(r), gf = Double(g), bf = Double(b)
        let hi = max(rf, gf, bf), lo = min(rf, gf, bf), d = hi - lo
        guard d > 0 else { return 0 }
        var h: Double
        if hi == rf { h = (gf - bf) / d }
        else if hi == gf { h = (bf - rf) / d + 2 }
        else { h = (rf - gf) / d + 4 }
        h *= 60
        if h < 0 { h += 360 }
        return h
    }

    /// Whether a colour reads as dark (light text goes on it).
    public var isDark: Bool? {
        guard case let .indexed(n) = self else { return nil }
        switch n {
        case 0, 1, 4, 5, 8: return true
        case 2, 3, 6, 7, 9...15: return false
        default:
            let (r, g, b) = ThemeColor.rgb(n)
            return (r * 299 + g * 587 + b * 114) / 1000 < 128
        }
    }
}

extension ThemeColor: CustomStringConvertible {
    public var description: String {
        switch self {
        case .terminalDefault: return "default"
        case let .indexed(n): return String(n)
        }
    }
}
