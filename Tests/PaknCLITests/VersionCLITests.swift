import Foundation
import PaknStore
import Testing

/// `pakn --version`: the version, the schema this build writes (its last migration and how
/// many there are) and the build, in the reader's language; `--json` for scripts.
@Suite struct VersionCLITests {
    @Test func theVersionNamesTheSchemaAndTheBuild() throws {
        var cli = CLI(db: CLI.tempDB("version"))
        cli.lang = "en"
        let en = try cli.ok(["--version"]).stdout.split(separator: "\n").map(String.init)
        #expect(en.count == 3)
        #expect(en[0].hasPrefix("pakn ") && en[0].split(separator: ".").count == 3, "\(en)")
        #expect(en[1] == "Database schema: \(SchemaVersion.name) (\(SchemaVersion.count) migrations)")
        #expect(SchemaVersion.name == "v6-plain-text" || SchemaVersion.count > 9, "the last migration")
        #expect(en[2].hasPrefix("Build: ") && en[2].count > "Build: ".count)
        cli.lang = "vi"
        let vi = try cli.ok(["--version"]).stdout
        #expect(vi.contains("Lược đồ CSDL: \(SchemaVersion.name) (\(SchemaVersion.count) bước chuyển đổi)"))
        let json = try cli.ok(["--version", "--json"]).object()
        #expect(json["version"] as? String == String(en[0].dropFirst(5)))
        #expect((json["schema"] as? [String: Any])?["name"] as? String == SchemaVersion.name)
        #expect((json["schema"] as? [String: Any])?["migrations"] as? Int == SchemaVersion.count)
        #expect(json["build"] as? String == String(en[2].dropFirst(7)))
        // No database is needed, none is made; anything else beside --version is a usage error.
        #expect(!FileManager.default.fileExists(atPath: cli.db))
        let bad = try cli.run(["--version", "list"])
        #expect(bad.status == 2 && bad.stderr.contains("--version"), "\(bad.stderr)")
    }
}
