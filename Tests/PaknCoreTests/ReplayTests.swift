import Foundation
import Testing
@testable import PaknCore

/// A case's workflow state can be rebuilt from its history alone.
@Suite("Replay of event histories")
struct ReplayTests {
    static let reasons = [
        "Nội dung thuộc thẩm quyền UBND phường",
        "Cần xác minh thêm tại hiện trường",
        "Công dân không đồng ý với kết quả",
        "Thuộc lĩnh vực môi trường".decomposedStringWithCanonicalMapping,   // NFD input
        "   ",                                                             // refused: blank
        "  Đường Láng ngập sâu sau mưa  ",
    ]

    /// Builds a random (but legal-by-status) action for `c`, deliberately including
    /// arguments the workflow must refuse (blank text, same unit, bad scores, self-merge).
    static func randomAction(for c: Case, rng: inout LCG) -> Action {
        let name = Workflow.allowedActions(from: c.status).randomElement(using: &rng)!
        let reason = reasons.randomElement(using: &rng)!
        let unit = [Int64(10), 20, 30].randomElement(using: &rng)!
        switch name {
        case .route: return .route(unitId: unit)
        case .assign: return .assign(officialId: [Int64(100), 101, 102].randomElement(using: &rng)!)
        case .start: return .start
        case .wait: return .wait(request: reason)
        case .resume: return .resume(note: Bool.random(using: &rng) ? nil : reason)
        case .reply: return .reply(text: reason)
        case .close: return .close
        case .reject: return .reject(reason: reason)
        case .reopen: return .reopen(reason: reason)
        case .transfer: return .transfer(unitId: unit, reason: reason)
        case .escalate: return .escalate(parentUnitId: unit, reason: reason)
        case .extend: return .extend(reason: reason)
        case .extendLate: return .extend(reason: reason, late: true)
        case .accept: return .accept(note: Bool.random(using: &rng) ? nil : reason)
        case .complex: return .markComplex(level: Int.random(in: 0...3, using: &rng), reason: reason)
        case .merge: return .merge(masterId: Bool.random(using: &rng) ? c.id : 9_000 + c.id)
        case .rate:
            let reasons = Array(RatingReason.allCases.shuffled(using: &rng).prefix(Int.random(in: 0...2, using: &rng)))
            return .rate(Rating(score: Int.random(in: 0...6, using: &rng), reasons: reasons,
                                comment: Bool.random(using: &rng) ? nil : "Ý kiến công dân"))
        case .note: return .note(text: reason)
        case .notice: return .notify(text: reason, purpose: .acknowledgement)
        default: fatalError("\(name) offered by the workflow table")
        }
    }

