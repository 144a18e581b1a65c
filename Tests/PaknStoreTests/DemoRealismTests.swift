import Foundation
import GRDB
import PaknCore
import Testing
@testable import PaknDemo
@testable import PaknStore

/// The training database should look like a real ward's: what a trainer would notice first.
@Suite struct DemoRealismTests {
    @Test func officeChannelsArriveInOfficeHoursOnWorkingDays() throws {
        let db = try Fixtures.demo()
        let ref = try db.read { try ReferenceData.load($0) }
        let rows = try db.read { d in
            try Row.fetchAll(d, sql: "SELECT channel, received_at FROM pakn_case")
        }
        var office = 0
        for r in rows {
            let channel: String = r["channel"]
            guard ["walk_in", "letter", "voter_meeting"].contains(channel) else { continue }
            let at = Date(timeIntervalSince1970: TimeInterval(r["received_at"] as Int64))
            #expect(DemoGenerator.officeHours(at, ref.calendar), "\(channel) at \(ISO8601.format(at))")
            office += 1
        }
        #expect(office > 0, "the demo has walk-ins, letters or voter meetings")
    }

    @Test func casesInAWardWithKnownStreetsAreAboutThoseStreets() throws {
        let db = try Fixtures.demo()
        let corpus = try DemoCorpus.load()
        let local = try #require(corpus.streets_by_ward["00070"])
        let addresses = try db.read { d in
            try String.fetchAll(d, sql: """
                SELECT c.address FROM pakn_case c JOIN unit u ON u.id = c.ward_id WHERE u.code = '00070'
                """)
        }
        #expect(!addresses.isEmpty)
        for a in addresses {
            #expect(local.contains { a.hasSuffix(" " + $0) }, "\(a)")
        }
    }
}
