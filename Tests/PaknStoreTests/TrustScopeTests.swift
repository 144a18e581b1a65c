import Foundation
import GRDB
import PaknCore
import Testing
@testable import PaknStore

/// Scope before permission: outside their units an official learns nothing about a case,
/// not even that it exists, and the attempt is still in the case's history.
@Suite struct TrustScopeTests {
    let now = TrustFixtures.now

    @Test func outsideOnesUnitsACaseLooksUnknownAndTheTryIsRecorded() throws {
        let db = try Fixtures.demo()
        let c = try TrustFixtures.intake(db)                                   // Hoàn Kiếm
        let handler = try Fixtures.official(db, "canbo.badinh.kt")             // Ba Đình, may not assign
        let supervisor = try Fixtures.official(db, "lanhdao.badinh")           // Ba Đình, may reveal
        let before = try TrustFixtures.events(db, c).count
        let byId = String(c.id)

        // An action the role lacks, with a stale version: neither the permission nor the
        // version is mentioned — it reads exactly like a case that does not exist.
        let attempts: [(String, () throws -> Void)] = [
            ("assign", { try db.perform(.assign(officialId: handler.id), on: c.code, expectedVersion: c.version - 1, by: handler, at: now) }),
            ("note by id", { try db.perform(.note(text: "x"), on: byId, by: handler, at: now) }),
            ("reveal", { _ = try db.revealReporter(caseRef: c.code, reason: "Xác minh", by: supervisor, at: now) }),
            ("detail", { _ = try db.detail(caseRef: c.code, viewer: supervisor, now: now) }),
            ("history", { _ = try db.history(caseRef: byId, viewer: supervisor, at: now) }),
            ("attach", {
                let f = Fixtures.tempPath("attach") + ".txt"
                try Data("Biên bản".utf8).write(to: URL(fileURLWithPath: f))
                _ = try db.attach(URL(fileURLWithPath: f), to: c.code, by: handler, at: now)
            }),
        ]
        for (label, attempt) in attempts {
            do {
                try attempt()
                Issue.record("\(label): an out-of-scope official was let through")
            } catch let e as StoreError {
                guard case let .outOfScope(_, ref) = e else { Issue.record("\(label): \(e)"); continue }
                for lang in Lang.allCases {
                    #expect(e.text(lang) == StoreError.unknownCase(ref).text(lang), "\(label)")
                    #expect(!e.text(lang).contains("assign") && !e.text(lang).contains("reveal"), "\(label)")
                }
                if ref == byId { #expect(!e.text(.en).contains(c.code), "\(label): the id was turned into the case's code") }
            }
        }
        // A case that really does not exist reads the same.
        #expect(throws: StoreError.unknownCase("HN-2026-999999")) {
            try db.perform(.note(text: "x"), on: "HN-2026-999999", by: handler, at: now)
        }

        // Every attempt is in the case's history, saying what happened, in both languages.
        let refused = try TrustFixtures.events(db, c).dropFirst(before)
        #expect(refused.count == attempts.count)
        for e in refused {
            #expect(e.action == .refused && [handler.id, supervisor.id].contains(e.actorId))
            #expect(e.note?.contains("ngoài phạm vi") == true && e.note?.contains("outside their units") == true, "\(e.note ?? "")")
        }
        #expect(try db.resolveCase(c.code).version == c.version)
        #expect(try db.checkChain().ok)
    }

