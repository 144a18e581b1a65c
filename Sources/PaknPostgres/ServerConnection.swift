import Foundation
import PaknCore
import PostgresNIO

/// One connection to a pakn database on PostgreSQL. Every failure comes out as a `Message`
/// (one sentence, Vietnamese and English: `pg.*`), never as the driver's error text alone.
public final class ServerConnection: Sendable {
    public let url: ServerURL
    let connection: PostgresConnection
    let logger: Logger

    init(url: ServerURL, connection: PostgresConnection, logger: Logger) {
        self.url = url
        self.connection = connection
        self.logger = logger
    }

    /// Opens a connection; a wrong URL, a server that is down or refuses the credentials
    /// comes back as one clear `Message`.
    public static func connect(_ url: ServerURL, timeout: Duration = .seconds(10)) async throws -> ServerConnection {
        var logger = Logger(label: "pakn.postgres")
        logger.logLevel = .critical
        var config: PostgresConnection.Configuration
        switch url.endpoint {
        case .socket(let path):
            config = .init(unixSocketPath: path, username: url.user, password: url.password, database: url.database)
        case .tcp(let host, let port):
            config = .init(host: host, port: port, username: url.user, password: url.password, database: url.database,
                           tls: try tls(url))
        }
        config.options.connectTimeout = .seconds(timeout.components.seconds)
        do {
            let conn = try await PostgresConnection.connect(configuration: config, id: 1, logger: logger)
            return ServerConnection(url: url, connection: conn, logger: logger)
        } catch {
            throw ServerError.connecting(error, url)
        }
    }

    static func tls(_ url: ServerURL) throws -> PostgresConnection.Configuration.TLS {
        guard url.sslMode != .disable else { return .disable }
        var t = TLSConfiguration.makeClientConfiguration()
        if url.sslMode != .verifyFull { t.certificateVerification = .none }
        if let ca = url.sslRootCert { t.trustRoots = .file(ca) }
        do {
            if let cert = url.sslCert, let key = url.sslKey {
                t.certificateChain = try NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) }
                t.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
            }
            let ctx = try NIOSSLContext(configuration: t)
            return url.sslMode == .prefer ? .prefer(ctx) : .require(ctx)
        } catch {
            throw Message("pg.tls.files", url.sslCert ?? url.sslRootCert ?? "-", "\(error)")
        }
    }

    public func close() async {
        try? await connection.close()
    }

    /// Runs one statement given as SQL text (no binds), discarding rows.
    public func execute(sql: String) async throws {
        do {
            _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
        } catch {
            throw ServerError.statement(error)
        }
    }

    /// Runs one statement with binds, discarding rows.
    public func execute(_ query: PostgresQuery) async throws {
        do {
            _ = try await connection.query(query, logger: logger).collect()
        } catch {
            throw ServerError.statement(error)
        }
    }

    /// Runs a query and returns its rows.
    public func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        do {
            return try await connection.query(query, logger: logger).collect()
        } catch {
            throw ServerError.statement(error)
        }
    }

    /// The first column of the first row as text (nil: no row or NULL).
    public func text(_ query: PostgresQuery) async throws -> String? {
        guard let row = try await rows(query).first else { return nil }
        return try row.decode(String?.self)
    }

    /// The first column of the first row as an integer.
    public func int(_ query: PostgresQuery) async throws -> Int64? {
        guard let row = try await rows(query).first else { return nil }
        return try row.decode(Int64?.self)
    }

    /// Runs `body` in one transaction: all of it is written, or none (a failure rolls back).
    public func transaction<T: Sendable>(_ body: (ServerConnection) async throws -> T) async throws -> T {
        try await execute(sql: "BEGIN")
        do {
            let value = try await body(self)
            try await execute(sql: "COMMIT")
            return value
        } catch {
            try? await execute(sql: "ROLLBACK")
            throw error
        }
    }

    /// Listens on `channel` while `consume` runs, with the payloads of its notifications as
    /// they arrive (`LISTEN`; `UNLISTEN` when it returns).
    public func listen<T>(_ channel: String,
                          _ consume: (AsyncThrowingMapSequence<PostgresNotificationSequence, String>) async throws -> T) async throws -> T {
        do {
            return try await connection.listen(on: channel) { try await consume($0.map { $0.payload }) }
        } catch let m as Message {
            throw m
        } catch {
            throw ServerError.statement(error)
        }
    }

    /// `COPY table(columns) FROM STDIN` in text format, fed by `write` (docs: PostgreSQL COPY).
    public func copy(table: String, columns: [String], _ write: (PostgresCopyFromWriter) async throws -> Void) async throws {
        do {
            try await connection.copyFrom(table: table, columns: columns, logger: logger, writeData: write)
        } catch let e as Message {
            throw e
        } catch {
            throw ServerError.statement(error)
        }
    }
}

