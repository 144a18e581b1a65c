import Foundation
import PaknCore
import PaknPostgres
// Not @testable: everything goes through the session, as the front ends do.
import PaknStore
import PaknStoreAPI
import Testing

/// A citizen's data request, attachments and `pakn import` through the session, on both
/// engines (the SQLite file, and the same file moved onto the test cluster when there is
/// one): each check runs on each engine, and what the engines answer is compared.
@Suite("Citizen data, attachments and import on both engines", .serialized)
struct CaseDataStoreTests {
    struct World {
        let open: (String) throws -> any StoreSession
        let server: TestCluster.Database?
        func session(_ login: String) throws -> any StoreSession { try open(login) }
    }

    static func world(_ engine: Engine) async throws -> World {
        let db = try Fixtures.demo()
        switch engine {
        case .sqlite:
            return World(open: { try db.session(login: $0, now: Fixtures.now) }, server: nil)
        case .postgres:
            let server = try await TestCluster.copy(db.path)
            return World(open: { try server.session($0) }, server: server)
        }
    }

    static let person = Reporter(name: "Phạm Thị Quỳnh Hoa", phone: "0912 345 678", email: "quynhhoa.pham@example.vn",
                                 address: "Số 7 ngõ Tạm Thương, Hoàn Kiếm", nationalId: "001198012345")

    static func intake(_ s: any StoreSession, title: String, kind: CaseKind = .feedback, reporter: Reporter) throws -> Case {
        var d = Fixtures.draft(title: title, kind: kind, category: kind == .denunciation ? "land" : "urban_order")
        d.reporter = reporter
        return try s.intake(d)
    }

    // MARK: A citizen's data request

    /// What a citizen's export and erasure gave, in terms both engines share (titles, not
    /// ids or instants).
    struct CitizenOutcome: Equatable {
        var held: [[String]]
        var accesses: [[String]]
        var byName: [String]
        var erased: [String]
        var afterErase: Int
    }

