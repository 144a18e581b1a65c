import Foundation
@testable import PaknBench
import Testing

/// `pakn bench` keeps working: on a small database it prints, for each size, every metric
/// with a positive median, p95 and p99, the same-run baseline, the size and the desk's peak
/// memory. Nothing here is about how fast anything is.
@Suite struct BenchCLITests {
    @Test func aSmallBenchPrintsEveryMetricAsJSON() throws {
        let keep = CLI.tempDB("bench")
        let r = try CLI(db: CLI.tempDB("unused")).run(["bench", "--cases", "2000", "--json", "--runs", "0.05", "--keep", keep])
        #expect(r.status == 0, "\(r.stderr)")
        let list = try #require(try r.json() as? [[String: Any]])
        #expect(list.count == 1)
        let size = try #require(list.first)
        #expect(size["cases"] as? Int == 2000)
        let metrics = try #require(size["metrics"] as? [String: [String: Any]])
        let expected = ["open_first_frame", "move_row", "page_down", "jump_end", "jump_top", "open_detail", "switch_view",
                        "switch_view_overdue_by_unit", "title_counts", "search_common", "search_common_no_diacritics",
                        "search_rare", "search_rare_no_diacritics", "assign", "reply",
                        "stats_province_quarter", "stats_unit_week", "stats_view_step", "report_province_quarter"]
        #expect(Set(metrics.keys) == Set(expected))
        for name in expected {
            let m = try #require(metrics[name], "\(name)")
            for stat in ["median_ms", "p95_ms", "p99_ms"] {
                let v = try #require(m[stat] as? Double, "\(name).\(stat)")
                #expect(v > 0, "\(name).\(stat)")
            }
            let median = m["median_ms"] as! Double, p95 = m["p95_ms"] as! Double, p99 = m["p99_ms"] as! Double
            #expect(median <= p95 && p95 <= p99, "\(name)")
            #expect((m["runs"] as? Int ?? 0) >= 2, "\(name)")
            #expect((m["target"] as? [String: Any])?["max_ms"] as? Double ?? 0 > 0, "\(name)")
        }
        // The durable-commit yardstick is measured between the desk's writes.
        let floor = try #require((size["yardsticks"] as? [String: [String: Any]])?["commit_floor"])
        #expect((floor["p99_ms"] as? Double ?? 0) > 0 && (floor["runs"] as? Int ?? 0) >= 2)
        let baseline = try #require(size["baseline"] as? [String: Any])
        for key in ["plain_sqlite_cases_per_s", "bulk_load_cases_per_s", "ratio"] {
            #expect((baseline[key] as? Double ?? 0) > 0, "baseline.\(key)")
        }
        #expect(((size["size"] as? [String: Any])?["bytes_per_case"] as? Double ?? 0) > 0)
        #expect(((size["memory"] as? [String: Any])?["desk_peak_rss_kib"] as? Int ?? 0) > 0)
        // The database is kept where asked, and it is a working training database.
        let db = keep + "/bench-2000.sqlite"
        #expect(FileManager.default.fileExists(atPath: db))
        try CLI(db: db).ok(["--as", "taphuan", "audit", "verify"])
    }

    /// `bench --serve` runs its clients against the service and accounts for every intake,
    /// unpaced and paced: each answered 201 is in the database once, every tenth retried with
    /// the same Idempotency-Key came back as the same case, the chain holds. Nothing here is
    /// about how fast.
    @Test(arguments: [[String](), ["--intake-rate", "20"]])
    func aShortServeBenchAccountsForEveryIntake(pacing: [String]) throws {
        let r = try CLI(db: CLI.tempDB("unused")).run(["bench", "--serve", "--seconds", "2", "--clients", "6",
                                                      "--reads-per-intake", "3", "--cases", "200", "--json"] + pacing)
        #expect(r.status == 0, "\(r.stderr)")
        let o = try #require(try r.json() as? [String: Any])
        let intakes = try #require(o["intakes"] as? Int), reads = try #require(o["reads"] as? Int)
        #expect(intakes >= 6 && reads >= 6, "\(o)")
        #expect(o["errors"] as? Int == 0 && o["lost"] as? Int == 0 && o["duplicated"] as? Int == 0, "\(o)")
        #expect(o["chain_intact"] as? Bool == true)
        if pacing.isEmpty {
            #expect(o["paced_intakes_per_s"] is NSNull)
        } else {
            #expect(o["paced_intakes_per_s"] as? Double == 20)
            // Paced at 20 a second for 2 s: about 40 intakes, not as many as the service takes.
            #expect(intakes <= 60, "\(o)")
        }
    }

    /// The serve load's clients start at different points of their round, so that their
    /// intakes are spread over it instead of all arriving in the same interval: every point of
    /// the round (the intake, each read) has its share of the 200 clients.
    @Test(arguments: [0, 1, 10]) func theServeLoadsClientsStartAcrossTheirRound(reads: Int) {
        var atPosition = [Int](repeating: 0, count: reads + 1)
        for client in 0..<200 {
            switch ServeLoad.firstStep(client: client, readsPerIntake: reads) {
            case .intake: atPosition[0] += 1
            case let .read(k):
                #expect((0..<reads).contains(k))
                if (0..<reads).contains(k) { atPosition[k + 1] += 1 }
            case .retry: Issue.record("client \(client) starts with a retry")
            }
        }
        let fair = 200 / (reads + 1)
        #expect(atPosition.allSatisfy { $0 == fair || $0 == fair + 1 }, "\(atPosition)")
        #expect(atPosition.reduce(0, +) == 200)
        // With ten reads, one client in eleven starts at the intake, not all 200.
        if reads == 10 { #expect(atPosition[0] == 19) }
    }

    @Test func aBadServeBenchRateIsRefused() throws {
        let r = try CLI(db: CLI.tempDB("unused")).run(["--lang", "en", "bench", "--serve", "--intake-rate", "0"])
        #expect(r.status != 0 && r.stderr.contains("--intake-rate"), "\(r.stderr)")
    }

    @Test func badSizesAreRefused() throws {
        let r = try CLI(db: CLI.tempDB("unused")).run(["bench", "--cases", "5"])
        #expect(r.status == 1 && r.stderr.contains("--cases"), "\(r.stderr)")
    }

    /// `--reuse` without a folder, and a folder that cannot be made: a sentence in the
    /// reader's language and exit 2, before anything is generated.
    @Test func badFoldersAreRefused() throws {
        let cli = CLI(db: CLI.tempDB("unused"))
        let reuse = try cli.run(["--lang", "en", "bench", "--cases", "100", "--reuse"])
        #expect(reuse.status == 2 && reuse.stderr.contains("--reuse needs --keep"), "\(reuse.stderr)")
        let file = CLI.tempDB("a-file")
        _ = FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
        for (lang, words) in [("en", "part of the path is a file"), ("vi", "một phần của đường dẫn là tệp")] {
            let r = try cli.run(["--lang", lang, "bench", "--cases", "100", "--keep", file + "/inside"])
            #expect(r.status == 2 && r.stderr.contains(words) && !r.stderr.contains("NSCocoaErrorDomain"), "\(r.stderr)")
        }
    }
}