    /// "Go to" and the merge picker: another unit's case is neither found nor merged into.
    @Test func lookupsAndMergeMastersStayWithinOnesUnits() throws {
        let db = try Fixtures.demo()
        let theirs = try TrustFixtures.intake(db)                                    // Hoàn Kiếm
        let bd = try Fixtures.official(db, "vanthu.badinh")
        let mine = try db.intake(Fixtures.draft(ward: "00004"), by: bd, at: now)      // Ba Đình
        #expect(try db.resolveCase(mine.code, viewer: bd, at: now).id == mine.id)
        #expect(throws: StoreError.outOfScope(login: bd.login, code: theirs.code)) { _ = try db.resolveCase(theirs.code, viewer: bd, at: now) }
        #expect(StoreError.outOfScope(login: bd.login, code: theirs.code).text(.en) == StoreError.unknownCase(theirs.code).text(.en))
        #expect(try TrustFixtures.events(db, theirs).last?.action == .refused)
        // Merging into it: refused as unknown, nothing written to either case.
        let before = try TrustFixtures.events(db, theirs).count
        do {
            try db.perform(.merge(masterId: theirs.id), on: mine.code, by: bd, at: now)
            Issue.record("merged into a case of another unit")
        } catch let e as StoreError {
            #expect(e.text(.vi) == StoreError.unknownCase(String(theirs.id)).text(.vi), "\(e)")
        }
        #expect(try db.resolveCase(mine.code).status == mine.status)
        #expect(try TrustFixtures.events(db, theirs).count == before)
        #expect(try TrustFixtures.events(db, mine).last?.action == .refused)
    }

    /// A ward may give a case of one of its departments to an official of another (the
    /// public service centre has no handler of its own in the demo): the assignee sees it in
    /// "Mine", opens it and answers it; an official of a third department still may not.
    @Test func theAssigneeOfACaseMayOpenAndAnswerIt() throws {
        let db = try Fixtures.demo()
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        let kt = try Fixtures.official(db, "canbo.hoankiem.kt")
        let vhxh = try Fixtures.official(db, "canbo.hoankiem.vhxh")
        let hcc = try #require(try db.unit(code: "00070-HCC"))
        var c = try db.intake(Fixtures.draft(), by: clerk, at: now)
        c = try db.perform(c.status == .received ? .route(unitId: hcc.id) : .transfer(unitId: hcc.id, reason: "Thủ tục hành chính"),
                           on: c.code, by: clerk, at: now)
        c = try db.perform(.assign(officialId: kt.id), on: c.code, by: clerk, at: now)
        #expect(try db.detail(caseRef: c.code, viewer: kt, now: now).case.id == c.id)
        #expect(try db.perform(.reply(text: "Đã xử lý."), on: c.code, by: kt, at: now).status == .resolved)
        #expect(throws: StoreError.outOfScope(login: vhxh.login, code: c.code)) {
            _ = try db.detail(caseRef: c.code, viewer: vhxh, now: now)
        }
        // The history names whom and where, not ids.
        let ktUnit = try #require(try db.unit(id: kt.unitId))
        let history = try db.history(caseRef: c.code, viewer: clerk, at: now)
        let assigned = try #require(history.first { $0.event.action == .assign })
        #expect(assigned.assignedTo == kt.fullName + " (" + ktUnit.label + ")")
        #expect(assigned.headline(.vi) == "Giao cho " + kt.fullName + " (Phòng Kinh tế, Hạ tầng và Đô thị — Phường Hoàn Kiếm)")
        #expect(assigned.headline(.en).hasPrefix("Assigned to " + kt.fullName))
        let sent = try #require(history.last { $0.event.action == .transfer || $0.event.action == .route })
        #expect(sent.sentTo == hcc.label)
    }

    @Test func aWardClerkTakesInCasesForTheirWardOnly() throws {
        let db = try Fixtures.demo()
        let bd = try Fixtures.official(db, "vanthu.badinh")
        let before = try db.count(QueueFilter(), now: now)
        #expect(throws: StoreError.unitOutOfScope(login: bd.login, unit: "00070")) {
            _ = try db.intake(Fixtures.draft(ward: "00070"), by: bd, at: now)
        }
        #expect(try db.count(QueueFilter(), now: now) == before)
        #expect(try db.intake(Fixtures.draft(ward: "00004"), by: bd, at: now).wardId == (try db.unit(code: "00004"))?.id)
        // The city's trainer takes in for any ward of the city.
        _ = try db.intake(Fixtures.draft(ward: "00070"), by: try Fixtures.official(db, "tester"), at: now)
    }

    @Test func withinOnesUnitsAMissingPermissionIsNamed() throws {
        let db = try Fixtures.demo()
        let c = try TrustFixtures.intake(db)
        let handler = try Fixtures.official(db, "canbo.hoankiem.kt")
        do {
            try db.perform(.assign(officialId: handler.id), on: c.code, by: handler, at: now)
            Issue.record("a handler assigned a case")
        } catch let e as StoreError {
            guard case let .permissionDenied(login, permission, _) = e else { Issue.record("\(e)"); return }
            #expect(login == handler.login && permission == .assign)
            #expect(e.text(.vi).contains("assign") && e.text(.en).contains("assign"))
        }
        let last = try #require(try TrustFixtures.events(db, c).last)
        #expect(last.action == .refused && last.note?.contains("assign") == true)
        #expect(last.note?.contains("không có quyền") == true && last.note?.contains("lacks the permission") == true)
    }

    @Test func aDemotedOfficialsOpenDeskStopsShowingReporters() throws {
        let db = try Fixtures.demo()
        let c = try TrustFixtures.intake(db)
        let supervisor = try Fixtures.official(db, "lanhdao.hoankiem")   // kept, as an open desk keeps it
        #expect(try db.detail(caseRef: c.code, viewer: supervisor, now: now).reporter?.phone == TrustFixtures.person.phone)
        try db.setRole(login: supervisor.login, role: .viewer, by: try Fixtures.official(db, "admin"), at: now)
        let d = try db.detail(caseRef: c.code, viewer: supervisor, now: now)
        #expect(d.reporterMasked && d.reporter?.phone != TrustFixtures.person.phone)
    }
}

