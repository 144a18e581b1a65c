import Foundation
import PaknCore
import PaknStore
import Testing
@testable import PaknUI

/// Keystroke-to-frame time on a large database: `PAKN_BENCH_DB=/path/to/big.sqlite
/// PAKN_BENCH_AS=login swift test --filter DeskTiming`. Skipped without the variable.
@Suite("Desk timing on a large database")
struct DeskTimingTests {
    static let env = ProcessInfo.processInfo.environment

    @Test(.enabled(if: env["PAKN_BENCH_DB"] != nil))
    func keystrokeToFrame() throws {
        let db = try AppDatabase(path: Self.env["PAKN_BENCH_DB"]!, create: false)
        let me = try #require(try db.official(login: Self.env["PAKN_BENCH_AS"] ?? "lanhdao.hanoi"))
        let now = ISO8601.parse(Self.env["PAKN_BENCH_NOW"] ?? "2026-11-23T09:00:00+07:00")!
        let runner = try DeskRunner(db: db, official: me, lang: .vi, width: 120, height: 40, view: .all, now: { now })
        var t0 = Date()
        runner.start()
        _ = runner.frame()
        let startup = Date().timeIntervalSince(t0)
        var times: [(String, Double)] = []
        func time(_ label: String, _ keys: [Key]) {
            t0 = Date()
            runner.send(keys)
            _ = runner.frame()
            times.append((label, Date().timeIntervalSince(t0) * 1000))
        }
        for _ in 0..<300 { time("j", [.char("j")]) }
        for _ in 0..<20 { time("PgDn", [.pageDown]) }
        time("G", [.char("G")])
        for _ in 0..<20 { time("PgUp", [.pageUp]) }
        time("g", [.char("g")])
        for v in ["1", "2", "3", "4", "5", "6", "7", "8"] { time("view " + v, [.char(Character(v))]) }
        time("/", [.char("/")])
        for c in "duong" { time("search " + String(c), [.char(c)]) }
        time("esc", [.escape])
        time("reload", [.ctrl("l")])
        for _ in 0..<50 { t0 = Date(); _ = runner.frame(); times.append(("frame-only", Date().timeIntervalSince(t0) * 1000)) }
        for _ in 0..<50 {
            let id = runner.state.selectedRow!.id
            t0 = Date(); _ = runner.perform(.loadDetail(caseId: id)); times.append(("detail-only", Date().timeIntervalSince(t0) * 1000))
        }
        var report = String(format: "start %.1f ms\n", startup * 1000)
        var byLabel: [String: [Double]] = [:]
        for (l, t) in times { byLabel[l.components(separatedBy: " ").first!, default: []].append(t) }
        for (l, ts) in byLabel.sorted(by: { $0.key < $1.key }) {
            let s = ts.sorted()
            report += String(format: "%-8@ n=%3d median %7.2f ms  p95 %7.2f ms  max %7.2f ms\n", l as NSString, s.count,
                             s[s.count / 2], s[min(s.count - 1, s.count * 95 / 100)], s.last!)
        }
        print(report)
        let js = times.filter { $0.0 == "j" }.map(\.1).sorted()
        #expect(js[js.count / 2] < 100, "median j takes \(js[js.count / 2]) ms")
    }
}
