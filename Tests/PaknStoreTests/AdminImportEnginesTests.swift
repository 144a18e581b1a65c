import Foundation
import GRDB
import PaknCore
import Testing
@testable import PaknStore

/// `pakn units import`, `pakn rules import` and `pakn calendar add/remove/import` through the
/// session, on the SQLite file and on the same file moved to the test cluster's server
/// (when `make test` started one, PAKN_TEST_PG): the same results, the same due instants
/// moved, the same records, and a bad file leaves nothing written on either.
@Suite("Units, rules and calendar imports on both engines", .serialized)
struct AdminImportEnginesTests {
    static let now = Fixtures.now

    struct World {
        let db: AppDatabase
        let session: (String) throws -> any StoreSession
        let server: TestCluster.Database?
    }

    /// The demo database, and the same moved to a fresh database of the cluster (or nil).
    static func worlds(_ prepare: (AppDatabase) throws -> Void = { _ in }) async throws -> (sqlite: World, server: World?) {
        let db = try Fixtures.demo()
        try prepare(db)
        let sqlite = World(db: db, session: { try db.session(login: $0, now: now) }, server: nil)
        guard TestCluster.url != nil else { return (sqlite, nil) }
        let server = try await TestCluster.copy(db.path)
        return (sqlite, World(db: db, session: { try server.session($0) }, server: server))
    }

    static func both(_ w: (sqlite: World, server: World?)) -> [World] { [w.sqlite] + (w.server.map { [$0] } ?? []) }

    static func drop(_ w: (sqlite: World, server: World?)) async {
        if let s = w.server?.server { await s.drop() }
    }

