import Foundation
import PaknCore
import PaknPostgres
import PaknStore
import Testing

/// The complexity level (0 ordinary, 1 complex, 2 especially complex) is kept on both
/// engines and across `pakn migrate`: the law allows an especially complex case a second
/// extension, so a server that kept only a flag would refuse what the file allows.
@Suite(.serialized) struct ComplexityEnginesTests {
    static func steps(_ w: SessionMatrixTests.World) throws -> [String] {
        var c = try SessionMatrixTests.prepare(w, SessionMatrixTests.inside, .inProgress, kind: .denunciation)
        var out: [String] = []
        // Accepted (thụ lý): the extensions are of the resolution time, which complexity governs.
        c = try w.city.perform(.accept(note: nil), on: c.code)
        for level in [2, 1, 2] {
            c = try w.city.perform(.markComplex(level: level, reason: "Phải xác minh tại nhiều nơi"), on: c.code)
            let read = try w.city.detail(caseRef: c.code).case
            out.append("level \(level): returned \(c.complexity), read \(read.complexity), days \(read.deadline.days)")
        }
        for _ in 0..<3 {
            do {
                c = try w.city.perform(.extend(reason: "Cần thêm thời gian xác minh"), on: c.code)
                out.append("extended \(c.deadline.extensions), read \(try w.city.detail(caseRef: c.code).case.deadline.extensions)")
            } catch {
                out.append("refused: \(error)")
            }
        }
        return out
    }

    @Test func theLevelAndTheExtensionsItAllowsAreTheSameOnBothEngines() async throws {
        var byEngine: [Engine: [String]] = [:]
        for engine in SessionMatrixTests.engines {
            let w = try await SessionMatrixTests.world(engine)
            defer { if let server = w.server { Task { await server.drop() } } }
            byEngine[engine] = try Self.steps(w)
        }
        let file = try #require(byEngine[.sqlite])
        #expect(file[0].hasPrefix("level 2: returned 2, read 2"))
        #expect(file[1].hasPrefix("level 1: returned 1, read 1"))
        #expect(file.filter { $0.hasPrefix("extended") }.count == 2, "\(file)")
        if let server = byEngine[.postgres] { #expect(server == file) }
    }

    @Test func anEspeciallyComplexCaseStaysSoWhenTheFileMovesToAServer() async throws {
        guard TestCluster.url != nil else { return }
        let db = try Fixtures.demo()
        let city = try db.session(login: "taphuan", now: SessionMatrixTests.now)
        let open = try #require(try city.queue(QueueQuery(filter: QueueFilter(openOnly: true), limit: 50)).first)
        let marked = try city.perform(.markComplex(level: 2, reason: "Liên quan nhiều cơ quan"), on: open.code)
        #expect(marked.complexity == 2)
        let server = try await TestCluster.copy(db.path)
        defer { Task { await server.drop() } }
        let s = try server.session("taphuan")
        #expect(try s.detail(caseRef: open.code).case.complexity == 2)
        // The flag the server's views show agrees with the level.
        let owner = try await server.owner()
        #expect(try await owner.int("SELECT count(*) FROM pakn_case WHERE complex <> (complexity > 0)") == 0)
        #expect(try await owner.int("SELECT count(*) FROM pakn_case WHERE complexity = 2") == 1)
        await owner.close()
    }
}
