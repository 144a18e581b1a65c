import Foundation
import PaknCore
import PaknDemo
import PaknStoreAPI

/// Many clerks at once (`pakn bench --sessions N --seconds S`): N sessions, each a thread
/// with its own session as an official (officials taken in turn when there are fewer than
/// N), doing a working day's mix for S seconds:
///
/// - everyone: a page of their open queue (`page`), one case of it opened with its history
///   (`open`), a search of two words (`search`), the title counts (`counts`);
/// - clerks: a routed case of their units assigned to a handler of its handling unit
///   (`assign`), with the version they read (a clerk who lost the race gets an honest
///   conflict);
/// - handlers: a case assigned to them started (`start`), or answered (`reply`), with the
///   version they read.
///
/// Each action is timed; every error is kept by kind. An honest conflict (`StoreError.conflict`,
/// someone else changed the case since it was read, or the action no longer allowed on
/// it) is counted apart. What succeeded is counted per case, so that the caller can check
/// that the database holds exactly that many new events per case (no lost update).
public enum LoadTest {
    public struct Report: Sendable {
        public var sessions: Int
        public var seconds: Double
        public var stats: [String: BenchStat]
        /// Honest conflicts: the case changed since it was read.
        public var conflicts: Int
        /// Anything else, by its text (the report must show none).
        public var errors: [String: Int]
        /// Successful writes per case id.
        public var writes: [Int64: Int]
        public var actions: Int { stats.values.reduce(0) { $0 + $1.samples.count } }
        public var throughput: Double { seconds > 0 ? Double(actions) / seconds : 0 }
        public var writeCount: Int { writes.values.reduce(0, +) }
    }

    /// An official the load test may sign in as, with the work waiting for them: for a
    /// clerk the routed cases of their office, for a handler the cases assigned to them.
    public struct Candidate: Sendable, Equatable {
        public var login: String
        public var role: Role
        /// The office: a department's parent unit, or the unit itself.
        public var office: Int64
        public var work: Int
        public init(login: String, role: Role, office: Int64, work: Int) {
            self.login = login; self.role = role; self.office = office; self.work = work
        }
    }

    /// The sign-in order: teams that can work together, busiest first. Each clerk (most
    /// routed cases first) is followed by the handlers of their office (most cases first),
    /// so that the first N sessions hold clerks with cases to assign and the handlers they
    /// can assign them to; then the handlers of offices without a clerk, then the rest.
    public static func teams(_ candidates: [Candidate]) -> [String] {
        func busiest(_ a: Candidate, _ b: Candidate) -> Bool { a.work != b.work ? a.work > b.work : a.login < b.login }
        let clerks = candidates.filter { $0.role == .clerk }.sorted(by: busiest)
        let handlers = Dictionary(grouping: candidates.filter { $0.role == .handler }, by: \.office).mapValues { $0.sorted(by: busiest) }
        var order: [String] = []
        var seen = Set<String>()
        func take(_ c: Candidate) { if seen.insert(c.login).inserted { order.append(c.login) } }
        for clerk in clerks {
            take(clerk)
            for h in handlers[clerk.office] ?? [] { take(h) }
        }
        for h in candidates.filter({ $0.role == .handler }).sorted(by: busiest) { take(h) }
        for c in candidates.sorted(by: busiest) { take(c) }
        return order
    }

    /// The actions in display order.
    public static let actions = ["page", "open", "search", "counts", "assign", "start", "reply"]
    static let words = ["ngap nuoc", "rac thai", "den duong", "via he", "cay xanh", "tieng on", "duong ngap", "nuoc thai"]

    private final class Shared: @unchecked Sendable {
        let lock = NSLock()
        var samples: [String: [Double]] = [:]
        var conflicts = 0
        var errors: [String: Int] = [:]
        var writes: [Int64: Int] = [:]
        func merge(_ s: [String: [Double]], conflicts c: Int, errors e: [String: Int], writes w: [Int64: Int]) {
            lock.lock(); defer { lock.unlock() }
            for (k, v) in s { samples[k, default: []] += v }
            conflicts += c
            for (k, v) in e { errors[k, default: 0] += v }
            for (k, v) in w { writes[k, default: 0] += v }
        }
    }

