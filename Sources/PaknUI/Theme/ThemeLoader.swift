import Foundation
import TOMLKit

/// Finds and loads themes.
///
/// Which theme: `--theme NAME` if given; else `NO_COLOR` set (any value) → `monochrome`;
/// else `theme = "NAME"` in the config file (`$XDG_CONFIG_HOME/pakn/config.toml`, default
/// `~/.config/pakn/config.toml`); else `default`. A name containing `/` or ending in
/// `.toml` is a path to a theme file.
///
/// Where a named theme is looked for, first match wins:
/// 1. `$XDG_CONFIG_HOME/pakn/themes/NAME.toml` (a person's own themes),
/// 2. `themes/` next to the executable, then `../share/pakn/themes/` from it (installs),
/// 3. `themes/` in the current directory (a source checkout),
/// 4. the copies built into the binary (`BundledThemes`), so an installed binary alone works.
public struct ThemeLoader: Sendable {
    public var environment: [String: String]
    public var executablePath: String?
    public var currentDirectory: String

    public init(environment: [String: String] = ProcessInfo.processInfo.environment,
                executablePath: String? = Bundle.main.executablePath,
                currentDirectory: String = FileManager.default.currentDirectoryPath) {
        self.environment = environment
        self.executablePath = executablePath
        self.currentDirectory = currentDirectory
    }

    /// `$XDG_CONFIG_HOME/pakn`, or `~/.config/pakn`.
    public var configDirectory: String {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/pakn" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.config/pakn"
    }

    public var configPath: String { configDirectory + "/config.toml" }

    /// Whether `NO_COLOR` asks for no colour (set to any value).
    public var noColor: Bool { environment["NO_COLOR"] != nil }

    /// Folders searched for `NAME.toml`, in order (existing or not).
    public var searchDirectories: [String] {
        var dirs = [configDirectory + "/themes"]
        if let exe = executablePath {
            var exeDirs: [String] = []
            let url = URL(fileURLWithPath: exe)
            for u in [url, url.resolvingSymlinksInPath()] {
                let dir = u.deletingLastPathComponent().path
                if !exeDirs.contains(dir) { exeDirs.append(dir) }
            }
            for dir in exeDirs {
                dirs.append(dir + "/themes")
                dirs.append((dir as NSString).deletingLastPathComponent + "/share/pakn/themes")
            }
        }
        dirs.append(currentDirectory + "/themes")
        var seen = Set<String>()
        return dirs.filter { seen.insert($0).inserted }
    }

    /// The theme name the config file asks for, if any.
    public func configuredThemeName() throws -> String? {
        let path = configPath
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ThemeError.unreadable(path: path)
        }
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ThemeError.syntax(origin: path, line: error.source.begin.line, column: error.source.begin.column,
                                    detail: error.description)
        }
        guard let value = root["theme"] else { return nil }
        guard let name = value.string, !name.isEmpty else {
            throw ThemeError.invalid(origin: path, detail: "theme must be a name such as \"light\"")
        }
        return name
    }

    /// Every theme name that can be loaded (bundled ones and those in the search folders).
    public func availableNames() -> [String] {
        var names = Set(BundledThemes.files.keys)
        for dir in searchDirectories {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            for f in files where f.hasSuffix(".toml") { names.insert(String(f.dropLast(5))) }
        }
        return names.sorted()
    }

    /// The theme the desk should use, given `--theme` (nil when not given).
    public func resolve(requested: String?) throws -> Theme {
        if let requested, !requested.isEmpty { return try load(requested) }
        if noColor { return try load("monochrome") }
        return try load(configuredThemeName() ?? "default")
    }

    /// Loads a theme by name or path.
    public func load(_ nameOrPath: String) throws -> Theme {
        try load(nameOrPath, depth: 0)
    }

    private func load(_ nameOrPath: String, depth: Int) throws -> Theme {
        guard depth < 4 else { throw ThemeError.invalid(origin: nameOrPath, detail: "extends goes too deep") }
        let base: (String) throws -> Theme = { try self.load($0, depth: depth + 1) }
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml") {
            let path = nameOrPath.hasPrefix("/") ? nameOrPath : currentDirectory + "/" + nameOrPath
            let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            return try ThemeParser.parse(try read(path), name: name, origin: path, loadBase: base)
        }
        for dir in searchDirectories {
            let path = dir + "/" + nameOrPath + ".toml"
            if FileManager.default.fileExists(atPath: path) {
                return try ThemeParser.parse(try read(path), name: nameOrPath, origin: path, loadBase: base)
            }
        }
        if let text = BundledThemes.files[nameOrPath] {
            return try ThemeParser.parse(text, name: nameOrPath, origin: "bundled:\(nameOrPath)", loadBase: base)
        }
        throw ThemeError.notFound(name: nameOrPath, available: availableNames())
    }

    private func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ThemeError.unreadable(path: path)
        }
        return text
    }
}
