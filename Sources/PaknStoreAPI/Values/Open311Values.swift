import Foundation
import PaknCore

// The values of the Open311 service (`pakn serve`, issue 16, docs/open311.md): API keys,
// and what a public read may show of a case. The store decides what is public; the service
// only formats it.

/// An API key as the store lists it: never its secret (only its SHA-256 is stored).
public struct ApiKey: Equatable, Sendable {
    public var id: Int64
    /// The admin's name for it ("cong-1022"): `pakn apikeys revoke NAME`.
    public var name: String
    /// The channel of every case taken in with it.
    public var channel: Channel
    /// The unit whose cases it may take in (and where its service official sits).
    public var unitCode: String
    /// The service official that acts for the key: every write names it (`api.NAME`).
    public var officialLogin: String
    public var createdAt: Date
    public var revokedAt: Date?

    public init(id: Int64, name: String, channel: Channel, unitCode: String, officialLogin: String, createdAt: Date,
                revokedAt: Date?) {
        self.id = id; self.name = name; self.channel = channel; self.unitCode = unitCode
        self.officialLogin = officialLogin; self.createdAt = createdAt; self.revokedAt = revokedAt
    }

    /// The login of the service official of key `name`.
    public static func login(for name: String) -> String { "api.\(name)" }

    /// A key name: 1–40 of a-z, 0-9, '-', starting with a letter or digit.
    public static func validName(_ name: String) -> Bool {
        guard let f = name.unicodeScalars.first, (1...40).contains(name.unicodeScalars.count),
              ("a"..."z").contains(f) || ("0"..."9").contains(f) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// A new secret: 32 random bytes, hex, after a prefix that tells what it is.
    public static func newSecret() -> String {
        var g = SystemRandomNumberGenerator()
        return "pakn_" + (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &g)) }.joined()
    }

    /// The stored form of a secret (a key's, a tracking token's): SHA-256, hex.
    public static func digest(_ secret: String) -> String { SHA256.hex(secret) }
}

/// A key just made: the secret is shown once and never stored.
public struct NewApiKey: Sendable {
    public var key: ApiKey
    public var secret: String
    public init(key: ApiKey, secret: String) { self.key = key; self.secret = secret }
}

/// A category as a portal sees it (`GET /services.json`).
public struct PublicService: Equatable, Sendable {
    public var code: String
    public var nameVi: String
    public var nameEn: String
    /// The department that handles it (the Open311 `group`).
    public var group: String?
    public init(code: String, nameVi: String, nameEn: String, group: String?) {
        self.code = code; self.nameVi = nameVi; self.nameEn = nameEn; self.group = group
    }
}

/// What a public read shows of a case: no reporter, no note, no body, never a denunciation.
public struct PublicRequest: Equatable, Sendable {
    public var code: String
    public var status: CaseStatus
    public var serviceCode: String
    public var title: String
    public var address: String?
    public var latitude: Double?
    public var longitude: Double?
    /// The responsible unit's name.
    public var agency: String?
    public var requestedAt: Date
    public var updatedAt: Date
    public var expectedAt: Date?
    /// The answer sent to the citizen: only with the case's tracking token.
    public var answer: String?
    public var rating: Int?

    public init(code: String, status: CaseStatus, serviceCode: String, title: String, address: String?, latitude: Double?,
                longitude: Double?, agency: String?, requestedAt: Date, updatedAt: Date, expectedAt: Date?,
                answer: String? = nil, rating: Int? = nil) {
        self.code = code; self.status = status; self.serviceCode = serviceCode; self.title = title
        self.address = address; self.latitude = latitude; self.longitude = longitude; self.agency = agency
        self.requestedAt = requestedAt; self.updatedAt = updatedAt; self.expectedAt = expectedAt
        self.answer = answer; self.rating = rating
    }
}

extension PublicRequest {
    /// What a public read shows of a case, `agency` its responsible unit's name: never its
    /// reporter, body or notes; the expected date only while it is open; no answer (that
    /// needs the tracking token).
    public init(_ c: Case, agency: String?) {
        self.init(code: c.code, status: c.status, serviceCode: c.category, title: c.title, address: c.address,
                  latitude: c.latitude, longitude: c.longitude, agency: agency, requestedAt: c.receivedAt,
                  updatedAt: c.updatedAt, expectedAt: c.status.isOpen ? c.dueAt : nil, rating: c.rating)
    }
}

/// One public step of a case's history (mySociety's `servicerequestupdates`): which step and
/// when, never who or any note.
public struct PublicStep: Equatable, Sendable {
    public var id: Int64
    public var code: String
    public var action: ActionName
    public var status: CaseStatus
    public var at: Date
    public init(id: Int64, code: String, action: ActionName, status: CaseStatus, at: Date) {
        self.id = id; self.code = code; self.action = action; self.status = status; self.at = at
    }