    static func file(_ name: String, _ text: String) throws -> URL {
        let url = URL(fileURLWithPath: Fixtures.tempPath("admin-import")).appendingPathExtension(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    /// What a unit and its children look like, without ids (the engines number new units alike,
    /// but that is not what is compared).
    static func shape(_ s: any StoreSession, _ code: String) throws -> [String] {
        guard let u = try s.unit(code: code) else { return [] }
        let parent = try u.parentId.flatMap { try s.unit(id: $0)?.code } ?? "-"
        return ["\(u.code)|\(u.name)|\(u.level.rawValue)|\(u.divisionType)|\(parent)|\(u.label ?? "")"]
            + (try s.children(of: u.id).map { "\($0.code)|\($0.name)|\($0.level.rawValue)|\($0.divisionType)|\($0.label ?? "")" }.sorted())
    }

    @Test func aUnitsFileLoadsTheSameOnBothEngines() async throws {
        let w = try await Self.worlds()
        let good = try Self.file("tsv", """
            code\tname\tlevel\tdivision_type\tparent_code
            99990\tPhường Thử Nghiệm\tcommune\tphường\t01
            00070\tPhường Hoàn Kiếm\tcommune\tphường\t01
            """)
        // The second row's parent is nowhere: nothing of the file is written.
        let bad = try Self.file("tsv", """
            code\tname\tlevel\tdivision_type\tparent_code
            99991\tPhường Không Có\tcommune\tphường\t01
            99992\tPhường Mồ Côi\tcommune\tphường\t88
            """)
        var results: [UnitFileImport] = []
        var shapes: [[String]] = []
        for world in Self.both(w) {
            let s = try world.session("taphuan")
            let before = try s.accessLog(limit: 1).first?.id ?? 0
            #expect(throws: StoreError.self) { try s.importUnitFile(bad, document: nil, effective: nil, dateBasis: nil) }
            #expect(try s.unit(code: "99991") == nil)
            #expect(try s.accessLog(limit: 1).first?.id ?? 0 == before, "a bad file records nothing")

            let r = try s.importUnitFile(good, document: nil, effective: nil, dateBasis: nil)
            results.append(r)
            shapes.append(try Self.shape(s, "99990"))
            let entry = try #require(try s.accessLog(limit: 1).first)
            #expect(entry.action == .unitsImport && entry.target == good.lastPathComponent)
            #expect(entry.note?.hasPrefix("added 1, updated 1, departments ") == true, "\(entry.note ?? "")")
            #expect(try s.checkAccessChain().ok)
        }
        guard case let .units(summary) = try #require(results.first) else { Issue.record("not a units load"); return }
        #expect(summary.added == 1 && summary.updated == 1 && summary.departments > 0)
        #expect(results.allSatisfy { $0 == results[0] }, "the same summary on both engines: \(results)")
        #expect(shapes[0].count == 1 + summary.departments, "the new ward and its departments: \(shapes[0])")
        #expect(Set(shapes.map { $0.joined(separator: "\n") }).count == 1, "the same units on both engines: \(shapes)")
        await Self.drop(w)
    }

    /// An official change list (docs/data-sources.md): a swap, a chain and a type change in
    /// one list, a province's new type in a second; the same units, history, aliases, home
    /// unit and record on both engines. A bad list names its rows and writes nothing; a
    /// list touching a unit out of the admin's reach is refused and the refusal recorded; a
    /// row already recorded counts as in force.
    @Test func aChangeListLoadsTheSameOnBothEngines() async throws {
        let w = try await Self.worlds()
        let good = try Self.file("json", """
            [{"document": "Quyết định thử 1/2026", "effective": "2026-08-01",
              "code_changes": [{"old": "00004", "new": "00008"}, {"old": "00008", "new": "00004"}, {"old": "00070", "new": "99990"}],
              "type_changes": [{"code": "00008", "was": "Phường Ngọc Hà", "now": "Xã Ngọc Hà"}]},
             {"document": "Nghị quyết thử 2/2026", "effective": "2026-09-01", "date_basis": "by",
              "code_changes": [{"old": "99990", "new": "99991"}, {"old": "00070", "new": "99990"}],
              "type_changes": [{"code": "00103", "was": "Phường Tây Hồ", "now": "Xã Tây Hồ"}]}]
            """)
        let bad = try Self.file("json", """
            {"document": "Nghị quyết thử", "effective": "2026-08-01",
             "code_changes": [{"old": "00070", "new": "00071"}, {"old": "00073", "new": "00074"}, {"old": "00004", "new": "00008"}],
             "type_changes": [{"code": "00103", "was": "Xã Khác", "now": "Xã Tây Hồ"}]}
            """)
        let caoBang = try Self.file("json", #"{"document": "X", "effective": "2026-08-01", "province_type_changes": [{"code": "04", "now": "thành phố"}]}"#)
        var summaries: [UnitFileImport] = []
        var pictures: [String] = []
        for world in Self.both(w) {
            let s = try world.session("taphuan")
            let before = try s.accessLog(limit: 1).first?.id ?? 0
            do {
                _ = try s.importUnitFile(bad, document: nil, effective: nil, dateBasis: nil)
                Issue.record("a bad list was taken")
            } catch let e as UnitChangeListError {
                let text = e.text(.en)
                #expect(text.contains("code_changes[2]: 00073 is no longer a unit code: it is now 00082 Phường Cửa Nam"), "\(text)")
                #expect(text.contains("code_changes[3]") && text.contains("type_changes[1]"), "\(text)")
                #expect(!text.contains("code_changes[1]"), "\(text)")
            }
            #expect(try s.unit(code: "00071") == nil && s.unit(code: "00070")?.name == "Phường Hoàn Kiếm", "nothing written")
            #expect(try s.accessLog(limit: 1).first?.id ?? 0 == before, "a bad list records nothing")

            // Cao Bằng is not the Hà Nội admin's: refused, recorded, nothing written.
            let admin = try world.session("admin")
            #expect(throws: StoreError.adminOutOfScope(login: "admin", reason: Message("admin.scope.unit", "admin", "04 Tỉnh Cao Bằng"))) {
                _ = try admin.importUnitFile(caoBang, document: nil, effective: nil, dateBasis: nil)
            }
            #expect(try s.unit(code: "04")?.divisionType == "tỉnh")
            #expect(try s.accessLog(limit: 1).first.map { $0.action == .refused && $0.login == "admin" } == true)

            let a = try #require(try s.unit(code: "00004")), b = try #require(try s.unit(code: "00008"))
            let c = try #require(try s.unit(code: "00070"))
            let r = try s.importUnitFile(good, document: nil, effective: nil, dateBasis: nil)
            summaries.append(r)
            #expect(try s.unit(id: a.id)?.code == "00008" && s.unit(id: b.id)?.code == "00004")
            #expect(try s.unit(id: c.id)?.code == "99991")
            #expect(try s.unit(code: "99991-KT")?.parentId == c.id)
            #expect(try s.unit(code: "00070-KT")?.parentId == c.id, "the oldest department code still leads there")
            #expect(try s.unit(id: b.id)?.divisionType == "xã" && s.unit(id: b.id)?.name == "Xã Ngọc Hà")
            #expect(try s.unit(code: "00004-KT")?.name == "Phòng Kinh tế", "a commune's department name")
            #expect(try s.unit(code: "00103")?.name == "Xã Tây Hồ" && s.unit(code: "00103-KT")?.name == "Phòng Kinh tế")
            let entry = try #require(try s.accessLog(limit: 1).first)
            #expect(entry.action == .unitsChange && entry.target == good.lastPathComponent && entry.count == 6)
            #expect(entry.note == "Quyết định thử 1/2026 (on 2026-08-01); Nghị quyết thử 2/2026 (by 2026-09-01): codes 4, types 2, provinces 0, already 1",
                    "\(entry.note ?? "")")
            #expect(try s.checkAccessChain().ok)
            var picture: [String] = []
            for code in ["00004", "00008", "99991", "00103"] {
                picture += try Self.shape(s, code)
                picture += try s.unitHistory(code: code).map {
                    "\($0.oldCode ?? "-")>\($0.newCode ?? "-") \($0.oldName ?? "-")>\($0.newName ?? "-") \($0.oldType ?? "-")>\($0.newType ?? "-") \($0.effective) \($0.dateBasis) \($0.document)"
                }
                picture += try s.unitAliases(code: code).map { "\($0.code) \($0.kind ?? "-")" }
            }
            pictures.append(picture.joined(separator: "\n"))
        }
        guard case let .changes(summary) = try #require(summaries.first) else { Issue.record("not a change list"); return }
        #expect(summary.codes == 4 && summary.types == 2 && summary.provinceTypes == 0 && summary.alreadyInForce == 1, "\(summary)")
        #expect(summary.departmentsRenamed > 0)
        #expect(summaries.allSatisfy { $0 == summaries[0] }, "the same summary on both engines: \(summaries)")
        #expect(pictures[0].contains("00070>99990") && pictures[0].contains("99990>99991"), "\(pictures[0])")
        #expect(Set(pictures).count == 1, "the same units, history and aliases on both engines:\n\(pictures.joined(separator: "\n----\n"))")
        await Self.drop(w)

        // A province's new type, by a central database's admin: its name, its departments'
        // names and its communes' labels, alike on both engines.
        let central = try AppDatabase.initialize(path: Fixtures.tempPath("central"), adminLogin: "trunguong",
                                                 adminName: "Quản Trị Trung Ương", unitCode: "VN", casePrefix: "TW")
        var worlds = [World(db: central, session: { try central.session(login: $0) }, server: nil)]
        let server = TestCluster.url == nil ? nil : try await TestCluster.copy(central.path)
        if let server { worlds.append(World(db: central, session: { try server.session($0) }, server: server)) }
        var shapes: [[String]] = []
        for world in worlds {
            let s = try world.session("trunguong")
            guard case let .changes(p) = try s.importUnitFile(caoBang, document: nil, effective: nil, dateBasis: nil) else {
                Issue.record("not a change list"); continue
            }
            #expect(p.provinceTypes == 1 && p.departmentsRenamed > 0, "\(p)")
            #expect(try s.unit(code: "04")?.name == "Thành phố Cao Bằng")
            #expect(try s.unit(code: "04-TT")?.name == "Thanh tra Thành phố")
            shapes.append(try Self.shape(s, "04") + (try s.unitHistory(code: "04").map { "\($0.oldName ?? "-")>\($0.newName ?? "-")" }))
        }
        #expect(Set(shapes.map { $0.joined(separator: "\n") }).count == 1, "\(shapes)")
        if let server { await server.drop() }
    }

    @Test func aRulesFileLoadsTheSameOnBothEngines() async throws {
        let w = try await Self.worlds()
        var rule = try #require(try BundledData.rules().first { $0.kind == .feedback && $0.issuer == nil })
        rule.id = "test-feedback-2028"
        rule.effectiveFrom = Day("2028-01-01")!
        rule.effectiveTo = nil
        rule.days = 12
        let good = try Self.file("json", String(decoding: try JSONEncoder().encode([rule]), as: UTF8.self))
        var broken = rule
        broken.id = "test-broken"
        broken.days = 0
        let bad = try Self.file("json", String(decoding: try JSONEncoder().encode([rule, broken]), as: UTF8.self))
        var digests: [String?] = []
        for world in Self.both(w) {
            let s = try world.session("taphuan")
            #expect(throws: StoreError.self) { try s.importRules(from: bad) }
            #expect(try s.reference().rulebook.rule(id: rule.id) == nil, "a bad file writes nothing")
            #expect(try s.importRules(from: good) == 1)
            #expect(try s.reference().rulebook.rule(id: rule.id) == rule)
            let entry = try #require(try s.accessLog(limit: 1).first)
            #expect(entry.action == .rulesImport && entry.target == rule.id && entry.count == 1)
            digests.append(entry.digest)
            // The same file again changes nothing and records nothing.
            #expect(try s.importRules(from: good) == 1)
            #expect(try s.accessLog(limit: 1).first?.id == entry.id)
            #expect(try s.checkAccessChain().ok)
        }
        #expect(digests.first != nil && Set(digests).count == 1, "the same text on both engines: \(digests)")
        await Self.drop(w)
    }

    /// An open case counted in working days whose clock spans a few working days.
    static func openCase(_ db: AppDatabase) throws -> (code: String, id: Int64, clock: Deadline) {
        let ref = try db.reference()
        let open = try db.pool.read { d in
            try Row.fetchAll(d, sql: "SELECT * FROM pakn_case WHERE done = 0 AND counting = 'working' ORDER BY id LIMIT 50")
        }
        let r = try #require(open.first { row in
            let dl = CaseRow.deadline(row)
            return dl.dueDay(in: ref.calendar).ordinal - dl.start.ordinal >= 3
        })
        return (r["code"], r["id"], CaseRow.deadline(r))
    }

    @Test func aNewHolidayMovesTheSameDueDayOnBothEnginesAndRemovingItMovesItBack() async throws {
        let w = try await Self.worlds()
        let (code, id, clock) = try Self.openCase(w.sqlite.db)
        let calendar = try w.sqlite.db.reference().calendar
        var inside = clock.start.adding(1)
        while !calendar.isWorkingDay(inside) { inside = inside.adding(1) }
        let input = CalendarEntryInput(day: inside.description, kind: "holiday", name: "Nghỉ đột xuất", standing: "announced",
                                       document: "Quyết định thử")
        var dues: [[Date]] = []
        for world in Self.both(w) {
            let s = try world.session("taphuan")
            let before = try s.resolveCase(code).dueAt
            let added = try s.calendarAdd(input, reason: "Thử")
            #expect(added.added == 1 && added.redated >= 1)
            let moved = try s.resolveCase(code).dueAt
            #expect(moved > before)
            let entry = try #require(try s.accessLog(limit: 1).first)
            #expect(entry.action == .calendarAdd && entry.target == inside.description && entry.caseIds.contains(id))
            #expect(entry.note == "Thử | — → holiday \"Nghỉ đột xuất\" announced: Quyết định thử")
            let removed = try s.calendarRemove(day: inside.description, reason: "Nhầm ngày")
            #expect(removed.changes.first?.after == nil && removed.redated == added.redated)
            #expect(try s.resolveCase(code).dueAt == before, "removing the day moves the due day back")
            #expect(try s.accessLog(limit: 1).first?.action == .calendarRemove)
            // A day the calendar does not have is refused, and nothing is written.
            #expect(throws: Message.self) { try s.calendarRemove(day: inside.description, reason: "Lần nữa") }
            #expect(try s.checkChain().ok)
            #expect(try s.checkAccessChain().ok)
            dues.append([before, moved])
        }
        let expected = CaseRow.secs(clock.dueDay(in: WorkingCalendar(exceptions: calendar.exceptions + [try input.validated()])).end)
        #expect(dues.allSatisfy { CaseRow.secs($0[1]) == expected }, "\(dues) vs \(expected)")
        #expect(Set(dues).count == 1, "the same due instants on both engines: \(dues)")
        await Self.drop(w)
    }

    @Test func aCalendarFileLoadsTheSameOnBothEnginesAndABadOneWritesNothing() async throws {
        let w = try await Self.worlds()
        let good = try Self.file("json", """
            [{"day": "2028-01-03", "kind": "holiday", "name": "Nghỉ bù thử", "standing": "announced", "document": "Thông báo thử"},
             {"day": "2028-01-08", "kind": "workday", "name": "Làm bù thử", "standing": "announced", "document": "Thông báo thử"}]
            """)
        let bad = try Self.file("json", """
            [{"day": "2028-02-01", "kind": "holiday", "name": "Ngày một", "standing": "announced", "document": "Thông báo thử"},
             {"day": "2028-02-01", "kind": "holiday", "name": "Ngày hai", "standing": "announced", "document": "Thông báo thử"}]
            """)
        var results: [CalendarResult] = []
        for world in Self.both(w) {
            let s = try world.session("taphuan")
            let last = try s.accessLog(limit: 1).first?.id
            #expect(throws: StoreError.self) { try s.calendarImport(from: bad, reason: "Thử") }
            #expect(try s.calendarEntries(year: 2028).isEmpty)
            #expect(try s.accessLog(limit: 1).first?.id == last)
            let r = try s.calendarImport(from: good, reason: "Thử")
            results.append(r)
            #expect(try s.calendarEntries(year: 2028).map(\.day.description) == ["2028-01-03", "2028-01-08"])
            let log = try s.accessLog(limit: 2)
            #expect(log.map(\.action) == [.calendarAdd, .calendarAdd])
            #expect(log.allSatisfy { $0.note?.hasPrefix("import \(good.lastPathComponent): Thử | — → ") == true })
            #expect(try s.calendarImport(from: good, reason: "Lặp lại").unchanged == 2)
            #expect(try s.accessLog(limit: 1).first?.id == log.first?.id, "an unchanged file records nothing")
        }
        #expect(results.first?.added == 2 && results.first?.newYears == [2028])
        #expect(Set(results.map { "\($0.changes) \($0.redated) \($0.newYears) \($0.lostYears) \(String(describing: $0.horizon))" }).count == 1)
        await Self.drop(w)
    }

    /// A ward's admin holds `manage_rules` but not the national reach: refused, recorded,
    /// nothing written, on both engines (the matrix checks every role; this, the details).
    @Test func aWardAdminIsRefusedTheCalendarAndNationalRules() async throws {
        let w2 = try await Self.worlds { db in
            _ = try db.session(login: "taphuan", now: Self.now)
                .addOfficial(login: "quantri.hoankiem", fullName: "Quản Trị Phường", unitCode: "00070", role: .admin)
        }
        var rule = try #require(try BundledData.rules().first { $0.kind == .feedback && $0.issuer == nil })
        rule.id = "test-national-2028"
        rule.effectiveFrom = Day("2028-01-01")!
        let rules = try Self.file("json", String(decoding: try JSONEncoder().encode([rule]), as: UTF8.self))
        for world in Self.both(w2) {
            let s = try world.session("quantri.hoankiem")
            let refused = { try s.accessLog(limit: 1000).filter { $0.action == .refused && $0.login == "quantri.hoankiem" } }
            let n = try refused().count
            do {
                _ = try s.calendarAdd(CalendarEntryInput(day: "2028-03-01", kind: "holiday", name: "Thử", standing: "announced",
                                                         document: "Thông báo thử"), reason: "Thử")
                Issue.record("a ward admin added a day")
            } catch let e as StoreError {
                guard case let .adminOutOfScope(_, reason) = e else { Issue.record("\(e)"); continue }
                #expect(reason.key == "admin.scope.calendar")
            }
            do {
                _ = try s.importRules(from: rules)
                Issue.record("a ward admin loaded a national rule")
            } catch let e as StoreError {
                guard case let .adminOutOfScope(_, reason) = e else { Issue.record("\(e)"); continue }
                #expect(reason.key == "admin.scope.national_rule")
            }
            #expect(try refused().count == n + 2, "both refusals recorded")
            let city = try world.session("taphuan")
            #expect(try city.calendarEntries(year: 2028).isEmpty)
            #expect(try city.reference().rulebook.rule(id: rule.id) == nil)
        }
        await Self.drop(w2)
    }
}
