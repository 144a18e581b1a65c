import Foundation
import GRDB
import PaknCore
import Testing
@testable import PaknStore

/// Shared helpers for the trust tests.
enum TrustFixtures {
    static let now = Fixtures.now

    /// A case in Hoàn Kiếm with a reporter whose every field is recognizable.
    static func intake(_ db: AppDatabase, kind: CaseKind = .feedback, reporter: Reporter = person, by login: String = "vanthu.hoankiem",
                       title: String = "Vỉa hè bị lấn chiếm trước số 12 Hàng Bài") throws -> Case {
        var d = Fixtures.draft(title: title, kind: kind, category: kind == .denunciation ? "land" : "urban_order")
        d.reporter = reporter
        return try db.intake(d, by: try Fixtures.official(db, login), at: now)
    }

    static let person = Reporter(name: "Phạm Thị Quỳnh Hoa", phone: "0912 345 678", email: "quynhhoa.pham@example.vn",
                                 address: "Số 7 ngõ Tạm Thương, Hoàn Kiếm", nationalId: "001198012345")

    /// Every text column of the event and access-log tables, for leak checks (the stored
    /// text read back: compressed bytes would hide a leak from a substring search).
    static func historyText(_ db: AppDatabase) throws -> String {
        try db.pool.read { d in
            let events = try Row.fetchAll(d, sql: "SELECT * FROM event").map { r in
                let (e, changes) = try EventLog.stored(r)
                return (e.note ?? "") + " " + changes
            }.joined(separator: "\n")
            let access = try String.fetchAll(d, sql: "SELECT login || ' ' || coalesce(target, '') || ' ' || coalesce(note, '') FROM access_log")
                .joined(separator: "\n")
            return events + "\n" + access
        }
    }

    static func personalValues(_ r: Reporter) -> [String] {
        [r.name, r.phone, r.email, r.address, r.nationalId].compactMap { $0 } + [CitizenQuery.phoneKey(r.phone ?? "x")]
    }

    static func events(_ db: AppDatabase, _ c: Case) throws -> [Event] {
        try db.pool.read { try EventLog.history($0, caseId: c.id) }
    }

    static func dropGuards(_ db: AppDatabase) throws {
        try db.pool.write { d in
            for t in ["event_no_update", "event_no_delete", "access_log_no_update", "access_log_no_delete",
                      "access_case_no_update", "access_case_no_delete"] {
                try d.execute(sql: "DROP TRIGGER IF EXISTS \(t)")
            }
        }
    }
}

@Suite struct TrustIdentityTests {
    @Test func synchronousIsFullOnTheWriterConnection() throws {
        let db = try Fixtures.demo()
        let (sync, mode) = try db.pool.writeWithoutTransaction { d in
            (try Int.fetchOne(d, sql: "PRAGMA synchronous"), try String.fetchOne(d, sql: "PRAGMA journal_mode"))
        }
        #expect(sync == 2, "FULL is 2")
        #expect(mode == "wal")
    }

