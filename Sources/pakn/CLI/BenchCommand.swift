import ArgumentParser
import Foundation
import PaknServe
import PaknBench
import PaknCore
import PaknDemo
import PaknStoreAPI
import PaknTerminal
import PaknUI

/// `pakn bench`: builds training databases of N cases and measures the desk on them
/// (docs/performance.md).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Đo hiệu năng trên CSDL N hồ sơ / Benchmark the desk on databases of N cases (docs/performance.md).")

    @OptionGroup var global: GlobalOptions
    @Option(parsing: .upToNextOption, help: "Số hồ sơ (nhiều giá trị được) / Case counts (several allowed).")
    var cases: [Int] = [10_000, 100_000, 1_000_000]
    @Flag(help: "In JSON (một mảng, mỗi cỡ một đối tượng) / Print JSON (an array, one object per size).") var json = false
    @Option(help: "Giữ CSDL trong thư mục này / Keep the databases in this folder.") var keep: String?
    @Option(help: "Hệ số số lần đo / Scales the number of runs of each operation (1: about 1,500 timings per size).") var runs: Double = 1
    @Option(help: "Hạt giống ngẫu nhiên / Random seed.") var seed: UInt64 = 1
    @Flag(help: "Với --keep: đo lại CSDL đã có, không tạo mới (không đo tốc độ nạp) / With --keep: measure databases already there again instead of generating them (no bulk-load figures).")
    var reuse = false
    @Flag(help: "Đo dịch vụ Open311 (pakn serve) trên vòng lặp nội bộ / Load-test the Open311 service (pakn serve) on loopback.")
    var serve = false
    @Option(help: "Với --serve: số máy khách đồng thời / With --serve: concurrent clients.") var clients = 200
    @Option(help: "Với --serve: số lần đọc sau mỗi lần gửi / With --serve: reads after each intake.") var readsPerIntake = 10
    @Option(help: "Với --serve: giãn nhịp các máy khách để cùng gửi từng ấy phản ánh mỗi giây, đo độ trễ từ thời điểm định gửi / With --serve: pace the clients to post this many intakes a second together, latency from each request's planned time.")
    var intakeRate: Double?
    @Option(help: "Với --db postgres://…: số phiên đồng thời của phép thử tải / With --db postgres://…: run the load test with this many concurrent sessions.")
    var sessions: Int?
    @Option(name: .customLong("seconds"), help: "Thời gian phép thử tải, giây (--serve: 60, --sessions: 120) / How long the load test runs, in seconds (--serve: 60, --sessions: 120).")
    var secondsOption: Double?
    /// `--seconds`, or the mode's default.
    var seconds: Double { secondsOption ?? (serve ? 60 : 120) }

    /// "Today" of every bench database, so runs compare.
    static let now = ISO8601.parse("2026-11-23T09:00:00+07:00")!

    struct SizeResult {
        var cases: Int
        var stats: [String: BenchStat]
        /// Nil when an existing database was measured again (`--reuse`).
        var timings: DemoTimings?
        var baselineRate: Double
        var dbBytes: Int
        var rssKiB: Int?
        var bulkRate: Double { (timings?.writeSeconds ?? 0) > 0 ? Double(cases) / timings!.writeSeconds : 0 }
        var ratio: Double { baselineRate > 0 ? bulkRate / baselineRate : 0 }
        var bytesPerCase: Double { Double(dbBytes) / Double(max(1, cases)) }
    }

    func run() throws {
        if serve { return try runServe() }
        try runCommand(global) { ctx in
            guard !cases.isEmpty, cases.allSatisfy({ (100...5_000_000).contains($0) }) else {
                throw StoreError.invalidValue(field: "--cases", value: cases.map(String.init).joined(separator: " "))
            }
            guard runs > 0, runs <= 100 else { throw StoreError.invalidValue(field: "--runs", value: "\(runs)") }
            if let sessions, !(1...500).contains(sessions) { throw StoreError.invalidValue(field: "--sessions", value: "\(sessions)") }
            guard seconds > 0, seconds <= 86_400 else { throw StoreError.invalidValue(field: "--seconds", value: "\(seconds)") }
            // On a server (issue 13 §3): the databases are made there, `pakn_bench_<N>`; `--reuse`
            // measures one already there again.
            if case let .server(url) = ctx.location {
                try ServerBench.run(self, ctx: ctx, url: url)
                return
            }
            if sessions != nil { throw StoreError.invalidValue(field: "--sessions", value: "(postgres:// only)") }
            if reuse && keep == nil { throw CLIError.message(Message("bench.reuse_needs_keep")) }
            let dir: String
            if let keep {
                do {
                    try FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
                } catch {
                    let reason = Self.whyNoFolder(keep, error)
                    throw CLIError.message(Message("bench.folder_unusable", keep, L10n.has(reason) ? L10n.t(reason, ctx.lang) : reason))
                }
                dir = keep
            } else {
                dir = FileManager.default.temporaryDirectory.appendingPathComponent("pakn-bench-\(getpid())").path
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            }
            defer { if keep == nil { try? FileManager.default.removeItem(atPath: dir) } }
            var results: [SizeResult] = []
            for n in cases {
                results.append(try measure(n, dir: dir, lang: ctx.lang))
            }
            if json {
                try printJSON(results)
            } else {
                printTable(results)
            }
        }
    }

    /// Why `path` could not be made a folder, as a catalog key where a person can act on it:
    /// a file in the way, no permission (Foundation does not always say which).
    static func whyNoFolder(_ path: String, _ error: Error) -> String {
        var url = URL(fileURLWithPath: path).standardizedFileURL
        var isDir: ObjCBool = false
        while !FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && url.path != "/" {
            url.deleteLastPathComponent()
        }
        if !isDir.boolValue { return "store.file.not_folder" }
        if !FileManager.default.isWritableFile(atPath: url.path) { return "store.file.denied" }
        guard case let .unreadableFile(_, reason) = StoreError.unreadable(path, error) else { return "\(error)" }
        return reason
    }

    func say(_ text: String) { FileHandle.standardError.write(Data("pakn bench: \(text)\n".utf8)) }

    func measure(_ n: Int, dir: String, lang: Lang) throws -> SizeResult {
        let path = dir + "/bench-\(n).sqlite"
        if reuse && keep != nil && FileManager.default.fileExists(atPath: path) {
            say("\(n): measuring the existing \(path) (no bulk-load figures)")
            let size = ["", "-wal"].compactMap { try? FileManager.default.attributesOfItem(atPath: path + $0)[.size] as? Int }.reduce(0, +)
            let rss = peakRSS(path, runs: runs)
            say("\(n): desk peak RSS \(rss.map { "\($0 / 1024) MB" } ?? "?"); measuring the desk…")
            let stats = try DeskBench.measure(path: path, now: Self.now, runs: runs)
            return report(SizeResult(cases: n, stats: stats, timings: nil, baselineRate: 0, dbBytes: size, rssKiB: rss))
        }
        for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) }
        let baseline = try PlainSQLiteBaseline(path: dir + "/baseline-\(n).sqlite")
        defer { baseline.remove() }
        let label = L10n.t("cli.demo.progress", lang) + " (\(n))"
        var lastTenth = -1
        let (_, timings) = try DemoGenerator.create(
            path: path, options: DemoOptions(cases: n, seed: seed, now: Self.now, login: "bench"), rowSink: baseline) { p in
                switch p {
                case let .cases(done, total):
                    if isatty(2) != 0 {
                        Progress.show(done, total, label: label)
                    } else if done * 10 / total != lastTenth {
                        lastTenth = done * 10 / total
                        say("\(n): \(done)/\(total) cases")
                    }
                case let .indexes(done, total):
                    Progress.finish()
                    say("\(n): indexes \(done)/\(total)")
                }
            }
        Progress.finish()
        let size = ["", "-wal"].compactMap { try? FileManager.default.attributesOfItem(atPath: path + $0)[.size] as? Int }.reduce(0, +)
        say(String(format: "%d: generated in %.1f s (writes %.1f s, of which indexes %.1f s); plain SQLite %.1f s",
                   n, timings.totalSeconds, timings.writeSeconds, timings.indexSeconds, baseline.seconds))
        let rss = peakRSS(path, runs: runs)
        say("\(n): desk peak RSS \(rss.map { "\($0 / 1024) MB" } ?? "?"); measuring the desk…")
        let stats = try DeskBench.measure(path: path, now: Self.now, runs: runs)
        return report(SizeResult(cases: n, stats: stats, timings: timings, baselineRate: baseline.rate, dbBytes: size, rssKiB: rss))
    }

    /// Each size's figures on stderr as soon as they are measured, so a long run that is
    /// stopped keeps what it saw.
    func report(_ r: SizeResult) -> SizeResult {
        let cells = DeskBench.metrics.compactMap { name, t in r.stats[name].map { "\(name) \(t.statistic.rawValue) \(Self.fmt(t.value($0)))" } }
        say("\(r.cases): " + cells.joined(separator: "; "))
        return r
    }

    /// Runs the desk's workload in a child process (`pakn bench-desk`) and reads its VmHWM.
    func peakRSS(_ path: String, runs: Double) -> Int? {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = ["bench-desk", "--db", path, "--runs", String(runs)]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return nil }
        return Int(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    // MARK: Output

    static let rssLimitKiB = 64 * 1024
    /// 4 KiB a case: plain, readable data (`v6-plain-text`, issue 13) instead of the 1.5 KB
    /// that compression against a private dictionary gave (docs/performance.md, "Size").
    static let bytesPerCaseLimit = 4096.0
    static let ratioLimit = 0.5

    func printJSON(_ results: [SizeResult]) throws {
        let list: [[String: Any]] = results.map { r in
            var metrics: [String: Any] = [:]
            for (name, target) in DeskBench.metrics {
                guard let s = r.stats[name] else { continue }
                metrics[name] = ["median_ms": s.median, "p95_ms": s.p95, "p99_ms": s.p99, "runs": s.samples.count,
                                 "target": ["statistic": target.statistic.rawValue, "max_ms": target.limit,
                                            "met": target.value(s) <= target.limit]]
            }
            var yardsticks: [String: Any] = [:]
            for (name, _) in DeskBench.yardsticks {
                guard let s = r.stats[name] else { continue }
                yardsticks[name] = ["median_ms": s.median, "p95_ms": s.p95, "p99_ms": s.p99, "runs": s.samples.count]
            }
            return [
                "cases": r.cases,
                "metrics": metrics,
                "yardsticks": yardsticks,
                "baseline": r.timings == nil ? NSNull() : ["plain_sqlite_cases_per_s": r.baselineRate, "bulk_load_cases_per_s": r.bulkRate,
                                                           "ratio": r.ratio, "target_ratio": Self.ratioLimit,
                                                           "met": r.ratio >= Self.ratioLimit] as [String: Any],
                "load": r.timings.map { t in ["generation_seconds": t.totalSeconds, "write_seconds": t.writeSeconds,
                                              "index_seconds": t.indexSeconds, "events": t.events] as [String: Any] } ?? NSNull(),
                "size": ["db_bytes": r.dbBytes, "bytes_per_case": r.bytesPerCase, "target_bytes_per_case": Self.bytesPerCaseLimit,
                         "met": r.bytesPerCase <= Self.bytesPerCaseLimit],
                "memory": ["desk_peak_rss_kib": r.rssKiB ?? -1, "target_kib": Self.rssLimitKiB,
                           "met": (r.rssKiB ?? Int.max) <= Self.rssLimitKiB],
            ]
        }
        let data = try JSONSerialization.data(withJSONObject: list, options: [.prettyPrinted, .sortedKeys])
        print(SafeText.escapeJSON(String(decoding: data, as: UTF8.self)))
    }

    static func fmt(_ v: Double) -> String {
        v >= 100 ? String(format: "%.0f", v) : v >= 10 ? String(format: "%.1f", v) : String(format: "%.2f", v)
    }

    static func verdict(_ value: Double, limit: Double, atMost: Bool = true) -> String {
        let ok = atMost ? value <= limit : value >= limit
        if ok { return "met" }
        let factor = atMost ? value / limit : limit / max(value, 1e-9)
        return String(format: "MISSED %.1f× %@", factor, atMost ? "over" : "under")
    }

    func printTable(_ results: [SizeResult]) {
        let sizes = results.map { String($0.cases) }
        func row(_ cells: [String]) -> String {
            let widths = [30, 6] + Array(repeating: 11, count: sizes.count) + [11, 22, 7]
            return zip(cells, widths).map { c, w in c.padding(toLength: max(w, c.count), withPad: " ", startingAt: 0) }.joined(separator: " ")
        }
        let last = results.last!
        print("pakn bench — \(ProcessInfo.processInfo.activeProcessorCount) cores; ms unless stated; targets are issue 4's, at 1,000,000 cases")
        print(row(["metric", "stat"] + sizes.map { "\($0) cases" } + ["target", "largest vs target", "growth"]))
        for (name, target) in DeskBench.metrics {
            let values = results.map { $0.stats[name].map(target.value) }
            let growth: String
            if DeskBench.keystrokeMetrics.contains(name), results.count > 1, let a = values.first!, let b = values.last!, a > 0 {
                growth = String(format: "%.1f×", b / a)
            } else { growth = "" }
            let v = last.stats[name].map { Self.verdict(target.value($0), limit: target.limit) } ?? "not measured"
            print(row([name, target.statistic.rawValue] + values.map { $0.map(Self.fmt) ?? "-" } + ["≤ \(Self.fmt(target.limit))", v, growth]))
        }
        for (name, statistic) in DeskBench.yardsticks {
            let values = results.map { $0.stats[name]?.value(statistic) }
            print(row([name, statistic.rawValue] + values.map { $0.map(Self.fmt) ?? "-" } + ["(yardstick)", "", ""]))
        }
        func load(_ r: SizeResult, _ text: String) -> String { r.timings == nil ? "-" : text }
        print(row(["bulk load (cases/s)", ""] + results.map { load($0, String(format: "%.0f", $0.bulkRate)) } + ["", "", ""]))
        print(row(["plain SQLite baseline (cases/s)", ""] + results.map { load($0, String(format: "%.0f", $0.baselineRate)) } + ["", "", ""]))
        print(row(["bulk / baseline", ""] + results.map { load($0, String(format: "%.2f", $0.ratio)) }
                  + ["≥ 0.50", load(last, Self.verdict(last.ratio, limit: Self.ratioLimit, atMost: false)), ""]))
        print(row(["generation, total (s)", ""] + results.map { $0.timings.map { String(format: "%.1f", $0.totalSeconds) } ?? "-" } + ["", "", ""]))
        print(row(["desk peak RSS (MB)", "peak"] + results.map { $0.rssKiB.map { String(format: "%.1f", Double($0) / 1024) } ?? "-" }
                  + ["≤ 64", last.rssKiB.map { Self.verdict(Double($0), limit: Double(Self.rssLimitKiB)) } ?? "not measured", ""]))
        print(row(["database bytes per case", ""] + results.map { String(format: "%.0f", $0.bytesPerCase) }
                  + ["≤ 4096", Self.verdict(last.bytesPerCase, limit: Self.bytesPerCaseLimit), ""]))
        print("")
        print("median / p95 / p99 (ms)")
        for name in DeskBench.metrics.map(\.name) + DeskBench.yardsticks.map(\.name) {
            let cells = results.map { r in r.stats[name].map { "\(Self.fmt($0.median))/\(Self.fmt($0.p95))/\(Self.fmt($0.p99)) (\($0.samples.count))" } ?? "-" }
            print("  " + name.padding(toLength: 30, withPad: " ", startingAt: 0) + cells.map { $0.padding(toLength: max(24, $0.count), withPad: " ", startingAt: 0) }.joined(separator: " "))
        }
    }
}

