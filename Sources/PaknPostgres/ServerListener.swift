import Foundation
import PaknCore
import PostgresNIO

/// A session's second connection, logged in as the same role, that `LISTEN`s on
/// `pakn_case`: the server sends `NOTIFY pakn_case, '<id> <version>'` when a transaction
/// that changed a case commits (migration `v2-counts-notify`). Each notification only
/// counts (`notices`) and wakes those waiting (`wait`): what changed is read afresh through
/// the session's own connection, under its row-level security, so a notice about a case
/// outside the official's units shows them nothing.
///
/// When the connection breaks (a server restart) it is made again, waiting half a second
/// and doubling up to 8 seconds between attempts, until the session closes; a notice is
/// counted on every new connection, since commits may have been missed meanwhile.
///
/// It runs on a thread of its own with the driver's future-based calls, not as a Swift
/// task: a task waits for a free thread of the cooperative pool, which a process whose
/// threads are all blocked in synchronous calls (the tests', on 2 cores) never gives it.
final class ServerListener: @unchecked Sendable {
    static let channel = "pakn_case"
    private let cond = NSCondition()
    private var count = 0
    private var listening = false
    private var stopped = false
    private var connection: PostgresConnection?

    /// Starts listening and waits (at most `timeout`) until the `LISTEN` is in place, so
    /// that a commit made after the session opened is never missed. A server that refuses
    /// is no reason to refuse the session: the desk still polls `dataVersion()`.
    init(url: ServerURL, timeout: TimeInterval = 5) {
        let thread = Thread { self.run(url: url) }  // held until `stop`
        thread.name = "pakn.listen"
        thread.start()
        cond.lock()
        let deadline = Date().addingTimeInterval(timeout)
        while !listening, cond.wait(until: deadline) {}
        cond.unlock()
    }

    /// The thread: listens until stopped (the session's `close` or `deinit` calls `stop`).
    private func run(url: ServerURL) {
        var backoff = 0.5
        var first = true
        var logger = Logger(label: "pakn.postgres.listen")
        logger.logLevel = .critical
        while !isStopped {
            if let conn = try? ServerDB.open(url, logger: logger) {
                backoff = 0.5
                conn.addListener(channel: Self.channel) { [weak self] _, _ in self?.notice() }
                if (try? conn.query(PostgresQuery(unsafeSQL: "LISTEN \(Self.channel)"), logger: logger).wait()) != nil,
                   started(conn, reconnected: !first) {
                    first = false
                    try? conn.closeFuture.wait()
                }
                try? conn.close().wait()
            }
            lost()
            guard !isStopped else { return }
            Thread.sleep(forTimeInterval: backoff)
            backoff = min(backoff * 2, 8)
        }
    }

    deinit { stop() }

    /// Ends listening: closes the connection, and the thread ends.
    func stop() {
        cond.lock()
        stopped = true
        let c = connection
        cond.unlock()
        if let c { let _: EventLoopFuture<Void> = c.close() }
    }

    private var isStopped: Bool { cond.lock(); defer { cond.unlock() }; return stopped }

    /// The LISTEN is in place on `conn`; false when stopped meanwhile.
    private func started(_ conn: PostgresConnection, reconnected: Bool) -> Bool {
        cond.lock()
        defer { cond.unlock() }
        guard !stopped else { return false }
        connection = conn
        listening = true
        if reconnected { count += 1 }
        cond.broadcast()
        return true
    }

    fileprivate func notice() {
        cond.lock()
        count += 1
        cond.broadcast()
        cond.unlock()
    }

    private func lost() {
        cond.lock()
        listening = false
        connection = nil
        cond.unlock()
    }

    /// The notifications received so far (and reconnections, which may hide some).
    var notices: Int { cond.lock(); defer { cond.unlock() }; return count }

    /// Whether the `LISTEN` is in place now.
    var isListening: Bool { cond.lock(); defer { cond.unlock() }; return listening }

    /// Waits until more than `seen` notices have come, at most until `deadline`; returns
    /// the count then.
    func wait(after seen: Int, until deadline: Date) -> Int {
        cond.lock()
        defer { cond.unlock() }
        while count <= seen, cond.wait(until: deadline) {}
        return count
    }
}
