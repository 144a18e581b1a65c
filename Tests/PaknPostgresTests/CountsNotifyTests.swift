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
            }
        }
        try await check()
        // An official (no privilege on case_count) pauses a case: the counters move.
        try await TestServer.with(try f.official("sup")) { c in
            try await c.execute("UPDATE pakn_case SET status = 'awaiting_info', version = version + 1 WHERE code = 'HN-1'")
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

    @Test func aChangedCaseIsNotifiedWhenItsTransactionCommits() async throws {
        let f = try await Fixture.make()
        defer { Task { await f.drop() } }
        let listener = try await ServerConnection.connect(try f.official("clerk"))
        let got = try await listener.listen("pakn_case") { payloads in
            try await TestServer.with(try f.official("sup")) { c in
                try await c.transaction { c in
                    try await c.execute("UPDATE pakn_case SET status = 'in_progress', version = 2 WHERE code = 'HN-1'")
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