/// The desk's workload in a process of its own, printing its peak resident set (KiB) on
/// stdout: what `pakn bench` reports as the desk's peak RSS. Hidden.
struct BenchDeskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-desk", abstract: "(hidden) desk workload, prints VmHWM KiB",
                                                    shouldDisplay: false)
    @OptionGroup var global: GlobalOptions
    @Option var runs: Double = 1

    func run() throws {
        try runCommand(global) { ctx in
            try DeskBench.workload(path: try ctx.sqliteFile("bench-desk"), now: BenchCommand.now, runs: runs)
            print(DeskBench.peakRSSKiB() ?? -1)
        }
    }
}

/// Starts the desk in the terminal, draws its first frame and exits: for timing pakn's
/// start-to-first-screen from outside (docs/performance.md). Hidden.
struct BenchScreenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-screen", abstract: "(hidden) draw the desk's first frame and exit",
                                                    shouldDisplay: false)
    @OptionGroup var global: GlobalOptions

    func run() throws {
        try runCommand(global) { ctx in
            let session = try ctx.open()
            try Terminal.requireUTF8Locale()
            let theme = try ThemeLoader().resolve(requested: nil)
            let terminal = Terminal()
            try terminal.start(theme: theme)
            defer { terminal.stop() }
            let runner = try DeskRunner(session: session, lang: ctx.lang, width: terminal.width, height: terminal.height)
            runner.start()
            terminal.draw(runner.frame())
        }
    }
}

