import Foundation
import GRDB
import PaknCore
import Testing
@testable import PaknStore

/// The official reference data: `../shared/data` beside the clone when it is there (the
/// project's shared folder, as CI lays it out), else the copies kept in `SharedData/` next
/// to this file, so a clone elsewhere tests the same; `theKeptCopiesAreTheSharedFiles`
/// checks that the copies are the shared files whenever both exist. Read relative to this
/// file so the test runs from any directory.
enum SharedData {
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let shared = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/data")
    static let kept = here.appendingPathComponent("SharedData")
    static var sharedPresent: Bool { FileManager.default.fileExists(atPath: shared.appendingPathComponent("vn-divisions-2026.json").path) }
    static var dir: URL { sharedPresent ? shared : kept }

    static func json(_ name: String) throws -> Any {
        let url = dir.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            Issue.record("missing \(url.path): the official reference data")
            throw CocoaError(.fileNoSuchFile)
        }
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url))
    }
}

@Suite("Official reference data")
struct SharedDataCopyTests {
    @Test("The copies kept in the tests are the shared files", .enabled(if: SharedData.sharedPresent))
    func theKeptCopiesAreTheSharedFiles() throws {
        for name in ["vn-divisions-2025.json", "vn-divisions-2026.json"] {
            let a = try Data(contentsOf: SharedData.shared.appendingPathComponent(name))
            let b = try Data(contentsOf: SharedData.kept.appendingPathComponent(name))
            #expect(a == b, "\(name): refresh Tests/PaknStoreTests/SharedData from ../shared/data")
        }
    }
}

/// The v5 schema additions removed again, as a database made before `v5-units-2026` had it.
enum PreV5 {
    static func strip(_ d: Database) throws {
        // What came after v5-units-2026 goes too (its views read unit.label).
        try d.execute(sql: """
            DROP VIEW IF EXISTS case_view;
            DROP VIEW IF EXISTS event_view;
            DELETE FROM grdb_migrations WHERE identifier = '\(PlainTextMigration.name)';
            DELETE FROM unit_alias WHERE kind IS NOT 'province';
            DROP TABLE unit_code_history;
            DROP INDEX unit_alias_unit;
            ALTER TABLE unit DROP COLUMN label;
            ALTER TABLE unit_alias DROP COLUMN kind;
            DELETE FROM grdb_migrations WHERE identifier = 'v5-units-2026';
            """)
    }

    /// Turns a current database into one made from the older vn-divisions-2025.json: its
    /// 123 wrong codes (some reused by another commune), its names and types, and the
    /// department names of before (one KT name for all, "tỉnh" bodies in cities).
    static func ageTo2025(_ path: String) throws {
        let old = try SharedData.json("vn-divisions-2025.json") as! [[String: Any]]
        var oldCommunes: [String: (name: String, type: String)] = [:]
        var oldProvinces: [String: (name: String, type: String)] = [:]
        for p in old {
            oldProvinces[String(format: "%02d", p["code"] as! Int)] = (p["name"] as! String, p["division_type"] as! String)
            for w in p["wards"] as! [[String: Any]] {
                oldCommunes[String(format: "%05d", w["code"] as! Int)] = (w["name"] as! String, w["division_type"] as! String)
            }
        }
        var officialToOld: [String: String] = [:]
        for (o, n) in try UnitChanges.corrections() { officialToOld[n] = o }
        officialToOld["20137"] = "20152"  // Chân Mây - Lăng Cô: the one the corrections miss (a dash)
        let q = try DatabaseQueue(path: path)
        try q.write { d in
            let communes = try Row.fetchAll(d, sql: "SELECT id, code FROM unit WHERE level = 'commune'")
            var moves: [(id: Int64, old: String, new: String)] = []
            for r in communes {
                let code: String = r["code"]
                if let o = officialToOld[code] { moves.append((r["id"], code, o)) }
            }
            try UnitChanges.recode(d, moves)
            for r in try Row.fetchAll(d, sql: "SELECT id, code, level FROM unit WHERE level IN ('province', 'commune')") {
                let code: String = r["code"]
                let o = (r["level"] as String) == "province" ? oldProvinces[code] : oldCommunes[code]
                guard let o else { Issue.record("no 2025 row for \(code)"); continue }
                try d.execute(sql: "UPDATE unit SET name = ?, division_type = ? WHERE id = ?", arguments: [o.name, o.type, r["id"] as Int64])
            }
            try d.execute(sql: """
                UPDATE unit SET name = 'Phòng Kinh tế, Hạ tầng và Đô thị' WHERE level = 'department' AND code LIKE '_____-KT';
                UPDATE unit SET name = 'Công an xã, phường' WHERE level = 'department' AND code LIKE '_____-CA';
                UPDATE unit SET name = 'Thanh tra tỉnh' WHERE level = 'department' AND code LIKE '__-TT';
                UPDATE unit SET name = 'Công an tỉnh' WHERE level = 'department' AND code LIKE '__-CA';
                UPDATE unit SET name = 'Văn phòng Ủy ban nhân dân tỉnh' WHERE level = 'department' AND code LIKE '__-VP';
                UPDATE unit SET name = 'Ban Tiếp công dân tỉnh' WHERE level = 'department' AND code LIKE '__-BTCD';
                """)
            try strip(d)
        }
        try q.close()
    }
}

