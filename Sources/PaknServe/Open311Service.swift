import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import PaknCore
import PaknStoreAPI

/// How `pakn serve` runs: where it listens, how large a body may be, how often a client may
/// call.
public struct ServeConfig: Sendable {
    public var host: String
    public var port: Int
    /// The largest request body taken, in bytes (a larger one is refused with 413).
    public var maxBody: Int
    public var perAddress: RateLimit
    public var perKey: RateLimit

    public init(host: String = "127.0.0.1", port: Int = 8311, maxBody: Int = 64 * 1024,
                perAddress: RateLimit = RateLimit(perSecond: 20, burst: 100),
                perKey: RateLimit = RateLimit(perSecond: 100, burst: 400)) {
        self.host = host; self.port = port; self.maxBody = maxBody; self.perAddress = perAddress; self.perKey = perKey
    }

    /// Reads `HOST:PORT` (`127.0.0.1:8311`, `[::1]:8311`, `:8311`).
    public static func listen(_ s: String) -> (host: String, port: Int)? {
        guard let colon = s.lastIndex(of: ":"), let port = Int(s[s.index(after: colon)...]), (0...65535).contains(port) else {
            return nil
        }
        var host = String(s[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "127.0.0.1" }
        guard !host.contains(" "), !host.contains("/") else { return nil }
        return (host, port)
    }
}

/// The request context: the client's address, for the per-address rate limit.
public struct ServeContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

/// The Open311 GeoReport v2 service over one database (docs/open311.md). Reads without a
/// key are the store's public reads; a key's writes go through the session of its service
/// official, so the store's one authority decides them and records them.
public final class Open311Service: Sendable {
    public let engine: any StoreEngine
    public let config: ServeConfig
    let addressLimiter: RateLimiter
    let keyLimiter: RateLimiter
    let keys = KeyCache()
    let services = ServiceCache()
    /// The public reads' threads (`read`), as many as the engine reads at once.
    let readThreads: NIOThreadPool

    public init(engine: any StoreEngine, config: ServeConfig) {
        self.engine = engine
        self.config = config
        readThreads = NIOThreadPool(numberOfThreads: max(1, engine.publicReadConcurrency))
        readThreads.start()
        self.addressLimiter = RateLimiter(config.perAddress)
        self.keyLimiter = RateLimiter(config.perKey)
    }

    /// The service's routes: the router is built from this list, and `/openapi.json`
    /// documents each (a test checks both ways).
    public static let routes: [ServeRoute] = {
        var r: [ServeRoute] = []
        for f in ["json", "xml"] {
            r.append(ServeRoute(.get, "/services.\(f)", .services))
            r.append(ServeRoute(.get, "/services/{service_code}.\(f)", .serviceDefinition))
            r.append(ServeRoute(.get, "/requests.\(f)", .requests))
            r.append(ServeRoute(.post, "/requests.\(f)", .postRequest))
            r.append(ServeRoute(.get, "/requests/{service_request_id}.\(f)", .request))
            r.append(ServeRoute(.get, "/servicerequestupdates.\(f)", .updates))
            r.append(ServeRoute(.post, "/requests/{service_request_id}/rating.\(f)", .rating))
        }
        r.append(ServeRoute(.get, "/openapi.json", .openapi))
        return r
    }()

    public func router() -> Router<ServeContext> {
        let router = Router(context: ServeContext.self)
        router.add(middleware: GuardMiddleware(service: self))
        for route in Self.routes {
            let xml = route.path.hasSuffix(".xml")
            router.on(RouterPath(route.path), method: route.method == .get ? .get : .post) { [self] request, context in
                try await self.answer(route.endpoint, xml: xml, request: request, context: context)
            }
        }
        return router
    }

    /// Makes the event loops the threads of Swift's tasks for the rest of the process, so
    /// that a request's handler runs on the event loop that read it instead of hopping to
    /// another thread and back. Call once, first thing, from the main thread of a command
    /// that runs the service (`pakn serve`, `pakn bench --serve`); false when it could not.
    @discardableResult
    public static func runTasksOnEventLoops() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }

