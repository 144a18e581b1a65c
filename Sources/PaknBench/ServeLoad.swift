import Foundation
import PaknDemo
#if canImport(Glibc)
import Glibc
#endif

/// The load of `pakn bench --serve`: `clients` keep-alive connections, each a client that posts
/// an intake (every tenth sent again with the same Idempotency-Key) and then reads cases,
/// served by two threads that wait on all their connections at once (`poll`), as a load
/// generator such as wrk does. The clients share the processor with the service: a thread
/// each (the first form of this load) spent it on 200 threads' wake-ups.
enum ServeLoad {
    /// What one client does next.
    enum Step { case intake, retry, read(Int) }

    final class Client {
        let index: Int
        let fd: Int32
        let stats: ServeBench.ClientStats
        var rng: SeededRandom
        var n = 0
        var step = Step.intake
        var body: [UInt8] = []
        var idem = ""
        var code: String?
        /// Sent and not yet answered: what, and the time its latency counts from.
        var pending: Step?
        var started: UInt64 = 0
        /// When the next request is due (paced), or 0 (send at once).
        var due: UInt64 = 0
        var received: [UInt8] = []

        init(index: Int, fd: Int32, stats: ServeBench.ClientStats) {
            self.index = index
            self.fd = fd
            self.stats = stats
            rng = SeededRandom(seed: UInt64(index + 1))
        }

        deinit { close(fd) }
    }

    struct Plan {
        var port: Int
        var key: String
        var ward: String?
        var services: [String]
        var existing: [String]
        var readsPerIntake: Int
        /// Nanoseconds between one client's requests (paced), or nil.
        var interval: UInt64?
        var start: UInt64
        var deadline: UInt64
    }

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// Where client `client` starts its round (an intake, then `readsPerIntake` reads): it
    /// reads `client mod (readsPerIntake + 1)` cases before its first intake, so the clients'
    /// intakes are spread over the round. Started all at the intake, paced clients stayed in
    /// step: every one posted in the same interval, a burst of 200 intakes every round (every
    /// 0.4 s at 500 a second), and intakes waited for the burst ahead of them.
    static func firstStep(client: Int, readsPerIntake: Int) -> Step {
        let before = client % (readsPerIntake + 1)
        return before == 0 ? .intake : .read(readsPerIntake - before)
    }

    static func connect(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { close(fd); return nil }
        return fd
    }

    /// Runs the clients `indices` on this thread until the deadline, then waits (up to 30 s)
    /// for the replies still owed.
    static func run(_ indices: [Int], plan: Plan, stats: [ServeBench.ClientStats]) {
        var clients: [Client] = []
        for i in indices {
            guard let fd = connect(port: plan.port) else { stats[i].fail("connect"); continue }
            let c = Client(index: i, fd: fd, stats: stats[i])
            c.step = firstStep(client: i, readsPerIntake: plan.readsPerIntake)
            // Paced clients are also staggered across one interval.
            if let iv = plan.interval { c.due = plan.start + iv * UInt64(i) / UInt64(max(1, stats.count)) }
            clients.append(c)
        }
        var chunk = [UInt8](repeating: 0, count: 16384)
        var fds: [pollfd] = []
        var owners: [Client] = []
        let giveUp = plan.deadline + 30_000_000_000
        while true {
            let t = now()
            var nextDue = UInt64.max
            var owed = 0
            for c in clients where c.pending == nil {
                guard t < plan.deadline else { continue }
                if c.due <= t {
                    if !send(c, plan: plan, at: plan.interval == nil ? t : c.due) { clients.removeAll { $0 === c }; break }
                } else {
                    nextDue = min(nextDue, c.due)
                }
            }
            fds.removeAll(keepingCapacity: true)
            owners.removeAll(keepingCapacity: true)
            for c in clients where c.pending != nil {
                fds.append(pollfd(fd: c.fd, events: Int16(POLLIN), revents: 0))
                owners.append(c)
                owed += 1
            }
            if t >= plan.deadline && owed == 0 { break }
            if t >= giveUp { for c in owners { c.stats.fail("no reply") }; break }
            if fds.isEmpty && nextDue == UInt64.max { break }
            let wait = nextDue == UInt64.max ? 10 : Int32(min(10, max(1, (nextDue &- t) / 1_000_000 + 1)))
            let ready = poll(&fds, nfds_t(fds.count), nextDue <= t ? 0 : wait)
            guard ready > 0 else { continue }
            for (k, p) in fds.enumerated() where p.revents != 0 {
                let c = owners[k]
                let got = chunk.withUnsafeMutableBytes { read(c.fd, $0.baseAddress, $0.count) }
                guard got > 0 else {
                    c.stats.fail("read")
                    clients.removeAll { $0 === c }
                    continue
                }
                c.received.append(contentsOf: chunk[..<got])
                received(c, plan: plan)
            }
        }
    }

