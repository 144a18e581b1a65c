import ArgumentParser
import Foundation
import PaknBench
import PaknCore
import PaknDemo
import PaknMove
import PaknPostgres
import PaknStoreAPI

/// `pakn bench --db postgres://…` (issue 13 §3, docs/performance.md): the desk benchmark and
/// the many-clerks load test on a PostgreSQL server. For each size N it makes the demo
/// database of N cases in a temporary SQLite file, moves it onto the server into a database
/// of its own (`pakn_bench_<N>`, made afresh: the URL's role must be allowed to create
/// databases), timing that bulk load against `COPY` of the same rows into bare tables in
/// the same database, then opens sessions as the demo's officials — each logged in as its
/// own role, with the URL's password if any: a throwaway cluster that trusts its socket,
/// as `mk/pg-test-cluster.sh` makes — and measures.
enum ServerBench {
    /// Issue 13's targets at 1,000,000 cases.
    static let targets: [String: BenchTarget] = {
        var t: [String: BenchTarget] = [:]
        for m in ["move_row", "page_down", "jump_end", "jump_top"] { t[m] = BenchTarget(statistic: .p99, limit: 5) }
        t["open_detail"] = BenchTarget(statistic: .p99, limit: 15)
        t["switch_view"] = BenchTarget(statistic: .p99, limit: 50)
        t["switch_view_overdue_by_unit"] = BenchTarget(statistic: .p99, limit: 50)
        t["title_counts"] = BenchTarget(statistic: .p99, limit: 20)
        for s in DeskBench.searches { t[s.name] = BenchTarget(statistic: .p95, limit: 50) }
        t["assign"] = BenchTarget(statistic: .p99, limit: 10)
        t["reply"] = BenchTarget(statistic: .p99, limit: 10)
        return t
    }()
    static let ratioLimit = 0.3
    static let metricOrder = ["open_first_frame", "move_row", "page_down", "jump_end", "jump_top", "open_detail", "switch_view",
                              "switch_view_overdue_by_unit", "title_counts"] + DeskBench.searches.map(\.name) + ["assign", "reply"]

    struct Load {
        var bulkSeconds: Double
        var plainSeconds: Double
        var cases: Int
        var bulkRate: Double { Double(cases) / bulkSeconds }
        var plainRate: Double { Double(cases) / plainSeconds }
        var ratio: Double { plainSeconds / bulkSeconds }
    }

    static func say(_ text: String) { FileHandle.standardError.write(Data("pakn bench: \(text)\n".utf8)) }

    /// The server's URL text with another database and, if given, another role.
    static func url(_ text: String, database: String, user: String? = nil) throws -> String {
        guard var c = URLComponents(string: text) else { throw Message("pg.url.unreadable", ServerURL.redacted(text)) }
        c.path = "/" + database
        if let user { c.user = user }
        return c.string ?? text
    }

    static func run(_ cmd: BenchCommand, ctx: Context, url text: String) throws {
        let base = try serverURL(text, ctx)
        for n in cmd.cases {
            let database = "pakn_bench_\(n)"
            let target = try url(text, database: database)
            var load: Load?
            let exists = try onServer(ctx) {
                let c = try await ServerConnection.connect(base)
                defer { Task { await c.close() } }
                return try await c.int("SELECT count(*) FROM pg_database WHERE datname = \(database)") == 1
            }
            if cmd.reuse && exists {
                say("\(n): measuring the existing database \(database) (no bulk-load figures)")
            } else {
                load = try loadDatabase(n, database: database, base: base, target: target, seed: cmd.seed, ctx: ctx)
            }
            let open: @Sendable (String) throws -> any StoreSession = { login in
                try ServerEngine(try url(text, database: database, user: login), osLogin: login)
                    .openSession(login: login, actingAs: nil, now: nil)
            }
            if let sessions = cmd.sessions {
                try loadTest(n, database: database, target: target, sessions: sessions, seconds: cmd.seconds, seed: cmd.seed,
                             open: open, ctx: ctx, load: load)
            } else {
                say("\(n): measuring the desk…")
                let stats = try DeskBench.measure(open: open, runs: cmd.runs)
                printDesk(n, stats: stats, load: load, json: cmd.json)
            }
        }
    }

