import Foundation
import PaknCore
@testable import PaknPostgres
import PostgresNIO
import Testing

/// The trust model as the server enforces it, checked by connecting AS an official's own
/// role to the throwaway cluster (docs/deployment.md, "What the server enforces").
@Suite(.enabled(if: TestServer.available, TestServer.skipReason))
struct TrustModelTests {
    @Test func casesOutsideTheOfficialsUnitsAreInvisible() async throws {
        let f = try await Fixture.make()
        defer { Task { await f.drop() } }
        let seen = try await TestServer.with(try f.official("clerk")) { c in
            try await c.rows("SELECT code FROM pakn_case ORDER BY code").map { try $0.decode(String.self) }
        }
        #expect(seen == ["HN-1", "HN-3"])
        let viewed = try await TestServer.with(try f.official("clerkb")) { c in
            try await c.rows("SELECT code FROM case_view ORDER BY code").map { try $0.decode(String.self) }
        }
        #expect(viewed == ["HN-2"])
        // The events of a case out of scope are invisible too.
        let events = try await TestServer.with(try f.official("clerkb")) { c in
            try await c.rows("SELECT case_id FROM event ORDER BY id").map { try $0.decode(Int64.self) }
        }
        #expect(events == [2])
        // The owner sees everything.
        let all = try await TestServer.with(try f.owner) { c in try await c.int("SELECT count(*) FROM pakn_case") }
        #expect(all == 3)
    }

    /// The read policy answers from a case's province and commune columns first
    /// (`v6-scope-columns`): an official who inserts a case from `psql` cannot name another
    /// commune or province there and so put it in another unit's sight.
    @Test func aCaseInsertedWithScopeColumnsItsUnitDoesNotGiveIsRefused() async throws {
        let f = try await Fixture.make()
        defer { Task { await f.drop() } }
        func insert(_ id: Int, province: String, commune: String) -> String {
            """
            INSERT INTO pakn_case(id, code, title, body, kind, category, channel, ward_id, province_id, commune_id, anonymous,
              confidential, unit_id, status, done, received_at, rule_id, counting, clock_start, clock_days, due_at, version,
              updated_at, search)
            VALUES (\(id), 'HN-\(id)', 'Đèn hỏng', 'Đèn hỏng', 'feedback', 'moi_truong', 'hotline', 3, \(province), \(commune),
              true, false, 3, 'received', false, now(), 'feedback-10', 'working', '2026-12-01', 10, now(), 1, now(), 'den hong')
            """
        }
        for (province, commune) in [("2", "4"), ("NULL", "3"), ("99", "3")] {
            let key = await messageKey {
                try await TestServer.with(try f.official("clerk")) { c in try await c.execute(sql: insert(10, province: province, commune: commune)) }
            }
            #expect(key == "pg.server.denied", "province \(province), commune \(commune)")
        }
        #expect(try await TestServer.with(try f.official("clerkb")) { c in try await c.int("SELECT count(*) FROM pakn_case") } == 1)
        // The columns its unit gives: taken, and seen by the clerk's commune only.
        try await TestServer.with(try f.official("clerk")) { c in try await c.execute(sql: insert(11, province: "2", commune: "3")) }
        let seen = try await TestServer.with(try f.official("clerk")) { c in
            try await c.rows("SELECT code FROM pakn_case ORDER BY id").map { try $0.decode(String.self) }
        }
        #expect(seen == ["HN-1", "HN-3", "HN-11"])
        #expect(try await TestServer.with(try f.official("clerkb")) { c in try await c.int("SELECT count(*) FROM pakn_case") } == 1)
    }

    @Test func reporterIdentitiesAreNotReadableByOfficials() async throws {
        let f = try await Fixture.make()
        defer { Task { await f.drop() } }
        for who in ["clerk", "sup", "admin"] {
            let key = await messageKey {
                try await TestServer.with(try f.official(who)) { c in _ = try await c.rows("SELECT name FROM reporter") }
            }
            #expect(key == "pg.server.denied", "\(who) read reporter")
        }
    }

    @Test func eventsAreAppendOnlyByPrivilegeAndByTrigger() async throws {
        let f = try await Fixture.make()
        defer { Task { await f.drop() } }
        for sql in ["UPDATE event SET note = 'x'", "DELETE FROM event",
                    "INSERT INTO event(id, case_id, at, actor_id, action, changes, hash) VALUES (99, 1, now(), 2, 'note', '{}', '\\x00')",
                    "TRUNCATE event"] {
            let key = await messageKey { try await TestServer.with(try f.official("sup")) { c in try await c.execute(sql: sql) } }
            #expect(key == "pg.server.denied", "\(sql)")
        }
        // Even the owner, who holds every privilege, meets the trigger.
        for sql in ["UPDATE event SET note = 'x' WHERE id = 1", "DELETE FROM event WHERE id = 1"] {
            let key = await messageKey { try await TestServer.with(try f.owner) { c in try await c.execute(sql: sql) } }
            #expect(key == "pg.server.denied", "owner: \(sql)")
        }
        let n = try await TestServer.with(try f.owner) { c in try await c.int("SELECT count(*) FROM event") }
        #expect(n == 3)
    }

