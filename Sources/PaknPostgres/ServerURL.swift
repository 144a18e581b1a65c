import Foundation
import PaknCore

/// Where a PostgreSQL database is, read from a `postgres://` URL (docs/deployment.md):
///
/// - `postgres://user@/pakn?host=/var/run/postgresql` — the Unix socket in that folder
///   (peer authentication on a shared host); `postgres:///pakn?host=…` is the OS account's
///   own role, as `psql` does;
/// - `postgres://user:password@db.example.vn:5432/pakn?sslmode=verify-full&sslrootcert=ca.pem`
///   — TCP, with a password (or `PGPASSWORD`) and TLS (`sslmode` disable, prefer, require,
///   verify-full; `sslcert`/`sslkey` for a client certificate).
///
/// `postgresql://` is the same. Anything else is refused with one sentence naming the part
/// that is wrong (`pg.url.*`).
public struct ServerURL: Equatable, Sendable {
    public enum Endpoint: Equatable, Sendable {
        /// The socket file (`<folder>/.s.PGSQL.<port>`).
        case socket(path: String)
        case tcp(host: String, port: Int)
    }

    public enum SSLMode: String, Equatable, Sendable, CaseIterable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    public var endpoint: Endpoint
    public var user: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode
    public var sslRootCert: String?
    public var sslCert: String?
    public var sslKey: String?

    /// Whether `text` names a server rather than a file.
    public static func isServer(_ text: String) -> Bool {
        let t = text.lowercased()
        return t.hasPrefix("postgres://") || t.hasPrefix("postgresql://")
    }

    /// - Parameters:
    ///   - osLogin: the role used when the URL names none (as `psql` does).
    ///   - env: `PGPASSWORD` is read from it when the URL carries no password.
    public init(_ text: String, osLogin: String, env: [String: String] = [:]) throws {
        guard Self.isServer(text) else { throw Message("pg.url.scheme", text) }
        guard let c = URLComponents(string: text) else { throw Message("pg.url.unreadable", Self.redacted(text)) }
        var query: [String: String] = [:]
        for item in c.queryItems ?? [] {
            guard let v = item.value, !v.isEmpty else { throw Message("pg.url.parameter", item.name) }
            query[item.name] = v
        }
        let known: Set<String> = ["host", "port", "sslmode", "sslrootcert", "sslcert", "sslkey", "user", "password", "dbname"]
        if let unknown = query.keys.sorted().first(where: { !known.contains($0) }) {
            throw Message("pg.url.parameter", unknown)
        }
        let db = (query["dbname"] ?? String(c.path.drop(while: { $0 == "/" }))).removingPercentEncoding ?? ""
        guard !db.isEmpty, !db.contains("/") else { throw Message("pg.url.database", Self.redacted(text)) }
        database = db
        user = query["user"] ?? c.user?.removingPercentEncoding ?? osLogin
        guard !user.isEmpty else { throw Message("pg.url.user", Self.redacted(text)) }
        password = query["password"] ?? c.password?.removingPercentEncoding ?? env["PGPASSWORD"].flatMap { $0.isEmpty ? nil : $0 }

        let portText = query["port"] ?? c.port.map(String.init)
        let port: Int
        if let portText {
            guard let p = Int(portText), (1...65535).contains(p) else { throw Message("pg.url.port", portText) }
            port = p
        } else {
            port = 5432
        }
        let host = query["host"] ?? c.host.flatMap { $0.isEmpty ? nil : $0 }
        if let host, host.hasPrefix("/") {
            endpoint = .socket(path: (host as NSString).appendingPathComponent(".s.PGSQL.\(port)"))
        } else if let host {
            endpoint = .tcp(host: host, port: port)
        } else {
            // No host: the Debian socket folder, as libpq does on Debian.
            endpoint = .socket(path: "/var/run/postgresql/.s.PGSQL.\(port)")
        }
        let modeText = query["sslmode"] ?? "prefer"
        guard let mode = SSLMode(rawValue: modeText) else { throw Message("pg.url.sslmode", modeText) }
        sslMode = mode
        sslRootCert = query["sslrootcert"]
        sslCert = query["sslcert"]
        sslKey = query["sslkey"]
        if (sslCert == nil) != (sslKey == nil) { throw Message("pg.url.client_cert") }
    }

    /// The URL as it may be shown: the password replaced by `***`.
    public static func redacted(_ text: String) -> String {
        guard let c = URLComponents(string: text), c.password != nil else { return text }
        var d = c
        d.password = "***"
        return d.string ?? text
    }

    /// Where it connects, for messages: the socket file or host:port, and the database.
    public var label: String {
        switch endpoint {
        case .socket(let path): "\(user)@\(path) \(database)"
        case .tcp(let host, let port): "\(user)@\(host):\(port) \(database)"
        }
    }
}
