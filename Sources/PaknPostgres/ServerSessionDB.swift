import Foundation
import NIOConcurrencyHelpers
import PaknCore
import PaknStoreAPI
import PostgresNIO

/// The session engine's connection: the store protocols are synchronous, so every statement
/// is sent on the driver's event loop and waited for (`EventLoopFuture.wait`, on the
/// caller's thread: never an event loop's, never a task the driver needs). One statement at
/// a time per session (a lock), and a transaction holds the lock from BEGIN to COMMIT.
final class ServerDB: @unchecked Sendable {
    let url: ServerURL
    private let connection: PostgresConnection
    private let logger: Logger
    /// Recursive: a transaction's body reads through the same connection (and thread).
    private let lock = NSRecursiveLock()

    private init(url: ServerURL, connection: PostgresConnection, logger: Logger) {
        self.url = url
        self.connection = connection
        self.logger = logger
    }

    static func connect(_ url: ServerURL) throws -> ServerDB {
        var logger = Logger(label: "pakn.postgres.session")
        logger.logLevel = .critical
        var config: PostgresConnection.Configuration
        switch url.endpoint {
        case .socket(let path):
            config = .init(unixSocketPath: path, username: url.user, password: url.password, database: url.database)
        case .tcp(let host, let port):
            config = .init(host: host, port: port, username: url.user, password: url.password, database: url.database,
                           tls: try ServerConnection.tls(url))
        }
        config.options.connectTimeout = .seconds(10)
        do {
            let conn = try PostgresConnection.connect(on: PostgresConnection.defaultEventLoopGroup.any(), configuration: config,
                                                      id: 2, logger: logger).wait()
            return ServerDB(url: url, connection: conn, logger: logger)
        } catch {
            throw ServerError.connecting(error, url)
        }
    }

    func close() { try? connection.close().wait() }

    /// Runs one statement and returns its rows (each as random access by column index).
    func rows(_ sql: String, _ b: Binds = Binds()) throws -> [PostgresRandomAccessRow] {
        try lock.withLock {
            do { return try unlockedRows(sql, b) } catch let e as SessionDBError { throw e.message }
        }
    }

    private func unlockedRows(_ sql: String, _ b: Binds) throws -> [PostgresRandomAccessRow] {
        do {
            let result = try connection.query(PostgresQuery(unsafeSQL: sql, binds: b.bindings), logger: logger).wait()
            return result.rows.map { $0.makeRandomAccess() }
        } catch {
            throw SessionDBError(error)
        }
    }

    func one(_ sql: String, _ b: Binds = Binds()) throws -> PostgresRandomAccessRow? { try rows(sql, b).first }

    /// `body` in one transaction (`isolation`), retried up to 5 times on a serialization
    /// failure or deadlock (SQLSTATE 40001, 40P01): all of it is written, or none.
    func transaction<T>(serializable: Bool = false, _ body: (Tx) throws -> T) throws -> T {
        try lock.withLock {
            var attempt = 0
            while true {
                attempt += 1
                _ = try unlockedRows(serializable ? "BEGIN ISOLATION LEVEL SERIALIZABLE" : "BEGIN", Binds())
                do {
                    let v = try body(Tx(db: self))
                    _ = try unlockedRows("COMMIT", Binds())
                    return v
                } catch {
                    _ = try? unlockedRows("ROLLBACK", Binds())
                    if let e = error as? SessionDBError, ["40001", "40P01", "23505"].contains(e.sqlState ?? ""), attempt < 5 {
                        continue
                    }
                    throw (error as? SessionDBError)?.message ?? error
                }
            }
        }
    }

    /// Statements inside a transaction (the lock is already held).
    struct Tx {
        let db: ServerDB
        func rows(_ sql: String, _ b: Binds = Binds()) throws -> [PostgresRandomAccessRow] { try db.unlockedRows(sql, b) }
        func one(_ sql: String, _ b: Binds = Binds()) throws -> PostgresRandomAccessRow? { try rows(sql, b).first }
    }
}

/// A driver error kept with its SQLSTATE (a retry decides on it); shown as pakn's message.
struct SessionDBError: Error {
    let underlying: any Error
    init(_ e: any Error) { underlying = e }
    var sqlState: String? { ServerError.sqlState(underlying) }
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
