import Foundation
import GRDB
import PaknCore
import Testing
@testable import PaknDemo
@testable import PaknStore

/// Shared set-up for the administration tests: a demo database with a ward admin of Hoàn
/// Kiếm, files to load, and a raw connection to the file as an attacker would open it.
enum AdminFixtures {
    static let now = Fixtures.now

    static func setUp() throws -> (db: AppDatabase, wardAdmin: Official, city: Official) {
        let db = try Fixtures.demo()
        let city = try Fixtures.official(db, "taphuan")
        let wardAdmin = try db.addOfficial(login: "quantri.hoankiem", fullName: "Quản Trị Phường", unitCode: "00070",
                                           role: .admin, by: city, at: now)
        return (db, wardAdmin, city)
    }

    static func file(_ name: String, _ ext: String, _ text: String) throws -> URL {
        let url = URL(fileURLWithPath: Fixtures.tempPath(name)).deletingPathExtension().appendingPathExtension(ext)
        try Data(text.utf8).write(to: url)
        return url
    }

    static func rulesFile(_ rules: [DeadlineRule]) throws -> URL {
        let url = URL(fileURLWithPath: Fixtures.tempPath("rules")).deletingPathExtension().appendingPathExtension("json")
        try JSONEncoder().encode(rules).write(to: url)
        return url
    }

    static let tsvHeader = "code\tname\tlevel\tdivision_type\tparent_code\n"

    /// The refusals recorded for `login`, newest first.
    static func refusals(_ db: AppDatabase, _ login: String) throws -> [AccessEntry] {
        try db.accessLog(limit: 50).filter { $0.action == .refused && $0.login == login }
    }

    /// Edits the database file through a connection of its own, as someone with sqlite3
    /// would: foreign keys off, every append-only trigger dropped first.
    static func tamper(_ db: AppDatabase, _ sql: String, _ arguments: StatementArguments = []) throws {
        var config = Configuration()
        config.foreignKeysEnabled = false
        let raw = try DatabaseQueue(path: db.path, configuration: config)
        try raw.write { d in
            for t in try String.fetchAll(d, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_no_%'") {
                try d.execute(sql: "DROP TRIGGER \(t)")
            }
            try d.execute(sql: sql, arguments: arguments)
        }
        try raw.close()
    }

    static func id(_ db: AppDatabase, _ sql: String, _ arguments: StatementArguments = []) throws -> Int64 {
        try #require(try db.pool.read { try Int64.fetchOne($0, sql: sql, arguments: arguments) })
    }
}

/// Scope applies to administration (issue 12): units, rules, the calendar and officials
/// are changed only within one's reach, and every refusal is recorded.
@Suite("Administration in scope: refusals")
struct AdminScopeRefusalTests {
    typealias F = AdminFixtures

