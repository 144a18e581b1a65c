import Foundation
import PaknCore
import PaknStoreAPI
import PaknUI

/// The desk benchmark on any engine: the same keys and writes as `DeskBench.measure`, on
/// sessions that `open` gives by login (`pakn bench --db postgres://…` opens server
/// sessions, each logged in as the official's role). What needs the SQLite file itself (the
/// statistics targets, the commit floor, the peak memory) is left out.
extension DeskBench {
    public static func measure(open: (String) throws -> any StoreSession, runs: Double = 1) throws -> [String: BenchStat] {
        var out: [String: [Double]] = [:]
        func n(_ base: Int) -> Int { max(2, Int((Double(base) * runs).rounded())) }

        for _ in 0..<n(10) {
            var frame: Grid?
            out["open_first_frame", default: []].append(try ms {
                let runner = try DeskRunner(session: try open(supervisor), lang: .vi, width: width, height: height)
                runner.start()
                frame = runner.frame()
            })
            precondition(frame != nil)
        }

        let runner = try DeskRunner(session: try open(supervisor), lang: .vi, width: width, height: height, view: .all)
        // The terminal loop's quiet moment after the first frame (no key is ever waiting
        // the instant the desk appears): the neighbours' details read ahead, as before
        // every later key. Without it the first move read its case cold, the one move in
        // 90 over 5 ms on a server.
        showAsOpened(runner)
        func key(_ name: String, _ keys: [Key]) {
            out[name, default: []].append(ms {
                runner.send(keys)
                _ = runner.frame()
            })
            if runner.idle() { _ = runner.frame() }
        }
        for _ in 0..<n(300) { key("move_row", [.down]) }
        for _ in 0..<n(100) { key("page_down", [.pageDown]) }
        for _ in 0..<n(40) {
            key("jump_end", [.end])
            key("jump_top", [.home])
        }
        for _ in 0..<n(60) {
            key("open_detail", [.down, .enter])
            runner.send(.escape)
        }
        for _ in 0..<n(10) {
            for v in ["1", "2", "3", "4", "6", "7", "8"] { key("switch_view", [.char(Character(v))]) }
            key("switch_view_overdue_by_unit", [.char("5")])
            out["switch_view", default: []].append(out["switch_view_overdue_by_unit"]!.last!)
        }
        for _ in 0..<n(100) {
            out["title_counts", default: []].append(ms {
                for m in runner.perform(.loadCounts) { runner.handle(m) }
                _ = runner.frame()
            })
        }
        runner.send(.char("8"))
        for _ in 0..<n(5) {
            for (name, text) in searches {
                runner.send(.char("/"))
                for c in text { key(name, [.char(c)]) }
                runner.send(.escape)
            }
        }

        let clerkSession = try open(clerk), handlerSession = try open(handler)
        let handlerOfficial = handlerSession.official
        let clerkDesk = try DeskRunner(session: clerkSession, lang: .vi, width: width, height: height)
        let handlerDesk = try DeskRunner(session: handlerSession, lang: .vi, width: width, height: height)
        showAsOpened(clerkDesk)
        showAsOpened(handlerDesk)
        let ward = try clerkSession.unit(code: "00070")
        let routed = try clerkSession.queue(QueueQuery(filter: QueueFilter(statuses: [.routed], unitSubtree: ward?.id), limit: n(60)))
        for row in routed {
            let req = PerformRequest(caseId: row.id, code: row.code, action: .assign(officialId: handlerOfficial.id), expectedVersion: nil)
            var ok = false
            let t = ms {
                if case let .performed(outcomes, _) = clerkDesk.perform(.perform([req], draft: nil)).first {
                    ok = outcomes.allSatisfy { $0.error == nil }
                }
            }
            if ok { out["assign", default: []].append(t) }
            clerkDesk.idle()
        }
        let working = try handlerSession.queue(QueueQuery(filter: QueueFilter(statuses: [.inProgress], assigneeId: handlerOfficial.id),
                                                          limit: n(60)))
        for row in working {
            let text = "Đơn vị đã kiểm tra hiện trường và xử lý xong nội dung phản ánh \(row.code). Trân trọng cảm ơn."
            let req = PerformRequest(caseId: row.id, code: row.code, action: .reply(text: text), expectedVersion: nil)
            var ok = false
            let t = ms {
                if case let .performed(outcomes, _) = handlerDesk.perform(.perform([req], draft: nil)).first {
                    ok = outcomes.allSatisfy { $0.error == nil }
                }
            }
            if ok { out["reply", default: []].append(t) }
            handlerDesk.idle()
        }
        return out.mapValues(BenchStat.init)
    }
}
