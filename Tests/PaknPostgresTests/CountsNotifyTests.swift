import Foundation
import PaknCore
@testable import PaknPostgres
import PostgresNIO
import Testing

/// Migration `v2-counts-notify`: `case_count` kept by the server as SQLite's triggers keep it,
/// and a NOTIFY for each changed case.
@Suite(.enabled(if: TestServer.available, TestServer.skipReason))
struct CountsNotifyTests {
    /// `case_count` as rows, sorted, for comparing with a recount.
    static func counts(_ c: ServerConnection, _ sql: String) async throws -> [String] {
        try await c.rows(PostgresQuery(unsafeSQL: "SELECT scope, paused, due_at::text, n FROM (\(sql)) x ORDER BY 1, 2, 3"))
            .map { r in let (s, p, d, n) = try r.decode((Int64, Bool, String, Int64).self); return "\(s) \(p) \(d) \(n)" }
    }

    @Test func caseCountFollowsEveryChangeEvenAnOfficialsOwn() async throws {
        let f = try await Fixture.make()
        defer { Task { await f.drop() } }
        let check: () async throws -> Void = {
            try await TestServer.with(try f.owner) { c in
                let kept = try await Self.counts(c, "SELECT * FROM case_count")
                let recount = try await Self.counts(c, ServerSchema.caseCountRecount)
                #expect(kept == recount)
                #expect(!kept.isEmpty)
                // `case_status_total` (v9-case-status-total): every case, finished ones too, by
                // scope and status.
                let totals = { (sql: String) async throws -> [String] in
                    try await c.rows(PostgresQuery(unsafeSQL: "SELECT scope, status, n FROM (\(sql)) x WHERE n <> 0 ORDER BY 1, 2"))
                        .map { r in let (s, st, n) = try r.decode((Int64, String, Int64).self); return "\(s) \(st) \(n)" }
                }
                let keptTotals = try await totals("SELECT * FROM case_status_total")
                #expect(keptTotals == (try await totals(ServerSchema.caseStatusTotalRecount)))
                #expect(keptTotals.contains { $0.hasPrefix("0 ") })
                // The table it replaced is gone, and so is its trigger.
                #expect(try await c.int("SELECT count(*) FROM pg_class WHERE relname = 'case_total'") == 0)
            }
        }
        try await check()
        // An official (no privilege on case_count) pauses a case: the counters move.
        try await TestServer.with(try f.official("sup")) { c in
            // Through the one way an official changes a case: with its event (`pakn_case_act`).
            try await c.execute("""
                SELECT pakn_case_act(1, '{"status": "awaiting_info", "version": 2}', 'wait', 'received', 'awaiting_info', NULL, '{}')
                """)
        }
        try await check()
        // The owner moves a due instant, transfers, closes, reopens, deletes.
        for sql in ["UPDATE pakn_case SET due_at = due_at + interval '3 days' WHERE id = 2",
                    "UPDATE pakn_case SET unit_id = 5 WHERE id = 3",
                    "UPDATE pakn_case SET done = true, status = 'closed' WHERE id = 1",
                    "UPDATE pakn_case SET done = false, status = 'in_progress' WHERE id = 1",
                    "UPDATE pakn_case SET title = 'chỉ đổi tiêu đề' WHERE id = 2"] {
            try await TestServer.with(try f.owner) { c in try await c.execute(sql: sql) }
            try await check()
        }
    }

    /// Rows in which `table` and its recount differ (0: the counters are right).
    static func statDifferences(_ c: ServerConnection) async throws -> [String: Int64] {
        var out: [String: Int64] = [:]
        for (table, recount) in ServerSchema.statsRecount {
            out[table] = try await c.int(PostgresQuery(unsafeSQL: """
                SELECT count(*) FROM ((SELECT * FROM \(table) EXCEPT (\(recount))) UNION ALL ((\(recount)) EXCEPT SELECT * FROM \(table))) d
                """))
        }
        return out
    }

    @Test func statisticsFollowEveryChangeAndEveryRating() async throws {
        let f = try await Fixture.make()
        defer { Task { await f.drop() } }
        let zero = Dictionary(uniqueKeysWithValues: ServerSchema.statsRecount.keys.map { ($0, Int64(0)) })
        let check: (String) async throws -> Void = { step in
            try await TestServer.with(try f.owner) { c in
                let differences = try await Self.statDifferences(c)
                #expect(differences == zero, "\(step)")
            }
        }
        try await check("intake")
        let received = try await TestServer.with(try f.owner) { c in try await c.int("SELECT sum(received)::bigint FROM stat_day WHERE facet = 1") }
        #expect(received == 3)
        try await TestServer.with(try f.official("sup")) { c in
            // Through the one way an official changes a case: with its event (`pakn_case_act`).
            try await c.execute("""
                SELECT pakn_case_act(1, '{"status": "awaiting_info", "version": 2}', 'wait', 'received', 'awaiting_info', NULL, '{}')
                """)
        }
        try await check("paused by an official")
        for (step, sql) in [
            ("resolved on time", "UPDATE pakn_case SET status = 'resolved', resolved_at = '2026-12-05 02:00:00+00', done = false WHERE id = 1"),
            ("closed", "UPDATE pakn_case SET status = 'closed', done = true, closed_at = '2026-12-06 02:00:00+00' WHERE id = 1"),
            ("resolved late", "UPDATE pakn_case SET status = 'resolved', resolved_at = '2026-12-20 02:00:00+00' WHERE id = 2"),
            ("rejected", "UPDATE pakn_case SET status = 'rejected', done = true, closed_at = '2026-12-02 09:00:00+00' WHERE id = 3"),
            ("transferred", "UPDATE pakn_case SET unit_id = 4, category = 'moi_truong', channel = 'web' WHERE id = 2"),
            ("due moved", "UPDATE pakn_case SET due_at = due_at + interval '10 days', done = false, status = 'in_progress', resolved_at = NULL WHERE id = 2"),
            ("only the title", "UPDATE pakn_case SET title = 'khác' WHERE id = 2"),
        ] {
            try await TestServer.with(try f.owner) { c in try await c.execute(sql: sql) }
            try await check(step)
        }
        // A rating, counted from the case row when its event is appended.
        try await TestServer.with(try f.owner) { c in
            try await c.execute(sql: "UPDATE pakn_case SET rating = 2, rating_reasons = 'late,impolite' WHERE id = 1")
            try await c.execute(sql: "SELECT pakn_chain_append(2, 1, 'rate', 'closed', 'closed', NULL, '{}')")
        }
        try await check("rated")
        let rated = try await TestServer.with(try f.owner) { c in
            try await c.rows("SELECT reason, n FROM stat_rating ORDER BY reason").map { try $0.decode((String, Int64).self) }
        }
        #expect(rated.map(\.0) == ["", "impolite", "late"] && rated.allSatisfy { $0.1 == 1 })
    }

    @Test func aChangedCaseIsNotifiedWhenItsTransactionCommits() async throws {
        let f = try await Fixture.make()
        defer { Task { await f.drop() } }
        let listener = try await ServerConnection.connect(try f.official("clerk"))
        let got = try await listener.listen("pakn_case") { payloads in
            try await TestServer.with(try f.official("sup")) { c in
                try await c.transaction { c in
                    try await c.execute("""
                        SELECT pakn_case_act(1, '{"status": "in_progress", "version": 2}', 'start', 'received', 'in_progress', NULL, '{}')
                        """)
                }
            }
            var first: String?
            for try await p in payloads {
                first = p
                break
            }
            return first
        }
        #expect(got == "1 2")
        await listener.close()
    }
}