    @Test func revealRefusesWithoutPermissionAndRecordsWithIt() async throws {
        let f = try await Fixture.make()
        defer { Task { await f.drop() } }
        // A clerk lacks reveal_reporter: refused, and the refusal is in the case's history.
        let refused = try await TestServer.with(try f.official("clerk")) { c in
            try await c.rows("SELECT revealed, name FROM pakn_reveal_reporter('HN-1', 'xác minh')").map { try $0.decode((Bool, String?).self) }
        }
        #expect(refused.count == 1 && refused[0].0 == false && refused[0].1 == nil)
        // A supervisor of the handling unit holds it: the identity, and a `reveal` event with the reason.
        let revealed = try await TestServer.with(try f.official("sup")) { c in
            try await c.rows("SELECT revealed, name, phone FROM pakn_reveal_reporter('HN-1', 'xác minh')")
                .map { try $0.decode((Bool, String?, String?).self) }
        }
        #expect(revealed.count == 1 && revealed[0].0 && revealed[0].1 == "Nguyễn Văn Dân" && revealed[0].2 == "0901234567")
        let history = try await TestServer.with(try f.owner) { c in
            try await c.rows("SELECT e.action, o.login, coalesce(e.note, '') FROM event e JOIN official o ON o.id = e.actor_id WHERE e.case_id = 1 ORDER BY e.id")
                .map { try $0.decode((String, String, String).self) }
        }
        #expect(history.map(\.0) == ["intake", "refused", "reveal"])
        #expect(history[1].1 == f.login("clerk") && history[1].2.contains("reveal_reporter"))
        #expect(history[2].1 == f.login("sup") && history[2].2 == "xác minh")
        // A case outside the supervisor's units is "no such case"; no reason, no reveal; an
        // anonymous case has no one to reveal.
        for (sql, key) in [("SELECT * FROM pakn_reveal_reporter('HN-2', 'x')", "pg.server.refused"),
                           ("SELECT * FROM pakn_reveal_reporter('HN-1', '  ')", "pg.server.refused"),
                           ("SELECT * FROM pakn_reveal_reporter('HN-3', 'x')", "pg.server.refused")] {
            let k = await messageKey { try await TestServer.with(try f.official("sup")) { c in _ = try await c.rows(PostgresQuery(unsafeSQL: sql)) } }
            #expect(k == key, "\(sql)")
        }
        // The chain still holds, appended on the server.
        let chain = try await TestServer.with(try f.owner) { c in try await ServerSetup.verifyChain(c) }
        #expect(chain.events == 5 && chain.firstBroken == nil)
        let head = try await TestServer.with(try f.owner) { c in try await ServerSetup.storedHead(c) }
        #expect(chain.head == head)
    }

    @Test func eventsAreAppendedOnlyThroughTheChainFunctionWithTheActionsPermission() async throws {
        let f = try await Fixture.make()
        defer { Task { await f.drop() } }
        // A clerk may note a case in scope …
        let id = try await TestServer.with(try f.official("clerk")) { c in
            try await c.int("SELECT (pakn_append_event(1, 'note', 'received', 'received', 'gọi lại', '{}')).id")
        }
        #expect(id == 4)
        // … not one out of scope, and not with an action their role lacks (`start` needs work).
        let outOfScope = await messageKey { try await TestServer.with(try f.official("clerk")) { c in
            try await c.execute("SELECT pakn_append_event(2, 'note', 'received', 'received', 'x', '{}')") } }
        #expect(outOfScope == "pg.server.refused")
        let lacking = await messageKey { try await TestServer.with(try f.official("clerk")) { c in
            try await c.execute("SELECT pakn_append_event(1, 'start', 'received', 'in_progress', NULL, '{}')") } }
        #expect(lacking == "pg.server.denied")
        // The chain's internals are not theirs.
        let internalCall = await messageKey { try await TestServer.with(try f.official("admin")) { c in
            try await c.execute("SELECT pakn_chain_append(1, 1, 'note', NULL, NULL, NULL, '{}')") } }
        #expect(internalCall == "pg.server.denied")
        let chain = try await TestServer.with(try f.owner) { c in try await ServerSetup.verifyChain(c) }
        #expect(chain.events == 4 && chain.firstBroken == nil)
    }