    @Test func aChangedRoleOrDisabledAccountTakesEffectAtTheNextAction() throws {
        let db = try Fixtures.demo()
        let admin = try Fixtures.official(db, "admin")
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")   // kept as a desk would keep it
        let c = try TrustFixtures.intake(db)
        try db.perform(.note(text: "Đã gọi lại cho công dân"), on: c.code, by: clerk, at: TrustFixtures.now)

        try db.setRole(login: clerk.login, role: .viewer, by: admin, at: TrustFixtures.now)
        #expect(throws: StoreError.permissionDenied(login: clerk.login, permission: .note, unit: try db.unit(id: try db.resolveCase(c.code).unitId!)!.label)) {
            try db.perform(.note(text: "Ghi chú"), on: c.code, by: clerk, at: TrustFixtures.now)
        }
        try db.setRole(login: clerk.login, role: .clerk, by: admin, at: TrustFixtures.now)
        try db.setActive(login: clerk.login, active: false, by: admin, at: TrustFixtures.now)
        #expect(throws: StoreError.officialDisabled(clerk.login)) {
            try db.perform(.note(text: "Ghi chú"), on: c.code, by: clerk, at: TrustFixtures.now)
        }
        #expect(throws: StoreError.officialDisabled(clerk.login)) { _ = try db.detail(caseRef: c.code, viewer: clerk, now: TrustFixtures.now) }
        // The three refusals (two actions, one look) are in the case's history; the role
        // changes in the access log.
        #expect(try TrustFixtures.events(db, c).filter { $0.action == .refused }.count == 3)
        let log = try db.accessLog()
        #expect(log.map(\.action).prefix(3) == [.officialDisable, .officialRole, .officialRole])
        #expect(log.first?.target == clerk.login)
        try db.setActive(login: clerk.login, active: true, by: admin, at: TrustFixtures.now)
        try db.perform(.note(text: "Đã mở khoá"), on: c.code, by: clerk, at: TrustFixtures.now)
        #expect(try db.checkAccessChain().ok)
    }

    @Test func managingOfficialsNeedsTheRightAndTheScope() throws {
        let db = try Fixtures.demo()
        let admin = try Fixtures.official(db, "admin")
        let supervisor = try Fixtures.official(db, "lanhdao.hoankiem")
        // A supervisor may not.
        #expect(throws: StoreError.self) { try db.setRole(login: "vanthu.hoankiem", role: .viewer, by: supervisor, at: TrustFixtures.now) }
        #expect(try db.accessLog().first?.action == .refused)
        #expect(try db.accessLog().first?.note?.contains("manage_officials") == true)
        // A ward admin manages the ward, not the city.
        let wardAdmin = try db.addOfficial(login: "quantri.hoankiem", fullName: "Quản Trị Phường", unitCode: "00070", role: .admin,
                                           by: admin, at: TrustFixtures.now)
        try db.setRole(login: "canbo.hoankiem.kt", role: .supervisor, by: wardAdmin, at: TrustFixtures.now)
        #expect(throws: StoreError.self) { try db.setActive(login: "lanhdao.hanoi", active: false, by: wardAdmin, at: TrustFixtures.now) }
        #expect(throws: StoreError.self) {
            try db.addOfficial(login: "x.hanoi", fullName: "Người Ngoài", unitCode: "01", role: .admin, by: wardAdmin, at: TrustFixtures.now)
        }
        // Nobody changes themselves, and the last admin stays.
        #expect(throws: Message("trust.officials.self")) { try db.setRole(login: "admin", role: .viewer, by: admin, at: TrustFixtures.now) }
        let prod = try Fixtures.production()
        let tester = try Fixtures.official(prod, "tester")
        let second = try prod.addOfficial(login: "second", fullName: "Quản Trị Hai", unitCode: "01", role: .admin, by: tester, at: TrustFixtures.now)
        try prod.setActive(login: "tester", active: false, by: second, at: TrustFixtures.now)
        // A disabled admin can do nothing, not even undo it.
        #expect(throws: StoreError.officialDisabled("tester")) {
            try prod.setActive(login: "second", active: false, by: tester, at: TrustFixtures.now)
        }
        #expect(try prod.accessLog().map(\.action).prefix(3) == [.refused, .officialDisable, .officialAdd])
    }

    @Test func thePermissionTableIsTheOneDocumented() throws {
        let doc = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../docs/security.md").standardized, encoding: .utf8)
        let begin = "<!-- permission-table:begin -->\n", end = "\n<!-- permission-table:end -->"
        let start = try #require(doc.range(of: begin)), stop = try #require(doc.range(of: end))
        let table = String(doc[start.upperBound..<stop.lowerBound])
        #expect(table == PermissionTable.standard.markdown(), "regenerate with: pakn permissions --markdown")
        for p in Permission.allCases {
            #expect(L10n.has("perm.\(p.rawValue)"), "no label for \(p)")
        }
    }
}

