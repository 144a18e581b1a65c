import Foundation
import PaknCore

/// Where a pakn database is, as `--db` (or `PAKN_DB`) names it: a SQLite file's path, or a
/// PostgreSQL server's URL (`postgres://…`, `postgresql://…`).
public enum StoreLocation: Equatable, Sendable {
    /// An embedded SQLite file.
    case file(path: String)
    /// A database server, by URL.
    case server(url: String)

    /// The schemes that name a PostgreSQL server.
    public static let serverSchemes = ["postgres", "postgresql"]

    /// Reads a `--db` value: a URL with a server scheme is a server; anything else is a path.
    public init(_ value: String) {
        if let colon = value.firstIndex(of: ":"),
           Self.serverSchemes.contains(value[..<colon].lowercased()), value[colon...].hasPrefix("://") {
            self = .server(url: value)
        } else {
            self = .file(path: value)
        }
    }

    /// How messages and the drafts folder name it: a path as given, a URL without its
    /// password (never printed, never written to disk).
    public var display: String {
        switch self {
        case let .file(path): return path
        case let .server(url):
            guard var c = URLComponents(string: url) else { return url.split(separator: "@").last.map(String.init) ?? url }
            if c.password != nil { c.password = nil }
            return c.string ?? url
        }
    }
}

/// A database engine opened on one database: it hands out officials' sessions. The CLI and
/// the desk see nothing else of it; which engine serves a `--db` value is decided in one
/// place (`pakn`'s `Engines.open`).
public protocol StoreEngine: AnyObject, Sendable {
    /// Opens a session for the official whose login is `login` (the OS account running
    /// pakn, or the server role). `actingAs` (another official's login) and `now` (a
    /// pretended time) are for training databases only. Refused, before anything is shown:
    /// an account that is no official here, or a disabled one; `actingAs`/`now` on a
    /// production database.
    func openSession(login: String, actingAs: String?, now: Date?) throws -> any StoreSession

    // MARK: The Open311 service (`pakn serve`): defaults refuse (`Open311Values.swift`)

    /// The session of the key whose secret is `secret` (its service official). Refused: an
    /// unknown or revoked key.
    func openKeySession(secret: String) throws -> (session: any StoreSession, key: ApiKey)
    /// The categories, for `GET /services`.
    func publicServices() throws -> [PublicService]
    /// Public reads: no key, no session, nothing personal; never a denunciation.
    func publicRequests(_ q: PublicRequestQuery) throws -> [PublicRequest]
    /// One case; with its tracking token, the answer too. nil: unknown or not public.
    func publicRequest(code: String, token: String?) throws -> PublicRequest?
    func publicSteps(codes: [String], start: Date?, end: Date?, limit: Int) throws -> [PublicStep]
    /// The citizen's rating with the tracking token, given as the key's service official gives
    /// it: the desk's `rate` (a low one reopens).
    func citizenRate(code: String, token: String, rating: Rating) throws -> PublicRequest
    /// How many public reads the engine runs at once (SQLite's readers, a server's read
    /// connections): `pakn serve` gives its reads as many threads.
    var publicReadConcurrency: Int { get }
}
