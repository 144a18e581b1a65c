import Foundation
import PaknCore
@testable import PaknUI
import Testing

/// A store that gave up counting a list within its budget (a server counting a text search
/// over a large province row by row) says "at least 0", capped: the header then shows the
/// rows the desk holds, with a "+", never 0 and never a guess.
@Suite("Header count given up")
struct HeaderCountGiveUpTests {
    @Test func aCountGivenUpShowsTheRowsHeldAsAtLeast() throws {
        let desk = FakeDesk(rows: DeskFixtures.rows(500), view: .all)
        let req = try #require(desk.effects.reversed().compactMap { e -> QueueCountRequest? in
            if case let .countQueue(r) = e { return r } else { return nil }
        }.first)
        #expect(desk.state.total == 500 && !desk.state.totalCapped, "as counted by the fake store")
        let held = desk.state.queue.rows.count
        #expect(held > 0 && held < 500 && desk.state.queue.moreBelow)
        desk.handle(.queueCounted(QueueCount(request: req, total: 0, before: nil, capped: true)))
        #expect(desk.state.total == held)
        #expect(desk.state.totalCapped)
        #expect(desk.screen.contains("/\(held)+"), "\(desk.screen.split(separator: "\n").first ?? "")")
    }
}
