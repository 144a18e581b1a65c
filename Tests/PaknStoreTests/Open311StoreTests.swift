import Foundation
import PaknCore
import PaknPostgres
@testable import PaknStore
import Testing

/// The store's part of `pakn serve` (docs/open311.md): keys, key intakes, public reads, on
/// both engines (the SQLite file, and the same file moved onto the test cluster).
@Suite struct Open311StoreTests {
    /// The demo database, an admin's session on it and the service's engine (another
    /// engine on the same database, as `pakn serve` opens it, run by the admin).
    static func world(_ engine: Engine) async throws -> (admin: any StoreSession, served: any StoreEngine, server: TestCluster.Database?) {
        let desk = try Fixtures.demo()
        switch engine {
        case .sqlite:
            return (try desk.session(login: "tester"), try AppDatabase(path: desk.path, create: false), nil)
        case .postgres:
            let server = try await TestCluster.copy(desk.path)
            return (try server.session("tester"), try ServerEngine(try server.url("tester"), osLogin: "root"), server)
        }
    }

    /// A case posted through the service's connection is seen by a desk open on the same
    /// database; public reads show no reporter and no denunciation; a revoked key stops.
    @Test(arguments: SessionMatrixTests.engines)
    func aDeskSeesAKeyIntakeAndPublicReadsShowNoReporter(engine: Engine) async throws {
        let (admin, served, server) = try await Self.world(engine)
        defer { if let server { Task { await server.drop() } } }
        let unitCode = try #require(try admin.unit(id: try admin.current().unitId)?.code)
        let made = try admin.addApiKey(name: "portal", channel: .app, unitCode: unitCode)
        #expect(made.secret.hasPrefix("pakn_") && made.key.officialLogin == "api.portal")
        #expect(try admin.apiKeys().map(\.name) == ["portal"])
        #expect(throws: ApiKeyError.duplicateName("portal")) { try admin.addApiKey(name: "portal", channel: .app, unitCode: unitCode) }
        #expect(throws: ApiKeyError.invalidName("Cổng")) { try admin.addApiKey(name: "Cổng", channel: .app, unitCode: unitCode) }
        #expect(try admin.accessLog(limit: 5).contains { $0.action == .apiKeyAdd && $0.target == "portal" })

        let (keySession, key) = try served.openKeySession(secret: made.secret)
        #expect(key.name == "portal" && keySession.official.login == "api.portal")
        #expect(throws: ApiKeyError.unknownKey) { try served.openKeySession(secret: "pakn_nope") }

        let draft = IntakeDraft(title: "Ổ gà", body: "Ổ gà sâu trước nhà văn hoá", kind: .feedback, category: "traffic",
                                channel: .web, reporter: Reporter(name: "Nguyễn Văn Bình", phone: "0912345678"), routing: .none)
        let first = try keySession.keyIntake(draft, idempotencyKey: "k1", trackingToken: "tok")
        let retry = try keySession.keyIntake(draft, idempotencyKey: "k1", trackingToken: "tok")
        #expect(first.created && !retry.created && retry.request.code == first.request.code)
        let c = try admin.resolveCase(first.request.code)
        #expect(c.channel == .app)
        #expect(try admin.history(caseRef: c.code).first?.event.actorId == (try admin.official(login: "api.portal"))?.id)

        let pub = try #require(try served.publicRequest(code: c.code, token: nil))
        #expect(pub.title == "Ổ gà" && pub.answer == nil)
        #expect(throws: ApiKeyError.badToken(c.code)) { try served.publicRequest(code: c.code, token: "wrong") }
        #expect(try served.publicRequests(PublicRequestQuery(codes: [c.code])).map(\.code) == [c.code])
        #expect(try served.publicSteps(codes: [c.code], start: nil, end: nil, limit: 10).contains { $0.action == .intake })
        #expect(try served.publicServices().contains { $0.code == "traffic" })

        // A rating needs the case's token; with it, the desk's rules decide (not answered
        // yet: refused by the workflow, nothing written).
        #expect(throws: ApiKeyError.badToken(c.code)) { try served.citizenRate(code: c.code, token: "nope", rating: Rating(score: 5)) }
        do {
            _ = try served.citizenRate(code: c.code, token: "tok", rating: Rating(score: 2, reasons: [.late]))
            Issue.record("an unanswered case was rated")
        } catch {
            #expect(!(error is ApiKeyError), "\(error)")
        }
        #expect(try admin.resolveCase(c.code).rating == nil)
        // No denunciation is public, even one the key took in.
        var secret = draft
        secret.kind = .denunciation
        let d = try keySession.keyIntake(secret, idempotencyKey: "k2", trackingToken: "t2")
        #expect(try served.publicRequest(code: d.request.code, token: "t2") == nil)
        #expect(try !served.publicRequests(PublicRequestQuery()).contains { $0.code == d.request.code })
        #expect(try !served.publicSteps(codes: [d.request.code], start: nil, end: nil, limit: 100).contains { _ in true })

        // Revoked: the key and its official stop at once, the cached session too.
        _ = try admin.revokeApiKey(name: "portal")
        #expect(throws: ApiKeyError.revokedKey("portal")) { try served.openKeySession(secret: made.secret) }
        #expect(throws: (any Error).self) { try keySession.keyIntake(draft, idempotencyKey: "k3", trackingToken: "t3") }
        #expect(try admin.checkChain().problem == nil)
        #expect(try admin.checkAccessChain().problem == nil)
    }
}
