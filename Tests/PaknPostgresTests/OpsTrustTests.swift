import Foundation
import PaknCore
@testable import PaknPostgres
import PostgresNIO
import Testing

/// Migrations `v4-ops-*` as the server enforces them, checked by connecting AS an official's
/// own role (as `psql` would): a case changes only with a permitted, chained event; refusals
/// and reads are recorded by the server, chained; officials are managed only through the
/// checked functions, each recorded; the audit answers through functions that check the
/// caller.
@Suite(.enabled(if: TestServer.available, TestServer.skipReason))
struct OpsTrustTests {
    @Test func aCaseChangesOnlyWithAPermittedChainedEvent() async throws {
        let f = try await Fixture.make()
        defer { Task { await f.drop() } }
        // No direct UPDATE, not even of one's own case, not even of one column.
        for sql in ["UPDATE pakn_case SET status = 'closed' WHERE id = 1", "UPDATE pakn_case SET version = 9 WHERE id = 1",
                    "SELECT id FROM pakn_case WHERE id = 1 FOR UPDATE"] {
            let key = await messageKey { try await TestServer.with(try f.official("sup")) { c in try await c.execute(PostgresQuery(unsafeSQL: sql)) } }
            #expect(key == "pg.server.denied", "\(sql)")
        }
        // Through pakn_case_act: the action's permission (a clerk may not start work) …
        let lacking = await messageKey { try await TestServer.with(try f.official("clerk")) { c in
            try await c.execute("SELECT pakn_case_act(1, '{\"status\": \"in_progress\", \"version\": 2}', 'start', 'received', 'in_progress', NULL, '{}')") } }
        #expect(lacking == "pg.server.denied")
        // … the case in one's units (clerk B's case is not A's supervisor's) …
        let outside = await messageKey { try await TestServer.with(try f.official("sup")) { c in
            try await c.execute("SELECT pakn_case_act(2, '{\"status\": \"in_progress\", \"version\": 2}', 'start', 'received', 'in_progress', NULL, '{}')") } }
        #expect(outside == "pg.server.refused")
        // … and the version one step on (a change made meanwhile is a conflict, retried by the session).
        let stale = await messageKey { try await TestServer.with(try f.official("sup")) { c in
            try await c.execute("SELECT pakn_case_act(1, '{\"status\": \"in_progress\", \"version\": 7}', 'start', 'received', 'in_progress', NULL, '{}')") } }
        #expect(stale == "pg.server.error")
        // A case about ward B handled by A (HN-4): a transfer to B takes it out of A's
        // supervisor's sight (row-level security would refuse the UPDATE's new row), and works.
        try await TestServer.with(try f.owner) { c in
            try await c.execute(sql: """
                INSERT INTO pakn_case(id, code, title, body, kind, category, channel, ward_id, province_id, commune_id, anonymous,
                  confidential, unit_id, status, done, received_at, rule_id, counting, clock_start, clock_days, due_at, version, updated_at)
                VALUES (4, 'HN-4', 'Đèn đường hỏng', 'Phố tối', 'feedback', 'moi_truong', 'web', 4, 2, 3, true, false, 3, 'routed', false,
                  '2026-12-01 03:00:00+00', 'feedback-10', 'working', '2026-12-01', 10, '2026-12-15 10:00:00+00', 1, '2026-12-01 03:00:00+00')
                """)
            try await c.execute(sql: "SELECT pakn_chain_append(2, 4, 'intake', NULL, 'routed', NULL, '{}')")
        }
        let event = try await TestServer.with(try f.official("sup")) { c in
            try await c.int("""
                SELECT pakn_case_act(4, '{"unit_id": 4, "version": 2}', 'transfer', 'routed', 'routed', 'sang phường B',
                  '{"unit_id":{"after":"4","before":"3"}}')
                """)
        }
        #expect(event == 5)
        let row = try await TestServer.with(try f.owner) { c in
            try await c.rows("SELECT unit_id, version, commune_id FROM pakn_case WHERE id = 4").first?.decode((Int64, Int64, Int64?).self)
        }
        #expect(row?.0 == 4 && row?.1 == 2 && row?.2 == 4)
        let sent = try await TestServer.with(try f.owner) { c in
            try await c.int("SELECT count(*) FROM case_sent_up WHERE case_id = 4 AND from_unit_id = 3 AND to_unit_id = 4")
        }
        #expect(sent == 1)
        // Sent away by a unit of the supervisor's: still readable, with its history …
        let seen = try await TestServer.with(try f.official("sup")) { c in
            try await c.int("SELECT count(*) FROM event WHERE case_id = 4")
        }
        #expect(seen == 2)
        // … but no longer theirs to act on.
        let again = await messageKey { try await TestServer.with(try f.official("sup")) { c in
            try await c.execute("SELECT pakn_case_act(4, '{\"version\": 3}', 'note', 'routed', 'routed', 'x', '{}')") } }
        #expect(again == "pg.server.refused")
        let chain = try await TestServer.with(try f.owner) { c in try await ServerSetup.verifyChain(c) }
        #expect(chain.events == 5 && chain.firstBroken == nil)
    }