@Suite struct UnitsTests {
    // MARK: The shipped file is the official one

    @Test func everyShippedCodeNameAndTypeIsTheOfficialOne() throws {
        let official = try SharedData.json("vn-divisions-2026.json") as! [String: Any]
        let provinces = official["provinces"] as! [[String: String]]
        let communes = official["communes"] as! [[String: String]]
        let shipped = try UnitFile.read(BundledData.unitsFile)
        #expect(shipped.count == provinces.count + communes.count)
        #expect(provinces.count == 34 && communes.count == 3321)
        let byCode = Dictionary(shipped.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byCode.count == shipped.count, "no code twice")
        var wrong: [String] = []
        for p in provinces {
            let s = byCode[p["code"]!]
            if s?.name != p["name"] || s?.divisionType != p["type"] || s?.level != .province { wrong.append(p["code"]!) }
        }
        for c in communes {
            let s = byCode[c["code"]!]
            if s?.name != c["name"] || s?.divisionType != c["type"] || s?.level != .commune || s?.parentCode != c["province"] {
                wrong.append(c["code"]!)
            }
        }
        #expect(wrong.isEmpty, "differ from vn-divisions-2026.json: \(wrong.prefix(20))")
        // The examples of the issue.
        #expect(byCode["00082"]?.name == "Phường Cửa Nam")
        #expect(byCode["00229"]?.name == "Phường Kim Liên")
        #expect(byCode["00226"]?.name == "Phường Văn Miếu - Quốc Tử Giám")
        #expect(byCode["00073"] == nil)
        #expect(byCode["75"]?.divisionType == "thành phố")
    }

    @Test func theShippedChangeListAndCorrectionsAreTheSharedFilesOnes() throws {
        let official = try SharedData.json("vn-divisions-2026.json") as! [String: Any]
        let corrections = official["corrections_to_vn_divisions_2025_json"] as! [[String: String]]
        let shipped = try UnitChanges.corrections()
        #expect(shipped == Dictionary(corrections.map { ($0["old_code"]!, $0["official_code"]!) }, uniquingKeysWith: { a, _ in a }))
        let changes = official["changes_since_2025_07_01"] as! [String: [[String: String]]]
        let lists = try UnitChangeList.parse(try BundledData.data("units/changes-since-2025-07-01.json"), file: "shipped")
        #expect(lists.flatMap(\.codeChanges).map { [$0.old, $0.new] } == changes["code_changes"]!.map { [$0["old"]!, $0["new"]!] })
        #expect(lists.flatMap(\.typeChanges).map { [$0.code, $0.now] } == changes["type_changes"]!.map { [$0["code"]!, $0["now"]!] })
        #expect(lists.flatMap(\.provinceTypeChanges).map(\.code) == ["75"])
        #expect(lists.allSatisfy { !$0.document.isEmpty })
    }

    // MARK: New databases

