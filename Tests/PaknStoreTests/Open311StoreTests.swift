import Foundation
import PaknCore
@testable import PaknStore
import Testing

/// The store's part of `pakn serve` (docs/open311.md): keys, key intakes, public reads.
@Suite struct Open311StoreTests {
    /// A case posted through the service's connection is seen by a desk open on the same
    /// file: its data version moves and the case reads.
    @Test func aDeskSeesAKeyIntakeAndPublicReadsShowNoReporter() throws {
        let desk = try Fixtures.demo()
        let admin = try desk.session(login: "tester")
        let unitCode = try #require(try admin.unit(id: try admin.current().unitId)?.code)
        let made = try admin.addApiKey(name: "portal", channel: .app, unitCode: unitCode)
        #expect(made.secret.hasPrefix("pakn_") && made.key.officialLogin == "api.portal")
        #expect(try admin.accessLog(limit: 5).contains { $0.action == .apiKeyAdd && $0.target == "portal" })

        // The service: another engine on the same file, as `pakn serve` opens it.
        let served = try AppDatabase(path: desk.path, create: false)
        let (keySession, key) = try served.openKeySession(secret: made.secret)
        #expect(key.name == "portal")
        #expect(throws: ApiKeyError.unknownKey) { try served.openKeySession(secret: "pakn_nope") }

        let before = try admin.dataVersion()
        let draft = IntakeDraft(title: "Ổ gà", body: "Ổ gà sâu trước nhà văn hoá", kind: .feedback, category: "traffic",
                                channel: .web, reporter: Reporter(name: "Nguyễn Văn Bình", phone: "0912345678"), routing: .none)
        let first = try keySession.keyIntake(draft, idempotencyKey: "k1", trackingToken: "tok")
        let retry = try keySession.keyIntake(draft, idempotencyKey: "k1", trackingToken: "tok")
        #expect(first.created && !retry.created && retry.request.code == first.request.code)
        #expect(try admin.dataVersion() != before)
        let c = try admin.resolveCase(first.request.code)
        #expect(c.channel == .app)
        #expect(try admin.history(caseRef: c.code).first?.event.actorId == (try admin.official(login: "api.portal"))?.id)

        let pub = try #require(try served.publicRequest(code: c.code, token: nil))
        #expect(pub.title == "Ổ gà" && pub.answer == nil)
        #expect(throws: ApiKeyError.badToken(c.code)) { try served.publicRequest(code: c.code, token: "wrong") }
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