    @Test func refusalsAndReadsAreRecordedByTheServerChained() async throws {
        let f = try await Fixture.make()
        defer { Task { await f.drop() } }
        // An attempt on a case outside one's units: a `refused` event on it, by the caller.
        let recorded = try await TestServer.with(try f.official("clerk")) { c in
            try await c.rows("SELECT pakn_record_refusal('hn-2', 'thử / tried')").first?.decode(Bool.self)
        }
        #expect(recorded == true)
        let unknown = try await TestServer.with(try f.official("clerk")) { c in
            try await c.rows("SELECT pakn_record_refusal('HN-999', 'x')").first?.decode(Bool.self)
        }
        #expect(unknown == false)
        let refused = try await TestServer.with(try f.owner) { c in
            try await c.rows("SELECT e.action, e.actor_id, e.from_status FROM event e WHERE e.case_id = 2 ORDER BY e.id DESC LIMIT 1")
                .first?.decode((String, Int64, String?).self)
        }
        #expect(refused?.0 == "refused" && refused?.1 == 2 && refused?.2 == "received")
        // An administrative refusal and a read, in the access log, chained.
        try await TestServer.with(try f.official("clerk")) { c in
            try await c.execute("SELECT pakn_access_refused('officials list', 'không có quyền / not allowed')")
            try await c.execute("SELECT pakn_access_read('report_export', '00070 2026-11', 'text', 1, NULL, ARRAY[1, 2]::bigint[])")
        }
        // Only the actions of reads, and the unredacted export with its permission.
        let write = await messageKey { try await TestServer.with(try f.official("clerk")) { c in
            try await c.execute("SELECT pakn_access_read('official_add', 'x', NULL, 0, NULL, NULL)") } }
        #expect(write == "pg.server.denied")
        let unredacted = await messageKey { try await TestServer.with(try f.official("clerk")) { c in
            try await c.execute("SELECT pakn_access_read('export_unredacted', 'x', NULL, 0, NULL, NULL)") } }
        #expect(unredacted == "pg.server.denied")
        let entries = try await TestServer.with(try f.owner) { c in
            try await c.rows("SELECT l.action, l.login, (SELECT array_agg(case_id ORDER BY case_id) FROM access_case WHERE access_id = l.id) FROM access_log l ORDER BY l.id")
                .map { try $0.decode((String, String, [Int64]?).self) }
        }
        #expect(entries.map(\.0) == ["refused", "report_export"])
        #expect(entries.allSatisfy { $0.1 == f.login("clerk") })
        #expect(entries.last?.2 == [1], "only the cases the reader may read are named")
        let access = try await TestServer.with(try f.owner) { c in try await ServerSetup.verifyAccessChain(c) }
        #expect(access.entries == 2 && access.firstBroken == nil)
        // The log is not the officials' to read or write; its writer is not theirs to call.
        for sql in ["SELECT * FROM access_log", "INSERT INTO access_log(id, at, login, action, hash) VALUES (9, now(), 'x', 'x', '\\x00')",
                    "DELETE FROM access_case", "SELECT pakn_access_write(1, 'x', 'refused', NULL, NULL, 0, NULL, NULL)",
                    "SELECT * FROM pakn_access_entries(10, NULL)", "SELECT * FROM pakn_verify_chain()", "SELECT * FROM event_head"] {
            let key = await messageKey { try await TestServer.with(try f.official("clerk")) { c in try await c.execute(PostgresQuery(unsafeSQL: sql)) } }
            #expect(key == "pg.server.denied", "\(sql)")
        }
        // An admin reads the log; anyone checks the chains.
        let n = try await TestServer.with(try f.official("admin")) { c in try await c.int("SELECT count(*) FROM pakn_access_entries(10, NULL)") }
        #expect(n == 2)
        let head = try await TestServer.with(try f.official("clerkb")) { c in
            try await c.rows("SELECT entries, first_broken FROM pakn_audit_chain('events', NULL)").first?.decode((Int64, Int64?).self)
        }
        #expect(head?.0 == 4 && head?.1 == nil)
    }

