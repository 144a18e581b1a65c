import Foundation
import PaknTestSupport
import PaknCore
import Testing
@testable import PaknStore

@Suite struct SetupTests {
    @Test func productionDatabaseHasTheRealDivisions() throws {
        let db = try Fixtures.production()
        let counts = try db.unitCount()
        #expect(counts[.province] == 34)
        #expect(counts[.commune] == 3321)
        // Every commune and province gets the standard departments.
        let deptsPerCommune = try BundledData.departments()["commune"]!.count
        let deptsPerProvince = try BundledData.departments()["province"]!.count
        #expect(counts[.department] == 3321 * deptsPerCommune + 34 * deptsPerProvince)
        let hk = try #require(try db.unit(code: "00070"))
        #expect(hk.name == "Phường Hoàn Kiếm")
        #expect(try db.isTraining() == false)
        let admin = try Fixtures.official(db, "tester")
        #expect(admin.role == .admin)
    }

    @Test func initRefusesAnExistingFile() throws {
        let path = Fixtures.tempPath()
        _ = try AppDatabase.initialize(path: path, adminLogin: "a", adminName: "A", unitCode: "01", casePrefix: nil)
        #expect(throws: StoreError.self) {
            _ = try AppDatabase.initialize(path: path, adminLogin: "a", adminName: "A", unitCode: "01", casePrefix: nil)
        }
    }

    @Test func initWithAnUnknownUnitLeavesNoFile() throws {
        let path = Fixtures.tempPath()
        #expect(throws: StoreError.unknownUnit("99999")) {
            _ = try AppDatabase.initialize(path: path, adminLogin: "a", adminName: "A", unitCode: "99999", casePrefix: nil)
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func unitsReloadKeepsIdsAndRenames() throws {
        let db = try Fixtures.production()
        let before = try #require(try db.unit(code: "00070"))
        let file = TestScratch.folder("pakn-tests").appendingPathComponent("units-\(UUID()).json")
        let json = """
        [{"name": "Thành phố Hà Nội", "code": 1, "division_type": "thành phố trung ương",
          "wards": [{"name": "Phường Hoàn Kiếm Mới", "code": 70, "division_type": "phường"},
                    {"name": "Phường Thử Nghiệm", "code": 99998, "division_type": "phường"}]}]
        """
        try Data(json.utf8).write(to: file)
        let s = try db.importUnits(from: file)
        #expect(s.added == 1)
        #expect(s.updated == 2)
        let after = try #require(try db.unit(code: "00070"))
        #expect(after.id == before.id)
        #expect(after.name == "Phường Hoàn Kiếm Mới")
        let added = try #require(try db.unit(code: "99998"))
        #expect(try db.children(of: added.id).count == BundledData.departments()["commune"]!.count)
    }

    @Test func brokenUnitFileIsRefusedWithItsLine() throws {
        let db = try Fixtures.production()
        let file = TestScratch.folder("pakn-tests").appendingPathComponent("units-\(UUID()).tsv")
        try Data("code\tname\tlevel\tdivision_type\tparent_code\n01\tHà Nội\tprovince\tthành phố\t\n00070\tX\tplanet\tphường\t01\n".utf8).write(to: file)
        #expect(throws: StoreError.badData(file: file.lastPathComponent, line: 3, reason: Message("store.units.level", "planet"))) {
            _ = try db.importUnits(from: file)
        }
    }

    @Test func oldCodesMapToNewUnits() throws {
        let db = try Fixtures.production()
        let aliases = try String(contentsOf: BundledData.aliasesFile, encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        let sample = try #require(aliases.first { $0.count >= 2 && $0[0] != $0[1] })
        let mapped = try #require(try db.unit(code: sample[0]))
        #expect(mapped.code == sample[1])
    }

    @Test func caseCodePrefixComesFromTheProvince() throws {
        let db = try Fixtures.production()
        let c = try db.intake(Fixtures.draft(), by: try Fixtures.official(db, "tester"), at: Fixtures.now)
        #expect(c.code == "HN-2026-000001")
    }
}