    @Test func administrativeTablesAreWritableOnlyThroughTheFunctions() async throws {
        let f = try await Fixture.make()
        defer { Task { await f.drop() } }
        for sql in ["INSERT INTO unit(id, code, name, level, division_type, parent_id, path, folded) VALUES (9, 'Z', 'Z', 'department', 'department', 3, '/1/2/3/9/', 'z')",
                    "UPDATE official SET role = 'admin'", "DELETE FROM deadline_rule",
                    "INSERT INTO calendar_exception(day, kind, name) VALUES ('2026-12-24', 'holiday', 'x')",
                    "UPDATE setting SET value = 'x'"] {
            let key = await messageKey { try await TestServer.with(try f.official("admin")) { c in try await c.execute(PostgresQuery(unsafeSQL: sql)) } }
            #expect(key == "pg.server.denied", "\(sql)")
        }
        // Through the functions: the admin adds a department under a ward of the province …
        let unitId = try await TestServer.with(try f.official("admin")) { c in
            try await c.int("SELECT pakn_unit_put('A-Y', 'Phòng Y', 'department', 'department', '00070')")
        }
        #expect(unitId == 6)
        let path = try await TestServer.with(try f.owner) { c in try await c.text("SELECT path FROM unit WHERE code = 'A-Y'") }
        #expect(path == "/1/2/3/6/")
        try await TestServer.with(try f.official("admin")) { c in
            try await c.execute("SELECT pakn_calendar_put('2026-12-24', 'workday', 'Làm bù')")
        }
        // Each change is in the access log, by the admin, and its chain holds.
        let logged = try await TestServer.with(try f.owner) { c in
            try await c.rows("SELECT login || ' ' || action || ' ' || target FROM access_log ORDER BY id").map { try $0.decode(String.self) }
        }
        let admin = f.login("admin")
        #expect(logged.contains("\(admin) units_change A-Y"), "\(logged)")
        #expect(logged.contains("\(admin) calendar_add 2026-12-24") || logged.contains("\(admin) calendar_update 2026-12-24"), "\(logged)")
        let access = try await TestServer.with(try f.owner) { c in try await ServerSetup.verifyAccessChain(c) }
        #expect(access.firstBroken == nil)
        // … a clerk may not, nor may a ward's supervisor touch the calendar.
        let clerkUnit = await messageKey { try await TestServer.with(try f.official("clerk")) { c in
            try await c.execute("SELECT pakn_unit_put('A-Z', 'Phòng Z', 'department', 'department', '00070')") } }
        #expect(clerkUnit == "pg.server.denied")
        let supCalendar = await messageKey { try await TestServer.with(try f.official("sup")) { c in
            try await c.execute("SELECT pakn_calendar_put('2026-12-25', 'holiday', 'x')") } }
        #expect(supCalendar == "pg.server.denied")
    }

    @Test func anAdminAddsAnOfficialWhoseRoleLogsInAndSeesTheirScope() async throws {
        let f = try await Fixture.make()
        defer { Task { await f.drop() } }
        let newLogin = f.login("handler")
        let id = try await TestServer.with(try f.official("admin")) { c in
            try await c.int("SELECT pakn_official_add(\(newLogin), 'Cán bộ B', '00004', 'handler', NULL)")
        }
        #expect(id == 5)
        let seen = try await TestServer.with(try TestServer.url(database: f.database, user: newLogin)) { c in
            try await c.rows("SELECT code FROM pakn_case ORDER BY code").map { try $0.decode(String.self) }
        }
        #expect(seen == ["HN-2"])
        // A clerk may not add officials; an admin may not give a role above their own.
        let byClerk = await messageKey { try await TestServer.with(try f.official("clerk")) { c in
            try await c.execute("SELECT pakn_official_add(\(f.login("x1")), 'X', '00070', 'clerk', NULL)") } }
        #expect(byClerk == "pg.server.denied")
        let above = await messageKey { try await TestServer.with(try f.official("admin")) { c in
            try await c.execute("SELECT pakn_official_add(\(f.login("x2")), 'X', '00070', 'trainer', NULL)") } }
        #expect(above == "pg.server.denied")
        // Disabled, the role can no longer log in.
        try await TestServer.with(try f.official("admin")) { c in
            try await c.execute("SELECT pakn_official_set_active(\(newLogin), false)")
        }
        let login = await messageKey { try await TestServer.with(try TestServer.url(database: f.database, user: newLogin)) { _ in } }
        #expect(login == "pg.connect.credentials")
    }

    @Test func aRoleThatIsNotAnOfficialSeesNothingAndIsRefused() async throws {
        let f = try await Fixture.make()
        defer { Task { await f.drop() } }
        let stranger = f.login("stranger")
        try await TestServer.with(try f.owner) { c in
            try await c.execute(PostgresQuery(unsafeSQL: "CREATE ROLE \(ServerSchema.ident(stranger)) LOGIN"))
        }
        // Not in the group: not even CONNECT on the database.
        let key = await messageKey { try await TestServer.with(try TestServer.url(database: f.database, user: stranger)) { _ in } }
        #expect(key == "pg.connect.refused" || key == "pg.connect.credentials")
        // A former official still in the group but no longer in `official`: sees no case.
        try await TestServer.with(try f.owner) { c in
            try await c.execute(PostgresQuery(unsafeSQL: "GRANT \(ServerSchema.ident(ServerSchema.groupRole(database: f.database))) TO \(ServerSchema.ident(stranger))"))
        }
        let seen = try await TestServer.with(try TestServer.url(database: f.database, user: stranger)) { c in
            try await c.int("SELECT count(*) FROM pakn_case")
        }
        #expect(seen == 0)
        let note = await messageKey { try await TestServer.with(try TestServer.url(database: f.database, user: stranger)) { c in
            try await c.execute("SELECT pakn_append_event(1, 'note', NULL, NULL, 'x', '{}')") } }
        #expect(note == "pg.server.denied")
    }
}