    @Test func aWardAdminCannotImportAnotherWardTheCityOrAnythingAboveAndTheTryIsRecorded() throws {
        let (db, wardAdmin, _) = try F.setUp()
        let before = try db.checkConsistency()
        #expect(before.ok, "\(before.lines(.en))")
        let files: [(String, String)] = [
            // Another ward renamed.
            ("00004\tPhường Ba Đình Mới\tcommune\tphường\t01\n", "00004 Phường Ba Đình Mới"),
            // Another ward moved under one's own.
            ("00004\tPhường Ba Đình\tcommune\tphường\t00070\n", "00004 Phường Ba Đình"),
            // A new unit under the city.
            ("99901\tPhường Mới\tcommune\tphường\t01\n", "99901 Phường Mới"),
            // One's own ward renamed (it is the city's), and a whole province.
            ("00070\tPhường Hoàn Kiếm Mới\tcommune\tphường\t01\n", "00070 Phường Hoàn Kiếm Mới"),
            ("01\tThành phố Hà Nội Mới\tprovince\tthành phố\t\n", "01 Thành phố Hà Nội Mới"),
        ]
        for (i, (rows, named)) in files.enumerated() {
            // An unchanged row of one's own ward first: the first row out of reach is named.
            let url = try F.file("units\(i)", "tsv", F.tsvHeader + "00070\tPhường Hoàn Kiếm\tcommune\tphường\t01\n" + rows)
            #expect(throws: StoreError.adminOutOfScope(login: wardAdmin.login,
                                                       reason: Message("admin.scope.unit", wardAdmin.login, named))) {
                _ = try db.importUnitFile(url, by: wardAdmin, at: F.now)
            }
            let refusal = try #require(try F.refusals(db, wardAdmin.login).first)
            #expect(refusal.target == "units import \(url.lastPathComponent)")
            #expect(refusal.note?.contains(named) == true)
        }
        #expect(try db.unit(code: "00004")?.name == "Phường Ba Đình")
        #expect(try db.unit(code: "99901") == nil)
        #expect(try db.unit(code: "00070")?.name == "Phường Hoàn Kiếm")
        // A change list touching the city inspectorate's ward, or another ward, likewise.
        let changes = try F.file("changes", "json", #"{"document": "Thử", "effective": "2026-12-01", "code_changes": [{"old": "00004", "new": "99004"}]}"#)
        #expect(throws: StoreError.self) { _ = try db.importUnitFile(changes, by: wardAdmin, at: F.now) }
        #expect(try db.unit(code: "00004") != nil)
        #expect(try F.refusals(db, wardAdmin.login).count == files.count + 1)
        #expect(try db.checkConsistency().ok, "refusals change nothing the chain covers")
    }

    @Test func aWardAdminMayAddUnderTheirWardAndTheChangeIsChained() throws {
        let (db, wardAdmin, _) = try F.setUp()
        // The rest of the country, unchanged, is not a change: a national file with one new
        // row under one's own ward loads.
        let national = try String(contentsOf: BundledData.unitsFile, encoding: .utf8)
        let lines = national.split(separator: "\n").map(String.init)
        let header = try #require(lines.first).split(separator: "\t").map(String.init)
        let rows = lines.dropFirst().filter { !$0.isEmpty }
        #expect(rows.count > 3000)
        let mine = header.map { ["code": "00070-TDP1", "name": "Tổ dân phố số 1", "level": "commune", "division_type": "tổ dân phố",
                                 "parent_code": "00070"][$0] ?? "" }.joined(separator: "\t")
        let url = try F.file("national", "tsv", ([lines[0]] + rows + [mine]).joined(separator: "\n") + "\n")
        guard case let .units(s) = try db.importUnitFile(url, by: wardAdmin, at: F.now) else { Issue.record("not a units file"); return }
        #expect(s.added == 1)
        let added = try #require(try db.unit(code: "00070-TDP1"))
        let ward = try #require(try db.unit(code: "00070"))
        #expect(added.parentId == ward.id)
        let entry = try #require(try db.accessLog(limit: 1).first)
        #expect(entry.action == .unitsImport && entry.login == wardAdmin.login)
        // The new unit and the departments made under it, no other row.
        let keys = Set(entry.facts.filter { $0.table == "unit" }.map(\.key))
        #expect(keys.contains(String(added.id)))
        let under = try db.pool.read { try Int64.fetchAll($0, sql: "SELECT id FROM unit WHERE parent_id = ?", arguments: [added.id]) }
        #expect(keys == Set([added.id] + under).reduce(into: Set<String>()) { $0.insert(String($1)) })
        let report = try db.checkConsistency()
        #expect(report.ok, "\(report.lines(.en))")
    }

    @Test func nationalRulesAreTheCitysAndALocalRuleIsItsIssuers() throws {
        let (db, wardAdmin, city) = try F.setUp()
        let ref = try db.reference()
        // A ward admin imports a national rule: refused, named, recorded, nothing written.
        var denunciation = try #require(ref.rulebook.rule(id: "denunciation-2018"))
        denunciation.days = 1
        #expect(throws: StoreError.adminOutOfScope(login: wardAdmin.login,
                                                   reason: Message("admin.scope.national_rule", wardAdmin.login, "denunciation-2018"))) {
            _ = try db.importRules(from: try F.rulesFile([denunciation]), by: wardAdmin, at: F.now)
        }
        #expect(try db.reference().rulebook.rule(id: "denunciation-2018")?.days == 30)
        #expect(try F.refusals(db, wardAdmin.login).first?.target?.hasPrefix("rules import") == true)
        // Giving the national feedback rule one's own ward as issuer is still changing a national rule.
        var feedback = try #require(ref.rulebook.rule(id: "feedback-local"))
        feedback.issuer = "00070"
        feedback.days = 3
        #expect(throws: StoreError.self) { _ = try db.importRules(from: try F.rulesFile([feedback]), by: wardAdmin, at: F.now) }
        #expect(try db.reference().rulebook.rule(id: "feedback-local")?.issuer == nil)
        // A complaint rule has no local issuer, whoever loads it.
        var complaint = try #require(ref.rulebook.rule(id: "complaint-2026"))
        complaint.issuer = "00070"
        do {
            _ = try db.importRules(from: try F.rulesFile([complaint]), by: city, at: F.now)
            Issue.record("a complaint rule with a local issuer was loaded")
        } catch let StoreError.badData(_, _, reason) {
            #expect(reason == Message("rules.bad.issuer_law", "complaint-2026"))
        }

        // The ward's own rule, issued by the ward: loaded, recorded, and applied only there.
        var local = feedback
        local.id = "feedback-hoankiem"
        local.days = 7
        // The national rule repeated unchanged beside it is not a change.
        let unchanged = try #require(ref.rulebook.rule(id: "voter-petition-local"))
        #expect(try db.importRules(from: try F.rulesFile([local, unchanged]), by: wardAdmin, at: F.now) == 2)
        let entry = try #require(try db.accessLog(limit: 1).first)
        #expect(entry.action == .rulesImport && entry.target == "feedback-hoankiem" && entry.facts.map(\.key) == ["feedback-hoankiem"])
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        let here = try db.intake(Fixtures.draft(ward: "00070"), by: clerk, at: F.now)
        #expect(here.deadline.ruleId == "feedback-hoankiem")
        let there = try db.intake(Fixtures.draft(ward: "00004"), by: city, at: F.now)
        #expect(there.deadline.ruleId == "feedback-local")
        // A neighbour's rule is not theirs.
        var neighbour = local
        neighbour.id = "feedback-badinh"
        neighbour.issuer = "00004"
        #expect(throws: StoreError.adminOutOfScope(login: wardAdmin.login,
                                                   reason: Message("admin.scope.local_rule", wardAdmin.login, "feedback-badinh",
                                                                   "00004 Phường Ba Đình"))) {
            _ = try db.importRules(from: try F.rulesFile([neighbour]), by: wardAdmin, at: F.now)
        }
        // The city admin may change national rules.
        var longer = try #require(ref.rulebook.rule(id: "feedback-local"))
        longer.days = 12
        #expect(try db.importRules(from: try F.rulesFile([longer]), by: city, at: F.now) == 1)
        #expect(try db.checkConsistency().ok)
    }

    @Test func theCalendarIsNational() throws {
        let (db, wardAdmin, city) = try F.setUp()
        let day = CalendarEntryInput(day: "2027-12-31", kind: "holiday", name: "Nghỉ thử", standing: "expected", note: "thử")
        #expect(throws: StoreError.adminOutOfScope(login: wardAdmin.login, reason: Message("admin.scope.calendar", wardAdmin.login))) {
            try db.calendarAdd(day, reason: "thử", by: wardAdmin, at: F.now)
        }
        #expect(try F.refusals(db, wardAdmin.login).first?.target == "calendar add 2027-12-31")
        try db.calendarAdd(day, reason: "thử", by: city, at: F.now)
        let entry = try #require(try db.accessLog(limit: 1).first)
        #expect(entry.action == .calendarAdd && entry.facts.map(\.key) == ["2027-12-31"])
        #expect(try db.checkConsistency().ok)
    }

    @Test func officialsAreManagedWithinOnesUnitsAndNoRoleAboveOnesOwn() throws {
        let (db, wardAdmin, city) = try F.setUp()
        // Another ward's official: refused and recorded.
        #expect(throws: StoreError.self) {
            try db.addOfficial(login: "canbo.badinh.moi", fullName: "Cán Bộ Mới", unitCode: "00004-KT", role: .handler, by: wardAdmin, at: F.now)
        }
        #expect(try db.official(login: "canbo.badinh.moi") == nil)
        #expect(try F.refusals(db, wardAdmin.login).first?.target == "officials add canbo.badinh.moi")
        // The city inspectorate's official: refused.
        #expect(throws: StoreError.self) { try db.setActive(login: "thanhtra.hanoi", active: false, by: wardAdmin, at: F.now) }
        // Within the ward: allowed, chained.
        let added = try db.addOfficial(login: "canbo.hoankiem.moi", fullName: "Cán Bộ Mới", unitCode: "00070-KT", role: .handler,
                                       by: wardAdmin, at: F.now)
        #expect(try db.accessLog(limit: 1).first?.facts == [try db.pool.read { try Facts.current($0, Facts.official, key: added.id) }])
        try db.setRole(login: "canbo.hoankiem.moi", role: .supervisor, by: wardAdmin, at: F.now)
        try db.setActive(login: "canbo.hoankiem.moi", active: false, by: wardAdmin, at: F.now)
        // A trainer's role is above an admin's: not given, not taken, not touched.
        #expect(throws: StoreError.adminOutOfScope(login: wardAdmin.login, reason: Message("admin.scope.role", wardAdmin.login, "trainer"))) {
            try db.setRole(login: "canbo.hoankiem.kt", role: .trainer, by: wardAdmin, at: F.now)
        }
        #expect(throws: StoreError.self) {
            try db.addOfficial(login: "taphuan.hoankiem", fullName: "Tập Huấn", unitCode: "00070", role: .trainer, by: wardAdmin, at: F.now)
        }
        let admin = try Fixtures.official(db, "admin")
        #expect(throws: StoreError.self) { try db.setActive(login: "taphuan", active: false, by: admin, at: F.now) }
        #expect(try db.official(login: "taphuan")?.active == true)
        #expect(try F.refusals(db, "admin").first?.note?.contains("trainer") == true)
        // A trainer may give it.
        try db.setRole(login: "canbo.hoankiem.kt", role: .trainer, by: city, at: F.now)
        #expect(try db.checkConsistency().ok)
    }
}

