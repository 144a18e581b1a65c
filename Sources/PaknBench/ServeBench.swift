import Foundation
import GRDB
import PaknCore
import PaknDemo
import PaknServe
import PaknStore
import PaknStoreAPI

/// `pakn bench --serve`: the Open311 service on loopback over a fresh demo database, with
/// `clients` concurrent clients for `seconds`, each posting one intake (a tenth of them
/// retried with the same Idempotency-Key) then reading cases (docs/performance.md §Open311).
/// Reports intakes/s, reads/s, latency percentiles, lost and duplicated intakes, the chain.
public enum ServeBench {
    public struct Result: Sendable {
        public var seconds: Double
        public var clients: Int
        public var intakes: Int
        public var retries: Int
        public var reads: Int
        public var errors: Int
        public var intakeP50: Double, intakeP99: Double
        public var readP50: Double, readP99: Double
        public var allP99: Double
        /// Cases the service answered 201 for that are not in the database.
        public var lost: Int
        /// Cases in the database beyond those answered 201 (a retry that made a second case).
        public var duplicated: Int
        public var chainIntact: Bool
        /// Errors by their HTTP status and description (or "connect", "send").
        public var errorKinds: [String: Int] = [:]
        /// The intakes a second the clients were paced at (nil: each client sent its next
        /// request as soon as the last was answered).
        public var pacedIntakeRate: Double?
        public var intakesPerSecond: Double { Double(intakes) / seconds }
        public var readsPerSecond: Double { Double(reads) / seconds }
    }

    /// The database the service runs over, prepared by the caller: an engine as `pakn serve`
    /// opens it, an admin's session on it, a key made for the bench, a ward within the
    /// key's unit, some public case codes to read, and a way to list the codes of the cases
    /// taken in through keys (to count lost and duplicated intakes).
    public struct Target {
        public var engine: any StoreEngine
        public var admin: any StoreSession
        public var secret: String
        public var ward: String?
        public var existing: [String]
        public var intakeCodes: () throws -> Set<String>
        public init(engine: any StoreEngine, admin: any StoreSession, secret: String, ward: String?, existing: [String],
                    intakeCodes: @escaping () throws -> Set<String>) {
            self.engine = engine; self.admin = admin; self.secret = secret; self.ward = ward; self.existing = existing
            self.intakeCodes = intakeCodes
        }
    }

