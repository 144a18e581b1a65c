import Foundation
import Testing

/// One JSON shape for a case (issue 15): `list`, `show`, `export` and a step's `--json`
/// agree on every field they share, carry codes and logins beside names, the version for
/// `--expect-version` and the channel; what one command prints, another takes. And `--json`
/// on every command that prints data.
@Suite struct CaseShapeCLITests {
    let now = ["--now", "2026-11-23T09:00:00+07:00"]
    var clerk: [String] { now + ["--as", "vanthu.hoankiem"] }
    var supervisor: [String] { now + ["--as", "lanhdao.hoankiem"] }

    /// The fields every command prints for a case.
    static let common = ["id", "code", "version", "title", "kind", "category", "channel", "status", "ward", "ward_code", "unit",
                         "unit_code", "assignee", "assignee_login", "received_at", "due", "due_at", "due_state", "days_left", "complex"]

    static func same(_ a: Any?, _ b: Any?) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case let (x as NSObject, y as NSObject): x.isEqual(y)
        default: false
        }
    }

    @Test func listShowAndExportPrintOneShape() throws {
        let cli = try CLI.demo()
        let c = try cli.ok(clerk + ["intake", "--title", "Cây đổ chắn ngõ 5 Hàng Chiếu", "--body", "Cây đổ sau mưa.",
                                    "--category", "environment", "--channel", "hotline", "--ward", "00070", "--reporter-name", "Trần Văn Bình",
                                    "--reporter-phone", "0912000111"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let show = try cli.ok(clerk + ["show", c, "--json"]).object()
        let unitCode = try #require(show["unit_code"] as? String)
        // The codes and logins beside the names are what the other commands take.
        #expect(unitCode.hasPrefix("00070-"))
        let handler: String? = "canbo.hoankiem." + unitCode.dropFirst(6).lowercased()
        let version = try #require(show["version"] as? Int)
        let assigned = try cli.ok(clerk + ["assign", c, try #require(handler), "--expect-version", String(version), "--json"]).object()
        #expect(assigned["assignee_login"] as? String == handler)
        #expect((assigned["assignee"] as? String)?.isEmpty == false)
        #expect(assigned["version"] as? Int == version + 1)
        // A stale version from any of them is refused as a conflict.
        #expect(try cli.run(clerk + ["note", c, "x", "--expect-version", String(version)]).status == 3)

        let shown = try cli.ok(clerk + ["show", c, "--json"]).object()
        let listed = try #require(try cli.ok(clerk + ["list", "-q", c, "--json"]).json() as? [[String: Any]]).first { $0["code"] as? String == c }
        let exported = try #require(try cli.ok(clerk + ["export"]).json() as? [[String: Any]]).first { $0["code"] as? String == c }
        let row = try #require(listed), out = try #require(exported)
        for key in Self.common {
            #expect(shown[key] != nil || ["assignee", "assignee_login"].contains(key), "show lacks \(key)")
            #expect(Self.same(shown[key], row[key]), "list differs in \(key): \(String(describing: shown[key])) / \(String(describing: row[key]))")
            #expect(Self.same(shown[key], out[key]), "export differs in \(key): \(String(describing: shown[key])) / \(String(describing: out[key]))")
        }
        #expect(shown["ward_code"] as? String == "00070" && shown["ward"] as? String == "Phường Hoàn Kiếm")
        #expect(shown["channel"] as? String == "hotline")
        // What only a queue row lacks; what show and export share.
        #expect(row["body"] == nil && row["history"] == nil)
        for key in ["body", "reporter", "rating_reasons"] { #expect(shown[key] != nil && out[key] != nil, "\(key)") }
        #expect(Self.same(shown["body"], out["body"]))
        #expect((shown["reporter"] as? [String: Any])?["masked"] as? Bool == true)
        #expect((out["reporter"] as? [String: Any])?["masked"] as? Bool == true)
        // `history --json` is the same object as `show --json`, with its events.
        let whole = try cli.ok(clerk + ["history", c, "--json"]).object()
        let again = try cli.ok(clerk + ["show", c, "--json"]).object()
        #expect(Set(whole.keys) == Set(again.keys))
        for key in again.keys where key != "history" { #expect(Self.same(whole[key], again[key]), "history differs in \(key)") }
        // (Reading a case's detail may itself be recorded: the later history holds the earlier.)
        let ids = { (o: [String: Any]) in ((o["history"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? Int } }
        #expect(ids(again).starts(with: ids(whole)) && !ids(whole).isEmpty)
        // Every event names its actor by login and by name, and each id it changed by name
        // and code beside it.
        let history = try #require(whole["history"] as? [[String: Any]])
        let assign = try #require(history.first { $0["action"] as? String == "assign" }?["changes"] as? [String: Any])
        let to = try #require(assign["assignee_id"] as? [String: Any])
        #expect(to["after"] is String && to["after_code"] as? String == handler && (to["after_name"] as? String)?.isEmpty == false)
        let route = try #require(history.first { $0["action"] as? String == "route" }?["changes"] as? [String: Any])
        #expect((route["unit_id"] as? [String: Any])?["after_code"] as? String == unitCode)
        #expect(history.count >= 3)
        #expect(history.allSatisfy { ($0["actor"] as? String)?.isEmpty == false && ($0["actor_name"] as? String)?.isEmpty == false })
        #expect(history.first?["actor"] as? String == "vanthu.hoankiem")
        let showHistory = try #require(shown["history"] as? [[String: Any]])
        #expect(showHistory.count == history.count)
        #expect(zip(showHistory, history).allSatisfy { Self.same($0["id"], $1["id"]) && Self.same($0["actor_name"], $1["actor_name"]) })
    }

    @Test func everyCommandThatPrintsDataTakesJSON() throws {
        let cli = try CLI.demo()
        let categories = try #require(try cli.ok(["categories", "--json"]).json() as? [[String: Any]])
        #expect(categories.contains { $0["code"] as? String == "urban_order" && $0["name_vi"] as? String == "Trật tự đô thị" })
        let templates = try #require(try cli.ok(["templates", "--for", "wait", "--json"]).json() as? [[String: Any]])
        #expect(!templates.isEmpty && templates.allSatisfy { $0["purpose"] as? String == "request_info" && $0["body"] is String })
        let permissions = try #require(try cli.ok(now + ["--as", "taphuan", "permissions", "--json"]).json() as? [[String: Any]])
        let reveal = try #require(permissions.first { $0["permission"] as? String == "reveal_reporter" })
        #expect((reveal["roles"] as? [String])?.contains("clerk") == false)
        let unit = try cli.ok(["units", "history", "06970", "--json"]).object()
        #expect(unit["code"] as? String == "06978" && unit["asked"] as? String == "06970")

        // rules list --json is what rules import takes.
        let rules = try cli.ok(["rules", "list", "--json"])
        let parsed = try #require(try rules.json() as? [[String: Any]])
        #expect(parsed.contains { $0["id"] as? String == "complaint-2011" })
        let file = CLI.tempDB("rules") + ".json"
        try Data(rules.stdout.utf8).write(to: URL(fileURLWithPath: file))
        let before = try cli.ok(["rules", "list"]).stdout
        try cli.ok(now + ["--as", "admin", "rules", "import", file])
        #expect(try cli.ok(["rules", "list"]).stdout == before)

        // audit head --json gives both heads; verify takes them back.
        let heads = try cli.ok(now + ["--as", "taphuan", "audit", "head", "--json"]).object()
        let events = try #require(heads["events"] as? String), access = try #require(heads["access"] as? String)
        #expect(events == (try cli.ok(now + ["--as", "taphuan", "audit", "head"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        let verify = try cli.ok(now + ["--as", "taphuan", "audit", "verify", "--json", "--against", events, "--against-access", access]).object()
        #expect(verify["ok"] as? Bool == true)
        #expect((verify["events"] as? [String: Any])?["head"] as? String == events)
        #expect(((verify["events"] as? [String: Any])?["entries"] as? Int ?? 0) > 100)
        let full = try cli.ok(now + ["--as", "taphuan", "audit", "verify", "--full", "--json"]).object()
        #expect((full["full"] as? [String: Any])?["integrity"] as? [String] == ["ok"])
        let wrong = try cli.run(now + ["--as", "taphuan", "audit", "verify", "--json", "--against", String(repeating: "ab", count: 32)])
        #expect(wrong.status == 1)
        let broken = try #require(try JSONSerialization.jsonObject(with: Data(wrong.stdout.utf8)) as? [String: Any])
        #expect(broken["ok"] as? Bool == false && ((broken["events"] as? [String: Any])?["problem"] as? String)?.isEmpty == false)

        let version = try cli.ok(["--version", "--json"]).object()
        #expect(version["version"] is String && (version["schema"] as? [String: Any])?["migrations"] as? Int ?? 0 >= 9)
    }
}