    @Test func aNewDatabaseHasTheOfficialCodesHistoryAliasesAndDepartmentNames() throws {
        let db = try Fixtures.production()
        #expect(try db.unit(code: "00082")?.name == "Phường Cửa Nam")
        // An old code of the wrong file lands on the commune it meant; a current code wins.
        #expect(try db.unit(code: "00073")?.code == "00082")
        #expect(try db.unit(code: "00226")?.name == "Phường Văn Miếu - Quốc Tử Giám")
        #expect(try db.unit(code: "00073-KT")?.code == "00082-KT")
        // A code changed by decision, with its history.
        #expect(try db.unit(code: "06970")?.code == "06978")
        let h = try db.unitHistory(code: "06970")
        #expect(h.map { [$0.oldCode, $0.newCode] } == [["06970", "06978"]])
        #expect(try db.unitHistory(code: "75").first?.newType == "thành phố")
        #expect(try db.unitHistory(code: "26368").first.map { [$0.oldName, $0.newName] } == ["Xã Long Thành", "Phường Long Thành"])
        // Department names follow their parent's type.
        #expect(try db.unit(code: "00070-KT")?.name == "Phòng Kinh tế, Hạ tầng và Đô thị")
        #expect(try db.unit(code: "00070-KT")?.label == "Phòng Kinh tế, Hạ tầng và Đô thị — Phường Hoàn Kiếm")
        let xa = try #require(try db.units(matching: "Sóc Sơn", levels: [.commune]).first)
        #expect(xa.divisionType == "xã")
        #expect(try db.unit(code: "\(xa.code)-KT")?.name == "Phòng Kinh tế")
        #expect(try db.unit(code: "01-TT")?.name == "Thanh tra Thành phố")
        #expect(try db.unit(code: "79-CA")?.name == "Công an Thành phố")
        #expect(try db.unit(code: "75-TT")?.name == "Thanh tra Thành phố")
        #expect(try db.unit(code: "04-TT")?.name == "Thanh tra tỉnh")
        #expect(try db.unit(code: "26368-KT")?.name == "Phòng Kinh tế, Hạ tầng và Đô thị")
    }

    // MARK: Migrating a database made from the 2025 file