    /// Makes the demo of `n` cases, moves it onto the server (timed) and copies the same
    /// rows into bare tables (timed).
    static func loadDatabase(_ n: Int, database: String, base: ServerURL, target: String, seed: UInt64, ctx: Context) throws -> Load {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pakn-bench-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/bench-\(n).sqlite"
        var lastTenth = -1
        let t0 = DispatchTime.now().uptimeNanoseconds
        _ = try DemoGenerator.create(path: path, options: DemoOptions(cases: n, seed: seed, now: BenchCommand.now, login: "bench"),
                                     rowSink: nil) { p in
            if case let .cases(done, total) = p, done * 10 / total != lastTenth {
                lastTenth = done * 10 / total
                say("\(n): \(done)/\(total) cases generated (SQLite)")
            }
        }
        say(String(format: "%d: generated in %.1f s; moving it onto the server…", n, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9))
        let targetURL = try serverURL(target, ctx)
        let (bulk, plain) = try onServer(ctx) { () async throws -> (Double, Double) in
            let admin = try await ServerConnection.connect(base)
            do {
                try await admin.execute(sql: "DROP DATABASE IF EXISTS \(ServerSchema.ident(database)) WITH (FORCE)")
                try await admin.execute(sql: "CREATE DATABASE \(ServerSchema.ident(database))")
                await admin.close()
            } catch {
                await admin.close()
                throw error
            }
            let c = try await ServerConnection.connect(targetURL)
            do {
                let t1 = DispatchTime.now().uptimeNanoseconds
                _ = try await SQLiteToServer.copy(from: path, to: c)
                let bulk = Double(DispatchTime.now().uptimeNanoseconds - t1) / 1e9
                let plain = try await SQLiteToServer.plainCopy(from: path, to: c)
                try await c.execute(sql: "DROP SCHEMA bench_plain CASCADE")
                await c.close()
                return (bulk, plain)
            } catch {
                await c.close()
                throw error
            }
        }
        let l = Load(bulkSeconds: bulk, plainSeconds: plain, cases: n)
        say(String(format: "%d: bulk load (pakn migrate: every table, the chain verified, ANALYZE) %.1f s = %.0f cases/s; "
                   + "COPY of the same cases, reporters and events into bare tables %.1f s = %.0f cases/s; ratio %.2f",
                   n, l.bulkSeconds, l.bulkRate, l.plainSeconds, l.plainRate, l.ratio))
        return l
    }

    static func fmt(_ v: Double) -> String { BenchCommand.fmt(v) }

    static func printDesk(_ n: Int, stats: [String: BenchStat], load: Load?, json: Bool) {
        if json {
            var metrics: [String: Any] = [:]
            for name in metricOrder {
                guard let s = stats[name] else { continue }
                var m: [String: Any] = ["median_ms": s.median, "p95_ms": s.p95, "p99_ms": s.p99, "runs": s.samples.count]
                if let t = targets[name] {
                    m["target"] = ["statistic": t.statistic.rawValue, "max_ms": t.limit, "met": t.value(s) <= t.limit]
                }
                metrics[name] = m
            }
            var o: [String: Any] = ["engine": "postgresql", "cases": n, "metrics": metrics]
            if let load {
                o["load"] = ["bulk_seconds": load.bulkSeconds, "copy_bare_seconds": load.plainSeconds, "bulk_cases_per_s": load.bulkRate,
                             "copy_bare_cases_per_s": load.plainRate, "ratio": load.ratio, "target_ratio": ratioLimit,
                             "met": load.ratio >= ratioLimit]
            }
            if let data = try? JSONSerialization.data(withJSONObject: o, options: [.prettyPrinted, .sortedKeys]) {
                print(String(decoding: data, as: UTF8.self))
            }
            return
        }
        print("pakn bench (PostgreSQL) — \(n) cases, \(ProcessInfo.processInfo.activeProcessorCount) cores; ms; targets are issue 13's, at 1,000,000 cases")
        func pad(_ s: String, _ w: Int) -> String { s.padding(toLength: max(w, s.count), withPad: " ", startingAt: 0) }
        print(pad("metric", 30) + pad("median", 9) + pad("p95", 9) + pad("p99", 9) + pad("runs", 6) + pad("target", 14) + "verdict")
        for name in metricOrder {
            guard let s = stats[name] else { print(pad(name, 30) + "not measured"); continue }
            let t = targets[name]
            let target = t.map { "\($0.statistic.rawValue) ≤ \(fmt($0.limit))" } ?? "(none)"
            let verdict = t.map { BenchCommand.verdict($0.value(s), limit: $0.limit) } ?? ""
            print(pad(name, 30) + pad(fmt(s.median), 9) + pad(fmt(s.p95), 9) + pad(fmt(s.p99), 9) + pad("\(s.samples.count)", 6)
                  + pad(target, 14) + verdict)
        }
        if let load {
            print(String(format: "bulk load %.1f s (%.0f cases/s); COPY into bare tables %.1f s (%.0f cases/s); ratio %.2f (target ≥ %.2f): %@",
                         load.bulkSeconds, load.bulkRate, load.plainSeconds, load.plainRate, load.ratio, ratioLimit,
                         BenchCommand.verdict(load.ratio, limit: ratioLimit, atMost: false)))
        }
    }

