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
        let interval = intakeRate.map { Double(clients) / ($0 * (1.1 + Double(readsPerIntake))) }

        let stats = (0..<clients).map { _ in ClientStats() }
        let deadline = Date().addingTimeInterval(seconds)
        let group = DispatchGroup()
        let t0 = Date()
        for i in 0..<clients {
            group.enter()
            let pace = interval.map { Pace(interval: $0, next: t0.addingTimeInterval($0 * Double(i) / Double(clients))) }
            let t = Thread {
                defer { group.leave() }
                runClient(i, port: port, key: secret, ward: ward, services: services, existing: existing,
                          readsPerIntake: readsPerIntake, until: deadline, pace: pace, stats: stats[i])
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
                      errorKinds: stats.reduce(into: [:]) { all, s in for (k, v) in s.kinds { all[k, default: 0] += v } },
                      pacedIntakeRate: intakeRate)
    }

    /// A paced client's schedule: when its next request is due.
    struct Pace {
        var interval: Double
        var next: Date
        /// Waits for the next request's planned time and returns it (the time its latency
        /// counts from); a client behind its schedule sends at once.
        mutating func due() -> Date {
            let planned = next
            next = planned.addingTimeInterval(interval)
            let wait = planned.timeIntervalSinceNow
            if wait > 0 { Thread.sleep(forTimeInterval: wait) }
            return planned
        }
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
                          readsPerIntake: Int, until deadline: Date, pace: Pace?, stats: ClientStats) {
        guard let conn = try? LoopbackHTTP(port: port) else { stats.fail("connect"); return }
        var pace = pace
        /// When the next request starts: now, or its planned time when paced.
        func start() -> Date { pace?.due() ?? Date() }
        var n = 0
        var rng = SeededRandom(seed: UInt64(i + 1))
        let intakeHeaders = ["X-Api-Key": key, "Content-Type": "application/x-www-form-urlencoded"]
        while Date() < deadline {
            n += 1
            let service = services.isEmpty ? "traffic" : services[Int.random(in: 0..<services.count, using: &rng)]
            var body = "service_code=\(service)&description=Bench+\(i)-\(n)&address_string=S%E1%BB%91+\(n)"
            if let ward { body += "&attribute%5Bward%5D=\(ward)" }
            var headers = intakeHeaders
            headers["Idempotency-Key"] = "bench-\(i)-\(n)"
            let s0 = start()
            guard let r = try? conn.send("POST", "/requests.json", body: Array(body.utf8), headers: headers) else { stats.fail("send"); return }
            stats.intakeLatencies.append(Date().timeIntervalSince(s0))
            var code: String?
            if r.status == 201, let c = extractCode(r.body) { stats.created.append(c); code = c } else { stats.fail(r) }
            if n % 10 == 0 {
                let s1 = start()
                if let again = try? conn.send("POST", "/requests.json", body: Array(body.utf8), headers: headers) {
                    stats.intakeLatencies.append(Date().timeIntervalSince(s1))
                    stats.retries += 1
                    if again.status != 200 || extractCode(again.body) != code { stats.fail(again) }
                }
            }
            for k in 0..<readsPerIntake where Date() < deadline {
                let target = k == 0 ? (code ?? "X") : (existing.isEmpty ? code ?? "X" : existing[Int.random(in: 0..<existing.count, using: &rng)])
                let s = start()
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

    /// Sends one request and reads its reply. The load's clients share the processor with
    /// the service: the reply is parsed in place (the end of the headers, the status, the
    /// Content-Length), without copies or strings.
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
        var scanned = 0
        var headerEnd = -1
        while headerEnd < 0 {
            headerEnd = Self.headerEnd(buffer, from: scanned)
            if headerEnd < 0 {
                scanned = max(0, buffer.count - 3)
                try fill()
            }
        }
        let (status, length) = Self.statusAndLength(buffer[..<headerEnd])
        let start = headerEnd + 4
        while buffer.count < start + length { try fill() }
        let bodyOut = Array(buffer[start..<start + length])
        buffer.removeFirst(start + length)
        return Reply(status: status, body: bodyOut)
    }

    /// Where "\r\n\r\n" starts in `b`, looking from `from`; -1: not yet.
    static func headerEnd(_ b: [UInt8], from: Int) -> Int {
        guard b.count >= 4 else { return -1 }
        var i = from
        while i + 3 < b.count {
            if b[i] == 13 && b[i + 1] == 10 && b[i + 2] == 13 && b[i + 3] == 10 { return i }
            i += 1
        }
        return -1
    }

    /// The status of "HTTP/1.1 201 Created" and the Content-Length header's value.
    static func statusAndLength(_ h: ArraySlice<UInt8>) -> (status: Int, length: Int) {
        func number(from i: Int) -> Int {
            var j = i, v = 0
            while j < h.endIndex && h[j] == 32 { j += 1 }
            while j < h.endIndex, h[j] >= 48, h[j] <= 57 { v = v * 10 + Int(h[j] - 48); j += 1 }
            return v
        }
        let status = h.firstIndex(of: 32).map { number(from: $0) } ?? 0
        let name = Array("content-length:".utf8)
        var length = 0
        var i = h.startIndex
        while i < h.endIndex {
            // At the start of a line: compare the header's name, ignoring case.
            if i + name.count <= h.endIndex, (0..<name.count).allSatisfy({ h[i + $0] | 0x20 == name[$0] | 0x20 }) {
                length = number(from: i + name.count)
                break
            }
            guard let nl = h[i...].firstIndex(of: 10) else { break }
            i = nl + 1
        }
        return (status, length)
    }

    private var chunk = [UInt8](repeating: 0, count: 16384)

    private func fill() throws {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { throw StoreError.missingField("read") }
        buffer.append(contentsOf: chunk[..<n])
    }
}