// MARK: - `pakn bench --serve` (docs/open311.md, docs/performance.md)

extension BenchCommand {
    func runServe() throws {
        Open311Service.runTasksOnEventLoops()
        try runCommand(global) { ctx in
            guard seconds > 0, seconds <= 3600 else { throw StoreError.invalidValue(field: "--seconds", value: "\(seconds)") }
            guard (1...1000).contains(clients) else { throw StoreError.invalidValue(field: "--clients", value: "\(clients)") }
            guard (0...1000).contains(readsPerIntake) else { throw StoreError.invalidValue(field: "--reads-per-intake", value: "\(readsPerIntake)") }
            if let r = intakeRate, !(r > 0 && r <= 100_000) { throw StoreError.invalidValue(field: "--intake-rate", value: "\(r)") }
            let n = cases.count == 1 ? cases[0] : 2000
            let dir = keep ?? FileManager.default.temporaryDirectory.appendingPathComponent("pakn-bench-serve-\(getpid())").path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            defer { if keep == nil { try? FileManager.default.removeItem(atPath: dir) } }
            var engineName = "SQLite"
            let target: ServeBench.Target
            if global.db != nil, case let .server(url) = ctx.location {
                engineName = "PostgreSQL"
                target = try ServerBench.serveTarget(n, text: url, ctx: ctx)
            } else {
                target = try ServeBench.sqliteTarget(dir: dir, cases: n) { say($0) }
            }
            let r = try ServeBench.run(target, clients: clients, seconds: seconds, readsPerIntake: readsPerIntake,
                                       intakeRate: intakeRate) { say($0) }
            if json {
                let o: [String: Any] = ["engine": engineName, "seconds": r.seconds, "clients": r.clients, "intakes": r.intakes, "retries": r.retries,
                                        "reads": r.reads, "errors": r.errors, "intakes_per_s": r.intakesPerSecond,
                                        "reads_per_s": r.readsPerSecond, "intake_p50_ms": r.intakeP50, "intake_p99_ms": r.intakeP99,
                                        "read_p50_ms": r.readP50, "read_p99_ms": r.readP99, "p99_ms": r.allP99,
                                        "lost": r.lost, "duplicated": r.duplicated, "chain_intact": r.chainIntact,
                                        "paced_intakes_per_s": r.pacedIntakeRate ?? NSNull()]
                let d = try JSONSerialization.data(withJSONObject: o, options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: d, as: UTF8.self))
                return
            }
            func f(_ x: Double) -> String { String(format: "%.1f", x) }
            print("pakn bench --serve: \(r.clients) clients, \(f(r.seconds)) s, \(engineName), \(n)-case demo database")
            if let p = r.pacedIntakeRate {
                print("  paced       \(f(p)) intakes/s and \(f(p * Double(readsPerIntake))) reads/s planned; latency from each request's planned time")
            } else {
                print("  unpaced     each client sends again as soon as it is answered (the ceiling; every latency is a queue's)")
            }
            print("  intakes     \(r.intakes) (\(f(r.intakesPerSecond))/s), retried with the same Idempotency-Key: \(r.retries)")
            print("  reads       \(r.reads) (\(f(r.readsPerSecond))/s)")
            print("  latency ms  intake p50 \(f(r.intakeP50)) p99 \(f(r.intakeP99)) · read p50 \(f(r.readP50)) p99 \(f(r.readP99)) · all p99 \(f(r.allP99))")
            print("  errors \(r.errors) · lost \(r.lost) · duplicated \(r.duplicated) · chain \(r.chainIntact ? "intact" : "BROKEN")")
            for (k, v) in r.errorKinds.sorted(by: { $0.value > $1.value }).prefix(5) { print("    \(v)× \(k)") }
            if r.lost > 0 || r.duplicated > 0 || !r.chainIntact { throw CLIError.exit(Exit.refused) }
        }
    }
}