    static func citizenRun(_ engine: Engine) async throws -> CitizenOutcome {
        let w = try await world(engine)
        defer { if let server = w.server { Task { await server.drop() } } }
        let clerk = try w.session("vanthu.hoankiem")
        let a = try intake(clerk, title: "Vỉa hè bị lấn chiếm trước số 12 Hàng Bài", reporter: person)
        var other = person
        other.phone = "+84 912-345-678"   // the same number, written differently
        other.email = nil
        let b = try intake(clerk, title: "Tố cáo xây dựng trái phép", kind: .denunciation, reporter: other)
        let stranger = try intake(clerk, title: "Cây đổ trên phố Hàng Bài",
                                  reporter: Reporter(name: "Phạm Thị Quỳnh Hoa", phone: "0988000111"))
        let supervisor = try w.session("lanhdao.hanoi")   // the city handles denunciations
        _ = try supervisor.revealReporter(caseRef: b.code, reason: "Xác minh nội dung tố cáo")
        let titles = [a.code: a.title, b.code: b.title, stranger.code: stranger.title]

        let admin = try w.session("admin")
        let report = try admin.citizenExport(CitizenQuery(phone: "0912345678"), reason: "Đơn yêu cầu ngày 20/11")
        #expect(Set(report.held.map(\.case.id)) == [a.id, b.id], "\(engine)")
        #expect(report.held.first { $0.case.id == a.id }?.reporter.email == person.email, "\(engine)")
        #expect(report.held.first { $0.case.id == b.id }?.reporter.confidential == true, "\(engine)")
        #expect(report.accesses.contains { $0.action == "reveal" && $0.login == "lanhdao.hanoi" && $0.caseCode == b.code }, "\(engine)")
        #expect(report.accesses.contains { $0.action == "citizen_export" && $0.login == "admin" && $0.caseCode == a.code }, "\(engine)")
        // Listing the sealed reporter is a reveal in its case's history.
        let reveal = try #require(try admin.history(caseRef: b.code).last?.event)
        #expect(reveal.action == .reveal && reveal.note == L10n.t("trust.reveal.by_citizen_export", .vi, "Đơn yêu cầu ngày 20/11"),
                "\(engine)")
        // A name matches Hoa's and the stranger's, but never unseals the denunciation.
        let byName = try admin.citizenExport(CitizenQuery(name: "pham thi quynh hoa"), reason: nil)
        #expect(Set(byName.held.map(\.case.id)) == [a.id, stranger.id], "\(engine)")
        // Listing a sealed identity needs a reason; nothing is written without one.
        let logged = try admin.accessLog(limit: 1000).count
        #expect(throws: Message("trust.reason_required")) { _ = try admin.citizenExport(CitizenQuery(phone: "0912345678"), reason: nil) }
        #expect(try admin.accessLog(limit: 1000).count == logged, "\(engine)")
        #expect(throws: Message("trust.citizen.name_alone")) {
            _ = try admin.citizenErase(CitizenQuery(name: "Phạm Thị Quỳnh Hoa"), reason: "Yêu cầu xoá")
        }
        // A supervisor lacks the erase permission: refused and recorded in the access log.
        let refused = try admin.accessLog(limit: 1000).filter { $0.action == .refused && $0.login == "lanhdao.hanoi" }.count
        #expect(throws: StoreError.self) { _ = try supervisor.citizenErase(CitizenQuery(phone: "0912345678"), reason: "Yêu cầu xoá") }
        #expect(try admin.accessLog(limit: 1000).filter { $0.action == .refused && $0.login == "lanhdao.hanoi" }.count == refused + 1)
        // A ward admin cannot erase a person whose case lies in another ward; nothing is erased.
        var there = Fixtures.draft(title: "Nước thải tràn ra phố Đội Cấn", ward: "00004", routing: .none)
        there.reporter = Reporter(name: "Vũ Văn Nam", phone: "0933000222")
        let elsewhere = try w.session("vanthu.badinh").intake(there)
        _ = try admin.addOfficial(login: "quantri.hoankiem", fullName: "Quản Trị Phường", unitCode: "00070", role: .admin)
        #expect(throws: Message("trust.citizen.out_of_scope", 1)) {
            _ = try w.session("quantri.hoankiem").citizenErase(CitizenQuery(phone: "0933000222"), reason: "Yêu cầu xoá")
        }
        #expect(try admin.reporterErasedAt(caseRef: elsewhere.code) == nil, "\(engine)")

        let head = try admin.chainHead()
        let before = (try admin.resolveCase(a.code), try admin.resolveCase(b.code))
        let s = try admin.citizenErase(CitizenQuery(phone: "0912345678"), reason: "Đơn yêu cầu xoá dữ liệu ngày 21/11")
        #expect(s.reporters == 2 && Set(s.cases) == [a.code, b.code], "\(engine)")
        // The facts stay; the person is gone; the history says so without naming them.
        #expect(try admin.resolveCase(a.code) == before.0 && (try admin.resolveCase(b.code)) == before.1, "\(engine)")
        #expect(try admin.reporterErasedAt(caseRef: a.code) != nil, "\(engine)")
        let d = try admin.detail(caseRef: a.code)
        #expect(d.reporter?.name == nil && d.reporter?.phone == nil && d.reporter?.email == nil, "\(engine)")
        for c in [a, b] {
            let last = try #require(try admin.history(caseRef: c.code).last?.event)
            #expect(last.action == .erase && last.note == "Đơn yêu cầu xoá dữ liệu ngày 21/11" && last.changes.isEmpty, "\(engine)")
        }
        #expect(try admin.checkChain(against: head).ok, "\(engine)")
        #expect(try admin.checkAccessChain(against: nil).ok, "\(engine)")
        #expect(try admin.checkConsistency().ok, "\(engine)")
        // The stranger with the same name is untouched, and a second erasure finds nothing.
        #expect(try supervisor.revealReporter(caseRef: stranger.code, reason: "Gọi lại").phone == "0988000111", "\(engine)")
        #expect(throws: Message("trust.citizen.none")) {
            _ = try admin.citizenErase(CitizenQuery(phone: "0912345678"), reason: "Lần hai")
        }
        let after = try admin.citizenExport(CitizenQuery(phone: "0912345678"), reason: "Kiểm tra sau khi xoá")
        let log = try admin.accessLog(limit: 10).map(\.action)
        #expect(log.contains(.citizenErase) && log.contains(.citizenExport), "\(engine)")

        let t = { (code: String) in titles[code] ?? code }
        return CitizenOutcome(
            held: report.held.map { h in
                [t(h.case.code), h.reporter.name ?? "", h.reporter.phone ?? "", h.reporter.email ?? "", h.reporter.address ?? "",
                 h.reporter.nationalId ?? "", "\(h.reporter.confidential)", h.unitName ?? "", h.wardName ?? ""]
            },
            accesses: report.accesses.map { [$0.action, $0.login, t($0.caseCode), $0.note ?? ""] }.sorted { $0.lexicographicallyPrecedes($1) },
            byName: byName.held.map { t($0.case.code) },
            erased: s.cases.map(t),
            afterErase: after.held.count)
    }

    @Test func aCitizensExportAndErasureAreTheSameOnBothEngines() async throws {
        var outcomes: [(Engine, CitizenOutcome)] = []
        for e in SessionMatrixTests.engines { outcomes.append((e, try await Self.citizenRun(e))) }
        #expect(outcomes.first?.1.afterErase == 0)
        if outcomes.count == 2 { #expect(outcomes[0].1 == outcomes[1].1) }
    }

    // MARK: Attachments

    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array("IHDR not a real image".utf8)

    static func file(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let dir = URL(fileURLWithPath: Fixtures.tempPath("att")).deletingPathExtension()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    struct AttachmentOutcome: Equatable {
        var listed: [[String]]
        var rejected: [String]
    }

    static func attachmentRun(_ engine: Engine) async throws -> AttachmentOutcome {
        let w = try await world(engine)
        defer { if let server = w.server { Task { await server.drop() } } }
        let clerk = try w.session("vanthu.hoankiem")
        var draft = Fixtures.draft(routing: .none)
        draft.title = "Biên bản hiện trường ngõ Tạm Thương"
        let c = try clerk.intake(draft)
        let sup = try w.session("lanhdao.hoankiem")
        let text = Array("Biên bản kiểm tra hiện trường ngày 20/11".utf8)
        let head = try sup.chainHead()
        let a1 = try sup.attach(try file("bien-ban.txt", text), to: c.code)
        let a2 = try sup.attach(try file("anh.png", png), to: c.code)
        let a3 = try sup.attach(try file("ban-sao.txt", text), to: c.code)   // the same bytes again
        #expect(a1.sha256 == SHA256.hex(text) && a1.size == Int64(text.count) && a1.mediaType == "text/plain", "\(engine)")
        #expect(a2.mediaType == "image/png" && a3.sha256 == a1.sha256, "\(engine)")
        let detail = try sup.detail(caseRef: c.code)
        #expect(detail.attachments == [a1, a2, a3], "\(engine)")
        #expect(try sup.attachmentData(caseRef: c.code, attachmentId: a1.id) == Data(text), "\(engine)")
        #expect(try sup.attachmentData(caseRef: c.code, attachmentId: a2.id) == Data(png), "\(engine)")
        #expect(try sup.attachmentData(caseRef: c.code, attachmentId: a3.id) == Data(text), "\(engine)")
        // Another ward's official reads neither the list nor the bytes; the attempt is recorded.
        #expect(throws: StoreError.self) { _ = try w.session("lanhdao.badinh").attachmentData(caseRef: c.code, attachmentId: a1.id) }
        let events = try sup.history(caseRef: c.code).map(\.event)
        #expect(events.last?.action == .refused, "\(engine)")
        // The events, chained as SQLite chains them.
        #expect(events.filter { $0.action == .attach }.map(\.note) == ["bien-ban.txt", "anh.png", "ban-sao.txt"], "\(engine)")
        let last = try #require(events.last { $0.action == .attach })
        #expect(last.action == .attach && last.note == "ban-sao.txt" && last.changes["attachment"]?.after == a1.sha256, "\(engine)")
        #expect(try sup.checkChain(against: head).ok, "\(engine)")
        // Refused files: same reason on both engines, nothing written.
        var rejected: [String] = []
        for (name, bytes) in [("rong.txt", [UInt8]()), ("chay.exe", [0x4D, 0x5A, 0x00, 0x01, 0x02] as [UInt8])] {
            do {
                _ = try sup.attach(try file(name, bytes), to: c.code)
                Issue.record("\(engine): \(name) was attached")
            } catch let e as StoreError {
                rejected.append(e.text(.en))
            }
        }
        // No `work`: a clerk is refused, and the refusal is in the case's history.
        #expect(throws: StoreError.self) { _ = try clerk.attach(try file("x.txt", text), to: c.code) }
        #expect(try sup.history(caseRef: c.code).last?.event.action == .refused, "\(engine)")
        #expect(try sup.detail(caseRef: c.code).attachments.count == 3, "\(engine)")

        // A clerk's intake with a file: kept with the new case (the clerk holds no `work`).
        var withFile = Fixtures.draft(routing: .none)
        withFile.title = "Ảnh chụp điểm tập kết rác"
        withFile.attachments = [try file("anh-rac.png", png)]
        let taken = try clerk.intake(withFile)
        let takenDetail = try sup.detail(caseRef: taken.code)
        #expect(takenDetail.attachments.map(\.sha256) == [SHA256.hex(png)], "\(engine)")
        #expect(takenDetail.history.map(\.event.action) == [.intake, .attach], "\(engine)")
        #expect(try sup.attachmentData(caseRef: taken.code, attachmentId: try #require(takenDetail.attachments.first).id) == Data(png))

        if let server = w.server {
            // The server holds the bytes once per digest; an official's role may not write
            // an attachment row itself, nor read the bytes of a case outside its units.
            let owner = try await server.owner()
            #expect(try await owner.int("SELECT count(*) FROM attachment_blob") == 2)
            await owner.close()
            let own = try await ServerConnection.connect(try ServerURL(try server.url("lanhdao.hoankiem"), osLogin: "root"))
            await #expect(throws: (any Error).self) {
                try await own.execute(sql: """
                    INSERT INTO attachment(id, case_id, name, media_type, size, sha256, added_at, added_by)
                    VALUES (999, \(c.id), 'x', 'text/plain', 1, 'x', now(), 1)
                    """)
            }
            #expect(try await own.int("SELECT count(*) FROM attachment_blob") == 2)
            await own.close()
            let far = try await ServerConnection.connect(try ServerURL(try server.url("lanhdao.badinh"), osLogin: "root"))
            #expect(try await far.int("SELECT count(*) FROM attachment_blob") == 0)
            await far.close()
        }
        return AttachmentOutcome(listed: (detail.attachments + takenDetail.attachments).map { [$0.name, $0.mediaType, "\($0.size)", $0.sha256] },
                                 rejected: rejected)
    }

    @Test func anAttachmentIsKeptAndReadBackTheSameOnBothEngines() async throws {
        var outcomes: [AttachmentOutcome] = []
        for e in SessionMatrixTests.engines { outcomes.append(try await Self.attachmentRun(e)) }
        #expect(outcomes.first?.listed.count == 4 && outcomes.first?.rejected.count == 2)
        if outcomes.count == 2 { #expect(outcomes[0] == outcomes[1]) }
    }

    /// A SQLite file whose cases have attachments moves to the server with their bytes.
    @Test func pakn_migrateCarriesTheAttachmentsBytes() async throws {
        guard TestCluster.url != nil else { return }
        let db = try Fixtures.demo()
        let s = try db.session(login: "lanhdao.hoankiem", now: Fixtures.now)
        let c = try s.intake(Fixtures.draft(routing: .none))
        let a = try s.attach(try Self.file("anh.png", Self.png), to: c.code)
        let server = try await TestCluster.copy(db.path)
        defer { Task { await server.drop() } }
        let moved = try server.session("lanhdao.hoankiem")
        #expect(try moved.detail(caseRef: c.code).attachments.map(\.sha256) == [a.sha256])
        #expect(try moved.attachmentData(caseRef: c.code, attachmentId: a.id) == Data(Self.png))
    }

    // MARK: Import

    static let header = "title,body,kind,category,channel,ward,route,reporter_name,reporter_phone"
    static let goodRows = [
        "Ổ gà trên phố Lý Thái Tổ,Ổ gà sâu gây nguy hiểm cho xe máy,feedback,traffic,hotline,00070,none,Lê Văn Tám,0901234567",
        "Đèn đường hỏng phố Tràng Tiền,Ba cột đèn không sáng từ tuần trước,feedback,environment,web,00070,auto,,",
        "\"Rác thải, phế liệu\",Rác tập kết sai giờ trước chợ,feedback,environment,hotline,00070,none,Đỗ Thị Mai,0977000111",
    ]

    struct ImportOutcome: Equatable {
        var imported: [[String]]
        var problems: [[String]]
        var rolledBack: Bool
        var skipped: Int
    }

    static func importRun(_ engine: Engine) async throws -> ImportOutcome {
        let w = try await world(engine)
        defer { if let server = w.server { Task { await server.drop() } } }
        let clerk = try w.session("vanthu.hoankiem")
        let good = try file("ho-so.csv", Array(([header] + goodRows).joined(separator: "\n").utf8))
        let head = try clerk.chainHead()
        let summary = try clerk.importCases(from: good, onProblem: { p in Issue.record("\(engine): \(p.text(.en))") })
        #expect(summary.rows == 3 && summary.imported == 3 && summary.rejected == 0, "\(engine)")
        let first = try #require(summary.firstCode), last = try #require(summary.lastCode)
        var imported: [[String]] = []
        var code = first
        for i in 0..<3 {
            let d = try clerk.detail(caseRef: code)
            imported.append([d.case.title, d.case.category, d.case.channel.rawValue, d.ward?.code ?? "", d.unit?.code ?? "",
                             "\(d.history.map(\.event.action.rawValue))"])
            if i < 2 {
                let n = Int(code.split(separator: "-").last!)! + 1
                code = code.split(separator: "-").dropLast().joined(separator: "-") + "-" + String(format: "%06d", n)
            }
        }
        #expect(code == last, "\(engine)")
        // The reporters went in whole (the ward's supervisor lists them by phone).
        let held = try w.session("lanhdao.hoankiem").citizenExport(CitizenQuery(phone: "0977 000 111"), reason: "Kiểm tra nhập")
        let reporters = held.held.map { [$0.case.code, $0.reporter.name ?? ""] }
        #expect(reporters == [[last, "Đỗ Thị Mai"]], "\(engine)")
        imported.append(reporters.flatMap { $0 }.map { $0 == last ? "last" : $0 })
        #expect(try clerk.checkChain(against: head).ok, "\(engine)")

        // One bad row: nothing is written (every bad row still reported).
        let bad = try file("loi.csv", Array(([header] + goodRows.prefix(1) + [
            "Thiếu loại,Không rõ loại hồ sơ,khong_co,traffic,hotline,00070,none,,",
            "Ngoài phường,Phường khác,feedback,traffic,hotline,00004,none,,",
        ] + goodRows.suffix(1)).joined(separator: "\n").utf8))
        let before = try clerk.chainHead()
        var problems: [[String]] = []
        let none = try clerk.importCases(from: bad, onProblem: { problems.append(["\($0.line)", $0.reason.text(.en)]) })
        #expect(none.imported == 0 && none.rejected == 2 && none.rows == 4 && none.firstCode == nil, "\(engine)")
        #expect(try clerk.chainHead() == before, "\(engine): nothing written")
        // With skipBad, the good rows go in and the bad ones are only reported.
        let some = try clerk.importCases(from: bad, options: CaseImportOptions(skipBad: true, batch: 2), onProblem: { _ in })
        #expect(some.imported == 2 && some.rejected == 2, "\(engine)")
        #expect(try clerk.checkChain(against: before).ok, "\(engine)")
        // No intake permission: refused and recorded.
        let handler = try w.session("canbo.hoankiem.kt")
        #expect(throws: StoreError.self) { _ = try handler.importCases(from: good, onProblem: { _ in }) }
        return ImportOutcome(imported: imported, problems: problems, rolledBack: none.imported == 0, skipped: some.rejected)
    }

    @Test func aCSVImportGivesTheSameCasesOnBothEngines() async throws {
        var outcomes: [ImportOutcome] = []
        for e in SessionMatrixTests.engines { outcomes.append(try await Self.importRun(e)) }
        #expect(outcomes.first?.problems.map(\.first) == ["3", "4"])
        if outcomes.count == 2 { #expect(outcomes[0] == outcomes[1]) }
    }

    // MARK: A lower level's report

    struct ReportOutcome: Equatable {
        var unit: String
        var notReported: [String]
        var received: Int
        var refusals: [String]
        var replaced: Bool
    }

    static func reportRun(_ engine: Engine, ward: StatReport, data: Data, dept: Data) async throws -> ReportOutcome {
        // A city's production database (no cases of its own), on the real clock.
        let city = try Fixtures.production()
        let server = engine == .postgres ? try await TestCluster.copy(city.path) : nil
        defer { if let server { Task { await server.drop() } } }
        let admin = try server?.session("tester") ?? city.session(login: "tester")
        let month = ward.period
        let result = try admin.importReport(data, replace: false)
        #expect(result.unit.code == "00070" && !result.replaced && result.digest == ReportExchange.digest(of: ward), "\(engine)")
        let after = try admin.report(period: month, format: "text")
        #expect(after.totals.received == ward.totals.received, "\(engine)")
        #expect(after.imported.map(\.unit.code) == ["00070"] && after.imported.first?.chainHead == ward.chainHead, "\(engine)")
        let logged = try #require(try admin.accessLog(limit: 5).first { $0.action == .reportImport })
        #expect(logged.target == "00070 \(month.label)" && logged.digest == ReportExchange.digest(of: ward), "\(engine)")
        var refusals: [String] = []
        func refused(_ body: () throws -> Void) {
            do { try body(); Issue.record("\(engine): imported") } catch { refusals.append((error as? any Localized)?.text(.en) ?? "\(error)") }
        }
        // The same file twice; another of the same unit and period without replacing it.
        refused { _ = try admin.importReport(data, replace: false) }
        var again = ward
        again.asOf = ward.asOf.addingTimeInterval(3600)
        refused { _ = try admin.importReport(ReportExchange.encode(again), replace: false) }
        let replaced = try admin.importReport(ReportExchange.encode(again), replace: true).replaced
        // A ward's department reports to the ward; a ward of another province is outside (recorded).
        refused { _ = try admin.importReport(dept, replace: false) }
        var other = try ReportExchange.decode(dept)
        other.unit = StatUnit(code: "25747", name: "Phường Thủ Dầu Một", level: .commune)
        refused { _ = try admin.importReport(ReportExchange.encode(other), replace: false) }
        #expect(try admin.accessLog(limit: 5).contains { $0.action == .refused && $0.target == "report import 25747" }, "\(engine)")
        #expect(try admin.report(period: month, format: "text").imported.count == 1, "\(engine)")
        #expect(try admin.checkAccessChain(against: nil).ok, "\(engine)")
        return ReportOutcome(unit: result.unit.code, notReported: result.notReported.map(\.code), received: after.totals.received,
                             refusals: refusals, replaced: replaced)
    }

    @Test func aLowerLevelsReportIsImportedTheSameOnBothEngines() async throws {
        let demo = try Fixtures.demo()
        let month = StatPeriod.parse("2026-11")!
        let (ward, data) = try demo.session(login: "lanhdao.hoankiem", now: Fixtures.now).exchangeFile(period: month)
        let dept = try demo.session(login: "canbo.hoankiem.kt", now: Fixtures.now).exchangeFile(period: month).data
        var outcomes: [ReportOutcome] = []
        for e in SessionMatrixTests.engines { outcomes.append(try await Self.reportRun(e, ward: ward, data: data, dept: dept)) }
        #expect(outcomes.first?.refusals.count == 4 && outcomes.first?.replaced == true)
        if outcomes.count == 2 { #expect(outcomes[0] == outcomes[1]) }
    }
}