    /// A fresh demo database of `cases` cases in `dir`, with a key: the embedded engine.
    public static func sqliteTarget(dir: String, cases: Int, say: (String) -> Void) throws -> Target {
        let path = dir + "/serve-bench.sqlite"
        for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) }
        say("making a \(cases)-case demo database…")
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let db = try DemoGenerator.create(path: path, options: DemoOptions(cases: cases, seed: 1, now: now, login: "bench"))
        let admin = try db.session(login: "bench")
        let unit = try admin.current().unitId
        let unitCode = try admin.unit(id: unit)?.code ?? "01"
        let made = try admin.addApiKey(name: "bench", channel: .app, unitCode: unitCode)
        // A ward within the key's unit, for routing.
        let ward = try db.read { d in
            try String.fetchOne(d, sql: "SELECT code FROM unit WHERE level = 'commune' AND path LIKE (SELECT path FROM unit WHERE id = ?) || '%' ORDER BY id LIMIT 1",
                                arguments: [unit])
        }
        let existing = try db.read { try String.fetchAll($0, sql: "SELECT code FROM pakn_case WHERE kind <> 'denunciation' ORDER BY id LIMIT 500") }
        return Target(engine: db, admin: admin, secret: made.secret, ward: ward, existing: existing) {
            Set(try db.read { try String.fetchAll($0, sql: "SELECT c.code FROM api_intake a JOIN pakn_case c ON c.id = a.case_id") })
        }
    }

    /// `intakeRate`: pace the clients so that together they post that many intakes a second
    /// (and `readsPerIntake` times as many reads), each request sent at its planned time, and
    /// measure each latency from that planned time, so that a request held up behind a slow
    /// one counts the wait too (what wrk2 calls coordinated omission). Without it, each
    /// client sends its next request as soon as the last is answered: the service's ceiling,
    /// where every latency is a queue's.
    public static func run(_ target: Target, clients: Int, seconds: Double, readsPerIntake: Int, intakeRate: Double? = nil,
                           say: (String) -> Void) throws -> Result {
        let admin = target.admin, ward = target.ward, existing = target.existing, secret = target.secret
        let services = try target.engine.publicServices().map(\.code)

        let config = ServeConfig(host: "127.0.0.1", port: 0, perAddress: RateLimit(perSecond: 0, burst: 0),
                                 perKey: RateLimit(perSecond: 0, burst: 0))
        let service = Open311Service(engine: target.engine, config: config)
        let portBox = Box<Int>(0)
        let started = DispatchSemaphore(value: 0)
        let server = Task {
            try await service.run(quiet: true) { port in portBox.set(port); started.signal() }
        }
        guard started.wait(timeout: .now() + 30) == .success else { server.cancel(); throw StoreError.missingField("port") }
        let port = portBox.get()
        say("service on 127.0.0.1:\(port); \(clients) clients for \(Int(seconds)) s…")
        // Paced: each client's requests (one intake, a retry every tenth, the reads) are spaced
        // evenly, the clients' schedules staggered across one interval.
        let interval = intakeRate.map { UInt64(Double(clients) / ($0 * (1.1 + Double(readsPerIntake))) * 1e9) }

        let stats = (0..<clients).map { _ in ClientStats() }
        let group = DispatchGroup()
        let t0 = Date()
        let start = ServeLoad.now()
        let plan = ServeLoad.Plan(port: port, key: secret, ward: ward, services: services, existing: existing,
                                  readsPerIntake: readsPerIntake, interval: interval, start: start,
                                  deadline: start + UInt64(seconds * 1e9))
        // Two threads, each waiting on half of the connections.
        for part in 0..<2 {
            let mine = Array(stride(from: part, to: clients, by: 2))
            group.enter()
            let t = Thread {
                defer { group.leave() }
                ServeLoad.run(mine, plan: plan, stats: stats)
            }
            t.stackSize = 1 << 20
            t.start()
        }
        group.wait()
        let elapsed = Date().timeIntervalSince(t0)
        server.cancel()

        let created = Set(stats.flatMap(\.created))
        let inDB = try target.intakeCodes()
        let chain = try admin.checkChain()
        let intakeLat = stats.flatMap(\.intakeLatencies).sorted(), readLat = stats.flatMap(\.readLatencies).sorted()
        let all = (intakeLat + readLat).sorted()
        func pct(_ a: [Double], _ p: Double) -> Double { a.isEmpty ? 0 : a[min(a.count - 1, Int(Double(a.count) * p))] * 1000 }
        return Result(seconds: elapsed, clients: clients, intakes: created.count, retries: stats.map(\.retries).reduce(0, +),
                      reads: readLat.count, errors: stats.map(\.errors).reduce(0, +),
                      intakeP50: pct(intakeLat, 0.5), intakeP99: pct(intakeLat, 0.99), readP50: pct(readLat, 0.5),
                      readP99: pct(readLat, 0.99), allP99: pct(all, 0.99),
                      lost: created.subtracting(inDB).count, duplicated: inDB.subtracting(created).count,
                      chainIntact: chain.problem == nil,
                      errorKinds: stats.reduce(into: [:]) { all, s in for (k, v) in s.kinds { all[k, default: 0] += v } },
                      pacedIntakeRate: intakeRate)
    }

    final class ClientStats: @unchecked Sendable {
        var created: [String] = []
        var intakeLatencies: [Double] = []
        var readLatencies: [Double] = []
        var retries = 0
        var errors = 0
        /// Errors by their status and the start of their description.
        var kinds: [String: Int] = [:]
        func fail(_ what: String) { errors += 1; kinds[what, default: 0] += 1 }
        func fail(_ r: ServeLoad.Reply) {
            let text = String(decoding: r.body.prefix(400), as: UTF8.self)
            let d = text.range(of: "\"description\":\"").map { String(text[$0.upperBound...].prefix { $0 != "\"" }.prefix(100)) } ?? ""
            fail("\(r.status) \(d)")
        }
    }

    static func extractCode(_ body: [UInt8]) -> String? {
        let s = String(decoding: body, as: UTF8.self)
        guard let r = s.range(of: "\"service_request_id\":\"") else { return nil }
        return String(s[r.upperBound...].prefix { $0 != "\"" })
    }

    final class Box<T: Sendable>: @unchecked Sendable {
        private var value: T
        private let lock = NSLock()
        init(_ v: T) { value = v }
        func set(_ v: T) { lock.withLock { value = v } }
        func get() -> T { lock.withLock { value } }
    }
}
