import Foundation
import PaknTestSupport
import PaknCore
@testable import PaknDemo
@testable import PaknStore

/// Temporary databases for store tests. A demo database is generated once per test run
/// and copied for each test, so tests stay independent and fast.
enum Fixtures {
    static let now = ISO8601.parse("2026-11-23T09:00:00+07:00")!

    static func tempPath(_ name: String = "t") -> String {
        TestScratch.path(in: "pakn-tests", name)
    }

    /// The template demo database: 300 cases, seed 7.
    static let demoTemplate: String = {
        let path = tempPath("demo-template")
        _ = try! DemoGenerator.create(path: path, options: DemoOptions(cases: 300, seed: 7, now: now, login: "tester"))
        return path
    }()

    /// A private copy of the demo database.
    static func demo() throws -> AppDatabase {
        let src = demoTemplate
        let dst = tempPath("demo")
        // Checkpointing happened when the generator's pool closed; copy the main file and any WAL.
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: src + suffix) {
            try FileManager.default.copyItem(atPath: src + suffix, toPath: dst + suffix)
        }
        return try AppDatabase(path: dst, create: false)
    }

    /// A new production database with `tester` as admin of Hà Nội.
    static func production() throws -> AppDatabase {
        try AppDatabase.initialize(path: tempPath("prod"), adminLogin: "tester", adminName: "Người Kiểm Thử",
                                   unitCode: "01", casePrefix: nil)
    }

    static func official(_ db: AppDatabase, _ login: String) throws -> Official {
        guard let o = try db.official(login: login) else { throw StoreError.noOfficialForLogin(login) }
        return o
    }

    static func draft(title: String = "Rác thải tập kết sai nơi quy định trên phố Huế",
                      body: String = "Nhiều ngày nay rác thải bị đổ bừa bãi trước số 45 phố Huế, bốc mùi hôi thối.",
                      kind: CaseKind = .feedback, category: String = "environment", ward: String? = "00070",
                      routing: IntakeDraft.Routing = .auto) -> IntakeDraft {
        IntakeDraft(title: title, body: body, kind: kind, category: category, channel: .hotline, wardCode: ward,
                    address: "45 phố Huế", reporter: Reporter(name: "Trần Thị Bình", phone: "0987654321"),
                    routing: routing)
    }
}

extension Fixtures {
    /// An official who sees everything in the fixture database: the demo's city trainer, or
    /// the production database's admin.
    static func adminLogin(_ db: AppDatabase) throws -> String {
        try db.official(login: "taphuan") != nil ? "taphuan" : "tester"
    }
}
