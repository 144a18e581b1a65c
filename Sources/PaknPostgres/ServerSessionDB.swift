import Foundation
import NIOConcurrencyHelpers
import PaknCore
import PaknStoreAPI
import PostgresNIO

/// The session engine's connection: the store protocols are synchronous, so every statement
/// is sent on the driver's event loop and waited for (`EventLoopFuture.wait`, on the
/// caller's thread: never an event loop's, never a task the driver needs). One statement at
/// a time per session (a lock), and a transaction holds the lock from BEGIN to COMMIT.
///
/// **A lost connection** (the server restarted, the backend terminated, the network gone)
/// is told as one sentence (`pg.server.lost`) and never retried where that could write
/// twice: a transaction that was under way when the connection broke was rolled back by the
/// server, and is not sent again. The next statement reconnects (the same URL, so the same
/// role): a read outside a transaction, or a transaction that had not begun, is sent again
/// at once on the new connection; while the server is away, attempts are spaced out
/// (`backoff`, doubling from half a second to 8 seconds) so that a desk left open does not
/// hammer a server that is starting up.
final class ServerDB: @unchecked Sendable {
    let url: ServerURL
    private var connection: PostgresConnection?
    private let logger: Logger
    /// Recursive: a transaction's body reads through the same connection (and thread).
    private let lock = NSRecursiveLock()
    /// When the connection broke and was not yet made again: the next attempt not before
    /// `retryAt` (uptime seconds); `backoff` the wait after a failed attempt.
    private var retryAt: TimeInterval = 0
    private var backoff: TimeInterval = 0.5
    /// How many times the connection was made again after it broke (tests, the desk).
    private(set) var reconnects = 0
    /// Transactions and savepoints open (under the lock).
    private var depth = 0
    /// The statements prepared on `connection` (`PREPARE`), by name; forgotten with it.
    private var preparedNames: Set<String> = []
    private var preparedOn: ObjectIdentifier?

    private init(url: ServerURL, connection: PostgresConnection, logger: Logger) {
        self.url = url
        self.connection = connection
        self.logger = logger
    }

    static func connect(_ url: ServerURL) throws -> ServerDB {
        var logger = Logger(label: "pakn.postgres.session")
        logger.logLevel = .critical
        return ServerDB(url: url, connection: try open(url, logger: logger), logger: logger)
    }

    static func open(_ url: ServerURL, logger: Logger) throws -> PostgresConnection {
        var config: PostgresConnection.Configuration
        switch url.endpoint {
        case .socket(let path):
            config = .init(unixSocketPath: path, username: url.user, password: url.password, database: url.database)
        case .tcp(let host, let port):
            config = .init(host: host, port: port, username: url.user, password: url.password, database: url.database,
                           tls: try ServerConnection.tls(url))
        }
        config.options.connectTimeout = .seconds(10)
        // No JIT compilation: the row-level security policies make every plan look costly,
        // so the server compiled each desk query (a page of a search: 26 ms to run, 325 ms to
        // compile), and a desk's queries are short.
        config.options.additionalStartupParameters = [("jit", "off")]
        do {
            return try PostgresConnection.connect(on: PostgresConnection.defaultEventLoopGroup.any(), configuration: config,
                                                  id: 2, logger: logger).wait()
        } catch {
            throw ServerError.connecting(error, url)
        }
    }

    func close() {
        lock.withLock {
            if let c = connection { try? Self.answer(c.close(), isClosed: { c.isClosed }) }
            connection = nil
        }
    }

    /// Whether the connection is known to be broken (the next statement will try again).
    var isBroken: Bool { lock.withLock { connection == nil || connection!.isClosed } }

    /// The open connection, made again if it broke (not before the backoff allows).
    private func live() throws -> PostgresConnection {
        if let c = connection, !c.isClosed { return c }
        if let c = connection { try? Self.answer(c.close(), isClosed: { c.isClosed }); connection = nil }
        let t = ProcessInfo.processInfo.systemUptime
        guard t >= retryAt else { throw Message("pg.server.lost", L10n.t("pg.server.reconnecting", .en)) }
        do {
            let c = try Self.open(url, logger: logger)
            connection = c
            reconnects += 1
            backoff = 0.5
            retryAt = 0
            return c
        } catch {
            retryAt = t + backoff
            backoff = min(backoff * 2, 8)
            throw error
        }
    }

    /// Runs one statement and returns its rows (each as random access by column index).
    /// A read that finds the connection broken is sent once more on a new one.
    func rows(_ sql: String, _ b: Binds = Binds()) throws -> [PostgresRandomAccessRow] {
        try readOnceMore { try unlockedRows(sql, b) }
    }