    /// Runs until SIGTERM or SIGINT; `onRunning` is told the port (useful with port 0). A
    /// request accepted before the signal is answered and written before it stops.
    public func run(quiet: Bool = false, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        var log = Logger(label: "pakn.serve")
        // `quiet`: a run stopped by cancelling its task (the load test) says nothing.
        log.logLevel = quiet ? .critical : .warning
        let app = Application(router: router(),
                              configuration: .init(address: .hostname(config.host, port: config.port), serverName: "pakn"),
                              onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
                              logger: log)
        try await app.runService()
    }

    // MARK: Answers

    func answer(_ e: ServeRoute.Endpoint, xml: Bool, request: Request, context: ServeContext) async throws -> Response {
        let doc: Document
        var status = 200
        let q = request.uri.queryParameters
        switch e {
        case .openapi:
            return Self.response(200, OpenAPIDocument.document(routes: Self.routes).json, xml: false)
        case .services:
            doc = .list(root: "services", item: "service", try await services.get(self).map(Self.serviceDoc))
        case .serviceDefinition:
            let code = context.parameters.get("service_code") ?? ""
            guard let s = try await services.get(self).first(where: { $0.code == code }) else {
                throw ServeError(404, "open311.err.unknown_service", code)
            }
            doc = Self.definitionDoc(s)
        case .requests:
            var pq = PublicRequestQuery()
            if let ids = q.get("service_request_id") {
                pq.codes = ids.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            pq.serviceCode = q.get("service_code").flatMap { $0.isEmpty ? nil : $0 }
            pq.start = try Self.date(q.get("start_date"), "start_date")
            pq.end = try Self.date(q.get("end_date"), "end_date")
            if let s = q.get("status"), !s.isEmpty {
                switch s.lowercased() {
                case "open": pq.open = true
                case "closed": pq.open = false
                default: throw ServeError(400, "open311.err.invalid_field", "status", s)
                }
            }
            if let l = q.get("limit") {
                guard let n = Int(l), (1...1000).contains(n) else { throw ServeError(400, "open311.err.invalid_field", "limit", l) }
                pq.limit = n
            }
            let query = pq
            let list = try await read { try self.engine.publicRequests(query) }
            let names = try await services.names(self)
            doc = .list(root: "service_requests", item: "request", list.map { Self.requestDoc($0, names) })
        case .request:
            let id = context.parameters.get("service_request_id") ?? ""
            let token = request.headers[HTTPField.Name("X-Tracking-Token")!] ?? q.get("token")
            guard let r = try await read({ try self.engine.publicRequest(code: id, token: token) }) else {
                throw ServeError(404, "open311.err.unknown_request", id)
            }
            doc = .list(root: "service_requests", item: "request", [Self.requestDoc(r, try await services.names(self))])
        case .updates:
            let codes = (q.get("service_request_id") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
            let start = try Self.date(q.get("start_date"), "start_date"), end = try Self.date(q.get("end_date"), "end_date")
            var limit = 1000
            if let l = q.get("limit") {
                guard let n = Int(l), (1...1000).contains(n) else { throw ServeError(400, "open311.err.invalid_field", "limit", l) }
                limit = n
            }
            let cap = limit
            let steps = try await read { try self.engine.publicSteps(codes: codes, start: start, end: end, limit: cap) }
            doc = .list(root: "service_request_updates", item: "request_update", steps.map(Self.stepDoc))
        case .postRequest:
            (doc, status) = try await intake(request, context: context)
        case .rating:
            doc = try await rate(request, context: context)
        }
        return Self.response(status, xml ? doc.xml() : doc.json, xml: xml)
    }

    func intake(_ request: Request, context: ServeContext) async throws -> (Document, Int) {
        let body = try await collect(request)
        let headerKey = request.headers[HTTPField.Name("X-Api-Key")!]
        let fields = try RequestFields.parse(body, contentType: request.headers[.contentType])
        guard let secret = headerKey ?? fields["api_key"] ?? request.uri.queryParameters.get("api_key") else {
            throw ServeError(401, message: Message("open311.key.unknown"))
        }
        let digest = ApiKey.digest(secret)
        if let wait = keyLimiter.take("key:" + digest) { throw ServeError(429, "open311.err.rate_limited", wait, retryAfter: wait) }
        let idem = request.headers[HTTPField.Name("Idempotency-Key")!]
        if let idem, idem.isEmpty || idem.count > 200 || !idem.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) {
            throw ServeError(400, "open311.err.invalid_field", "Idempotency-Key", String(idem.prefix(40)))
        }
        let (session, key) = try await keys.get(digest) { try await self.offload { try self.engine.openKeySession(secret: secret) } }
        let draft = try Self.draft(fields, channel: key.channel)
        let token = idem.map { SHA256.hex(secret + "\u{1F}" + $0) } ?? Self.randomToken()
        let made: KeyIntake
        do {
            made = try await offload { try session.keyIntake(draft, idempotencyKey: idem, trackingToken: token) }
        } catch {
            if error is ApiKeyError || (error as? StoreError).map({ if case .officialDisabled = $0 { true } else { false } }) == true {
                keys.forget(digest)
            }
            throw ServeError.from(error, keyName: key.name)
        }
        let doc = Document.list(root: "service_requests", item: "request", [.object([
            ("service_request_id", .string(made.request.code)),
            ("tracking_token", .string(token)),
            ("service_notice", .string(L10n.t("open311.note.\(made.request.status.rawValue)", .vi))),
            ("account_id", .null),
        ])])
        return (doc, made.created ? 201 : 200)
    }

    func rate(_ request: Request, context: ServeContext) async throws -> Document {
        let id = context.parameters.get("service_request_id") ?? ""
        let body = try await collect(request)
        let fields = try RequestFields.parse(body, contentType: request.headers[.contentType])
        guard let token = request.headers[HTTPField.Name("X-Tracking-Token")!] ?? fields["token"] ?? fields["tracking_token"] else {
            throw ServeError(400, "open311.err.missing_field", "token")
        }
        guard let s = fields["rating"] ?? fields["score"] else { throw ServeError(400, "open311.err.missing_field", "rating") }
        let allowed = RatingReason.allCases.map(\.rawValue).joined(separator: ", ")
        guard let score = Int(s), (1...5).contains(score) else { throw ServeError(400, "open311.err.rating", allowed) }
        var reasons: [RatingReason] = []
        for r in (fields["reasons"] ?? "").split(separator: ",") {
            guard let reason = RatingReason(rawValue: r.trimmingCharacters(in: .whitespaces)) else {
                throw ServeError(400, "open311.err.rating", allowed)
            }
            reasons.append(reason)
        }
        let rating = Rating(score: score, reasons: reasons, comment: fields["comment"].map { String($0.prefix(2000)) })
        let r = try await offload { try self.engine.citizenRate(code: id, token: token, rating: rating) }
        return .list(root: "service_requests", item: "request", [Self.requestDoc(r, try await services.names(self))])
    }

    func collect(_ request: Request) async throws -> [UInt8] {
        if let len = request.headers[.contentLength].flatMap(Int.init), len > config.maxBody {
            throw ServeError(413, "open311.err.too_large", config.maxBody)
        }
        do {
            let buf = try await request.body.collect(upTo: config.maxBody)
            return Array(buf.readableBytesView)
        } catch {
            throw ServeError(413, "open311.err.too_large", config.maxBody)
        }
    }

    /// Store calls block (SQLite, a server's round trip): they run off the server's event
    /// loops, on threads of their own, in two pools. Writes (intakes, ratings, a key's session
    /// opened) get many threads, so that intakes posted together reach the store together
    /// and share one commit (SQLite's `GroupCommit`): most of their time is spent waiting for
    /// it. Public reads get as many threads as the engine reads at once: more would only wait
    /// there, and take the processor from the writer between waits.
    func offload<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await Self.writeThreads.runIfActive { try body() }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await readThreads.runIfActive { try body() }
    }