/// A denouncer's identity goes nowhere but a recorded reveal.
@Suite struct TrustSealedTests {
    let now = TrustFixtures.now
    static let denouncer = Reporter(name: "Đỗ Văn Tố", phone: "0977 111 222", email: "dovanto.kin@example.vn",
                                    address: "Số 9 ngõ Huế, Hai Bà Trưng", nationalId: "001090000111")

    @Test func aSealedIdentityIsInNoSearchExportDetailHistoryOrIndex() throws {
        let db = try Fixtures.demo()
        let c = try TrustFixtures.intake(db, kind: .denunciation, reporter: Self.denouncer, title: "Tố cáo cán bộ địa chính nhận tiền")
        #expect(c.confidential)
        let supervisor = try Fixtures.official(db, "lanhdao.hanoi")   // the city inspectorate handles it
        let admin = try Fixtures.official(db, "admin")
        // Some ordinary work on it, and a recorded reveal.
        try db.perform(.note(text: "Đã xác minh sơ bộ"), on: c.code, by: supervisor, at: now)
        _ = try db.revealReporter(caseRef: c.code, reason: "Mời người tố cáo đến làm việc", by: supervisor, at: now)
        let values = TrustFixtures.personalValues(Self.denouncer) + ["Do Van To", "do van to", "0977111222", "dovanto"]

        // Search: the queue's text filter and the FTS index itself.
        for v in values {
            for viewer in [supervisor, admin] {
                let rows = try db.queue(QueueQuery(filter: QueueFilter(unitSubtree: viewer.unitId, text: v), limit: 1000), now: now)
                #expect(!rows.contains { $0.id == c.id }, "search for \(v) found the denunciation")
            }
            if let m = SearchIndex.match(v, prefixLast: false) {
                let hits = try db.pool.read { try Int64.fetchAll($0, sql: "SELECT rowid FROM case_fts WHERE case_fts MATCH ?", arguments: [m]) }
                #expect(!hits.contains(c.id), "the index holds \(v)")
            }
        }
        // What the index is fed: the case's code, title, body and place, never the reporter.
        let fed = String(describing: SearchIndex.values(try db.resolveCase(c.code)))
        for v in values { #expect(!fed.contains(v), "\(v) is fed to the index") }

        // Details, history, exports (redacted and unredacted), for the highest roles.
        var seen: [String] = []
        for viewer in [supervisor, admin] {
            seen.append(String(describing: try db.detail(caseRef: c.code, viewer: viewer, now: now)))
            seen.append(String(describing: try db.history(caseRef: c.code, viewer: viewer)))
            for unredacted in [false, true] {
                try db.exportCases(ExportRequest(unredacted: unredacted, reason: "Báo cáo định kỳ"), by: viewer, at: now) {
                    seen.append(String(describing: $0))
                }
            }
            seen.append(String(describing: try db.queue(QueueQuery(filter: QueueFilter(unitSubtree: viewer.unitId), limit: 100_000), now: now)))
            seen.append(String(describing: try db.overdueByUnit(unitSubtree: viewer.unitId, now: now)))
        }
        seen.append(try TrustFixtures.historyText(db))
        // Another person's data-subject request, even one with the same name.
        let other = try TrustFixtures.intake(db, reporter: Reporter(name: "Đỗ Văn Tố", phone: "0988 000 111"))
        let report = try db.citizenExport(CitizenQuery(phone: "0988000111"), reason: "Đơn yêu cầu", by: admin, at: now)
        #expect(report.held.map(\.case.id) == [other.id])
        seen.append(String(describing: report))
        let byName = try db.citizenExport(CitizenQuery(name: "Đỗ Văn Tố"), reason: nil, by: admin, at: now)
        #expect(!byName.held.contains { $0.case.id == c.id }, "a name alone unsealed a denouncer")
        let all = seen.joined(separator: "\n")
        for v in values where !["Đỗ Văn Tố", "Do Van To", "do van to"].contains(v) {
            #expect(!all.contains(v), "\(v) leaked")
        }
        // The name is also the other person's, so it may appear only with them.
        #expect(!seen.dropLast().joined().contains("Đỗ Văn Tố"), "the denouncer's name leaked")
    }
}

/// Reasons that used to be English only: attachments, unit files, chain breaks.
@Suite struct TrustBilingualTests {
    @Test func refusalAndBreakReasonsComeInBothLanguages() throws {
        let db = try Fixtures.demo()
        let c = try TrustFixtures.intake(db)
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        func attachError(_ bytes: [UInt8]) throws -> StoreError? {
            let f = Fixtures.tempPath("att") + ".bin"
            try Data(bytes).write(to: URL(fileURLWithPath: f))
            do { _ = try db.attach(URL(fileURLWithPath: f), to: c.code, by: clerk, at: TrustFixtures.now) } catch let e as StoreError { return e }
            return nil
        }
        let empty = try #require(try attachError([]))
        #expect(empty.text(.vi).contains("tệp rỗng") && empty.text(.en).contains("the file is empty"))
        let binary = try #require(try attachError([0x7F, 0x45, 0x4C, 0x46, 0x00, 0x01, 0x02]))
        #expect(binary.text(.vi).contains("loại tệp không được phép") && binary.text(.en).contains("file type not allowed"))

        let units = Fixtures.tempPath("units") + ".tsv"
        try Data("code\tname\tlevel\tdivision_type\tparent_code\n01\tHà Nội\tprovince\tthành phố\t\n00070\t\u{1B}\u{07}\u{202E}\u{9B}\tcommune\tphường\t01\n".utf8)
            .write(to: URL(fileURLWithPath: units))
        do {
            _ = try db.importUnits(from: URL(fileURLWithPath: units))
            Issue.record("a unit whose name is only control characters was imported")
        } catch let e as StoreError {
            #expect(e == .badData(file: URL(fileURLWithPath: units).lastPathComponent, line: 3, reason: Message("store.units.empty_name")))
            #expect(e.text(.vi).contains("dòng 3") && e.text(.vi).contains("tên đơn vị trống"))
            #expect(e.text(.en).contains("line 3") && e.text(.en).contains("empty unit name"))
        }

        try TrustFixtures.dropGuards(db)
        try db.pool.write { try $0.execute(sql: "UPDATE event SET note = 'sửa lén' WHERE id = 5") }
        let broken = try #require(try db.verifyChain().firstBroken)
        #expect(broken.id == 5)
        #expect(broken.reason.text(.vi).contains("bị sửa") && broken.reason.text(.en).contains("altered"))
    }
}