    /// The many-clerks test, then its invariants checked on the server: as many new events
    /// per case as writes succeeded (no lost update), the chain whole, the counters equal to
    /// a recount. Exits non-zero if any fails or an error other than a conflict was seen.
    static func loadTest(_ n: Int, database: String, target: String, sessions: Int, seconds: Double, seed: UInt64,
                         open: @escaping @Sendable (String) throws -> any StoreSession, ctx: Context, load: Load?) throws {
        let targetURL = try serverURL(target, ctx)
        let (logins, firstEvent) = try onServer(ctx) { () async throws -> ([String], Int64) in
            let c = try await ServerConnection.connect(targetURL)
            defer { Task { await c.close() } }
            // Officials with work waiting: clerks by the routed cases of their office,
            // handlers by the cases assigned to them (LoadTest.teams orders them).
            var routed: [Int64: Int] = [:], assigned: [Int64: Int] = [:]
            for row in try await c.rows("""
                SELECT CASE WHEN u.level = 'department' THEN coalesce(u.parent_id, u.id) ELSE u.id END, count(*)::bigint
                FROM pakn_case c JOIN unit u ON u.id = c.unit_id WHERE c.status = 'routed' GROUP BY 1
                """) {
                let (office, n) = try row.decode((Int64, Int64).self)
                routed[office] = Int(n)
            }
            for row in try await c.rows("""
                SELECT assignee_id, count(*)::bigint FROM pakn_case
                WHERE status IN ('assigned', 'in_progress') AND assignee_id IS NOT NULL GROUP BY 1
                """) {
                let (id, n) = try row.decode((Int64, Int64).self)
                assigned[id] = Int(n)
            }
            var candidates: [LoadTest.Candidate] = []
            for row in try await c.rows("""
                SELECT o.id, o.login, o.role, CASE WHEN u.level = 'department' THEN coalesce(u.parent_id, u.id) ELSE u.id END
                FROM official o JOIN unit u ON u.id = o.unit_id
                WHERE o.active AND o.role IN ('clerk', 'handler', 'supervisor')
                """) {
                let (id, login, role, office) = try row.decode((Int64, String, String, Int64).self)
                guard let r = Role(rawValue: role) else { continue }
                let work = r == .clerk ? routed[office, default: 0] : r == .handler ? assigned[id, default: 0] : 0
                candidates.append(LoadTest.Candidate(login: login, role: r, office: office, work: work))
            }
            return (LoadTest.teams(candidates), try await c.int("SELECT coalesce(max(id), 0)::bigint FROM event") ?? 0)
        }
        guard !logins.isEmpty else { throw Message("pg.server.error", "bench", "no officials") }
        say("\(n): \(sessions) sessions as \(min(sessions, logins.count)) officials for \(fmt(seconds)) s…")
        let r = try LoadTest.run(open: open, logins: logins, sessions: sessions, seconds: seconds, seed: seed)
        let writes = r.writes
        let check = try onServer(ctx) { () async throws -> (lost: Int, chain: (events: Int64, head: String, firstBroken: Int64?), counters: Int64) in
            let c = try await ServerConnection.connect(targetURL)
            defer { Task { await c.close() } }
            var found: [Int64: Int] = [:]
            for row in try await c.rows("SELECT case_id, count(*)::bigint FROM event WHERE id > \(firstEvent) GROUP BY case_id") {
                let (id, count) = try row.decode((Int64, Int64).self)
                found[id] = Int(count)
            }
            // A reply also reaches the case's merged duplicates (events of their own): the
            // check is on the cases written.
            let lost = writes.filter { found[$0.key, default: 0] != $0.value }.count
            let chain = try await ServerSetup.verifyChain(c)
            let counters = "SELECT count(*) FROM ((SELECT * FROM case_count EXCEPT \(ServerSchema.caseCountRecount)) UNION ALL (\(ServerSchema.caseCountRecount) EXCEPT SELECT * FROM case_count)) d"
            return (lost, chain, try await c.int(.init(unsafeSQL: counters)) ?? -1)
        }
        func pad(_ s: String, _ w: Int) -> String { s.padding(toLength: max(w, s.count), withPad: " ", startingAt: 0) }
        print("pakn bench (PostgreSQL) — load test: \(r.sessions) sessions, \(String(format: "%.1f", r.seconds)) s, \(n) cases, "
              + "\(ProcessInfo.processInfo.activeProcessorCount) cores")
        print(pad("action", 10) + pad("count", 9) + pad("per s", 9) + pad("median", 9) + pad("p95", 9) + "p99 (ms)")
        for a in LoadTest.actions {
            guard let s = r.stats[a] else { continue }
            print(pad(a, 10) + pad("\(s.samples.count)", 9) + pad(String(format: "%.1f", Double(s.samples.count) / r.seconds), 9)
                  + pad(fmt(s.median), 9) + pad(fmt(s.p95), 9) + fmt(s.p99))
        }
        print(String(format: "throughput: %.1f actions/s (%d actions, %d writes)", r.throughput, r.actions, r.writeCount))
        print("honest conflicts (the case changed since it was read): \(r.conflicts)")
        print("other errors: \(r.errors.values.reduce(0, +))" + r.errors.sorted { $0.key < $1.key }.map { "\n  \($0.value)× \($0.key)" }.joined())
        print("lost updates (cases whose new events differ from the writes that succeeded): \(check.lost)")
        print("chain: \(check.chain.events) events, head \(check.chain.head), " + (check.chain.firstBroken.map { "BROKEN at \($0)" } ?? "intact"))
        print("counters differing from a recount: \(check.counters)")
        if !r.errors.isEmpty || check.lost != 0 || check.chain.firstBroken != nil || check.counters != 0 {
            throw ExitCode(Exit.refused)
        }
    }
}

