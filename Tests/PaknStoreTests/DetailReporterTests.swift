import Foundation
import PaknCore
import PaknStore
import Testing

/// The reporter in a case's detail, the same on both engines (on the server through
/// `pakn_case_reporter`, the `reporter` table being unreadable by officials' roles): whole
/// to a supervisor of the handling ward (who may reveal), masked to its other officials,
/// sealed for a confidential case until revealed.
@Suite(.serialized) struct DetailReporterTests {

    static func seen(_ w: SessionMatrixTests.World, confidential: Bool) throws -> [String: Seen] {
        let c = try SessionMatrixTests.prepare(w, SessionMatrixTests.inside, .assigned, confidential: confidential)
        var out: [String: Seen] = [:]
        for (_, login) in SessionMatrixTests.actors {
            let d = try w.session(login).detail(caseRef: c.code)
            out[login] = Seen(name: d.reporter?.name, phone: d.reporter?.phone, masked: d.reporterMasked,
                              confidential: d.reporter?.confidential ?? false)
        }
        return out
    }

    @Test func theDetailShowsTheReporterAsTheSQLiteStoreDoesOnBothEngines() async throws {
        var byEngine: [Engine: [String: Seen]] = [:]
        var sealedByEngine: [Engine: [String: Seen]] = [:]
        for engine in SessionMatrixTests.engines {
            let w = try await SessionMatrixTests.world(engine)
            defer { if let server = w.server { Task { await server.drop() } } }
            byEngine[engine] = try Self.seen(w, confidential: false)
            sealedByEngine[engine] = try Self.seen(w, confidential: true)
        }
        let file = try #require(byEngine[.sqlite])
        #expect(file["lanhdao.hoankiem"] == Seen(name: "Nguyễn Văn Tố", phone: "0912345678", masked: false, confidential: false))
        #expect(file["vanthu.hoankiem"] == Seen(name: Mask.name("Nguyễn Văn Tố"), phone: Mask.phone("0912345678"), masked: true,
                                                confidential: false))
        for (login, s) in try #require(sealedByEngine[.sqlite]) {
            #expect(s.name == nil && s.phone == nil && s.confidential, "\(login): \(s)")
        }
        if let server = byEngine[.postgres] {
            #expect(server == file)
            #expect(sealedByEngine[.postgres] == sealedByEngine[.sqlite])
        }
    }
}

/// What an official sees of a case's reporter in its detail.
struct Seen: Equatable, CustomStringConvertible {
    var name: String?
    var phone: String?
    var masked: Bool
    var confidential: Bool
    var description: String { "\(name ?? "-") \(phone ?? "-") masked \(masked) sealed \(confidential)" }
}