/// The access chain covers the administrative tables: an edit made outside pakn, with the
/// triggers dropped as an attacker would, is named by the full check (`audit verify --full`).
@Suite("Tampering with the administrative tables")
struct AdminTamperTests {
    typealias F = AdminFixtures

    /// The full check's differences, after asserting the chains themselves still hold (the
    /// edit is of a fact table, not of a history).
    static func differences(_ db: AppDatabase) throws -> [FactDifference] {
        let r = try db.checkConsistency()
        #expect(r.events.ok && r.access.ok)
        #expect(!r.ok)
        for d in r.facts {
            #expect(!d.text(.vi).isEmpty && !d.text(.en).isEmpty && d.text(.vi) != d.text(.en))
        }
        return r.facts
    }

    @Test func anUntouchedDatabaseIsSound() throws {
        let db = try Fixtures.demo()
        let r = try db.checkConsistency()
        #expect(r.ok && r.facts.isEmpty, "\(r.lines(.en))")
        let prod = try Fixtures.production()
        #expect(try prod.checkConsistency().ok)
        // The baselines are in the chain: one entry per covered table.
        let baselines = try db.accessLog(limit: 100).filter { $0.action == .factsBaseline }
        #expect(Set(baselines.compactMap(\.target)) == Set(Facts.all.map(\.name)))
        #expect(baselines.first { $0.target == "unit" }.map { $0.count > 10_000 && $0.facts.count == $0.count } == true)
    }

