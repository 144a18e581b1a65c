import Foundation
import GRDB

/// Concurrent writes of one process, committed together (group commit).
///
/// Every commit of the writer waits for the disk (`synchronous = FULL`: the WAL is synced
/// before the commit returns). That wait, not the work, bounds how many intakes a second
/// `pakn serve` takes when many portals post at once: one sync a commit. Writes that
/// arrive while one commit is under way are queued; the next write runs them all in one
/// IMMEDIATE transaction, each in its own savepoint, and syncs once.
///
/// Each write is still all or nothing on its own: one that throws is rolled back to its
/// savepoint and gets its own error; the others commit. When the transaction itself is lost
/// (SQLite rolled it back after a failed write: a full disk, an I/O error) or its commit
/// fails, every write of the batch gets that error and none is written. A write's caller
/// returns only after its batch committed.
///
/// The first caller to find no batch running leads: it runs the queue (its own write first,
/// up to `maxBatch`), wakes those it ran, and hands the lead to the next waiting caller, so no
/// caller waits longer than the batch before its own.
final class GroupCommit: @unchecked Sendable {
    static let maxBatch = 64

    private final class Item {
        let body: (Database) throws -> Any
        var result: Result<Any, Error>?
        var lead = false
        let wake = DispatchSemaphore(value: 0)
        init(_ body: @escaping (Database) throws -> Any) { self.body = body }
    }

    private let lock = NSLock()
    private var waiting: [Item] = []
    private var leading = false
    private var transactions = 0

    /// Writes queued behind the running batch, and transactions run so far (for tests).
    var queued: Int { lock.withLock { waiting.count } }
    var transactionCount: Int { lock.withLock { transactions } }

    /// Runs `body` in a savepoint of a shared write transaction through `pool`; errors of
    /// SQLite are given as `translate` makes them.
    func write<T>(_ pool: () throws -> DatabasePool, translate: @escaping (DatabaseError) -> Error,
                  _ body: @escaping (Database) throws -> T) throws -> T {
        let me = Item { try body($0) }
        let leadNow: Bool = lock.withLock {
            waiting.append(me)
            if leading { return false }
            leading = true
            return true
        }
        if !leadNow {
            me.wake.wait()
        }
        if me.result == nil {
            // Led: run batches until this caller's write has run (the first one holds it).
            while me.result == nil {
                let batch: [Item] = lock.withLock {
                    let b = Array(waiting.prefix(Self.maxBatch))
                    waiting.removeFirst(b.count)
                    return b
                }
                run(batch, pool: pool, translate: translate)
                for item in batch where item !== me { item.wake.signal() }
            }
            lock.withLock {
                if let next = waiting.first {
                    next.lead = true
                    next.wake.signal()
                } else {
                    leading = false
                }
            }
        }
        switch me.result! {
        case let .success(v): return v as! T
        case let .failure(e): throw e
        }
    }

    /// One transaction for the batch, a savepoint a write.
    private func run(_ batch: [Item], pool: () throws -> DatabasePool, translate: (DatabaseError) -> Error) {
        guard !batch.isEmpty else { return }
        lock.withLock { transactions += 1 }
        func mapped(_ e: Error) -> Error { (e as? DatabaseError).map(translate) ?? e }
        do {
            try pool().write { db in
                for item in batch {
                    guard db.isInsideTransaction else { break }
                    var value: Any?
                    do {
                        try db.inSavepoint {
                            value = try item.body(db)
                            return .commit
                        }
                        item.result = .success(value as Any)
                    } catch {
                        item.result = .failure(mapped(error))
                    }
                }
                // SQLite gave up the whole transaction after a failed write: nothing of the
                // batch will be committed, whatever its savepoints said.
                if !db.isInsideTransaction { throw GroupCommitLost() }
            }
        } catch let lost as GroupCommitLost {
            let cause = batch.lazy.compactMap { item -> Error? in
                if case let .failure(e) = item.result { return e } else { return nil }
            }.first ?? lost
            for item in batch { item.result = .failure(cause) }
        } catch {
            for item in batch { item.result = .failure(mapped(error)) }
        }
    }
}

/// The batch's transaction was rolled back by SQLite under its writes.
struct GroupCommitLost: Error {}
