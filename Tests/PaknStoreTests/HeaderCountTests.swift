import Foundation
import PaknCore
import PaknStore
import Testing

/// The queue header's count of each desk view equals the cases its pages list, on both
/// engines. On the server the plain views (open, overdue, due soon, awaiting) are counted
/// from `case_count`, the "all" view and status views from `case_status_total`, and the
/// others from the rows, so this checks that the counters and the
/// read policy agree, for officials of a ward, a ward's department and the city, before and
/// after changes that move a case between views.
@Suite(.serialized) struct HeaderCountTests {
    static let logins = ["lanhdao.hoankiem", "canbo.hoankiem.kt", "taphuan"]

    static func filters(_ s: any StoreSession) throws -> [(String, QueueFilter)] {
        let me = try s.current()
        let ref = try s.reference()
        let bound = ref.calendar.add(ref.policy.dueSoonDays, to: Day(s.now), counting: .working).end
        var out = QueueView.allCases.map { ($0.rawValue, $0.filter(for: me, now: s.now, dueSoonBound: bound)) }
        out.append(("open", QueueFilter(openOnly: true, unitSubtree: me.unitId)))
        // "Due soon" over a wider window, so that the check sees cases in it at any date.
        var due = QueueFilter(openOnly: true, unitSubtree: me.unitId)
        due.dueAfter = s.now
        due.dueBefore = s.now.addingTimeInterval(90 * 86_400)
        due.clockRunning = true
        out.append(("due90", due))
        // A status view, one status or several (on the server from `case_status_total`).
        out.append(("resolved", QueueFilter(statuses: [.resolved], unitSubtree: me.unitId)))
        out.append(("finished", QueueFilter(statuses: [.closed, .rejected, .merged, .resolved], unitSubtree: me.unitId)))
        // Narrowed views read the rows on both engines.
        out.append(("overdue+kind", { var f = QueueFilter(unitSubtree: me.unitId, overdue: true); f.kind = .feedback; return f }()))
        return out
    }

    /// View name → (header count, rows listed), for one official.
    static func seen(_ s: any StoreSession) throws -> [String: [Int]] {
        var out: [String: [Int]] = [:]
        for (name, f) in try filters(s) {
            let header = try s.headerCount(f, order: .urgency, before: nil).total
            #expect(!header.capped)
            let rows = try s.queue(QueueQuery(filter: f, order: .urgency, limit: 100_000)).count
            out[name] = [header.count, rows, try s.count(f, reference: nil)]
        }
        // The supervisor's overdue-by-unit panel adds up to the overdue view.
        let me = try s.current()
        let byUnit = try s.overdueByUnit(unitSubtree: me.unitId)
        #expect(Set(byUnit.map(\.unit.id)).count == byUnit.count)
        let overdue = out["overdue"]?[0] ?? -1
        out["overdue_by_unit"] = [byUnit.reduce(0) { $0 + $1.count }, overdue, overdue]
        return out
    }

    @Test func everyViewsHeaderCountsTheCasesItsPagesList() async throws {
        for engine in SessionMatrixTests.engines {
            let w = try await SessionMatrixTests.world(engine)
            defer { if let server = w.server { Task { await server.drop() } } }
            var nonEmpty = Set<String>()
            for step in 0..<2 {
                for login in Self.logins {
                    let s = try w.session(login)
                    for (view, n) in try Self.seen(s) {
                        #expect(n[0] == n[1] && n[1] == n[2], "\(engine) \(login) \(view) step \(step): header, rows, count \(n)")
                        if n[0] > 0 { nonEmpty.insert(view) }
                    }
                }
                guard step == 0 else { break }
                // Move cases between views: ask for information (paused), and answer one.
                let handler = try w.session("lanhdao.hoankiem")
                let open = try handler.queue(QueueQuery(filter: QueueFilter(openOnly: true, unitSubtree: try handler.current().unitId),
                                                        limit: 200))
                var moved = 0
                for row in open where moved < 3 {
                    let c = try handler.detail(caseRef: row.code, reference: nil).case
                    if try handler.allowedActions(for: c).contains(.wait) {
                        _ = try handler.perform(.wait(request: "Xin bổ sung ảnh hiện trường"), on: row.code)
                        moved += 1
                    }
                }
                #expect(moved > 0, "\(engine): no case could be paused")
            }
            // The views the check covers had cases in them.
            #expect(nonEmpty.isSuperset(of: ["all", "open", "overdue", "awaiting", "due90", "resolved", "finished"]), "\(engine): \(nonEmpty.sorted())")
        }
    }
}
