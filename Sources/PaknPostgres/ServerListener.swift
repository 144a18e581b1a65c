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
final class ServerListener: @unchecked Sendable {
    static let channel = "pakn_case"
    private let cond = NSCondition()
    private var count = 0
    private var listening = false
    private var task: Task<Void, Never>?

    /// Starts listening and waits (at most `timeout`) until the `LISTEN` is in place, so
    /// that a commit made after the session opened is never missed. A server that refuses
    /// is no reason to refuse the session: the desk still polls `dataVersion()`.
    init(url: ServerURL, timeout: TimeInterval = 5) {
        task = Task.detached { [weak self] in
            var backoff = 0.5
            var first = true
            while !Task.isCancelled {
                do {
                    let conn = try await ServerConnection.connect(url)
                    backoff = 0.5
                    do {
                        try await conn.listen(Self.channel) { seq in
                            self?.ready(reconnected: !first)
                            first = false
                            for try await _ in seq {
                                guard let self else { return }
                                self.notice()
                            }
                        }
                    } catch {}
                    await conn.close()
                } catch {}
                self?.lost()
                guard self != nil, !Task.isCancelled else { return }
                try? await Task.sleep(for: .milliseconds(Int(backoff * 1000)))
                backoff = min(backoff * 2, 8)
            }
        }
        cond.lock()
        let deadline = Date().addingTimeInterval(timeout)
        while !listening, cond.wait(until: deadline) {}
        cond.unlock()
    }

    deinit { task?.cancel() }

    func stop() { task?.cancel() }

    private func ready(reconnected: Bool) {
        cond.lock()
        listening = true
        if reconnected { count += 1 }
        cond.broadcast()
        cond.unlock()
    }

    private func notice() {
        cond.lock()
        count += 1
        cond.broadcast()
        cond.unlock()
    }

    private func lost() {
        cond.lock()
        listening = false
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