    @Test func officialsAreManagedOnlyThroughTheCheckedRecordedFunctions() async throws {
        let f = try await Fixture.make()
        defer { Task { await f.drop() } }
        let clerk = f.login("clerk"), clerkb = f.login("clerkb"), admin = f.login("admin")
        // Not directly, not by a clerk, not above one's role, not oneself.
        let attempts: [(String, String)] = [
            ("clerk", "UPDATE official SET role = 'admin' WHERE login = '\(clerk)'"),
            ("admin", "UPDATE official SET active = false WHERE login = '\(clerkb)'"),
            ("clerk", "SELECT pakn_official_set_role('\(clerkb)', 'supervisor')"),
            ("admin", "SELECT pakn_official_set_role('\(clerkb)', 'trainer')"),
            ("sup", "SELECT pakn_official_set_active('\(clerk)', false)"),
        ]
        for (who, sql) in attempts {
            let key = await messageKey { try await TestServer.with(try f.official(who)) { c in try await c.execute(PostgresQuery(unsafeSQL: sql)) } }
            #expect(key == "pg.server.denied", "\(who): \(sql)")
        }
        let yourself = await messageKey { try await TestServer.with(try f.official("admin")) { c in
            try await c.execute(PostgresQuery(unsafeSQL: "SELECT pakn_official_set_role('\(admin)', 'clerk')")) } }
        #expect(yourself == "pg.server.refused")
        // The admin changes a role and disables an official: both recorded, chained.
        try await TestServer.with(try f.official("admin")) { c in
            try await c.execute(PostgresQuery(unsafeSQL: "SELECT pakn_official_set_role('\(clerkb)', 'supervisor')"))
            try await c.execute(PostgresQuery(unsafeSQL: "SELECT pakn_official_set_active('\(clerk)', false)"))
        }
        let rows = try await TestServer.with(try f.owner) { c in
            try await c.rows("SELECT action, target, coalesce(note, '') FROM access_log ORDER BY id").map { try $0.decode((String, String, String).self) }
        }
        #expect(rows.map(\.0) == ["official_role", "official_disable"])
        #expect(rows.first?.2 == "clerk → supervisor")
        let role = try await TestServer.with(try f.owner) { c in try await c.text("SELECT role FROM official WHERE login = \(clerkb)") }
        #expect(role == "supervisor")
        let access = try await TestServer.with(try f.owner) { c in try await ServerSetup.verifyAccessChain(c) }
        #expect(access.entries == 2 && access.firstBroken == nil)
    }
}