    @Test func anOfficialsNameEditedIsNamed() throws {
        let db = try Fixtures.demo()
        let id = try F.id(db, "SELECT id FROM official WHERE login = 'canbo.hoankiem.kt'")
        try F.tamper(db, "UPDATE official SET full_name = 'Người Khác' WHERE id = ?", [id])
        let d = try Self.differences(db)
        #expect(d == [FactDifference(table: "official", key: String(id), change: .altered, name: "canbo.hoankiem.kt")])
        #expect(d.first?.text(.en) == "Official canbo.hoankiem.kt (id \(id)) changed outside pakn: it is not what the access log records.")
        #expect(d.first?.text(.vi).hasPrefix("Cán bộ canbo.hoankiem.kt (id \(id)) đã bị sửa ngoài pakn") == true)
    }

    @Test func twoOfficialsSwappedAreBothNamed() throws {
        // Swapping logins moves a history (a reveal, a reply) onto someone else.
        let db = try Fixtures.demo()
        let a = try F.id(db, "SELECT id FROM official WHERE login = 'lanhdao.hoankiem'")
        let b = try F.id(db, "SELECT id FROM official WHERE login = 'canbo.hoankiem.kt'")
        try F.tamper(db, """
            UPDATE official SET login = '~swap' WHERE id = \(a);
            UPDATE official SET login = 'lanhdao.hoankiem' WHERE id = \(b);
            UPDATE official SET login = 'canbo.hoankiem.kt' WHERE id = \(a);
            """)
        #expect(try Self.differences(db) == [
            FactDifference(table: "official", key: String(a), change: .altered, name: "canbo.hoankiem.kt"),
            FactDifference(table: "official", key: String(b), change: .altered, name: "lanhdao.hoankiem"),
        ])
        // Swapping their ids alike.
        let db2 = try Fixtures.demo()
        try F.tamper(db2, """
            UPDATE official SET id = -1 WHERE id = \(a);
            UPDATE official SET id = \(a) WHERE id = \(b);
            UPDATE official SET id = \(b) WHERE id = -1;
            """)
        #expect(try Self.differences(db2) == [
            FactDifference(table: "official", key: String(a), change: .altered, name: "canbo.hoankiem.kt"),
            FactDifference(table: "official", key: String(b), change: .altered, name: "lanhdao.hoankiem"),
        ])
    }

    @Test func anOfficialAddedOrRemovedIsNamed() throws {
        let db = try Fixtures.demo()
        let unit = try F.id(db, "SELECT id FROM unit WHERE code = '00070'")
        try F.tamper(db, "INSERT INTO official(login, full_name, unit_id, role, active, folded) VALUES ('ma', 'Ma', ?, 'supervisor', 1, 'ma')", [unit])
        let ghost = try F.id(db, "SELECT id FROM official WHERE login = 'ma'")
        #expect(try Self.differences(db) == [FactDifference(table: "official", key: String(ghost), change: .added, name: "ma")])

        let db2 = try Fixtures.demo()
        let gone = try F.id(db2, "SELECT id FROM official WHERE login = 'xem.hanoi'")
        try F.tamper(db2, "DELETE FROM official WHERE id = ?", [gone])
        let d = try Self.differences(db2)
        #expect(d == [FactDifference(table: "official", key: String(gone), change: .removed)])
        #expect(d.first?.text(.en) == "Official id \(gone) removed outside pakn: the access log records it as present.")
    }

    @Test func aUnitEditedAddedOrRemovedIsNamed() throws {
        let db = try Fixtures.demo()
        let ward = try F.id(db, "SELECT id FROM unit WHERE code = '00004'")
        try F.tamper(db, "UPDATE unit SET name = 'Phường Lạ' WHERE id = ?", [ward])
        #expect(try Self.differences(db) == [FactDifference(table: "unit", key: String(ward), change: .altered, name: "00004 Phường Lạ")])

        // Moving a unit under one's own ward by its path (scope is read from the path).
        let db2 = try Fixtures.demo()
        let inspectorate = try F.id(db2, "SELECT id FROM unit WHERE code = '01-TT'")
        try F.tamper(db2, "UPDATE unit SET path = (SELECT path FROM unit WHERE code = '00070') || id || '/' WHERE id = ?", [inspectorate])
        #expect(try Self.differences(db2).map(\.key) == [String(inspectorate)])

        let db3 = try Fixtures.demo()
        let city = try F.id(db3, "SELECT id FROM unit WHERE code = '01'")
        try F.tamper(db3, "INSERT INTO unit(code, name, level, division_type, parent_id, path, folded, label) VALUES ('99999', 'Phường Ma', 'commune', 'phường', ?, '', 'phuong ma', '')", [city])
        let ghost = try F.id(db3, "SELECT id FROM unit WHERE code = '99999'")
        #expect(try Self.differences(db3) == [FactDifference(table: "unit", key: String(ghost), change: .added, name: "99999 Phường Ma")])

        let db4 = try Fixtures.demo()
        let dept = try F.id(db4, "SELECT id FROM unit WHERE code = '00103-VP'")
        try F.tamper(db4, "DELETE FROM unit WHERE id = ?", [dept])
        #expect(try Self.differences(db4) == [FactDifference(table: "unit", key: String(dept), change: .removed)])
    }

    @Test func aRemoteFlagOrAnAliasChangedIsNamed() throws {
        let db = try Fixtures.demo()
        let ward = try F.id(db, "SELECT id FROM unit WHERE code = '00070'")
        try F.tamper(db, "UPDATE unit SET remote = 1 WHERE id = ?", [ward])
        #expect(try Self.differences(db).map(\.key) == [String(ward)])

        let db2 = try Fixtures.demo()
        try F.tamper(db2, "UPDATE unit_alias SET unit_id = (SELECT id FROM unit WHERE code = '00004') WHERE old_code = '00073'")
        let d = try Self.differences(db2)
        #expect(d == [FactDifference(table: "unit_alias", key: "00073", change: .altered, name: "00073")])
        #expect(d.first?.text(.en).hasPrefix("Old unit code 00073 changed outside pakn") == true)
    }

    @Test func aDeadlineRuleChangedOrDeletedIsNamed() throws {
        let db = try Fixtures.demo()
        try F.tamper(db, "UPDATE deadline_rule SET json = replace(json, '\"days\":30', '\"days\":1') WHERE id = 'denunciation-2018'")
        #expect(try db.reference().rulebook.rule(id: "denunciation-2018")?.days == 1, "the edit took")
        let d = try Self.differences(db)
        #expect(d == [FactDifference(table: "deadline_rule", key: "denunciation-2018", change: .altered, name: "denunciation-2018")])
        #expect(d.first?.text(.en) == "Deadline rule denunciation-2018 changed outside pakn: it is not what the access log records.")

        let db2 = try Fixtures.demo()
        try F.tamper(db2, "DELETE FROM deadline_rule WHERE id = 'feedback-local'")
        #expect(try Self.differences(db2) == [FactDifference(table: "deadline_rule", key: "feedback-local", change: .removed)])
    }

    @Test func theRoutingTableCategoriesAndTemplatesEditedAreNamed() throws {
        // Denunciations routed to another department, a category moved, a reply template's
        // text changed: each would change what happens to a case without an event.
        let db = try Fixtures.demo()
        let rule = try AdminFixtures.id(db, "SELECT min(id) FROM routing_rule")
        try F.tamper(db, "UPDATE routing_rule SET department = 'VP' WHERE id = ?", [rule])
        let d = try Self.differences(db)
        #expect(d == [FactDifference(table: "routing_rule", key: String(rule), change: .altered, name: String(rule))])
        #expect(d.first?.text(.en) == "Routing rule \(rule) changed outside pakn: it is not what the access log records.")

        let db2 = try Fixtures.demo()
        let code = try #require(try db2.pool.read { try String.fetchOne($0, sql: "SELECT min(code) FROM category") })
        try F.tamper(db2, "UPDATE category SET department = 'VP' WHERE code = ?", [code])
        #expect(try Self.differences(db2) == [FactDifference(table: "category", key: code, change: .altered, name: code)])

        let db3 = try Fixtures.demo()
        let key = try #require(try db3.pool.read { try String.fetchOne($0, sql: "SELECT min(id || '/' || lang) FROM reply_template") })
        try F.tamper(db3, "UPDATE reply_template SET body = body || ' (sửa)' WHERE id || '/' || lang = ?", [key])
        try F.tamper(db3, "INSERT INTO reply_template(id, lang, title, body) VALUES ('ma', 'vi', 'Ma', 'Nội dung ma')")
        #expect(try Self.differences(db3) == [FactDifference(table: "reply_template", key: key, change: .altered, name: key),
                                              FactDifference(table: "reply_template", key: "ma/vi", change: .added, name: "ma/vi")]
            .sorted { $0.key < $1.key })
    }

    @Test func aCalendarDayEditedIsNamed() throws {
        let db = try Fixtures.demo()
        try F.tamper(db, "UPDATE calendar_exception SET kind = 'workday' WHERE day = '2026-09-02'")
        let d = try Self.differences(db)
        #expect(d == [FactDifference(table: "calendar_exception", key: "2026-09-02", change: .altered, name: "2026-09-02")])
        #expect(d.first?.text(.vi) == "Ngày 2026-09-02 trong lịch ngày nghỉ đã bị sửa ngoài pakn: không còn như nhật ký truy cập ghi.")
    }

    @Test func theTrainingFlagFlippedIsNamed() throws {
        let db = try Fixtures.demo()
        try F.tamper(db, "UPDATE setting SET value = '0' WHERE key = 'training'")
        #expect(try Self.differences(db) == [FactDifference(table: "setting", key: "training", change: .altered, name: "training")])
        // A setting pakn does not cover is not a difference.
        let db2 = try Fixtures.demo()
        try F.tamper(db2, "INSERT INTO setting(key, value) VALUES ('ghi_chu', 'x')")
        #expect(try db2.checkConsistency().ok)
    }

    @Test func rewritingTheRecordedDigestTooBreaksTheAccessChain() throws {
        let db = try Fixtures.demo()
        let id = try F.id(db, "SELECT id FROM official WHERE login = 'vanthu.hoankiem'")
        try F.tamper(db, "UPDATE official SET role = 'supervisor' WHERE id = ?", [id])
        let digest = try #require(try db.pool.read { try Facts.current($0, Facts.official, key: id).digest })
        try F.tamper(db, "UPDATE access_fact SET digest = ? WHERE tbl = 'official' AND key = ?", [digest, String(id)])
        let r = try db.checkConsistency()
        #expect(r.facts.isEmpty && !r.access.ok && !r.ok)
    }

    @Test func everyAdministrativeActThroughPaknKeepsTheTablesAsTheChainSays() throws {
        let (db, wardAdmin, city) = try F.setUp()
        try db.setRole(login: "canbo.hoankiem.kt", role: .supervisor, by: wardAdmin, at: F.now)
        try db.setActive(login: "canbo.hoankiem.vp", active: false, by: wardAdmin, at: F.now)
        _ = try db.setRemote(codes: ["00070"], remote: true, reason: "Quyết định thử", by: wardAdmin, at: F.now)
        var rule = try #require(try db.reference().rulebook.rule(id: "feedback-local"))
        rule.days = 11
        _ = try db.importRules(from: try F.rulesFile([rule]), by: city, at: F.now)
        try db.calendarAdd(CalendarEntryInput(day: "2027-12-31", kind: "holiday", name: "Nghỉ thử", standing: "expected", note: "thử"),
                           reason: "thử", by: city, at: F.now)
        try db.calendarRemove(day: "2027-12-31", reason: "thử", by: city, at: F.now)
        // A change list recoding the home unit's ward and renaming it: units, aliases, departments.
        let changes = try F.file("changes", "json", """
            {"document": "Nghị quyết thử", "effective": "2026-12-01",
             "code_changes": [{"old": "00004", "new": "99004"}],
             "type_changes": [{"code": "00008", "was": "Phường Ngọc Hà", "now": "Xã Ngọc Hà"}]}
            """)
        guard case let .changes(s) = try db.importUnitFile(changes, by: city, at: F.now) else { Issue.record("not a change list"); return }
        #expect(s.codes == 1 && s.types == 1)
        let entry = try #require(try db.accessLog(limit: 1).first)
        #expect(entry.facts.contains { $0.table == "unit_alias" && $0.key == "00004" })
        #expect(entry.facts.filter { $0.table == "unit" }.count >= 2)
        let r = try db.checkConsistency()
        #expect(r.ok, "\(r.lines(.en))")
        // And an edit after all that is still named.
        try F.tamper(db, "UPDATE unit SET name = 'Khác' WHERE code = '99004'")
        #expect(try Self.differences(db).map(\.table) == ["unit"])
    }

    @Test func aDatabaseFromBeforeTheFactsIsCoveredFromItsMigrationOn() throws {
        // A database at the schema before `v6-admin-facts`, as an older pakn made it.
        let path = Fixtures.tempPath("v5")
        var config = Configuration()
        config.foreignKeysEnabled = true
        let queue = try DatabaseQueue(path: path, configuration: config)
        try Schema.migrator.migrate(queue, upTo: UnitMigration.name)
        try queue.write { d in
            _ = try DemoGenerator.setUp(d, options: DemoOptions(cases: 0, seed: 3, now: Fixtures.now, login: "tester"))
        }
        #expect(try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM access_log") } == 0)
        try queue.close()
        let db = try AppDatabase(path: path, create: false)
        let baselines = try db.accessLog(limit: 20).filter { $0.action == .factsBaseline }
        #expect(baselines.count == Facts.all.count)
        #expect(baselines.allSatisfy { $0.login == "pakn-migrate" })
        #expect(try db.checkConsistency().ok)
        try F.tamper(db, "UPDATE official SET unit_id = (SELECT id FROM unit WHERE code = '01') WHERE login = 'vanthu.hoankiem'")
        #expect(try Self.differences(db).map(\.name) == ["vanthu.hoankiem"])
    }
}