@Suite struct TrustRevealTests {
    @Test func aDenouncerIsSealedAndRevealedOnlyWithTheRightAReasonAndARecord() throws {
        let db = try Fixtures.demo()
        let c = try TrustFixtures.intake(db, kind: .denunciation, title: "Tố cáo cán bộ địa chính nhận tiền")
        #expect(c.confidential)
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        let supervisor = try Fixtures.official(db, "lanhdao.hoankiem")
        let otherWard = try Fixtures.official(db, "lanhdao.badinh")

        // Details never show a sealed reporter, even to a supervisor.
        let d = try db.detail(caseRef: c.code, viewer: supervisor, now: TrustFixtures.now)
        #expect(d.reporter?.name == nil && d.reporter?.phone == nil && d.reporter?.confidential == true)

        #expect(throws: StoreError.self) { _ = try db.revealReporter(caseRef: c.code, reason: "Xác minh", by: clerk, at: TrustFixtures.now) }
        #expect(throws: StoreError.outOfScope(login: otherWard.login, code: c.code)) {
            _ = try db.revealReporter(caseRef: c.code, reason: "Xác minh", by: otherWard, at: TrustFixtures.now)
        }
        #expect(throws: Message("trust.reason_required")) {
            _ = try db.revealReporter(caseRef: c.code, reason: "  \u{1B}\u{07}\u{202E} ", by: supervisor, at: TrustFixtures.now)
        }
        // The ward's supervisor has scope over the ward, but the city inspectorate handles
        // the denunciation: only an official of the handling unit may unseal it.
        #expect(throws: StoreError.self) {
            _ = try db.revealReporter(caseRef: c.code, reason: "Mời người tố cáo đến làm việc", by: supervisor, at: TrustFixtures.now)
        }
        let city = try Fixtures.official(db, "lanhdao.hanoi")
        let r = try db.revealReporter(caseRef: c.code, reason: "Mời người tố cáo đến làm việc", by: city, at: TrustFixtures.now)
        #expect(r.name == TrustFixtures.person.name && r.nationalId == TrustFixtures.person.nationalId)

        let history = try TrustFixtures.events(db, c)
        let refused = history.filter { $0.action == .refused }
        #expect(refused.count == 3)
        #expect(refused.map(\.actorId) == [clerk.id, otherWard.id, supervisor.id])
        #expect(refused[0].note?.contains("reveal_reporter") == true)
        let reveal = try #require(history.last)
        #expect(reveal.action == .reveal && reveal.actorId == city.id && reveal.note == "Mời người tố cáo đến làm việc")
        #expect(reveal.changes.isEmpty)
        #expect(try db.resolveCase(c.code).version == c.version, "a reveal is not a change to the case")
        // The identity went nowhere else.
        let text = try TrustFixtures.historyText(db)
        for v in TrustFixtures.personalValues(TrustFixtures.person) { #expect(!text.contains(v), "\(v) leaked") }
    }

    @Test func anAnonymousCaseHasNoOneToReveal() throws {
        let db = try Fixtures.demo()
        let c = try TrustFixtures.intake(db, reporter: Reporter(anonymous: true))
        #expect(throws: Message("trust.reveal.anonymous", c.code)) {
            _ = try db.revealReporter(caseRef: c.code, reason: "Xác minh", by: try Fixtures.official(db, "lanhdao.hoankiem"), at: TrustFixtures.now)
        }
        let d = try db.detail(caseRef: c.code, viewer: try Fixtures.official(db, "lanhdao.hoankiem"), now: TrustFixtures.now)
        #expect(d.reporter?.anonymous == true && d.reporter?.name == nil)
    }
}

@Suite struct TrustExportTests {
    func export(_ db: AppDatabase, _ req: ExportRequest, _ login: String) throws -> [ExportRecord] {
        var out: [ExportRecord] = []
        try db.exportCases(req, by: try Fixtures.official(db, login), at: TrustFixtures.now) { out.append($0) }
        return out
    }

    @Test func exportsAreRedactedByDefaultScopedAndRecorded() throws {
        let db = try Fixtures.demo()
        let open = try TrustFixtures.intake(db)
        let sealed = try TrustFixtures.intake(db, kind: .denunciation, title: "Tố cáo sai phạm đất đai")
        let rows = try export(db, ExportRequest(), "vanthu.hoankiem")
        // Only Hoàn Kiếm's cases (by unit or ward).
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        for r in rows {
            #expect(try [r.case.unitId, r.case.wardId].compactMap { $0 }.contains { try db.isWithin(unit: $0, ancestor: clerk.unitId) })
        }
        let mine = try #require(rows.first { $0.case.id == open.id })
        #expect(mine.reporterMasked && mine.reporter?.phone == "*********678" && mine.reporter?.nationalId != TrustFixtures.person.nationalId)
        #expect(mine.reporter?.name == "P. T. Q. H***")
        let den = try #require(rows.first { $0.case.id == sealed.id })
        #expect(den.reporterSealed && den.reporter?.name == nil && den.reporter?.phone == nil)

        let entry = try #require(try db.accessLog().first)
        #expect(entry.action == .export && entry.login == "vanthu.hoankiem" && entry.count == rows.count)
        #expect(Set(entry.caseIds) == Set(rows.map(\.case.id)))
        #expect(try db.accessLog(caseRef: open.code).first?.id == entry.id)
    }