extension ServerBench {
    /// `pakn bench --serve --db postgres://…`: the demo of `n` cases moved onto the server
    /// (into `pakn_bench_serve_<n>`, made afresh), a key made by the demo's admin, and the
    /// service's engine on it run by that admin, as `pakn serve` runs.
    static func serveTarget(_ n: Int, text: String, ctx: Context) throws -> ServeBench.Target {
        let base = try serverURL(text, ctx)
        let database = "pakn_bench_serve_\(n)"
        let target = try url(text, database: database)
        _ = try loadDatabase(n, database: database, base: base, target: target, seed: 1, ctx: ctx)
        let engine = try ServerEngine(try url(text, database: database, user: "bench"), osLogin: "bench")
        let admin = try engine.openSession(login: "bench", actingAs: nil, now: nil)
        let unit = try admin.current().unitId
        let unitCode = try admin.unit(id: unit)?.code ?? "01"
        let made = try admin.addApiKey(name: "bench", channel: .app, unitCode: unitCode)
        let owner = try serverURL(target, ctx)
        let (ward, existing) = try onServer(ctx) { () async throws -> (String?, [String]) in
            let c = try await ServerConnection.connect(owner)
            defer { Task { await c.close() } }
            let ward = try await c.rows("""
                SELECT code FROM unit WHERE level = 'commune' AND starts_with(path, (SELECT path FROM unit WHERE id = \(unit)))
                ORDER BY id LIMIT 1
                """).first.map { try $0.decode(String.self) }
            let existing = try await c.rows("SELECT code FROM pakn_case WHERE kind <> 'denunciation' ORDER BY id LIMIT 500")
                .map { try $0.decode(String.self) }
            return (ward, existing)
        }
        return ServeBench.Target(engine: engine, admin: admin, secret: made.secret, ward: ward, existing: existing) {
            try onServer(ctx) { () async throws -> Set<String> in
                let c = try await ServerConnection.connect(owner)
                defer { Task { await c.close() } }
                return Set(try await c.rows("SELECT c.code FROM api_intake a JOIN pakn_case c ON c.id = a.case_id")
                    .map { try $0.decode(String.self) })
            }
        }
    }
}