    /// The steps a citizen may see; the rest (notes, assignment, reveals, refusals, links)
    /// stay in the desk.
    public static let publicActions: Set<ActionName> = [
        .intake, .route, .accept, .start, .wait, .resume, .reply, .close, .reject, .reopen, .transfer, .escalate,
        .extend, .extendLate, .merge, .rate, .notice,
    ]
}

/// The standard filters of `GET /requests.json`.
public struct PublicRequestQuery: Equatable, Sendable {
    public var codes: [String]
    public var serviceCode: String?
    public var start: Date?
    public var end: Date?
    /// true: open only; false: closed only; nil: both.
    public var open: Bool?
    public var limit: Int
    public init(codes: [String] = [], serviceCode: String? = nil, start: Date? = nil, end: Date? = nil, open: Bool? = nil,
                limit: Int = 1000) {
        self.codes = codes; self.serviceCode = serviceCode; self.start = start; self.end = end; self.open = open
        self.limit = limit
    }
}

/// The result of an intake through the service: the case, and whether this call made it (a
/// retry with the same idempotency key returns the case the first call made).
public struct KeyIntake: Sendable {
    public var request: PublicRequest
    public var created: Bool
    public init(request: PublicRequest, created: Bool) { self.request = request; self.created = created }
}

/// Why the service refused a key or a tracking token.
public enum ApiKeyError: Error, Localized, Equatable {
    /// No key with this secret (or none given where one is needed).
    case unknownKey
    case revokedKey(String)
    /// No key named so (`pakn apikeys revoke`).
    case unknownName(String)
    case duplicateName(String)
    case invalidName(String)
    /// The tracking token does not belong to the case.
    case badToken(String)

    public func text(_ lang: Lang) -> String {
        switch self {
        case .unknownKey: L10n.t("open311.key.unknown", lang)
        case let .revokedKey(n): L10n.t("open311.key.revoked", lang, n)
        case let .unknownName(n): L10n.t("open311.key.no_name", lang, n)
        case let .duplicateName(n): L10n.t("open311.key.duplicate", lang, n)
        case let .invalidName(n): L10n.t("open311.key.invalid_name", lang, n)
        case let .badToken(c): L10n.t("open311.token.bad", lang, c)
        }
    }
}

// MARK: - The service's part of the session and the engine
//
// Requirements with a default that refuses: an engine that does not serve Open311 says so
// in the official's words (`StoreError.notOnServer`). Both engines serve it.

extension StoreSession {
    public func addApiKey(name: String, channel: Channel, unitCode: String) throws -> NewApiKey {
        throw StoreError.notOnServer(what: "pakn apikeys add", location: path)
    }
    public func apiKeys() throws -> [ApiKey] { throw StoreError.notOnServer(what: "pakn apikeys list", location: path) }
    public func revokeApiKey(name: String) throws -> ApiKey {
        throw StoreError.notOnServer(what: "pakn apikeys revoke", location: path)
    }
    public func keyIntake(_ draft: IntakeDraft, idempotencyKey: String?, trackingToken: String) throws -> KeyIntake {
        throw StoreError.notOnServer(what: "POST /requests.json", location: path)
    }
}

extension StoreEngine {
    public func openKeySession(secret: String) throws -> (session: any StoreSession, key: ApiKey) {
        throw StoreError.notOnServer(what: "pakn serve (API keys)", location: engineDisplay)
    }
    public func publicServices() throws -> [PublicService] {
        throw StoreError.notOnServer(what: "pakn serve", location: engineDisplay)
    }
    public func publicRequests(_ q: PublicRequestQuery) throws -> [PublicRequest] {
        throw StoreError.notOnServer(what: "pakn serve", location: engineDisplay)
    }
    public func publicRequest(code: String, token: String?) throws -> PublicRequest? {
        throw StoreError.notOnServer(what: "pakn serve", location: engineDisplay)
    }
    public func publicSteps(codes: [String], start: Date?, end: Date?, limit: Int) throws -> [PublicStep] {
        throw StoreError.notOnServer(what: "pakn serve", location: engineDisplay)
    }
    public func citizenRate(code: String, token: String, rating: Rating) throws -> PublicRequest {
        throw StoreError.notOnServer(what: "POST /requests/{id}/rating.json", location: engineDisplay)
    }
    public var publicReadConcurrency: Int { 4 }
    /// How refusals name the database.
    public var engineDisplay: String { "\(Self.self)" }
}