    @Test func unredactedNeedsThePermissionAndAReasonAndNeverUnseals() throws {
        let db = try Fixtures.demo()
        let open = try TrustFixtures.intake(db)
        let sealed = try TrustFixtures.intake(db, kind: .denunciation, title: "Tố cáo sai phạm đất đai")
        #expect(throws: StoreError.self) { _ = try export(db, ExportRequest(unredacted: true, reason: "Báo cáo"), "vanthu.hoankiem") }
        #expect(try db.accessLog().first?.action == .refused)
        #expect(throws: Message("trust.reason_required")) { _ = try export(db, ExportRequest(unredacted: true), "lanhdao.hoankiem") }
        let rows = try export(db, ExportRequest(unredacted: true, reason: "Trả lời Thanh tra thành phố", unitCode: "00070"), "lanhdao.hoankiem")
        #expect(rows.first { $0.case.id == open.id }?.reporter == Reporter(id: rows.first { $0.case.id == open.id }?.reporter?.id,
                                                                           name: TrustFixtures.person.name, phone: "0912 345 678",
                                                                           email: TrustFixtures.person.email, address: TrustFixtures.person.address,
                                                                           nationalId: TrustFixtures.person.nationalId))
        let den = try #require(rows.first { $0.case.id == sealed.id })
        #expect(den.reporter?.name == nil && den.reporterSealed)
        let entry = try #require(try db.accessLog().first)
        #expect(entry.action == .exportUnredacted && entry.note == "Trả lời Thanh tra thành phố" && entry.target?.contains("unit=00070") == true)
        // Outside the supervisor's ward: refused.
        #expect(throws: StoreError.self) { _ = try export(db, ExportRequest(unitCode: "00004"), "lanhdao.hoankiem") }
    }
}

@Suite struct TrustCitizenTests {
    @Test func aPersonsDataIsFoundAcrossCasesAndErasedLeavingTheFactsAndTheChain() throws {
        let db = try Fixtures.demo()
        let a = try TrustFixtures.intake(db)
        var other = TrustFixtures.person
        other.phone = "+84 912-345-678"   // the same number, written differently
        other.email = nil
        let b = try TrustFixtures.intake(db, kind: .denunciation, reporter: other, title: "Tố cáo xây dựng trái phép")
        let stranger = try TrustFixtures.intake(db, reporter: Reporter(name: "Phạm Thị Quỳnh Hoa", phone: "0988000111"))
        let supervisor = try Fixtures.official(db, "lanhdao.hanoi")   // the city handles denunciations
        _ = try db.revealReporter(caseRef: b.code, reason: "Xác minh nội dung tố cáo", by: supervisor, at: TrustFixtures.now)

        let admin = try Fixtures.official(db, "admin")
        let report = try db.citizenExport(CitizenQuery(phone: "0912345678"), reason: "Đơn yêu cầu ngày 20/11", by: admin, at: TrustFixtures.now)
        #expect(Set(report.held.map(\.case.id)) == [a.id, b.id])
        #expect(report.held.first { $0.case.id == a.id }?.reporter.email == TrustFixtures.person.email)
        #expect(report.accesses.contains { $0.action == "reveal" && $0.login == "lanhdao.hanoi" && $0.caseCode == b.code })
        // A name matches both Hoa's and the stranger, but never unseals the denunciation;
        // a name alone can't erase.
        let byName = try db.citizenExport(CitizenQuery(name: "pham thi quynh hoa"), reason: nil, by: admin, at: TrustFixtures.now)
        #expect(Set(byName.held.map(\.case.id)) == [a.id, stranger.id])
        // Listing a sealed identity is a reveal: it needs a reason.
        #expect(throws: Message("trust.reason_required")) {
            _ = try db.citizenExport(CitizenQuery(phone: "0912345678"), reason: nil, by: admin, at: TrustFixtures.now)
        }
        #expect(throws: Message("trust.citizen.name_alone")) {
            _ = try db.citizenErase(CitizenQuery(name: "Phạm Thị Quỳnh Hoa"), reason: "Yêu cầu xoá", by: admin, at: TrustFixtures.now)
        }
        // A ward-level admin cannot erase what lies partly outside the ward.
        #expect(throws: StoreError.self) {
            _ = try db.citizenErase(CitizenQuery(phone: "0912345678"), reason: "Yêu cầu xoá", by: supervisor, at: TrustFixtures.now)
        }
        let head = try db.chainHead()
        let before = (try db.resolveCase(a.code), try db.resolveCase(b.code))
        let s = try db.citizenErase(CitizenQuery(phone: "0912345678"), reason: "Đơn yêu cầu xoá dữ liệu ngày 21/11", by: admin, at: TrustFixtures.now)
        #expect(s.reporters == 2 && Set(s.cases) == [a.code, b.code])

        // The facts stay; the person is gone; the history says so without naming them.
        #expect(try db.resolveCase(a.code) == before.0 && (try db.resolveCase(b.code)) == before.1)
        #expect(try db.reporterErasedAt(caseRef: a.code) == TrustFixtures.now)
        let d = try db.detail(caseRef: a.code, viewer: supervisor, now: TrustFixtures.now)
        #expect(d.reporter?.name == nil && d.reporter?.phone == nil && d.reporter?.email == nil)
        for c in [a, b] {
            let last = try #require(try TrustFixtures.events(db, c).last)
            #expect(last.action == .erase && last.note == "Đơn yêu cầu xoá dữ liệu ngày 21/11" && last.changes.isEmpty)
        }
        #expect(try db.checkChain(against: head).ok)
        #expect(try db.checkConsistency().ok)
        let text = try TrustFixtures.historyText(db)
        for v in TrustFixtures.personalValues(TrustFixtures.person) { #expect(!text.contains(v), "\(v) is in the history") }
        let left = try db.pool.read { try String.fetchAll($0, sql: "SELECT coalesce(name,'') || coalesce(phone,'') || coalesce(email,'') || coalesce(national_id,'') FROM reporter") }
        #expect(!left.joined().contains("quynhhoa") && !left.joined().contains("001198012345"))
        // The stranger with the same name is untouched, and a second erasure finds nothing.
        #expect(try db.revealReporter(caseRef: stranger.code, reason: "Gọi lại", by: supervisor, at: TrustFixtures.now).phone == "0988000111")
        #expect(throws: Message("trust.citizen.none")) {
            _ = try db.citizenErase(CitizenQuery(phone: "0912345678"), reason: "Lần hai", by: admin, at: TrustFixtures.now)
        }
        let log = try db.accessLog(limit: 5).map(\.action)
        #expect(log.contains(.citizenErase) && log.contains(.citizenExport))
    }

    @Test func eventsNeverCopyAReportersDetails() throws {
        let db = try Fixtures.demo()
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        let handler = try Fixtures.official(db, "canbo.hoankiem.kt")
        var c = try TrustFixtures.intake(db)
        c = try db.perform(.assign(officialId: handler.id), on: c.code, by: clerk, at: TrustFixtures.now)
        c = try db.perform(.wait(request: "Đề nghị cung cấp ảnh"), on: c.code, by: handler, at: TrustFixtures.now)
        c = try db.perform(.resume(note: nil), on: c.code, by: handler, at: TrustFixtures.now)
        c = try db.perform(.reply(text: "Đã xử lý vi phạm lấn chiếm vỉa hè."), on: c.code, by: handler, at: TrustFixtures.now)
        c = try db.perform(.rate(Rating(score: 2, reasons: [.vagueAnswer])), on: c.code, by: clerk, at: TrustFixtures.now)
        _ = try db.revealReporter(caseRef: c.code, reason: "Gọi lại xác minh", by: try Fixtures.official(db, "lanhdao.hoankiem"), at: TrustFixtures.now)
        try db.exportCases(ExportRequest(unredacted: true, reason: "Báo cáo"), by: try Fixtures.official(db, "lanhdao.hoankiem"),
                           at: TrustFixtures.now) { _ in }
        let text = try TrustFixtures.historyText(db)
        for v in TrustFixtures.personalValues(TrustFixtures.person) { #expect(!text.contains(v), "\(v) is in the history") }
    }
}