    /// Sends the client's next request; false: the connection is gone.
    static func send(_ c: Client, plan: Plan, at started: UInt64) -> Bool {
        var method = "GET", path = "", headers: [(String, String)] = [], body: [UInt8] = []
        switch c.step {
        case .intake:
            c.n += 1
            let service = plan.services.isEmpty ? "traffic" : plan.services[Int.random(in: 0..<plan.services.count, using: &c.rng)]
            var text = "service_code=\(service)&description=Bench+\(c.index)-\(c.n)&address_string=S%E1%BB%91+\(c.n)"
            if let ward = plan.ward { text += "&attribute%5Bward%5D=\(ward)" }
            c.body = Array(text.utf8)
            c.idem = "bench-\(c.index)-\(c.n)"
            c.code = nil
            fallthrough
        case .retry:
            method = "POST"
            path = "/requests.json"
            body = c.body
            headers = [("X-Api-Key", plan.key), ("Idempotency-Key", c.idem), ("Content-Type", "application/x-www-form-urlencoded")]
        case let .read(k):
            // The first read of a round is of the case just posted; before the first intake
            // there is none, and an existing case is read.
            let own = k == 0 && c.code != nil
            let target = own || plan.existing.isEmpty ? (c.code ?? "X")
                : plan.existing[Int.random(in: 0..<plan.existing.count, using: &c.rng)]
            path = "/requests/\(target).json"
        }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(body.count)\r\n"
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        head += "\r\n"
        let out = Array(head.utf8) + body
        var sent = 0
        while sent < out.count {
            let n = out[sent...].withUnsafeBytes { write(c.fd, $0.baseAddress, $0.count) }
            guard n > 0 else { c.stats.fail("send"); return false }
            sent += n
        }
        c.pending = c.step
        c.started = started
        return true
    }

    /// Reads a reply when it is whole: records it and plans the client's next request.
    static func received(_ c: Client, plan: Plan) {
        let end = headerEnd(c.received, from: 0)
        guard end >= 0, let step = c.pending else { return }
        let (status, length) = statusAndLength(c.received[..<end])
        guard c.received.count >= end + 4 + length else { return }
        let body = Array(c.received[(end + 4)..<(end + 4 + length)])
        c.received.removeFirst(end + 4 + length)
        let seconds = Double(now() &- c.started) / 1e9
        let reply = Reply(status: status, body: body)
        c.pending = nil
        switch step {
        case .intake:
            c.stats.intakeLatencies.append(seconds)
            if status == 201, let code = ServeBench.extractCode(body) { c.stats.created.append(code); c.code = code } else { c.stats.fail(reply) }
            c.step = c.n % 10 == 0 ? .retry : (plan.readsPerIntake > 0 ? .read(0) : .intake)
        case .retry:
            c.stats.intakeLatencies.append(seconds)
            c.stats.retries += 1
            if status != 200 || ServeBench.extractCode(body) != c.code { c.stats.fail(reply) }
            c.step = plan.readsPerIntake > 0 ? .read(0) : .intake
        case let .read(k):
            c.stats.readLatencies.append(seconds)
            if status != 200 { c.stats.fail(reply) }
            c.step = k + 1 < plan.readsPerIntake ? .read(k + 1) : .intake
        }
        c.due = plan.interval.map { c.due + $0 } ?? 0
    }

    struct Reply { var status: Int; var body: [UInt8] }

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

}
