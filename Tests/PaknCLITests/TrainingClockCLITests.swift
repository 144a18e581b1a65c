import Foundation
import Testing

/// Issue 15, training: a training database keeps its day, so a class sees the same figures
/// with or without `--now`; `demo --force` refuses while desks have the file open.
@Suite struct TrainingClockCLITests {
    @Test func aTrainingDatabaseKeepsItsDayWithOrWithoutNow() throws {
        let cli = CLI(db: CLI.tempDB("training-clock"))
        try cli.ok(["--now", "2026-11-23T09:00:00+07:00", "demo", "--cases", "200", "--seed", "5"])
        let with = try cli.ok(["--as", "lanhdao.hanoi", "--now", "2026-11-23T09:00:00+07:00", "list", "--overdue", "--json"])
        let without = try cli.ok(["--as", "lanhdao.hanoi", "list", "--overdue", "--json"])
        #expect(with.stdout == without.stdout)
        #expect(!(try with.json() as? [Any] ?? []).isEmpty, "the demo has overdue cases at its day")
        // What is done there is dated on that day too.
        let list = try cli.ok(["--as", "vanthu.hoankiem", "list", "--status", "received", "--json"])
        let code = try #require((try list.json() as? [[String: Any]])?.first?["code"] as? String)
        try cli.ok(["--as", "vanthu.hoankiem", "note", code, "Gọi điện cho công dân"])
        let history = try cli.ok(["--as", "vanthu.hoankiem", "history", code])
        #expect(history.stdout.components(separatedBy: "\n").last { !$0.isEmpty }?.hasPrefix("2026-11-23T09:00:00+07:00") == true,
                "\(history.stdout)")
    }

    @Test func demoForceRefusesWhileTheFileIsOpen() throws {
        let cli = CLI(db: CLI.tempDB("training-open"))
        try cli.ok(["--now", "2026-11-23T09:00:00+07:00", "demo", "--cases", "50", "--seed", "6"])
        // Something (a desk) holds the file open.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/bin/sh")
        holder.arguments = ["-c", "exec 3<\"$1\"; sleep 30", "sh", cli.db]
        try holder.run()
        defer { kill(holder.processIdentifier, SIGKILL); holder.waitUntilExit() }
        var refused = CLI.Result(status: 0, stdout: "", stderr: "")
        for _ in 0..<50 {
            refused = try cli.run(["demo", "--force", "--cases", "20"])
            if refused.status != 0 { break }
            usleep(100_000)
        }
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("\(holder.processIdentifier)"), "\(refused.stderr)")
        #expect(try cli.ok(["--as", "lanhdao.hoankiem", "list", "--json"]).stdout.contains("HN-"), "the database is untouched")
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        try cli.ok(["demo", "--force", "--cases", "20"])
    }
}