/// docs/security.md and docs/reliability.md name the test that keeps each promise: every
/// `Suite/function` they name exists.
@Suite struct TrustDocsTests {
    @Test func everyTestTheDocsNameExists() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
        var sources: [String] = []
        let tests = root.appendingPathComponent("Tests")
        for case let url as URL in FileManager.default.enumerator(at: tests, includingPropertiesForKeys: nil)! where url.pathExtension == "swift" {
            sources.append(try String(contentsOf: url, encoding: .utf8))
        }
        var named = 0
        for doc in ["docs/security.md", "docs/reliability.md"] {
            let text = try String(contentsOf: root.appendingPathComponent(doc), encoding: .utf8)
            // `SomethingTests/someFunction`
            let pattern = try NSRegularExpression(pattern: "`([A-Z][A-Za-z]*Tests)/([a-z][A-Za-z0-9]*)`")
            for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let suite = String(text[Range(m.range(at: 1), in: text)!]), fn = String(text[Range(m.range(at: 2), in: text)!])
                named += 1
                let file = sources.first { $0.contains("struct \(suite) ") || $0.contains("struct \(suite){") }
                #expect(file != nil, "\(doc): no suite \(suite)")
                if let file, let at = file.range(of: "struct \(suite)") {
                    #expect(file[at.upperBound...].contains("func \(fn)("), "\(doc): no test \(suite)/\(fn)")
                }
            }
        }
        #expect(named > 60, "the docs name only \(named) tests")
    }
}