    /// Whether `error` is an acceptable refusal of `action` on `c` given its arguments.
    static func explains(_ error: WorkflowError, _ action: Action, _ c: Case, rule: DeadlineRule, today: Day) -> Bool {
        func blank(_ s: String) -> Bool { s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        switch (error, action) {
        case let (.missingText, .wait(t, _)), let (.missingText, .reply(t)), let (.missingText, .reject(t)),
             let (.missingText, .reopen(t)), let (.missingText, .note(t)),
             let (.missingText, .transfer(_, t)), let (.missingText, .escalate(_, t)),
             let (.missingText, .markComplex(_, t)), let (.missingText, .notify(t, _)):
            return blank(t)
        case let (.missingText, .extend(t, _)): return blank(t)
        case (.notAccepted, _): return c.deadline.awaitingAcceptance
        case (.notAwaitingAcceptance, .accept): return !c.deadline.awaitingAcceptance
        case (.pauseNotAllowed, .wait): return rule.pause == .none
        case (.suspensionRequired, .wait): return rule.pause == .suspension
        case let (.extensionOverdue(due), .extend(_, late)): return !late && today > due
        case let (.extensionNotLate(due), .extend(_, late)): return late && today <= due
        case (.extensionNeedsComplexity, .extend): return rule.extensionNeedsComplexity
        case (.acceptanceExtensionNotAllowed, .extend): return c.deadline.awaitingAcceptance
        case let (.complexityOutOfRange(n), .markComplex(level, _)): return n == level && !(0...2).contains(level)
        case let (.sameComplexity, .markComplex(level, _)): return level == c.complexity
        case (.complexityBelowExtensions, .markComplex): return rule.extensionNeedsComplexity && c.deadline.extensions > 0
        case let (.sameUnit, .transfer(u, _)), let (.sameUnit, .escalate(u, _)): return u == c.unitId
        case let (.sameAssignee, .assign(o)): return o == c.assigneeId
        case let (.mergeIntoSelf, .merge(m)): return m == c.id
        case let (.ratingOutOfRange(n), .rate(r)): return n == r.score && !(1...5).contains(r.score)
        case (.extensionCapReached, .extend): return c.deadline.extensions >= rule.maxExtensions
        case (.extensionNotAllowed, .extend): return rule.maxExtensions == 0 || rule.extensionDays == 0
        default: return false
        }
    }

    static let rules: [DeadlineRule] = [
        Fx.rule,
        Fx.complaintRule,
        DeadlineRule(id: "kn-cutri", kind: .voterPetition, effectiveFrom: Fx.day("2020-01-01"), counting: .working,
                     days: 30, extensionDays: 10, maxExtensions: 1, basis: "Luật Tổ chức Quốc hội"),
        // A denunciation-like rule: acceptance in working days (extendable once), extensions
        // tied to complexity, pauses only by a suspension decision, the day-off rule.
        DeadlineRule(id: "tc-2018", kind: .denunciation, effectiveFrom: Fx.day("2019-01-01"), counting: .calendar,
                     acceptanceDays: 7, acceptanceCounting: .working, acceptanceMaxDays: 10, days: 30,
                     extensionDays: 30, maxExtensions: 2, extensionNeedsComplexity: true, pause: .suspension,
                     suspensionGrounds: [SuspensionGround(code: "await_other", vi: "Đợi kết quả", en: "Awaiting")],
                     lastDayOffMovesToNextWorkingDay: true, basis: "Điều 24, 30, 34 Luật Tố cáo 2018"),
    ]

    @Test("Random walks replay to the final snapshot", arguments: [UInt64(1), 2, 3, 42, 2026])
    func randomWalks(seed: UInt64) {
        var rng = LCG(seed: seed)
        var accepted = 0, refused = 0
        var statusesSeen: Set<CaseStatus> = []
        for n in 0..<60 {
            let rule = Self.rules.randomElement(using: &rng)!
            let received = Fx.vn(2026, 1, 5).addingTimeInterval(Double(Int.random(in: 0..<(200 * 86400), using: &rng)))
            var c = Fx.newCase(id: Int64(n + 1), kind: rule.kind, receivedAt: received, rule: rule,
                               complex: Bool.random(using: &rng))
            var now = received
            var history = [Workflow.intakeEvent(for: c, actorId: 1, at: now)]
            for _ in 0..<Int.random(in: 1...40, using: &rng) {
                // Time moves on by up to four days, landing at any second.
                now = now.addingTimeInterval(Double(Int.random(in: 0...(4 * 86400), using: &rng)))
                let actor = Int64.random(in: 1...5, using: &rng)
                let action = Self.randomAction(for: c, rng: &rng)
                let ctx = Fx.context(now: now, actor: actor, rule: rule)
                switch Fx.outcome(action, to: c, in: ctx) {
                case let .success(t):
                    accepted += 1
                    #expect(t.event.fromStatus == history.last!.toStatus, "events chain status to status")
                    #expect(t.event.actorId == actor && t.event.at == now)
                    let changed = withVersion(c, t.updated) != t.updated
                    #expect(t.updated.version == c.version + (changed || action.name == .note || action.name == .notice ? 1 : 0))
                    #expect(changed || t.event.changes.isEmpty, "an event cannot record changes that did not happen")
                    history.append(t.event)
                    c = t.updated
                    statusesSeen.insert(c.status)
                    WorkflowInvariants.check(c)
                    // The prefix property: after every step, replay matches.
                    #expect(CaseSnapshot.replay(history) == CaseSnapshot.of(c))
                case let .failure(e):
                    refused += 1
                    #expect(Self.explains(e, action, c, rule: rule, today: Day(now)), "unexplained refusal \(e) of \(action) in \(c.status)")
                }
            }
            #expect(CaseSnapshot.replay(history) == CaseSnapshot.of(c), "case \(n), seed \(seed)")
            // Dropping any one change-bearing event breaks the replay (the history is not redundant).
            if let i = history.indices.dropFirst().last(where: { !history[$0].changes.isEmpty }) {
                var broken = history
                broken.remove(at: i)
                let full = CaseSnapshot.replay(history)
                let partial = CaseSnapshot.replay(broken)
                // Every key the dropped event set to a value nothing later overwrote must differ.
                let lastWriters = Set(history[i...].dropFirst().flatMap(\.changes.keys))
                for (k, _) in history[i].changes where !lastWriters.contains(k) {
                    #expect(partial[k] != full[k], "\(k) should depend on the dropped event")
                }
            }
        }
        #expect(accepted > 500, "the walk must actually move cases")
        #expect(refused > 0, "the walk should also probe refusals")
        #expect(statusesSeen.count >= 7, "walk covered \(statusesSeen)")
    }

    /// `a` with `b`'s version and updatedAt: equal to `b` iff nothing else changed.
    private func withVersion(_ a: Case, _ b: Case) -> Case {
        var x = a; x.version = b.version; x.updatedAt = b.updatedAt; return x
    }

    @Test("Walks are deterministic for a seed")
    func deterministic() {
        func walk(_ seed: UInt64) -> [ActionName] {
            var rng = LCG(seed: seed)
            var c = Fx.newCase()
            var names: [ActionName] = []
            for i in 0..<50 {
                let a = Self.randomAction(for: c, rng: &rng)
                if case let .success(t) = Fx.outcome(a, to: c, in: Fx.context(now: Fx.now.addingTimeInterval(Double(i) * 7200))) {
                    c = t.updated; names.append(a.name)
                }
            }
            return names
        }
        #expect(walk(99) == walk(99))
        #expect(walk(99) != walk(100))
    }

    @Test func replayOfNothingIsEmpty() {
        #expect(CaseSnapshot.replay([]).isEmpty)
    }

    @Test func replayRemovesClearedFields() throws {
        // A route clears the assignee: the replayed snapshot must not keep the old one.
        var c = Fx.inStatus(.received)
        c.assigneeId = 100
        let intake = Workflow.intakeEvent(for: c, actorId: 1, at: Fx.receivedAt)
        let t = try Workflow.apply(.route(unitId: 20), to: c, in: Fx.context())
        let snap = CaseSnapshot.replay([intake, t.event])
        #expect(snap["assignee_id"] == nil)
        #expect(snap == CaseSnapshot.of(t.updated))
    }

    @Test func snapshotCarriesEveryWorkflowField() {
        var c = Fx.inStatus(.closed)
        c.rating = 2
        c.ratingReasons = [.late, .impolite]
        c.masterId = 5
        let s = CaseSnapshot.of(c)
        #expect(s["status"] == "closed")
        #expect(s["kind"] == "feedback")
        #expect(s["unit_id"] == "10" && s["assignee_id"] == "100" && s["master_id"] == "5")
        #expect(s["rating"] == "2" && s["rating_reasons"] == "late,impolite")
        #expect(s["reply"] == c.reply)
        #expect(s["resolved_at"] == ISO8601.format(c.resolvedAt!))
        #expect(s["closed_at"] == ISO8601.format(c.closedAt!))
        #expect(s["due_at"] == ISO8601.format(c.dueAt))
        // The deadline is recorded whole and decodes back to the same clock.
        let decoded = Deadline(compact: s["deadline"]!)
        #expect(decoded == c.deadline)
        // Reporter data never enters the snapshot.
        #expect(s["reporter_id"] == nil)
        #expect(!s.values.contains { $0.contains(c.body) })
    }
}