    /// A read, under the lock, sent once more on a new connection when it finds the
    /// connection broken; the driver's error given as pakn's message.
    private func readOnceMore(_ read: () throws -> [PostgresRandomAccessRow]) throws -> [PostgresRandomAccessRow] {
        try lock.withLock {
            do {
                return try read()
            } catch let e as SessionDBError where e.isConnectionLost {
                do { return try read() } catch let e as SessionDBError { throw e.message }
            } catch let e as SessionDBError { throw e.message }
        }
    }

    /// A statement the desk runs at every step (a case, its history, its attachments),
    /// prepared once on the connection (`PREPARE name(types) AS sql`) and run as `EXECUTE
    /// name(args)`: the server plans it once, not at every call (with row-level security,
    /// planning cost 1–2 ms a statement). `args` are SQL literals the caller made (numbers,
    /// or `ServerSchema.literal`). A read that finds the connection broken is sent once
    /// more on a new one (prepared again there).
    func prepared(_ statement: PreparedStatement, _ args: [String]) throws -> [PostgresRandomAccessRow] {
        try readOnceMore { try unlockedPrepared(statement, args) }
    }

    struct PreparedStatement: Sendable {
        let name: String
        /// `(bigint, text) AS SELECT …`
        let definition: String
    }

    fileprivate func unlockedPrepared(_ statement: PreparedStatement, _ args: [String]) throws -> [PostgresRandomAccessRow] {
        let conn = try live()
        if preparedOn != ObjectIdentifier(conn) {
            preparedNames = []
            preparedOn = ObjectIdentifier(conn)
        }
        if !preparedNames.contains(statement.name) {
            _ = try unlockedRows("PREPARE \(statement.name)\(statement.definition)", Binds())
            preparedNames.insert(statement.name)
        }
        return try unlockedRows("EXECUTE \(statement.name)(\(args.joined(separator: ", ")))", Binds())
    }

    private func unlockedRows(_ sql: String, _ b: Binds) throws -> [PostgresRandomAccessRow] {
        let conn = try live()
        do {
            let result = try Self.answer(conn.query(PostgresQuery(unsafeSQL: sql, binds: b.bindings), logger: logger),
                                         isClosed: { conn.isClosed })
            return result.rows.map { $0.makeRandomAccess() }
        } catch {
            let e = SessionDBError(error)
            if e.isConnectionLost {
                // Forget it: the next statement makes a new one (the server rolled back
                // whatever transaction was open on this one).
                try? Self.answer(conn.close(), isClosed: { conn.isClosed })
                connection = nil
            }
            throw e
        }
    }

    func one(_ sql: String, _ b: Binds = Binds()) throws -> PostgresRandomAccessRow? { try rows(sql, b).first }

    /// A read the server gives at most `milliseconds` (`SET LOCAL statement_timeout` in a
    /// transaction of its own): its rows, or nil when the server cancelled it for taking
    /// longer (SQLSTATE 57014). Inside another transaction it runs without a budget.
    func rows(within milliseconds: Int, _ sql: String, _ b: Binds = Binds()) throws -> [PostgresRandomAccessRow]? {
        try lock.withLock {
            if depth > 0 { return try unlockedRows(sql, b) }
            _ = try readOnceMore { try unlockedRows("BEGIN", Binds()) }
            do {
                _ = try unlockedRows("SET LOCAL statement_timeout = \(max(1, milliseconds))", Binds())
                let r = try unlockedRows(sql, b)
                _ = try unlockedRows("COMMIT", Binds())
                return r
            } catch let e as SessionDBError {
                if !e.isConnectionLost { _ = try? unlockedRows("ROLLBACK", Binds()) }
                if e.sqlState == "57014" { return nil }
                throw e.message
            }
        }
    }

    /// `body` in one transaction (`isolation`), retried up to 5 times on a serialization
    /// failure or deadlock (SQLSTATE 40001, 40P01): all of it is written, or none. A
    /// connection found broken at BEGIN is made again and the transaction begun on the new
    /// one; a connection lost after BEGIN ends it with `pg.server.lost` (the server rolled
    /// it back), never sent again.
    ///
    /// Inside another transaction (an import writing many intakes in one), `body` runs in a
    /// savepoint instead: a failure rolls back to it and leaves the outer transaction usable;
    /// the outer one decides whether anything is committed (and retries nothing).
    func transaction<T>(serializable: Bool = false, _ body: (Tx) throws -> T) throws -> T {
        try lock.withLock {
            if depth > 0 { return try savepoint(body) }
            depth += 1
            defer { depth -= 1 }
            var attempt = 0
            while true {
                attempt += 1
                let begin = serializable ? "BEGIN ISOLATION LEVEL SERIALIZABLE" : "BEGIN"
                do {
                    _ = try unlockedRows(begin, Binds())
                } catch let e as SessionDBError where e.isConnectionLost {
                    do { _ = try unlockedRows(begin, Binds()) } catch let e as SessionDBError { throw e.message }
                } catch let e as SessionDBError { throw e.message }
                do {
                    let v = try body(Tx(db: self))
                    _ = try unlockedRows("COMMIT", Binds())
                    return v
                } catch {
                    let lost = (error as? SessionDBError)?.isConnectionLost ?? (connection == nil)
                    if !lost { _ = try? unlockedRows("ROLLBACK", Binds()) }
                    if let e = error as? SessionDBError, ["40001", "40P01", "23505"].contains(e.sqlState ?? ""), attempt < 5 {
                        continue
                    }
                    throw (error as? SessionDBError)?.message ?? error
                }
            }
        }
    }