    /// Runs the mix. `open` opens an official's session (called once per thread, before
    /// the clock starts); `handlers` are the handlers' ids by unit id, for assigning.
    public static func run(open: @escaping @Sendable (String) throws -> any StoreSession, logins: [String], sessions: Int,
                           seconds: Double, seed: UInt64) throws -> Report {
        precondition(!logins.isEmpty && sessions > 0)
        var opened: [any StoreSession] = []
        for i in 0..<sessions { opened.append(try open(logins[i % logins.count])) }
        var handlers: [Int64: [Int64]] = [:]
        for s in opened where s.official.role == .handler { handlers[s.official.unitId, default: []].append(s.official.id) }
        for k in handlers.keys { handlers[k] = Array(Set(handlers[k]!)).sorted() }
        let handlersByUnit = handlers
        let shared = Shared()
        let start = Date()
        let deadline = start.addingTimeInterval(seconds)
        let group = DispatchGroup()
        for (i, session) in opened.enumerated() {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                var rng = SeededRandom(seed: seed &+ UInt64(i) &* 7919)
                var samples: [String: [Double]] = [:]
                var conflicts = 0
                var errors: [String: Int] = [:]
                var writes: [Int64: Int] = [:]
                func timed<T>(_ name: String, _ body: () throws -> T) throws -> T {
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    let v = try body()
                    samples[name, default: []].append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
                    return v
                }
                let me = session.official
                while Date() < deadline {
                    do {
                        let r = Int.random(in: 0..<100, using: &rng)
                        if r < 30 || (r >= 70 && me.role != .clerk && me.role != .handler) {
                            let rows = try timed("page") {
                                try session.queue(QueueQuery(filter: QueueFilter(openOnly: true), limit: 50))
                            }
                            if let row = rows.randomElement(using: &rng) {
                                _ = try timed("open") {
                                    (try session.detail(caseRef: row.code), try session.history(caseRef: row.code))
                                }
                            }
                        } else if r < 55 {
                            let text = words.randomElement(using: &rng)!
                            _ = try timed("search") { try session.queue(QueueQuery(filter: QueueFilter(text: text), limit: 50)) }
                        } else if r < 70 {
                            _ = try timed("counts") { try session.counts() }
                        } else if me.role == .clerk {
                            let rows = try session.queue(QueueQuery(filter: QueueFilter(statuses: [.routed]), limit: 20))
                            guard let row = rows.randomElement(using: &rng) else { continue }
                            let c = try session.resolveCase(row.code)
                            guard let u = c.unitId, let h = handlersByUnit[u]?.randomElement(using: &rng) else { continue }
                            let done = try timed("assign") {
                                try session.perform(.assign(officialId: h), on: c.code, expectedVersion: c.version)
                            }
                            writes[done.id, default: 0] += 1
                        } else {
                            let rows = try session.queue(QueueQuery(filter: QueueFilter(statuses: [.assigned, .inProgress], assigneeId: me.id),
                                                                    limit: 20))
                            guard let row = rows.randomElement(using: &rng) else { continue }
                            let c = try session.resolveCase(row.code)
                            let allowed = try session.allowedActions(for: c)
                            let done: Case
                            if allowed.contains(.reply) && c.status == .inProgress {
                                let text = "Đơn vị đã kiểm tra và xử lý xong nội dung phản ánh \(c.code). Trân trọng cảm ơn."
                                done = try timed("reply") { try session.perform(.reply(text: text), on: c.code, expectedVersion: c.version) }
                            } else if allowed.contains(.start) {
                                done = try timed("start") { try session.perform(.start, on: c.code, expectedVersion: c.version) }
                            } else { continue }
                            writes[done.id, default: 0] += 1
                        }
                    } catch let e as StoreError {
                        if case .conflict = e { conflicts += 1 } else { errors[e.text(.en), default: 0] += 1 }
                    } catch let l as Localized {
                        errors[l.text(.en), default: 0] += 1
                    } catch {
                        errors["\(error)", default: 0] += 1
                    }
                }
                shared.merge(samples, conflicts: conflicts, errors: errors, writes: writes)
            }
            thread.stackSize = 4 << 20
            thread.start()
        }
        group.wait()
        let elapsed = Date().timeIntervalSince(start)
        return Report(sessions: sessions, seconds: elapsed, stats: shared.samples.mapValues(BenchStat.init),
                      conflicts: shared.conflicts, errors: shared.errors, writes: shared.writes)
    }
}