/// Turns the driver's errors into pakn's messages.
public enum ServerError {
    /// A failure while connecting: the server is down or unreachable, the credentials are
    /// refused, the database does not exist.
    static func connecting(_ error: any Error, _ url: ServerURL) -> Message {
        guard let e = error as? PSQLError else { return Message("pg.connect.down", url.label, "\(error)") }
        switch e.code {
        case .server:
            let state = e.serverInfo?[.sqlState] ?? ""
            let text = e.serverInfo?[.message] ?? ""
            switch state {
            case "28P01", "28000": return Message("pg.connect.credentials", url.user, url.label)
            case "3D000": return Message("pg.connect.no_database", url.database, url.label)
            case "57P03": return Message("pg.connect.starting", url.label)
            default: return Message("pg.connect.refused", url.label, text)
            }
        case .authMechanismRequiresPassword:
            return Message("pg.connect.password_needed", url.user, url.label)
        case .sslUnsupported:
            return Message("pg.connect.no_tls", url.label)
        default:
            let cause = e.underlying.map { "\($0)" } ?? "\(e.code)"
            return Message("pg.connect.down", url.label, cause)
        }
    }

    /// A statement the server refused, as one sentence: permission denied, a policy, a
    /// check in one of pakn's functions (raised with SQLSTATE P0001 and its own text).
    public static func statement(_ error: any Error) -> any Error {
        if error is Message { return error }
        guard let e = error as? PSQLError else { return Message("pg.server.lost", "\(error)") }
        switch e.code {
        case .server:
            let state = e.serverInfo?[.sqlState] ?? ""
            let text = e.serverInfo?[.message] ?? ""
            switch state {
            case "57P01", "57P02", "57P03": return Message("pg.server.lost", text)
            case "42501": return Message("pg.server.denied", text)
            case "P0001", "P0002": return Message("pg.server.refused", text)
            default: return Message("pg.server.error", state, text)
            }
        case .serverClosedConnection, .connectionError, .uncleanShutdown, .clientClosedConnection:
            return Message("pg.server.lost", e.underlying.map { "\($0)" } ?? "\(e.code)")
        default:
            return Message("pg.server.error", "\(e.code)", e.serverInfo?[.message] ?? "")
        }
    }

    /// Whether the connection is gone: closed or reset under the driver, or the server ended
    /// the session (an administrator's `pg_terminate_backend`, a shutdown or restart:
    /// SQLSTATE 57P01–57P03). The server rolls back whatever transaction was open on it.
    public static func isConnectionLost(_ error: any Error) -> Bool {
        if error is ConnectionClosedUnderStatement { return true }
        guard let e = error as? PSQLError else { return false }
        switch e.code {
        case .serverClosedConnection, .connectionError, .uncleanShutdown, .clientClosedConnection:
            return true
        case .server:
            return (e.serverInfo?[.sqlState] ?? "").hasPrefix("57P")
        default:
            return false
        }
    }

    /// The SQLSTATE of a server error (nil for anything else): tests check refusals by it.
    public static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }
}
