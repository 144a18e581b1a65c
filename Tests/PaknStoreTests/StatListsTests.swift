import Foundation
import GRDB
import PaknCore
@testable import PaknStore
import Testing

/// The queue filters behind the statistics' figures (`l` on the statistics screen): each is
/// a range of an index, never a walk of the case table; and ratings recounted after a bulk
/// load count for the unit that handled the case when it was rated.
@Suite("Statistics lists: index ranges and rating attribution", .serialized)
struct StatListsTests {
    static let now = Fixtures.now

    static func filters(unit: Int64?) -> [(String, QueueFilter)] {
        let from = Day(ordinal: Day(now).ordinal - 40).start, before = Day(now).start
        var received = QueueFilter(unitSubtree: unit); received.receivedFrom = from; received.receivedBefore = before
        var resolved = QueueFilter(unitSubtree: unit); resolved.resolvedFrom = from; resolved.resolvedBefore = before
        var onTime = resolved; onTime.resolvedOnTime = true
        var late = resolved; late.resolvedOnTime = false
        var rated = QueueFilter(unitSubtree: unit); rated.ratedFrom = from; rated.ratedBefore = before
        var channel = received; channel.channel = "hotline"
        var own = received; own.handledBy = unit
        return [("received", received), ("resolved", resolved), ("on time", onTime), ("late", late), ("rated", rated),
                ("channel", channel), ("own", own)]
    }

    @Test func everyFiguresListIsAnIndexRange() throws {
        let db = try Fixtures.demo()
        let ref = try db.session(login: "taphuan", now: Self.now).reference()
        let units = try db.read { d in
            try ["00004", "00070", "00070-KT"].map { try #require(try UnitQueries.unit(d, code: $0)).id }
        } + [nil]
        for unit in units {
            for (name, f) in Self.filters(unit: unit) where !(unit == nil && name == "own") {
                for order in [QueueOrder.urgency, .newest] {
                    let (sql, args, _) = try db.pool.read { d in
                        try CaseQueries.pageSQL(d, QueueQuery(filter: f, order: order, limit: 100), now: Self.now, ref: ref)
                    }
                    let plan = try db.pool.read { d in
                        try Row.fetchAll(d, sql: "EXPLAIN QUERY PLAN " + sql, arguments: StatementArguments(args)).map { $0["detail"] as String }
                    }
                    let what = "\(unit.map(String.init) ?? "all") \(name) \(order): \(plan)"
                    #expect(!plan.contains { $0.hasPrefix("SCAN pakn_case") || $0.hasPrefix("SCAN c") || $0.hasPrefix("SCAN event") }, "\(what)")
                    // The range is the figure's own index (time received, time answered, ratings).
                    let key = name == "rated" ? "event_rated" : (["received", "channel", "own"].contains(name) ? "received" : "resolved")
                    #expect(plan.contains { $0.contains(key) }, "\(what)")
                }
            }
        }
    }

    @Test func aTransferAfterARatingKeepsTheRatingWhereItWasAfterARecount() throws {
        let db = try Fixtures.demo()
        var at = Self.now
        func session() throws -> Session { try db.session(login: "taphuan", now: at) }
        let kt = try #require(try session().unit(code: "00070-KT")), vh = try #require(try session().unit(code: "00070-VHXH"))
        let handler = try #require(try session().official(login: "canbo.hoankiem.kt"))
        var c = try session().intake(Fixtures.draft(routing: .none))
        c = try session().perform(.route(unitId: kt.id), on: c.code)
        c = try session().perform(.assign(officialId: handler.id), on: c.code)
        c = try session().perform(.start, on: c.code)
        c = try session().perform(.reply(text: "Đã xử lý xong."), on: c.code)
        at = at.addingTimeInterval(600)
        c = try session().perform(.rate(Rating(score: 2, reasons: [.late])), on: c.code)
        let ratedDay = Day(at)
        at = at.addingTimeInterval(600)
        c = try session().perform(.transfer(unitId: vh.id, reason: "Đúng thẩm quyền phòng VHXH."), on: c.code)
        #expect(c.unitId == vh.id)
        func ratings() throws -> [Row] {
            try db.read { try Row.fetchAll($0, sql: "SELECT * FROM stat_rating ORDER BY 1, 2, 3, 4") }
        }
        func ratedFor(_ unit: Int64) throws -> Int {
            try db.read { try Int.fetchOne($0, sql: "SELECT coalesce(sum(n), 0) FROM stat_rating WHERE unit_id = ? AND reason = '' AND day = ?",
                                           arguments: [unit, ratedDay.ordinal]) ?? 0 }
        }
        let kept = try ratings()
        let ktBefore = try ratedFor(kt.id), vhBefore = try ratedFor(vh.id)
        #expect(ktBefore >= 1)
        try db.write { d in try d.execute(sql: StatSchema.rebuildSQL) }
        #expect(try ratings() == kept, "the recount attributes ratings as the trigger did")
        #expect(try ratedFor(kt.id) == ktBefore && ratedFor(vh.id) == vhBefore)
        // The old recount (migration v6, before `case_sent_up`) counted it where the case is now.
        try db.write { d in try d.execute(sql: StatSchema.ratingRebuildSQL(sentUp: false)) }
        #expect(try ratedFor(kt.id) == ktBefore - 1 && ratedFor(vh.id) == vhBefore + 1)
    }
}
