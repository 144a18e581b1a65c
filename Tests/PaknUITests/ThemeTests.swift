import Foundation
import PaknCore
import Testing
@testable import PaknUI

/// The repository's `themes/` folder, found from this file's path.
private let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path
private let themesDir = repoRoot + "/themes"

private func shippedThemeNames() -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: themesDir)) ?? [])
        .filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.sorted()
}

/// A loader that sees only the given environment and a scratch directory (no real config).
private func isolatedLoader(_ env: [String: String] = [:], cwd: String = repoRoot) -> ThemeLoader {
    var e = env
    if e["HOME"] == nil { e["HOME"] = "/nonexistent-pakn-home" }
    return ThemeLoader(environment: e, executablePath: nil, currentDirectory: cwd)
}

private func scratchDir() throws -> String {
    let dir = NSTemporaryDirectory() + "pakn-theme-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

@Suite("Themes")
struct ThemeTests {
    @Test func theFourThemesShip() {
        #expect(shippedThemeNames() == ["default", "high-contrast", "light", "monochrome"])
        #expect(Set(BundledThemes.files.keys) == Set(shippedThemeNames()))
    }

    @Test("Each shipped theme defines every role itself", arguments: shippedThemeNames())
    func shippedThemeIsComplete(name: String) throws {
        let path = themesDir + "/\(name).toml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.split(separator: "\n").contains { $0.hasPrefix("extends") }, "shipped themes stand alone")
        let theme = try ThemeParser.parse(text, name: name, origin: path)
        for role in StyleRole.allCases {
            #expect(theme.styles[role] != nil, "\(name) lacks \(role.rawValue)")
        }
        #expect(theme.name == name)
        // Colours resolve to the terminal default or a real index.
        for (role, style) in theme.styles {
            for c in [style.fg, style.bg] {
                if let n = c.index { #expect((0...255).contains(n), "\(name) \(role)") }
            }
        }
    }

    @Test("The copy built into the binary matches themes/", arguments: shippedThemeNames())
    func bundledCopyIsCurrent(name: String) throws {
        let file = try String(contentsOfFile: themesDir + "/\(name).toml", encoding: .utf8)
        let bundled = try #require(BundledThemes.files[name])
        #expect(bundled.trimmingCharacters(in: .newlines) == file.trimmingCharacters(in: .newlines),
                "run `make themes` (mk/embed-themes.sh) after editing themes/\(name).toml")
    }

    @Test("Colour themes stay readable on 8 and 16 colours", arguments: shippedThemeNames())
    func reducedColours(name: String) throws {
        let theme = try isolatedLoader().load(name)
        for colors in [8, 16] {
            let t = theme.adapted(toColors: colors)
            for role in StyleRole.allCases {
                let s = t.style(role)
                for c in [s.fg, s.bg] {
                    if let n = c.index { #expect(n < colors, "\(name)/\(colors): \(role.rawValue) uses \(n)") }
                }
                // Text never takes the colour of what is behind it.
                let bg = s.bg == .terminalDefault ? (t.background == .dark ? 0 : 7) : s.bg.index!
                let fg = s.fg == .terminalDefault ? (t.background == .dark ? 7 : 0) : s.fg.index!
                #expect(colors == 8 ? fg % 8 != bg % 8 : fg != bg, "\(name)/\(colors): \(role.rawValue) invisible")
                // On a coloured bar, light text goes on dark colours and dark text on light.
                let terminalBg = t.background == .dark ? 0 : 7
                if s.bg != .terminalDefault, bg % 8 != terminalBg {
                    #expect(ThemeColor.indexed(fg).isDark != ThemeColor.indexed(bg).isDark,
                            "\(name)/\(colors): \(role.rawValue) \(fg) on \(bg)")
                }
            }
            // The selection bar stays distinct from an ordinary row.
            #expect(t.style(.queueSelected) != t.style(.queueRow), "\(name)/\(colors)")
            #expect(t.style(.pickerSelected) != t.style(.pickerItem), "\(name)/\(colors)")
            #expect(t.style(.deadlineOverdue) != t.style(.deadlineOk), "\(name)/\(colors)")
        }
    }

    @Test("Without colours every theme becomes the monochrome one", arguments: shippedThemeNames())
    func noColours(name: String) throws {
        let t = try isolatedLoader().load(name).adapted(toColors: 0)
        #expect(t.isMonochrome)
        #expect(t == Theme.monochrome)
        #expect(t.style(.queueSelected) != t.style(.queueRow))
        #expect(t.style(.pickerSelected) != t.style(.pickerItem))
        #expect(t.style(.statusLine).attributes.contains(.reverse))
    }

    @Test func monochromeUsesAttributesOnly() throws {
        let t = try isolatedLoader().load("monochrome")
        #expect(t.isMonochrome)
        #expect(t.adapted(toColors: 8) == t)
        #expect(Theme.monochrome.styles.count == StyleRole.allCases.count)
        #expect(Theme.bundledDefault.styles.count == StyleRole.allCases.count)
    }

    @Test func colourLiterals() {
        #expect(ThemeColor(literal: "default") == .terminalDefault)
        #expect(ThemeColor(literal: "cyan") == .indexed(6))
        #expect(ThemeColor(literal: "Bright-Red") == .indexed(9))
        #expect(ThemeColor(literal: "grey") == .indexed(8))
        #expect(ThemeColor(literal: "238") == .indexed(238))
        #expect(ThemeColor(literal: "256") == nil)
        #expect(ThemeColor(literal: "#005f87") == .indexed(24))
        #expect(ThemeColor(literal: "#ffffff") == .indexed(231))
        #expect(ThemeColor(literal: "teal") == nil)
    }

    @Test func reducingKeepsHueAndSplitsGreys() {
        #expect(ThemeColor.indexed(24).reduced(to: 8) == .indexed(6))     // steel blue → cyan, not black
        #expect(ThemeColor.indexed(17).reduced(to: 8) == .indexed(4))     // navy → blue
        #expect(ThemeColor.indexed(167).reduced(to: 8) == .indexed(1))    // soft red → red
        #expect(ThemeColor.indexed(179).reduced(to: 8) == .indexed(3))    // amber → yellow
        #expect(ThemeColor.indexed(236).reduced(to: 8) == .indexed(0))    // dark grey → black
        #expect(ThemeColor.indexed(252).reduced(to: 8) == .indexed(7))    // light grey → white
        #expect(ThemeColor.indexed(245).reduced(to: 16) == .indexed(8))    // muted grey → bright black
        #expect(ThemeColor.indexed(250).reduced(to: 16) == .indexed(7))
        #expect(ThemeColor.indexed(240).reduced(to: 16) == .indexed(8))
        #expect(ThemeColor.indexed(12).reduced(to: 8) == .indexed(4))     // bright blue → blue
        #expect(ThemeColor.indexed(12).reduced(to: 16) == .indexed(12))
        #expect(ThemeColor.indexed(196).reduced(to: 16) == .indexed(9))   // vivid red → bright red
        #expect(ThemeColor.terminalDefault.reduced(to: 8) == .terminalDefault)
        #expect(ThemeColor.indexed(100).reduced(to: 256) == .indexed(100))
    }

    // MARK: - Choosing a theme

    @Test func defaultIsTheDarkTheme() throws {
        let t = try isolatedLoader().resolve(requested: nil)
        #expect(t.name == "default")
        #expect(t.background == .dark)
    }

    @Test func noColorMeansMonochrome() throws {
        #expect(try isolatedLoader(["NO_COLOR": "1"]).resolve(requested: nil).isMonochrome)
        #expect(try isolatedLoader(["NO_COLOR": ""]).resolve(requested: nil).isMonochrome)
        // An explicit --theme on the command line wins (no-color.org).
        #expect(try isolatedLoader(["NO_COLOR": "1"]).resolve(requested: "light").name == "light")
    }

    @Test func configFileChoosesTheTheme() throws {
        let dir = try scratchDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/pakn", withIntermediateDirectories: true)
        try "# mine\ntheme = \"light\"\nother = 3\n".write(toFile: dir + "/pakn/config.toml", atomically: true, encoding: .utf8)
        let loader = isolatedLoader(["XDG_CONFIG_HOME": dir])
        #expect(loader.configPath == dir + "/pakn/config.toml")
        #expect(try loader.configuredThemeName() == "light")
        #expect(try loader.resolve(requested: nil).name == "light")
        #expect(try loader.resolve(requested: "high-contrast").name == "high-contrast")
        // NO_COLOR beats the config file.
        #expect(try isolatedLoader(["XDG_CONFIG_HOME": dir, "NO_COLOR": "x"]).resolve(requested: nil).isMonochrome)
    }

    @Test func configDefaultsToHomeDotConfig() {
        let loader = ThemeLoader(environment: ["HOME": "/home/cb"], executablePath: nil, currentDirectory: "/")
        #expect(loader.configPath == "/home/cb/.config/pakn/config.toml")
    }

    @Test func brokenConfigIsReportedWithItsLine() throws {
        let dir = try scratchDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/pakn", withIntermediateDirectories: true)
        try "\ntheme = light\n".write(toFile: dir + "/pakn/config.toml", atomically: true, encoding: .utf8)
        let error = #expect(throws: ThemeError.self) { try isolatedLoader(["XDG_CONFIG_HOME": dir]).resolve(requested: nil) }
        guard case let .syntax(origin, line, _, _) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(origin.hasSuffix("config.toml"))
        #expect(line == 2)
    }

    @Test func installedBinaryFindsBundledThemesWithoutTheFolder() throws {
        let dir = try scratchDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let loader = ThemeLoader(environment: ["HOME": dir], executablePath: dir + "/bin/pakn", currentDirectory: dir)
        for name in shippedThemeNames() {
            #expect(try loader.load(name).styles.count == StyleRole.allCases.count)
        }
        #expect(loader.searchDirectories.contains(dir + "/bin/themes"))
        #expect(loader.searchDirectories.contains(dir + "/share/pakn/themes"))
    }

    @Test func ownThemeCanExtendAShippedOne() throws {
        let dir = try scratchDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/pakn/themes", withIntermediateDirectories: true)
        try """
        extends = "light"
        [palette]
        hot = "#ff0000"
        [roles]
        "deadline.overdue" = { fg = "hot", bold = true, underline = true }
        """.write(toFile: dir + "/pakn/themes/mine.toml", atomically: true, encoding: .utf8)
        let loader = isolatedLoader(["XDG_CONFIG_HOME": dir])
        let mine = try loader.load("mine")
        let light = try loader.load("light")
        #expect(mine.background == .light)
        #expect(mine.style(.deadlineOverdue) == ThemeStyle(fg: .indexed(196), attributes: [.bold, .underline]))
        #expect(mine.style(.queueSelected) == light.style(.queueSelected))
        #expect(loader.availableNames().contains("mine"))
        // A path works too.
        #expect(try loader.load(dir + "/pakn/themes/mine.toml").style(.deadlineOverdue).fg == .indexed(196))
    }

    @Test func unknownThemeListsTheAvailableOnes() {
        let error = #expect(throws: ThemeError.self) { try isolatedLoader().load("rainbow") }
        guard case let .notFound(name, available) = error else { Issue.record("wrong error"); return }
        #expect(name == "rainbow")
        #expect(available.contains("default") && available.contains("monochrome"))
        let vi = error!.text(.vi), en = error!.text(.en)
        #expect(vi.contains("rainbow") && vi.contains("light") && vi.hasPrefix("Không có giao diện"))
        #expect(en.hasPrefix("No theme \"rainbow\""))
    }

    @Test func mistakesInAThemeAreExplained() {
        func error(_ text: String) -> ThemeError? {
            #expect(throws: ThemeError.self) { try ThemeParser.parse(text, name: "t", origin: "t.toml") }
        }
        let all = StyleRole.allCases.map { "\"\($0.rawValue)\" = {}" }.joined(separator: "\n")
        #expect(throws: Never.self) { try ThemeParser.parse("[roles]\n" + all, name: "t", origin: "t.toml") }

        guard case let .missingRoles(_, roles) = error("[roles]\nnormal = {}") else { Issue.record("missing"); return }
        #expect(roles.count == StyleRole.allCases.count - 1 && roles.contains("queue.selected"))

        guard case let .invalid(_, d1) = error("[roles]\n\"queue.selectd\" = {}\n" + all) else { Issue.record("role"); return }
        #expect(d1.contains("queue.selectd"))
    }

    @Test func badColourAndAttributeAreNamed() {
        let others = StyleRole.allCases.filter { $0 != .normal }.map { "\"\($0.rawValue)\" = {}" }.joined(separator: "\n")
        for (bad, needle) in [("normal = { fg = \"teal\" }", "teal"), ("normal = { bold = 1 }", "bold"),
                              ("normal = { blink = true }", "blink"), ("normal = \"red\"", "normal")] {
            do {
                _ = try ThemeParser.parse("[roles]\n\(bad)\n\(others)", name: "t", origin: "t.toml")
                Issue.record("accepted \(bad)")
            } catch let e as ThemeError {
                guard case let .invalid(_, detail) = e else { Issue.record("\(e)"); continue }
                #expect(detail.contains(needle), "\(detail)")
                #expect(e.text(.vi).hasPrefix("Tệp t.toml không hợp lệ"))
            } catch { Issue.record("\(error)") }
        }
    }

    @Test func syntaxErrorsCarryTheLine() {
        do {
            _ = try ThemeParser.parse("[palette]\nx = 1\n[roles\n", name: "t", origin: "t.toml")
            Issue.record("accepted")
        } catch let e as ThemeError {
            guard case let .syntax(_, line, _, _) = e else { Issue.record("\(e)"); return }
            #expect(line == 3)
            #expect(e.text(.en).contains("line 3"))
        } catch { Issue.record("\(error)") }
    }
}
