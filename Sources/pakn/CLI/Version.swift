import CPaknBuild
import Foundation
import PaknCore
import PaknStoreAPI

/// What `pakn --version` says: the version, the database schema this build writes (its
/// last migration and how many there are) and the build's git commit (mk/buildinfo.sh,
/// run by `make`; "unknown" for a plain `swift build` or outside a git checkout).
enum PaknVersion {
    /// pakn's version: raise it with each release.
    static let number = "0.1.0"

    static var build: String { String(cString: pakn_build_commit()) }

    /// One line, for `--help` and ArgumentParser's own `--version`.
    static var summary: String { "\(number) (schema \(Engines.fileSchema.name), \(Engines.fileSchema.migrations) migrations; build \(build))" }

    static func text(_ lang: Lang) -> String {
        [L10n.t("version.line", lang, number),
         L10n.t("version.schema", lang, Engines.fileSchema.name, Engines.fileSchema.migrations),
         L10n.t("version.build", lang, build)].joined(separator: "\n")
    }

    struct JSON: Encodable {
        struct Schema: Encodable { var name: String; var migrations: Int }
        var version: String
        var schema: Schema
        var build: String
    }

    static var json: JSON {
        JSON(version: number, schema: .init(name: Engines.fileSchema.name, migrations: Engines.fileSchema.migrations), build: build)
    }

    /// `pakn --version [--json]` (after `GlobalArguments.reorder`, which moves leading global
    /// options to the end): handled here, in the reader's language, before the parser.
    /// Returns false when the arguments are something else.
    static func handle(_ args: [String]) -> Bool {
        guard args.first == "--version" else { return false }
        var json = false
        var i = 1
        while i < args.count {
            let a = args[i]
            if a == "--json" { json = true; i += 1; continue }
            if GlobalArguments.withValue.contains(a), i + 1 < args.count { i += 2; continue }
            if let eq = a.firstIndex(of: "="), GlobalArguments.withValue.contains(String(a[..<eq])) { i += 1; continue }
            let lang = GlobalArguments.lang(args)
            FileHandle.standardError.write(Data("pakn: \(L10n.t("version.bad_argument", lang, SafeText.clean(a, keepNewlines: false)))\n".utf8))
            Foundation.exit(Exit.usage)
        }
        if json {
            print((try? SafeText.json(Self.json, pretty: true)) ?? "{}")
        } else {
            print(text(GlobalArguments.lang(args)))
        }
        return true
    }
}