    static let writeThreadCount = 32
    static let writeThreads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: writeThreadCount)
        pool.start()
        return pool
    }()

    static func randomToken() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<24).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &g)) }.joined()
    }

    static func date(_ s: String?, _ field: String) throws -> Date? {
        guard let s, !s.isEmpty else { return nil }
        guard let d = W3CDate.parse(s) else { throw ServeError(400, "open311.err.invalid_field", field, String(s.prefix(40))) }
        return d
    }

    /// The intake draft from Open311's fields: `service_code`, `description`, `lat`/`long`,
    /// `address_string`, `first_name`/`last_name`/`email`/`phone`, and the attributes `kind`,
    /// `ward` (a ward code) and `title`.
    static func draft(_ f: RequestFields, channel: PaknCore.Channel) throws -> IntakeDraft {
        guard let service = f["service_code"] else { throw ServeError(400, "open311.err.missing_field", "service_code") }
        guard let description = f["description"] else { throw ServeError(400, "open311.err.missing_field", "description") }
        var kind = CaseKind.feedback
        if let k = f["attribute[kind]"] {
            guard let v = CaseKind(rawValue: k) else { throw ServeError(400, "open311.err.invalid_field", "attribute[kind]", k) }
            kind = v
        }
        func coordinate(_ name: String, _ range: ClosedRange<Double>) throws -> Double? {
            guard let s = f[name] else { return nil }
            guard let d = Double(s), range.contains(d) else { throw ServeError(400, "open311.err.invalid_field", name, String(s.prefix(40))) }
            return d
        }
        let lat = try coordinate("lat", -90...90), lon = try coordinate("long", -180...180)
        let title = f["attribute[title]"] ?? Self.title(from: description)
        let name = [f["first_name"], f["last_name"]].compactMap { $0 }.joined(separator: " ")
        let reporter = Reporter(name: name.isEmpty ? nil : name, phone: f["phone"], email: f["email"],
                                anonymous: name.isEmpty && f["phone"] == nil && f["email"] == nil)
        let ward = f["attribute[ward]"] ?? f["ward_code"]
        return IntakeDraft(title: title, body: description, kind: kind, category: service, channel: channel, wardCode: ward,
                           address: f["address_string"], latitude: lat, longitude: lon, reporter: reporter,
                           routing: ward == nil ? .none : .auto)
    }

    /// A title from a description: its first line, cut at a word within 120 characters.
    static func title(from d: String) -> String {
        let line = d.split(whereSeparator: \.isNewline).first.map(String.init) ?? d
        if line.count <= 120 { return line }
        let cut = line.prefix(120)
        return (cut.lastIndex(of: " ").map { String(cut[..<$0]) } ?? String(cut)) + "…"
    }

    // MARK: Documents

    static func serviceDoc(_ s: PublicService) -> Document {
        .object([("service_code", .string(s.code)), ("service_name", .string(s.nameVi)), ("service_name_en", .string(s.nameEn)),
                 ("description", .string(s.nameVi + " / " + s.nameEn)), ("metadata", .bool(true)), ("type", .string("realtime")),
                 ("keywords", .string("")), ("group", .string(s.group ?? ""))])
    }

    static func definitionDoc(_ s: PublicService) -> Document {
        let kinds = CaseKind.allCases.map { k in
            Document.object([("key", .string(k.rawValue)), ("name", .string(k.label(.vi) + " / " + k.label(.en)))])
        }
        func attribute(_ order: Int, _ code: String, _ type: String, _ required: Bool, _ vi: String, _ en: String,
                       values: [Document] = []) -> Document {
            var f: [(String, Document)] = [("variable", .bool(true)), ("code", .string(code)), ("datatype", .string(type)),
                                           ("required", .bool(required)), ("datatype_description", .string(en)),
                                           ("order", .int(order)), ("description", .string(vi + " / " + en))]
            if !values.isEmpty { f.append(("values", .list(root: "values", item: "value", values))) }
            return .object(f)
        }
        return .object([
            ("service_code", .string(s.code)),
            ("attributes", .list(root: "attributes", item: "attribute", [
                attribute(1, "kind", "singlevaluelist", false, "Loại đơn (mặc định: phản ánh, kiến nghị)",
                          "Kind of petition (default: feedback)", values: kinds),
                attribute(2, "ward", "string", false, "Mã phường/xã nơi xảy ra sự việc (để chuyển đúng đơn vị)",
                          "Code of the ward or commune where it happened (to route it)"),
                attribute(3, "title", "string", false, "Tiêu đề (mặc định: dòng đầu của mô tả)",
                          "Title (default: the description's first line)"),
            ])),
        ])
    }

    static func requestDoc(_ r: PublicRequest, _ names: [String: String]) -> Document {
        var f: [(String, Document)] = [
            ("service_request_id", .string(r.code)),
            ("status", .string(r.status.isOpen ? "open" : "closed")),
            ("status_notes", .string(L10n.t("open311.note.\(r.status.rawValue)", .vi))),
            ("service_name", .string(names[r.serviceCode])),
            ("service_code", .string(r.serviceCode)),
            ("description", .string(r.title)),
            ("agency_responsible", .string(r.agency)),
            ("service_notice", .string("")),
            ("requested_datetime", .string(W3CDate.format(r.requestedAt))),
            ("updated_datetime", .string(W3CDate.format(r.updatedAt))),
            ("expected_datetime", .string(r.expectedAt.map(W3CDate.format))),
            ("address", .string(r.address)),
            ("address_id", .null),
            ("zipcode", .null),
            ("lat", r.latitude.map(Document.double) ?? .null),
            ("long", r.longitude.map(Document.double) ?? .null),
            ("media_url", .null),
        ]
        if let a = r.answer { f.append(("answer", .string(a))) }
        if let rating = r.rating { f.append(("rating", .int(rating))) }
        return .object(f)
    }

    static func stepDoc(_ s: PublicStep) -> Document {
        .object([("update_id", .string(String(s.id))), ("service_request_id", .string(s.code)),
                 ("status", .string(s.status.isOpen ? "open" : "closed")),
                 ("updated_datetime", .string(W3CDate.format(s.at))),
                 ("description", .string(L10n.t("open311.step.\(s.action.rawValue)", .vi))),
                 ("description_en", .string(L10n.t("open311.step.\(s.action.rawValue)", .en))),
                 ("media_url", .null)])
    }

    static func response(_ status: Int, _ text: String, xml: Bool, headers extra: HTTPFields = [:]) -> Response {
        var h: HTTPFields = [.contentType: xml ? "text/xml; charset=utf-8" : "application/json; charset=utf-8"]
        h.append(contentsOf: extra)
        return Response(status: .init(code: status), headers: h, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func errorResponse(_ e: ServeError, xml: Bool) -> Response {
        var h: HTTPFields = [:]
        if let r = e.retryAfter { h[.retryAfter] = String(r) }
        return Self.response(e.status, xml ? e.document.xml() : e.document.json, xml: xml, headers: h)
    }
}

/// One route: a method, a path (Hummingbird's and OpenAPI's syntax alike) and what answers.
public struct ServeRoute: Sendable, Equatable {
    public enum Method: String, Sendable { case get, post }
    public enum Endpoint: String, Sendable { case services, serviceDefinition, requests, postRequest, request, updates, rating, openapi }
    public var method: Method
    public var path: String
    public var endpoint: Endpoint
    init(_ method: Method, _ path: String, _ endpoint: Endpoint) { self.method = method; self.path = path; self.endpoint = endpoint }
}

/// Every answer passes here: the per-address limit first, then any error in Open311's format
/// (the router's own 404 and 405 too).
struct GuardMiddleware: RouterMiddleware {
    typealias Context = ServeContext
    let service: Open311Service

    func handle(_ request: Request, context: ServeContext, next: (Request, ServeContext) async throws -> Response) async throws -> Response {
        let xml = request.uri.path.hasSuffix(".xml")
        do {
            let address = context.remoteAddress?.ipAddress ?? "?"
            if let wait = service.addressLimiter.take("addr:" + address) {
                throw ServeError(429, "open311.err.rate_limited", wait, retryAfter: wait)
            }
            return try await next(request, context)
        } catch let e as HTTPError {
            let path = String(request.uri.path.prefix(200))
            switch e.status.code {
            case 404: return service.errorResponse(ServeError(404, "open311.err.not_found", path), xml: xml)
            case 405: return service.errorResponse(ServeError(405, "open311.err.method", request.method.rawValue, path), xml: xml)
            case 413: return service.errorResponse(ServeError(413, "open311.err.too_large", service.config.maxBody), xml: xml)
            default: return service.errorResponse(ServeError(e.status.code >= 500 ? 500 : 400, "open311.err.internal"), xml: xml)
            }
        } catch {
            let e = ServeError.from(error)
            if e.status >= 500 { context.logger.error("pakn serve: \(error)") }
            return service.errorResponse(e, xml: xml)
        }
    }
}

/// Keys' sessions, by the digest of the secret: a key is looked up once; its session reads
/// the official afresh at every call, and a revoked key's intake is refused by the store.
/// Up to `perKey` sessions a key, opened as requests need them and taken in turn: on a
/// server each is a connection, so a busy portal's intakes do not queue on one.
final class KeyCache: @unchecked Sendable {
    static let perKey = 8
    private let lock = NSLock()
    private var sessions: [String: [(any StoreSession, ApiKey)]] = [:]
    private var opening: [String: Int] = [:]
    private var turn: [String: Int] = [:]

    private enum Step { case use((any StoreSession, ApiKey)), open, wait }

    /// A session of the key: one of those open, in turn, or a new one while there are fewer
    /// than `perKey` (never more being opened at once: a burst of first requests waits for
    /// the first session rather than opening one each).
    func get(_ digest: String, open: () async throws -> (session: any StoreSession, key: ApiKey)) async throws -> (any StoreSession, ApiKey) {
        while true {
            let step: Step = lock.withLock {
                let list = sessions[digest] ?? []
                let pending = opening[digest, default: 0]
                let t = turn[digest, default: 0]
                turn[digest] = t &+ 1
                if !list.isEmpty, list.count + pending >= Self.perKey || t % Self.perKey < list.count {
                    return .use(list[t % list.count])
                }
                if list.isEmpty && pending > 0 { return .wait }
                opening[digest] = pending + 1
                return .open
            }
            switch step {
            case let .use(s): return s
            case .wait: try await Task.sleep(nanoseconds: 2_000_000)
            case .open:
                do {
                    let s = try await open()
                    lock.withLock {
                        opening[digest, default: 1] -= 1
                        if sessions[digest, default: []].count < Self.perKey { sessions[digest, default: []].append((s.session, s.key)) }
                    }
                    return (s.session, s.key)
                } catch {
                    lock.withLock { opening[digest, default: 1] -= 1 }
                    throw error
                }
            }
        }
    }

    func forget(_ digest: String) {
        lock.withLock {
            _ = sessions.removeValue(forKey: digest)
            _ = turn.removeValue(forKey: digest)
        }
    }
}

/// The categories, read again after a minute, with their Vietnamese names by code (every
/// request's answer names its service).
final class ServiceCache: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [PublicService] = []
    private var byCode: [String: String] = [:]
    private var at = -Double.infinity

    func get(_ s: Open311Service) async throws -> [PublicService] { try await both(s).list }

    func names(_ s: Open311Service) async throws -> [String: String] { try await both(s).names }

    private func both(_ s: Open311Service) async throws -> (list: [PublicService], names: [String: String]) {
        let now = Date().timeIntervalSinceReferenceDate
        if let kept = lock.withLock({ now - at < 60 ? (list, byCode) : nil }) { return kept }
        let l = try await s.read { try s.engine.publicServices() }
        let names = Dictionary(l.map { ($0.code, $0.nameVi) }, uniquingKeysWith: { a, _ in a })
        lock.withLock { list = l; byCode = names; at = now }
        return (l, names)
    }
}
