import Foundation
import GRDB
import PaknCore
import PaknStore

/// One action of a stress run and what became of it.
public struct StressOutcome: Sendable, Equatable {
    public enum Result: Sendable, Equatable {
        /// Committed; the case is now at this version.
        case committed(version: Int)
        /// Someone else changed the case between the read and the write.
        case conflict
        /// Refused for permission or scope: a `refused` event was written.
        case denied
        /// Refused by the workflow or the store's checks; nothing written.
        case refused(String)
        /// Anything else — a bug, or a database failure.
        case error(String)
    }

    public var seq: Int
    public var caseId: Int64
    public var code: String
    public var action: ActionName
    public var result: Result

    /// `seq code action result version` — one line, tab-separated.
    public var line: String {
        let r: String
        switch result {
        case let .committed(v): r = "committed\t\(v)"
        case .conflict: r = "conflict\t-"
        case .denied: r = "denied\t-"
        case let .refused(why): r = "refused\t\(why)"
        case let .error(why): r = "error\t\(why.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " "))"
        }
        return "\(seq)\t\(caseId)\t\(code)\t\(action.rawValue)\t\(r)"
    }
}

/// Random legal actions on a training database, each in its own transaction, as several
/// clerks would make them: the concurrency and crash tests run it in several `pakn`
/// processes at once (`pakn stress`, hidden).
public enum StressRunner {
    /// Acts as the home unit's officials in turn: a training session only (its trainer may
    /// act as anyone, as `--as` does).
    public static func run(_ session: Session, actions: Int, seed: UInt64, hot: Int = 20,
                           report: (StressOutcome) -> Void) throws {
        guard session.isTraining else { throw StoreError.notTrainingDatabase(option: "stress") }
        let db = session.db
        let now = session.now
        var rng = SeededRandom(seed: seed)
        let (actors, departments, maxId) = try db.read { db -> ([Official], [Int64], Int64) in
            guard let code = try AppDatabase.setting(db, "home_unit"), let home = try UnitQueries.unit(db, code: code) else {
                throw StoreError.unknownUnit("home_unit")
            }
            let actors = try Row.fetchAll(db, sql: "SELECT \(OfficialStore.columns) FROM official WHERE unit_id = ? AND active = 1 ORDER BY id",
                                          arguments: [home.id]).map(OfficialStore.official(from:))
            let depts = try Int64.fetchAll(db, sql: "SELECT id FROM unit WHERE level = 'department' ORDER BY id LIMIT 400")
            let maxId = try Int64.fetchOne(db, sql: "SELECT max(id) FROM pakn_case") ?? 0
            return (actors, depts, maxId)
        }
        guard maxId > 0, !actors.isEmpty, !departments.isEmpty else { return }
        let ref = try db.reference()
        // Mostly officials who may do everything; now and then one who may not (a viewer).
        let able = actors.filter { Session.permissions.allows($0.role, .work) && Session.permissions.allows($0.role, .route) }
        let unable = actors.filter { !Session.permissions.allows($0.role, .route) }
        for seq in 1...max(1, actions) {
            let id = rng.chance(0.5) ? Int64(rng.int(1...Int(min(Int64(hot), maxId)))) : Int64(rng.int(1...Int(maxId)))
            let at = now.addingTimeInterval(Double(seq))
            let actor = (!unable.isEmpty && rng.chance(0.05)) || able.isEmpty ? rng.pick(unable.isEmpty ? actors : unable) : rng.pick(able)
            var outcome = StressOutcome(seq: seq, caseId: id, code: "#\(id)", action: .note, result: .refused("none"))
            do {
                let c = try db.resolveCase(String(id))
                outcome.code = c.code
                let action = try makeAction(db, c, maxId: maxId, departments: departments, seq: seq, rng: &rng)
                outcome.action = action.name
                let updated = try db.perform(action, on: String(id), expectedVersion: c.version, reference: ref, by: actor, at: at)
                outcome.result = .committed(version: updated.version)
            } catch let e as StoreError {
                switch e {
                case .conflict: outcome.result = .conflict
                case .permissionDenied, .outOfScope: outcome.result = .denied
                case .databaseUnusable, .databaseMissing: outcome.result = .error(e.text(.en))
                default: outcome.result = .refused(e.text(.en))
                }
            } catch let e as WorkflowError {
                outcome.result = .refused(e.text(.en))
            } catch {
                outcome.result = .error("\(error)")
            }
            report(outcome)
        }
    }

    static func makeAction(_ db: AppDatabase, _ c: Case, maxId: Int64, departments: [Int64], seq: Int,
                           rng: inout SeededRandom) throws -> Action {
        var names = Workflow.allowedActions(for: c)
        // Merging is rare in practice; keep it rare here so cases stay open to work on.
        if names.count > 1, rng.chance(0.9) { names.removeAll { $0 == .merge } }
        switch rng.pick(names) {
        case .route: return .route(unitId: rng.pick(departments))
        case .assign:
            if let unitId = c.unitId {
                let office = try db.read { try CaseService.owningOffice($0, unitId) }
                let staff = try db.officials(withinUnit: office.id, limit: 50).filter { $0.id != c.assigneeId }
                if !staff.isEmpty { return .assign(officialId: rng.pick(staff).id) }
            }
            return .note(text: "Chưa có cán bộ để giao #\(seq)")
        case .start: return .start
        case .accept: return .accept(note: nil)
        case .wait: return .wait(request: "Đề nghị bổ sung giấy tờ #\(seq)")
        case .resume: return .resume(note: nil)
        case .reply: return .reply(text: "Đã xử lý xong, trả lời công dân #\(seq)")
        case .close: return .close
        case .reject: return .reject(reason: "Không thuộc thẩm quyền #\(seq)")
        case .reopen: return .reopen(reason: "Công dân chưa hài lòng #\(seq)")
        case .transfer: return .transfer(unitId: rng.pick(departments), reason: "Chuyển đúng đơn vị #\(seq)")
        case .escalate: return .escalate(parentUnitId: 0, reason: "Vượt thẩm quyền #\(seq)")
        case .extend: return .extend(reason: "Vụ việc phức tạp #\(seq)")
        case .merge:
            var other = Int64(rng.int(1...Int(maxId)))
            if other == c.id { other = other == 1 ? 2 : other - 1 }
            return .merge(masterId: other)
        case .rate: return .rate(Rating(score: rng.int(1...5)))
        default: return .note(text: "Ghi chú #\(seq)")
        }
    }
}