    /// `body` in a savepoint of the open transaction (the lock is held).
    private func savepoint<T>(_ body: (Tx) throws -> T) throws -> T {
        let name = "pakn_sp\(depth)"
        do { _ = try unlockedRows("SAVEPOINT \(name)", Binds()) } catch let e as SessionDBError { throw e.message }
        depth += 1
        defer { depth -= 1 }
        do {
            let v = try body(Tx(db: self))
            _ = try unlockedRows("RELEASE SAVEPOINT \(name)", Binds())
            return v
        } catch {
            if connection != nil { _ = try? unlockedRows("ROLLBACK TO SAVEPOINT \(name)", Binds()) }
            throw (error as? SessionDBError)?.message ?? error
        }
    }

    /// Statements inside a transaction (the lock is already held).
    struct Tx {
        let db: ServerDB
        func rows(_ sql: String, _ b: Binds = Binds()) throws -> [PostgresRandomAccessRow] { try db.unlockedRows(sql, b) }
        func one(_ sql: String, _ b: Binds = Binds()) throws -> PostgresRandomAccessRow? { try rows(sql, b).first }
        func prepared(_ statement: PreparedStatement, _ args: [String]) throws -> [PostgresRandomAccessRow] {
            try db.unlockedPrepared(statement, args)
        }
    }
}

/// A driver error kept with its SQLSTATE (a retry decides on it); shown as pakn's message.
extension ServerDB {
    /// The answer of `future`, waited for, unless the connection closes under it: if
    /// `isClosed` still says so a second after it first did and no answer has come, the
    /// statement is given up as lost (`ConnectionClosedUnderStatement`, a lost connection:
    /// the next statement makes a new one). Seen once: a read sent as the server ended the
    /// session (`pg_terminate_backend`) waited for ever in the driver. A statement that
    /// merely runs long on a live connection is waited for as long as it runs.
    static func answer<T>(_ future: EventLoopFuture<T>, isClosed: () -> Bool, poll: Double = 0.25, grace: Double = 1) throws -> T {
        let done = DispatchSemaphore(value: 0)
        future.whenComplete { _ in done.signal() }
        var closedSince: Double?
        while done.wait(timeout: .now() + poll) == .timedOut {
            guard isClosed() else { closedSince = nil; continue }
            let now = ProcessInfo.processInfo.systemUptime
            if let since = closedSince {
                if now - since >= grace { throw ConnectionClosedUnderStatement() }
            } else {
                closedSince = now
            }
        }
        return try future.wait()
    }
}

/// The connection closed and the statement's answer never came (`ServerDB.answer`).
struct ConnectionClosedUnderStatement: Error, CustomStringConvertible {
    var description: String { "the connection closed before the statement was answered" }
}

struct SessionDBError: Error {
    let underlying: any Error
    init(_ e: any Error) { underlying = e }
    var sqlState: String? { ServerError.sqlState(underlying) }
    /// The connection is gone (closed, reset, the backend terminated or the server shutting
    /// down: SQLSTATE class 57P): whatever transaction was open on it was rolled back.
    var isConnectionLost: Bool { ServerError.isConnectionLost(underlying) }
    var message: any Error { ServerError.statement(underlying) }
}

/// Bound parameters, numbered as they are added (`$1`, `$2`, …).
struct Binds {
    var bindings = PostgresBindings()
    private(set) var count = 0

    mutating func add(_ v: some PostgresDynamicTypeEncodable) -> String {
        bindings.append(v)
        count += 1
        return "$\(count)"
    }

    mutating func add<T: PostgresDynamicTypeEncodable>(_ v: T?) -> String {
        bindings.append(v)
        count += 1
        return "$\(count)"
    }
}

extension PostgresRandomAccessRow {
    func int(_ i: Int) throws -> Int64 { try self[i].decode(Int64.self) }
    func intOpt(_ i: Int) throws -> Int64? { try self[i].decode(Int64?.self) }
    func str(_ i: Int) throws -> String { try self[i].decode(String.self) }
    func strOpt(_ i: Int) throws -> String? { try self[i].decode(String?.self) }
    func bool(_ i: Int) throws -> Bool { try self[i].decode(Bool.self) }
    func dbl(_ i: Int) throws -> Double? { try self[i].decode(Double?.self) }
}
