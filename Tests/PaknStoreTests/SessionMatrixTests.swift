import Foundation
import PaknCore
// Not @testable: everything here goes through what the front ends have, the session.
import PaknStore
import PaknStoreAPI
import Testing

/// Every operation as every role, in and out of scope, through the session (issue 12,
/// "Done when"): what the role's permission and the scope forbid is refused and recorded,
/// and changes nothing; what they allow works (or fails only for the case's state, after
/// authorization).
///
/// The actors are the staff of Phường Hoàn Kiếm (00070), one per role; "in scope" is a
/// case of that ward, "out of scope" one of Phường Ba Đình (00004). The city's trainer
/// prepares each case's state before the actor tries.
///
/// Every check runs on both engines (issue 13): the SQLite file, and the same file moved to
/// the test cluster's PostgreSQL server (`pakn migrate`), each official logged in as their
/// own role, when `make test` started one (PAKN_TEST_PG). What the server does not do yet
/// (`StoreError.notOnServer`) is left out of the server's arguments, by name.
@Suite("Every operation as every role, through the session", .serialized)
struct SessionMatrixTests {
    static let now = Fixtures.now

    /// One per role, all in Hoàn Kiếm (ward or one of its departments).
    static let actors: [(Role, String)] = [
        (.clerk, "vanthu.hoankiem"), (.handler, "canbo.hoankiem.kt"), (.supervisor, "lanhdao.hoankiem"),
        (.admin, "quantri.hoankiem"), (.trainer, "taphuan.hoankiem"), (.viewer, "xem.hoankiem"),
    ]

    static let permissions = PermissionTable.standard

    /// The engines the checks run on: the SQLite file always, the server when there is one.
    static let engines: [Engine] = TestCluster.url == nil ? [.sqlite] : [.sqlite, .postgres]

    struct World {
        let city: any StoreSession
        let open: (String) throws -> any StoreSession
        let server: TestCluster.Database?
        func session(_ login: String) throws -> any StoreSession { try open(login) }
    }

    /// The demo database with a ward admin, trainer and viewer added; on the server, that
    /// file moved onto a fresh database of the test cluster.
    static func world(_ engine: Engine) async throws -> World {
        let db = try Fixtures.demo()
        let city = try db.session(login: "taphuan", now: now)
        _ = try city.addOfficial(login: "quantri.hoankiem", fullName: "Quản Trị Phường", unitCode: "00070", role: .admin)
        _ = try city.addOfficial(login: "taphuan.hoankiem", fullName: "Tập Huấn Phường", unitCode: "00070", role: .trainer)
        _ = try city.addOfficial(login: "xem.hoankiem", fullName: "Người Xem Phường", unitCode: "00070", role: .viewer)
        switch engine {
        case .sqlite:
            return World(city: city, open: { try db.session(login: $0, now: SessionMatrixTests.now) }, server: nil)
        case .postgres:
            let server = try await TestCluster.copy(db.path)
            return World(city: try server.session("taphuan"), open: { try server.session($0) }, server: server)
        }
    }

    /// The ward a case is about, its department, and a handler there.
    struct Place: Sendable { let ward: String; let dept: String; let handler: String }
    static let inside = Place(ward: "00070", dept: "00070-KT", handler: "canbo.hoankiem.kt")
    static let outside = Place(ward: "00004", dept: "00004-KT", handler: "canbo.badinh.kt")

    /// How far the city trainer takes a new case before the actor acts.
    enum Stage: Int, Comparable {
        case received, routed, assigned, inProgress, resolved
        static func < (a: Stage, b: Stage) -> Bool { a.rawValue < b.rawValue }
    }

