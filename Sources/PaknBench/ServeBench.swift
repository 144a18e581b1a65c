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

    public static func run(_ target: Target, clients: Int, seconds: Double, readsPerIntake: Int,
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

        let stats = (0..<clients).map { _ in ClientStats() }
        let deadline = Date().addingTimeInterval(seconds)
        let group = DispatchGroup()
        let t0 = Date()
        for i in 0..<clients {
            group.enter()
            let t = Thread {
                defer { group.leave() }
                runClient(i, port: port, key: secret, ward: ward, services: services, existing: existing,
                          readsPerIntake: readsPerIntake, until: deadline, stats: stats[i])
            }
            t.stackSize = 256 * 1024
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
                      errorKinds: stats.reduce(into: [:]) { all, s in for (k, v) in s.kinds { all[k, default: 0] += v } })
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
        func fail(_ r: LoopbackHTTP.Reply) {
            let text = String(decoding: r.body.prefix(400), as: UTF8.self)
            let d = text.range(of: "\"description\":\"").map { String(text[$0.upperBound...].prefix { $0 != "\"" }.prefix(100)) } ?? ""
            fail("\(r.status) \(d)")
        }
    }

    static func runClient(_ i: Int, port: Int, key: String, ward: String?, services: [String], existing: [String],
                          readsPerIntake: Int, until deadline: Date, stats: ClientStats) {
        guard let conn = try? LoopbackHTTP(port: port) else { stats.fail("connect"); return }
        var n = 0
        var rng = SeededRandom(seed: UInt64(i + 1))
        while Date() < deadline {
            n += 1
            let service = services.isEmpty ? "traffic" : services[Int.random(in: 0..<services.count, using: &rng)]
            var body = "service_code=\(service)&description=Bench+\(i)-\(n)&address_string=S%E1%BB%91+\(n)"
            if let ward { body += "&attribute%5Bward%5D=\(ward)" }
            let idem = "bench-\(i)-\(n)"
            let start = Date()
            guard let r = try? conn.send("POST", "/requests.json", body: Array(body.utf8),
                                         headers: ["X-Api-Key": key, "Idempotency-Key": idem,
                                                   "Content-Type": "application/x-www-form-urlencoded"]) else { stats.fail("send"); return }
            stats.intakeLatencies.append(Date().timeIntervalSince(start))
            var code: String?
            if r.status == 201, let c = extractCode(r.body) { stats.created.append(c); code = c } else { stats.fail(r) }
            if n % 10 == 0 {
                let s2 = Date()
                if let again = try? conn.send("POST", "/requests.json", body: Array(body.utf8),
                                              headers: ["X-Api-Key": key, "Idempotency-Key": idem,
                                                        "Content-Type": "application/x-www-form-urlencoded"]) {
                    stats.intakeLatencies.append(Date().timeIntervalSince(s2))
                    stats.retries += 1
                    if again.status != 200 || extractCode(again.body) != code { stats.fail(again) }
                }
            }
            for k in 0..<readsPerIntake where Date() < deadline {
                let target = k == 0 ? (code ?? "X") : (existing.isEmpty ? code ?? "X" : existing[Int.random(in: 0..<existing.count, using: &rng)])
                let s = Date()
                guard let g = try? conn.send("GET", "/requests/\(target).json") else { stats.fail("send"); return }
                stats.readLatencies.append(Date().timeIntervalSince(s))
                if g.status != 200 { stats.fail(g) }
            }
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

/// A keep-alive HTTP/1.1 client on a blocking loopback socket: what the load test's clients
/// speak (one thread each).
final class LoopbackHTTP {
    let fd: Int32
    var buffer: [UInt8] = []

    init(port: Int) throws {
        #if canImport(Glibc)
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw StoreError.missingField("socket") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { close(fd); throw StoreError.missingField("connect") }
    }

    deinit { close(fd) }

    struct Reply { var status: Int; var body: [UInt8] }

    func send(_ method: String, _ path: String, body: [UInt8] = [], headers: [String: String] = [:]) throws -> Reply {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(body.count)\r\n"
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        head += "\r\n"
        let out = Array(head.utf8) + body
        var sent = 0
        while sent < out.count {
            let n = out[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw StoreError.missingField("write") }
            sent += n
        }
        // Headers, then Content-Length bytes.
        var headerEnd: Int?
        while true {
            if let e = find(Array("\r\n\r\n".utf8)) { headerEnd = e; break }
            try fill()
        }
        let headerText = String(decoding: buffer[..<headerEnd!], as: UTF8.self)
        let status = Int(headerText.split(separator: " ").dropFirst().first ?? "") ?? 0
        var length = 0
        for line in headerText.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
            length = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 0
        }
        let start = headerEnd! + 4
        while buffer.count < start + length { try fill() }
        let bodyOut = Array(buffer[start..<start + length])
        buffer.removeFirst(start + length)
        return Reply(status: status, body: bodyOut)
    }

    private func find(_ pattern: [UInt8]) -> Int? {
        guard buffer.count >= pattern.count else { return nil }
        for i in 0...(buffer.count - pattern.count) where buffer[i] == pattern[0] && Array(buffer[i..<i + pattern.count]) == pattern {
            return i
        }
        return nil
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 16384)
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { throw StoreError.missingField("read") }
        buffer.append(contentsOf: chunk[..<n])
    }
}