    @Test func anOldDatabaseMigratesKeepingEveryCaseWithItsUnit() throws {
        let db0 = try Fixtures.demo()
        let path = db0.path
        let (units, cases) = try db0.pool.read { d in
            (try Row.fetchAll(d, sql: "SELECT id, code, name, division_type, level, parent_id FROM unit ORDER BY id"),
             try Row.fetchAll(d, sql: "SELECT id, code, unit_id, ward_id, province_id, commune_id FROM pakn_case ORDER BY id"))
        }
        let hoangMai = try #require(try db0.unit(code: "00331"))
        let hoangMaiCases = try db0.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM pakn_case WHERE ward_id = ?", arguments: [hoangMai.id]) } ?? 0
        #expect(hoangMaiCases > 0, "a staffed ward whose code moves in a chain has cases")
        try db0.pool.close()

        try PreV5.ageTo2025(path)
        try DatabaseQueue(path: path).read { (d: Database) throws -> Void in
            // The old database: Hoàng Mai had 00319 and 00331 was Yên Sở; 00226 was Kim Liên.
            #expect(try String.fetchOne(d, sql: "SELECT code FROM unit WHERE id = ?", arguments: [hoangMai.id]) == "00319")
            #expect(try String.fetchOne(d, sql: "SELECT name FROM unit WHERE code = '00331'") == "Phường Yên Sở")
            #expect(try String.fetchOne(d, sql: "SELECT name FROM unit WHERE code = '00226'") == "Phường Kim Liên")
            #expect(try String.fetchOne(d, sql: "SELECT code FROM unit WHERE name = 'Phường Hoàng Mai' AND level = 'commune'") == "00319")
            #expect(try Int.fetchOne(d, sql: "SELECT count(*) FROM unit WHERE code LIKE '00319-%'") == 5)
        }

        // Opening migrates it.
        let db = try AppDatabase(path: path, create: false)
        try db.pool.read { (d: Database) throws -> Void in
            #expect(try Row.fetchAll(d, sql: "SELECT id, code, name, division_type, level, parent_id FROM unit ORDER BY id") == units,
                    "every unit has its id, official code, name and type back")
            #expect(try Row.fetchAll(d, sql: "SELECT id, code, unit_id, ward_id, province_id, commune_id FROM pakn_case ORDER BY id") == cases,
                    "every case stays with its unit")
            #expect(try Int.fetchOne(d, sql: "SELECT count(*) FROM unit_code_history") == 13)
        }
        #expect(try db.unit(code: "00319")?.id == hoangMai.id)
        #expect(try db.unit(code: "00331")?.id == hoangMai.id)
        #expect(try db.unit(code: "00319-KT")?.code == "00331-KT")
        #expect(try db.unit(code: "00331-KT")?.label == "Phòng Kinh tế, Hạ tầng và Đô thị — Phường Hoàng Mai")
        #expect(try db.unit(code: "01-TT")?.name == "Thanh tra Thành phố")
        let entry = try #require(try db.accessLog(limit: 1).first)
        #expect(entry.action == .unitsMigrate && entry.actorId == nil && entry.login == "pakn-migrate")
        #expect(entry.count >= 123, "\(entry.note ?? "")")
        #expect(entry.note?.contains("not matched") == false, "\(entry.note ?? "")")
        let report = try db.checkConsistency()
        #expect(report.ok, "\(report)")
        #expect(try db.checkAccessChain().ok)
        // New work lands on the migrated units.
        let clerk = try Fixtures.official(db, "vanthu.hoangmai")
        let c = try db.intake(Fixtures.draft(ward: "00319"), by: clerk, at: Fixtures.now)
        #expect(c.wardId == hoangMai.id)
    }

    // MARK: Change lists

    func changeFile(_ json: String) throws -> URL {
        let url = URL(fileURLWithPath: Fixtures.tempPath("changes")).appendingPathExtension("json")
        try json.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func aChangeListSwapsAndChainsCodesAndRecordsHistory() throws {
        let db = try Fixtures.production()
        let admin = try Fixtures.official(db, "tester")
        let a = try #require(try db.unit(code: "00004")), b = try #require(try db.unit(code: "00008")), c = try #require(try db.unit(code: "00070"))
        // 00004 ↔ 00008 swap, and 00070 → 99990 as a third move.
        let url = try changeFile("""
            {"document": "Quyết định thử 1/2026", "effective": "2026-08-01",
             "code_changes": [{"old": "00004", "new": "00008"}, {"old": "00008", "new": "00004"}, {"old": "00070", "new": "99990"}],
             "type_changes": [{"code": "00008", "was": "Phường Ngọc Hà", "now": "Xã Ngọc Hà"}]}
            """)
        let r = try db.importUnitFile(url, by: admin, at: Fixtures.now)
        guard case let .changes(s) = r else { Issue.record("not read as a change list"); return }
        #expect(s.codes == 3)
        #expect(try db.unit(id: a.id)?.code == "00008")
        #expect(try db.unit(id: b.id)?.code == "00004")
        #expect(try db.unit(id: c.id)?.code == "99990")
        #expect(try db.unit(code: "99990-KT")?.parentId == c.id)
        #expect(try db.unit(code: "00070-KT")?.parentId == c.id, "the old department code follows")
        // Type change was checked against the name the unit had before the list.
        #expect(s.types == 1)
        #expect(try db.unit(id: b.id)?.divisionType == "xã")
        #expect(try db.unit(code: "00004-KT")?.name == "Phòng Kinh tế")
        #expect(try db.unitHistory(code: "99990").first?.oldCode == "00070")
        let e = try #require(try db.accessLog(limit: 1).first)
        #expect(e.action == .unitsChange && e.actorId == admin.id && e.count == 4)
        // Loading it again: the type row is in force, the codes are refused as they stand now.
        #expect(throws: UnitChangeListError.self) { _ = try db.importUnitFile(url, by: admin, at: Fixtures.now) }
    }

    @Test func aBadChangeListNamesEveryBadRowAndWritesNothing() throws {
        let db = try Fixtures.production()
        let admin = try Fixtures.official(db, "tester")
        let before = try db.accessLog(limit: 5).count
        let url = try changeFile("""
            {"document": "Nghị quyết thử", "effective": "2026-02-30",
             "code_changes": [{"old": "00070", "new": "00071"}, {"old": "0007x", "new": "00072"}, {"old": "00073", "new": "00074"},
                              {"old": "00004", "new": "00008"}],
             "type_changes": [{"code": "00070", "was": "Xã Khác", "now": "Xã Hoàn Kiếm"}, {"code": "00070", "now": "Làng Hoàn Kiếm"}]}
            """)
        do {
            _ = try db.importUnitFile(url, by: admin, at: Fixtures.now)
            Issue.record("accepted a bad list")
        } catch let e as UnitChangeListError {
            let text = e.text(.en)
            #expect(text.contains("effective"), "\(text)")
            #expect(text.contains("code_changes[2]") && text.contains("0007x"), "\(text)")
            #expect(text.contains("type_changes[2]"), "\(text)")
        }
        // Parsing passed for these two lists of rows: now the database state.
        let url2 = try changeFile("""
            {"document": "Nghị quyết thử", "effective": "2026-08-01",
             "code_changes": [{"old": "00070", "new": "00071"}, {"old": "00073", "new": "00074"}, {"old": "00004", "new": "00008"}],
             "type_changes": [{"code": "00103", "was": "Xã Khác", "now": "Xã Tây Hồ"}]}
            """)
        do {
            _ = try db.importUnitFile(url2, by: admin, at: Fixtures.now)
            Issue.record("accepted a bad list")
        } catch let e as UnitChangeListError {
            let text = e.text(.en)
            #expect(!text.contains("code_changes[1]"), "00070 → 00071 is fine: \(text)")
            #expect(text.contains("code_changes[2]: 00073 is no longer a unit code: it is now 00082 Phường Cửa Nam"), "\(text)")
            #expect(text.contains("code_changes[3]") && text.contains("Phường Ngọc Hà"), "\(text)")
            #expect(text.contains("type_changes[1]") && text.contains("Xã Khác"), "\(text)")
        }
        #expect(try db.unit(code: "00070")?.name == "Phường Hoàn Kiếm", "nothing written")
        #expect(try db.accessLog(limit: 5).count == before)
    }

    @Test func aChangeListNeedsManageRulesOverTheUnitsItChanges() throws {
        let db = try Fixtures.demo()
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        let url = try changeFile(#"{"document": "X", "effective": "2026-08-01", "province_type_changes": [{"code": "04", "now": "thành phố"}]}"#)
        #expect(throws: StoreError.self) { _ = try db.importUnitFile(url, by: clerk, at: Fixtures.now) }
        #expect(try db.unit(code: "04")?.divisionType == "tỉnh")
        #expect(try db.accessLog(limit: 1).first?.action == .refused)
        // Hà Nội's admin: Cao Bằng is not theirs.
        let admin = try Fixtures.official(db, "admin")
        #expect(throws: StoreError.adminOutOfScope(login: "admin", reason: Message("admin.scope.unit", "admin", "04 Tỉnh Cao Bằng"))) {
            _ = try db.importUnitFile(url, by: admin, at: Fixtures.now)
        }
        #expect(try db.unit(code: "04")?.divisionType == "tỉnh")
        #expect(try db.accessLog(limit: 1).first.map { $0.action == .refused && $0.login == "admin" } == true)
        // A central database's admin may.
        let central = try AppDatabase.initialize(path: Fixtures.tempPath("central"), adminLogin: "trunguong",
                                                 adminName: "Quản Trị Trung Ương", unitCode: "VN", casePrefix: "TW")
        let root = try Fixtures.official(central, "trunguong")
        guard case let .changes(s) = try central.importUnitFile(url, by: root, at: Fixtures.now) else { Issue.record("not a change list"); return }
        #expect(s.provinceTypes == 1)
        #expect(try central.unit(code: "04")?.name == "Thành phố Cao Bằng")
        #expect(try central.unit(code: "04-TT")?.name == "Thanh tra Thành phố")
        #expect(try central.checkConsistency().ok)
    }

    // MARK: Remote areas

    @Test func remoteFlagsAreRecordedAndGiveTheRemoteLimits() throws {
        let db = try Fixtures.demo()
        let admin = try Fixtures.official(db, "admin")
        #expect(try db.remoteUnits().isEmpty, "none shipped")
        let s = try db.setRemote(codes: ["00070", "00073"], remote: true, reason: "Quyết định thử 12/QĐ-UBND", by: admin, at: Fixtures.now)
        #expect(s.changed.map(\.code) == ["00070", "00082"])
        #expect(try db.remoteUnits().map(\.code) == ["00070", "00082"])
        let log = try db.accessLog(limit: 2)
        #expect(log.allSatisfy { $0.action == .unitRemoteSet && $0.actorId == admin.id && $0.note == "Quyết định thử 12/QĐ-UBND" })
        #expect(Set(log.compactMap(\.target)) == ["00070", "00082"])
        // A complaint in a remote ward gets the remote limit.
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        let c = try db.intake(Fixtures.draft(kind: .complaint, category: "land"), by: clerk, at: Fixtures.now)
        let rule = try #require(try db.reference().rulebook.rule(for: .complaint, receivedOn: Day(Fixtures.now)))
        #expect(rule.resolutionDays(complex: false, remote: true) != rule.resolutionDays(complex: false, remote: false))
        #expect(c.deadline.days == rule.resolutionDays(complex: false, remote: true))
        // Refusals: no reason, a department, no permission, an unknown code — nothing changes.
        #expect(throws: StoreError.self) { _ = try db.setRemote(codes: ["00004"], remote: true, reason: " ", by: admin, at: Fixtures.now) }
        #expect(throws: Message.self) { _ = try db.setRemote(codes: ["00004", "00070-KT"], remote: true, reason: "x", by: admin, at: Fixtures.now) }
        #expect(throws: StoreError.self) { _ = try db.setRemote(codes: ["00004"], remote: true, reason: "x", by: clerk, at: Fixtures.now) }
        #expect(throws: StoreError.self) { _ = try db.setRemote(codes: ["00004", "99999"], remote: true, reason: "x", by: admin, at: Fixtures.now) }
        #expect(try db.unit(code: "00004")?.remote == false)
        let u = try db.setRemote(codes: ["00082"], remote: false, reason: "Hết hiệu lực", by: admin, at: Fixtures.now)
        #expect(u.changed.count == 1)
        #expect(try db.remoteUnits().map(\.code) == ["00070"])
    }

    @Test func aRemoteFileNamesItsBadLine() throws {
        let url = URL(fileURLWithPath: Fixtures.tempPath("remote")).appendingPathExtension("txt")
        try "# vùng sâu\n00070\n\n00082 # Cửa Nam\n00004 00008\n".write(to: url, atomically: true, encoding: .utf8)
        #expect(throws: StoreError.badData(file: url.lastPathComponent, line: 5, reason: Message("units.remote.one_code"))) {
            _ = try RemoteFile.read(url)
        }
        try "# vùng sâu\n00070\n\n00082 # Cửa Nam\n".write(to: url, atomically: true, encoding: .utf8)
        #expect(try RemoteFile.read(url).map(\.code) == ["00070", "00082"])
        #expect(try RemoteFile.read(url).map(\.line) == [2, 4])
    }

    // MARK: Names

    @Test func namesCompareAsAPersonReadsThem() {
        #expect(UnitNames.normalized("Xã Hoà An") == UnitNames.normalized("Xã Hòa An"))
        #expect(UnitNames.normalized("Xã Chân Mây – Lăng Cô") == UnitNames.normalized("Xã Chân Mây - Lăng Cô"))
        #expect(UnitNames.normalized("Xã Ea M’Droh") == UnitNames.normalized("Xã Ea M'Droh"))
        #expect(UnitNames.normalized("Phường  Buôn Ma Thuột") == UnitNames.normalized("Phường Buôn Ma Thuột"))
        #expect(UnitNames.core("Xã Lộc Ninh") == UnitNames.core("Phường Lộc Ninh"))
        #expect(UnitNames.normalized("Xã An Hòa") != UnitNames.normalized("Xã An Hóa"))
        #expect(UnitNaming.qualified(name: "Phòng Kinh tế", level: .department, parentName: "Xã Sóc Sơn") == "Phòng Kinh tế — Xã Sóc Sơn")
        #expect(UnitNaming.qualified(name: "Phường Hoàn Kiếm", level: .commune, parentName: "Thành phố Hà Nội") == "Phường Hoàn Kiếm")
    }
}