    static func prepare(_ w: World, _ p: Place, _ stage: Stage, kind: CaseKind = .feedback,
                        confidential: Bool = false) throws -> Case {
        var draft = Fixtures.draft(title: "Đèn đường hỏng trước số 8 \(p.ward)", kind: kind,
                                   category: kind == .denunciation ? "land" : "environment", ward: p.ward, routing: .none)
        draft.reporter = Reporter(name: "Nguyễn Văn Tố", phone: "0912345678", confidential: confidential)
        var c = try w.city.intake(draft)
        let code = c.code
        if stage >= .routed { c = try w.city.perform(.route(unitId: try #require(try w.city.unit(code: p.dept)).id), on: code) }
        if stage >= .assigned {
            c = try w.city.perform(.assign(officialId: try #require(try w.city.official(login: p.handler)).id), on: code)
        }
        if stage >= .inProgress { c = try w.city.perform(.start, on: code) }
        if stage >= .resolved { c = try w.city.perform(.reply(text: "Đã thay bóng đèn, trân trọng."), on: code) }
        return c
    }

    /// A case operation: the permission it needs, the stage it starts from, what it does.
    struct CaseOp: CustomStringConvertible, Sendable {
        let name: String
        let permission: Permission
        let stage: Stage
        var kind: CaseKind = .feedback
        var confidential = false
        /// Whether it writes (a forbidden write must leave the case's version alone).
        var writes = true
        /// Whether the server engine does it yet.
        var onServer = true
        let run: @Sendable (any StoreSession, Case, Place) throws -> Void
        var description: String { name }
    }

    static let caseOps: [CaseOp] = [
        CaseOp(name: "detail", permission: .view, stage: .received, writes: false) { s, c, _ in _ = try s.detail(caseRef: c.code) },
        CaseOp(name: "history", permission: .view, stage: .received, writes: false) { s, c, _ in _ = try s.history(caseRef: c.code) },
        CaseOp(name: "resolve", permission: .view, stage: .received, writes: false) { s, c, _ in _ = try s.resolveCase(c.code) },
        CaseOp(name: "note", permission: .note, stage: .received) { s, c, _ in _ = try s.perform(.note(text: "Ghi chú"), on: c.code) },
        CaseOp(name: "route", permission: .route, stage: .received) { s, c, p in
            _ = try s.perform(.route(unitId: try #require(try s.unit(code: p.dept)).id), on: c.code)
        },
        CaseOp(name: "reject", permission: .reject, stage: .received) { s, c, _ in
            _ = try s.perform(.reject(reason: "Không thuộc thẩm quyền giải quyết"), on: c.code)
        },
        CaseOp(name: "assign", permission: .assign, stage: .routed) { s, c, p in
            _ = try s.perform(.assign(officialId: try #require(try s.official(login: p.handler)).id), on: c.code)
        },
        CaseOp(name: "start", permission: .work, stage: .assigned) { s, c, _ in _ = try s.perform(.start, on: c.code) },
        CaseOp(name: "reply", permission: .reply, stage: .inProgress) { s, c, _ in
            _ = try s.perform(.reply(text: "Đơn vị đã xử lý xong, trân trọng."), on: c.code)
        },
        CaseOp(name: "close", permission: .close, stage: .resolved) { s, c, _ in _ = try s.perform(.close, on: c.code) },
        CaseOp(name: "wait", permission: .work, stage: .inProgress) { s, c, _ in
            _ = try s.perform(.wait(request: "Đề nghị gửi ảnh hiện trường"), on: c.code)
        },
        CaseOp(name: "transfer", permission: .transfer, stage: .routed) { s, c, p in
            let other = try #require(try s.unit(code: p.ward + "-VHXH"))
            _ = try s.perform(.transfer(unitId: other.id, reason: "Thuộc lĩnh vực văn hóa - xã hội"), on: c.code)
        },
        CaseOp(name: "reopen", permission: .reopen, stage: .resolved) { s, c, _ in
            _ = try s.perform(.reopen(reason: "Công dân phản ánh lại"), on: c.code)
        },
        CaseOp(name: "rate", permission: .rate, stage: .resolved) { s, c, _ in
            _ = try s.perform(.rate(Rating(score: 5, reasons: [])), on: c.code)
        },
        CaseOp(name: "notice", permission: .reply, stage: .received) { s, c, _ in
            _ = try s.perform(.notify(text: "UBND phường đã nhận được phản ánh của ông/bà.", purpose: .acknowledgement), on: c.code)
        },
        CaseOp(name: "attach", permission: .work, stage: .inProgress) { s, c, _ in
            let url = URL(fileURLWithPath: Fixtures.tempPath("anh")).deletingPathExtension().appendingPathExtension("txt")
            try Data("Biên bản kiểm tra hiện trường".utf8).write(to: url)
            _ = try s.attach(url, to: c.code)
        },
        CaseOp(name: "reveal", permission: .revealReporter, stage: .routed, kind: .denunciation, confidential: true) { s, c, _ in
            _ = try s.revealReporter(caseRef: c.code, reason: "Cơ quan điều tra yêu cầu theo văn bản số 12")
        },
    ]

    /// A refusal for who or where, not for the case's state.
    static func isAuthorizationRefusal(_ error: Error) -> Bool {
        guard let e = error as? StoreError else { return false }
        switch e {
        case .permissionDenied, .outOfScope, .unitOutOfScope, .adminOutOfScope: return true
        default: return false
        }
    }

    /// Each argument on each engine that does it.
    static func onEngines<T>(_ items: [T], _ onServer: (T) -> Bool) -> [(Engine, T)] {
        engines.flatMap { e in items.filter { e == .sqlite || onServer($0) }.map { (e, $0) } }
    }

    @Test("Case operations as every role, in and out of scope", arguments: onEngines(caseOps, \.onServer))
    func caseOperations(engine: Engine, op: CaseOp) async throws {
        let w = try await Self.world(engine)
        defer { if let server = w.server { Task { await server.drop() } } }
        for (role, login) in Self.actors {
            for (place, inScope) in [(Self.inside, true), (Self.outside, false)] {
                let c = try Self.prepare(w, place, op.stage, kind: op.kind, confidential: op.confidential)
                let s = try w.session(login)
                // In scope: the case's responsible unit or its ward lies in the official's
                // subtree (a department's handler does not see the ward's unrouted cases).
                let me = s.official
                let scoped = try [c.unitId, c.wardId].compactMap { $0 }.contains { u in
                    try u == me.unitId || w.city.isWithin(unit: u, ancestor: me.unitId)
                }
                #expect(!scoped || inScope, "a case of another ward is never in a Hoàn Kiếm official's scope")
                let expected = Self.permissions.allows(role, op.permission) && scoped
                let refusedBefore = try w.city.history(caseRef: c.code).filter { $0.event.action == .refused }.count
                var error: Error?
                do { try op.run(s, c, place) } catch let e { error = e }
                let label = "\(op.name) as \(role.rawValue), \(scoped ? "in" : "out of") scope"
                let after = try w.city.resolveCase(c.code)
                if expected {
                    #expect(error == nil, "\(label): \(String(describing: error))")
                } else {
                    let e = try #require(error, "\(label) should be refused")
                    #expect(Self.isAuthorizationRefusal(e), "\(label): \(e)")
                    let refused = try w.city.history(caseRef: c.code).filter { $0.event.action == .refused }.count
                    #expect(refused == refusedBefore + 1, "\(label): the refusal is in the case's history")
                    #expect(after.version == c.version + 1 || !op.writes || after.status == c.status,
                            "\(label): nothing but the refusal was written")
                    #expect(after.status == c.status, "\(label): the case did not move")
                    if !scoped, let se = e as? StoreError {
                        // Outside scope a case reads like one that does not exist.
                        #expect(!se.text(.en).contains(place.ward), "\(label): \(se.text(.en))")
                    }
                }
            }
        }
    }

    @Test(arguments: engines)
    func intakeAsEveryRole(engine: Engine) async throws {
        let w = try await Self.world(engine)
        defer { if let server = w.server { Task { await server.drop() } } }
        for (role, login) in Self.actors {
            let s = try w.session(login)
            let before = try w.city.count(QueueFilter())
            var error: Error?
            do { _ = try s.intake(Fixtures.draft(ward: "00070", routing: .none)) } catch let e { error = e }
            if Self.permissions.allows(role, .intake) {
                #expect(error == nil, "intake as \(role.rawValue): \(String(describing: error))")
                #expect(try w.city.count(QueueFilter()) == before + 1)
            } else {
                #expect(error.map(Self.isAuthorizationRefusal) == true, "intake as \(role.rawValue): \(String(describing: error))")
                #expect(try w.city.count(QueueFilter()) == before, "nothing taken in")
            }
        }
    }

    @Test(arguments: engines)
    func queuesAndCountsStayWithinTheOfficialsUnits(engine: Engine) async throws {
        let w = try await Self.world(engine)
        defer { if let server = w.server { Task { await server.drop() } } }
        let own = try #require(try w.city.unit(code: "00070")), other = try #require(try w.city.unit(code: "00004"))
        for (_, login) in Self.actors {
            let s = try w.session(login)
            let me = s.official
            // Without a unit: the official's own, whatever the filter says.
            for row in try s.queue(QueueQuery(filter: QueueFilter(), limit: 500)) {
                let c = try s.resolveCase(row.code)
                let u = try #require(c.unitId ?? c.wardId)
                #expect(try u == me.unitId || s.isWithin(unit: u, ancestor: me.unitId), "\(login) sees \(row.code)")
            }
            if me.unitId != own.id { continue }
            // Another ward: refused and recorded, for lists, counts and the overdue review.
            let logged = try w.city.accessLog(limit: 500).filter { $0.action == .refused && $0.login == login }.count
            #expect(throws: StoreError.self) { try s.queue(QueueQuery(filter: QueueFilter(unitSubtree: other.id), limit: 5)) }
            #expect(throws: StoreError.self) { try s.count(QueueFilter(unitSubtree: other.id)) }
            #expect(throws: StoreError.self) { try s.counts(unitSubtree: other.id) }
            #expect(throws: StoreError.self) { try s.overdueByUnit(unitSubtree: other.id) }
            let now = try w.city.accessLog(limit: 500).filter { $0.action == .refused && $0.login == login }.count
            #expect(now == logged + 4, "\(login): each refusal recorded")
        }
    }

    /// An administrative act: the permission it needs, and whether a ward official's scope
    /// covers where it applies.
    struct AdminOp: CustomStringConvertible, Sendable {
        let name: String
        let permission: Permission
        /// The unit it applies to lies within Hoàn Kiếm (else it is the city's).
        let wardLevel: Bool
        /// Whether the server engine does it yet.
        var onServer = true
        let run: @Sendable (any StoreSession) throws -> Void
        var description: String { name }
    }

    static func fresh(_ prefix: String) -> String { prefix + UUID().uuidString.prefix(8).lowercased() }

    /// A file for an import, written where the tests write theirs.
    static func file(_ ext: String, _ text: String) throws -> URL {
        let url = URL(fileURLWithPath: Fixtures.tempPath("matrix-file")).appendingPathExtension(ext)
        try Data(text.utf8).write(to: url)
        return url
    }

    static let adminOps: [AdminOp] = [
        AdminOp(name: "officials add (own ward)", permission: .manageOfficials, wardLevel: true) { s in
            _ = try s.addOfficial(login: fresh("moi.hoankiem."), fullName: "Cán Bộ Mới", unitCode: "00070-KT", role: .handler)
        },
        AdminOp(name: "officials add (another ward)", permission: .manageOfficials, wardLevel: false) { s in
            _ = try s.addOfficial(login: fresh("moi.badinh."), fullName: "Cán Bộ Mới", unitCode: "00004-KT", role: .handler)
        },
        AdminOp(name: "officials list (own ward)", permission: .manageOfficials, wardLevel: true) { s in
            _ = try s.listOfficials(within: try s.unit(code: "00070")?.id)
        },
        AdminOp(name: "officials list (another ward)", permission: .manageOfficials, wardLevel: false) { s in
            _ = try s.listOfficials(within: try s.unit(code: "00004")?.id)
        },
        AdminOp(name: "calendar add", permission: .manageRules, wardLevel: false) { s in
            _ = try s.calendarAdd(CalendarEntryInput(day: "2027-12-30", kind: "holiday", name: "Nghỉ thử", standing: "expected",
                                                     note: "thử"), reason: "thử")
        },
        AdminOp(name: "calendar remove", permission: .manageRules, wardLevel: false) { s in
            _ = try s.calendarRemove(day: "2026-01-01", reason: "thử")
        },
        AdminOp(name: "calendar import", permission: .manageRules, wardLevel: false) { s in
            let url = try file("json", """
                [{"day": "2027-12-29", "kind": "holiday", "name": "Nghỉ thử", "standing": "announced", "document": "Thông báo thử"}]
                """)
            _ = try s.calendarImport(from: url, reason: "thử")
        },
        AdminOp(name: "rules import (national)", permission: .manageRules, wardLevel: false) { s in
            var rule = try #require(try s.reference().rulebook.rules.first { $0.kind == .feedback && $0.issuer == nil })
            rule.id = fresh("test-national-")
            rule.effectiveFrom = Day(year: 2028, month: 1, day: 1)!
            rule.effectiveTo = nil
            _ = try s.importRules(from: try file("json", String(decoding: try JSONEncoder().encode([rule]), as: UTF8.self)))
        },
        AdminOp(name: "units import (own ward, as it is)", permission: .manageRules, wardLevel: true) { s in
            let u = try #require(try s.unit(code: "00070"))
            let parent = try #require(try u.parentId.flatMap { try s.unit(id: $0) })
            _ = try s.importUnitFile(try file("tsv", "code\tname\tlevel\tdivision_type\tparent_code\n"
                                                 + "\(u.code)\t\(u.name)\t\(u.level.rawValue)\t\(u.divisionType)\t\(parent.code)\n"),
                                     document: nil, effective: nil, dateBasis: nil)
        },
        AdminOp(name: "units import (another ward renamed)", permission: .manageRules, wardLevel: false) { s in
            let u = try #require(try s.unit(code: "00004"))
            let parent = try #require(try u.parentId.flatMap { try s.unit(id: $0) })
            _ = try s.importUnitFile(try file("tsv", "code\tname\tlevel\tdivision_type\tparent_code\n"
                                                 + "\(u.code)\t\(u.name) Mới\t\(u.level.rawValue)\t\(u.divisionType)\t\(parent.code)\n"),
                                     document: nil, effective: nil, dateBasis: nil)
        },
        AdminOp(name: "units remote set (another ward)", permission: .manageRules, wardLevel: false) { s in
            _ = try s.setRemote(codes: ["00004"], remote: true, reason: "Quyết định số 1/QĐ-UBND")
        },
        AdminOp(name: "backup", permission: .exportUnredacted, wardLevel: false, onServer: false) { s in
            _ = try s.backup(to: Fixtures.tempPath("matrix-backup"))
        },
        AdminOp(name: "citizen export", permission: .exportUnredacted, wardLevel: true) { s in
            _ = try s.citizenExport(CitizenQuery(phone: "0987654321"), reason: "Công dân yêu cầu, đơn ngày 20/11")
        },
        // Nobody in Hoàn Kiếm gave this number: allowed, the erasure finds nothing to erase
        // (refused for the data, after the permission and scope checks passed).
        AdminOp(name: "citizen erase", permission: Permission.required(for: .erase), wardLevel: true) { s in
            do {
                _ = try s.citizenErase(CitizenQuery(phone: "0900000001"), reason: "Công dân yêu cầu xoá, đơn ngày 21/11")
            } catch let m as Message where m.key == "trust.citizen.none" {}
        },
        AdminOp(name: "import", permission: .intake, wardLevel: true) { s in
            let url = URL(fileURLWithPath: Fixtures.tempPath("import")).deletingPathExtension().appendingPathExtension("csv")
            try Data("""
                title,body,kind,category,channel,ward,route
                Ổ gà trên phố Hàng Bài,Ổ gà sâu gây nguy hiểm,feedback,traffic,hotline,00070,none
                """.utf8).write(to: url)
            let summary = try s.importCases(from: url, onProblem: { p in Issue.record("import: \(p.text(.en))") })
            #expect(summary.imported == 1)
        },
        AdminOp(name: "export unredacted", permission: .exportUnredacted, wardLevel: true) { s in
            var req = ExportRequest(unredacted: true, reason: "Báo cáo theo yêu cầu của UBND", format: "json")
            req.unitCode = "00070"
            _ = try s.exportCases(req) { _ in }
        },
        AdminOp(name: "audit log", permission: .manageOfficials, wardLevel: true) { s in _ = try s.accessLog(limit: 5) },
    ]

    @Test("Administration as every role", arguments: onEngines(adminOps, \.onServer))
    func administration(engine: Engine, op: AdminOp) async throws {
        let w = try await Self.world(engine)
        defer { if let server = w.server { Task { await server.drop() } } }
        for (role, login) in Self.actors {
            let s = try w.session(login)
            let logged = try w.city.accessLog(limit: 1000).filter { $0.action == .refused && $0.login == login }.count
            var error: Error?
            do { try op.run(s) } catch let e { error = e }
            let label = "\(op.name) as \(role.rawValue)"
            if Self.permissions.allows(role, op.permission) && op.wardLevel {
                #expect(error == nil, "\(label): \(String(describing: error))")
            } else {
                let e = try #require(error, "\(label) should be refused")
                #expect(Self.isAuthorizationRefusal(e), "\(label): \(e)")
                let now = try w.city.accessLog(limit: 1000).filter { $0.action == .refused && $0.login == login }.count
                #expect(now == logged + 1, "\(label): the refusal is in the access log")
            }
        }
    }

    @Test(arguments: engines)
    func theDeskAsksTheSessionWhatIsAllowed(engine: Engine) async throws {
        let w = try await Self.world(engine)
        defer { if let server = w.server { Task { await server.drop() } } }
        let inside = try Self.prepare(w, Self.inside, .routed)
        let outside = try Self.prepare(w, Self.outside, .routed)
        for (role, login) in Self.actors {
            let s = try w.session(login)
            let grants = try s.grants()
            #expect(grants == Set(Permission.allCases.filter { Self.permissions.allows(role, $0) }))
            let offered = try s.allowedActions(for: inside)
            #expect(offered.allSatisfy { grants.contains(Permission.required(for: $0)) }, "\(login): \(offered)")
            #expect(offered.contains(.assign) == grants.contains(.assign))
            #expect(try s.allowedActions(for: outside).isEmpty, "nothing is offered on a case outside scope")
        }
        // A role changed elsewhere is what the session answers next, without reopening it.
        let clerk = try w.session("vanthu.hoankiem")
        #expect(try clerk.grants().contains(.assign))
        _ = try w.city.setRole(login: "vanthu.hoankiem", role: .viewer)
        #expect(try !clerk.grants().contains(.assign))
        #expect(throws: StoreError.self) {
            try clerk.perform(.assign(officialId: try #require(try clerk.official(login: "canbo.hoankiem.kt")).id), on: inside.code)
        }
    }

    @Test func theTrainingClockAndActingAsAreForTrainingDatabasesOnly() throws {
        let db = try Fixtures.production()
        #expect(throws: StoreError.self) { try db.session(login: "tester", now: Self.now) }
        #expect(throws: StoreError.self) { try db.session(login: "nobody", actingAs: "tester") }
        #expect(throws: StoreError.self) { try db.session(login: "nobody") }
        let s = try db.session(login: "tester")
        #expect(abs(s.now.timeIntervalSinceNow) < 120)
        #expect(!s.isTraining)
    }
}
