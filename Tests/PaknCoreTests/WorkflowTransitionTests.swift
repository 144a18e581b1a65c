import Foundation
import Testing
@testable import PaknCore

/// Every (status × action) pair: legal ones move the case and record a faithful event,
/// illegal ones are refused with the list of what is allowed.
@Suite("Workflow transitions")
struct WorkflowTransitionTests {
    /// Where a reopened case goes back to: whoever last held it.
    static func reopenTarget(_ c: Case) -> CaseStatus {
        if c.assigneeId != nil { return .inProgress }
        if c.unitId != nil { return .routed }
        return .received
    }

    /// The target status the semantics give for the sample actions of `Fx.sample`.
    static func expectedTarget(_ action: ActionName, from c: Case) -> CaseStatus {
        switch action {
        case .route, .transfer, .escalate: return .routed
        case .assign: return c.status == .routed ? .assigned : c.status
        case .start, .resume: return .inProgress
        case .wait: return .awaitingInfo
        case .reply: return .resolved
        case .close: return .closed
        case .reject: return .rejected
        case .merge: return .merged
        case .reopen: return reopenTarget(c)
        case .rate, .extend, .extendLate, .note, .accept, .complex, .notice: return c.status   // the sample rating (5) is high
        default: fatalError("not a workflow action")
        }
    }

    @Test("Every status × action pair is accepted or refused as the table says",
          arguments: CaseStatus.allCases, Fx.workflowActions)
    func everyPair(status: CaseStatus, name: ActionName) throws {
        var before = Fx.inStatus(status)
        var ctx = Fx.context()
        switch name {
        case .accept:
            // Only a case awaiting acceptance can be accepted.
            before.deadline.acceptDays = 10
            before.dueAt = before.deadline.dueDay(in: ctx.calendar).end
        case .extendLate:
            // A late extension is for a case past its time limit.
            ctx = Fx.context(now: before.dueAt.addingTimeInterval(5 * 86400))
        default:
            break
        }
        let action = Fx.sample(name)
        #expect(action.name == name)

        switch Fx.outcome(action, to: before, in: ctx) {
        case let .success(t):
            #expect(Workflow.isAllowed(name, from: status))
            let target = Self.expectedTarget(name, from: before)
            #expect(t.updated.status == target)

            let e = t.event
            #expect(e.caseId == before.id)
            #expect(e.at == ctx.now)
            #expect(e.actorId == ctx.actorId)
            #expect(e.action == name)
            #expect(e.fromStatus == status)
            #expect(e.toStatus == target)

            // The diff is exactly the change between the two snapshots…
            let old = CaseSnapshot.of(before), new = CaseSnapshot.of(t.updated)
            #expect(e.changes == CaseSnapshot.diff(old, new))
            for (key, change) in e.changes {
                #expect(change.before == old[key], "before of \(key)")
                #expect(change.after == new[key], "after of \(key)")
                #expect(change.before != change.after)
            }
            // …so applying it to the old snapshot gives the new one.
            var replayed = old
            for (key, change) in e.changes { replayed[key] = change.after }
            #expect(replayed == new)

            if target != status {
                #expect(e.changes["status"] == FieldChange(before: status.rawValue, after: target.rawValue))
            } else {
                #expect(e.changes["status"] == nil)
            }
            // Every accepted sample action changes something (or is a note): the version moves.
            #expect(t.updated.version == before.version + 1)
            #expect(t.updated.updatedAt == ctx.now)
            // Facts of the case are never touched by the workflow.
            #expect(t.updated.id == before.id)
            #expect(t.updated.code == before.code)
            #expect(t.updated.title == before.title)
            #expect(t.updated.body == before.body)
            #expect(t.updated.kind == before.kind)
            #expect(t.updated.receivedAt == before.receivedAt)
            #expect(t.updated.reporterId == before.reporterId)
            // The stored due instant follows the deadline.
            #expect(t.updated.dueAt == t.updated.deadline.dueDay(in: ctx.calendar).end)
            WorkflowInvariants.check(t.updated)

        case let .failure(error):
            if name == .extendLate && status == .awaitingInfo {
                // A paused clock is never late: the pause counts up to today.
                guard case .extensionNotLate = error else { Issue.record("\(error)"); return }
                return
            }
            #expect(!Workflow.isAllowed(name, from: status), "a legal sample action was refused: \(error)")
            let allowed = Workflow.allowedActions(for: before)
            #expect(error == .illegalTransition(action: name, from: status, allowed: allowed))
            for lang in Lang.allCases {
                let text = error.text(lang)
                #expect(!text.contains("{"), "unfilled placeholder in \(text)")
                #expect(text.contains(status.label(lang)))
                #expect(text.localizedLowercase.contains(name.label(lang).localizedLowercase))
                for a in allowed {
                    #expect(text.contains(a.rawValue), "\(lang): \(a) missing from \(text)")
                    #expect(text.contains(a.label(lang)), "\(lang): label of \(a) missing from \(text)")
                }
                for a in Fx.workflowActions where !allowed.contains(a) {
                    #expect(!text.contains("\(a.rawValue) ("), "\(lang): \(a) offered but not allowed: \(text)")
                }
            }
        }
    }

    @Test("Legality is checked before the arguments", arguments: CaseStatus.allCases)
    func legalityFirst(status: CaseStatus) {
        // Arguments that would each be refused on their own merits.
        let bad: [Action] = [
            .rate(Rating(score: 9)), .reply(text: "  "), .merge(masterId: 1),
            .transfer(unitId: Fx.unit, reason: ""), .extend(reason: "\n"),
        ]
        let c = Fx.inStatus(status)
        for a in bad where !Workflow.isAllowed(a.name, from: status) {
            #expect(Fx.refusal(a, to: c) == .illegalTransition(action: a.name, from: status,
                                                                allowed: Workflow.allowedActions(for: c)))
        }
    }

    // MARK: The table itself

    @Test("The allowed table has the shape the process needs")
    func tableShape() {
        for s in CaseStatus.allCases {
            let allowed = Workflow.allowedActions(from: s)
            #expect(Set(allowed).count == allowed.count, "duplicates in \(s)")
            #expect(allowed.contains(.note), "an internal note is always possible (\(s))")
            for n in Fx.nonWorkflowNames { #expect(!allowed.contains(n)) }
            // Open cases can always be rejected or merged as duplicates; finished ones cannot.
            #expect(allowed.contains(.reject) == s.isOpen)
            #expect(allowed.contains(.merge) == s.isOpen)
            // Only what is finished can be rated or reopened; a merged case stays merged.
            #expect(allowed.contains(.rate) == [.resolved, .closed].contains(s))
            #expect(allowed.contains(.reopen) == [.resolved, .closed, .rejected].contains(s))
            // Replies come from someone working on the case.
            #expect(allowed.contains(.reply) == [.assigned, .inProgress].contains(s))
            #expect(allowed.contains(.resume) == (s == .awaitingInfo))
            #expect(allowed.contains(.route) == (s == .received))
        }
        #expect(Workflow.allowedActions(from: .merged) == [.note])
        #expect(Workflow.allowedActions(from: .routed).contains(.assign))
        #expect(Workflow.allowedActions(from: .inProgress).contains(.assign))
    }

    @Test("Every status can be reached from intake")
    func reachability() {
        var seen: Set<CaseStatus> = [.received]
        var frontier: [CaseStatus] = [.received]
        while let s = frontier.popLast() {
            for name in Workflow.allowedActions(from: s) {
                guard case let .success(t) = Fx.outcome(Fx.sample(name), to: Fx.inStatus(s)) else { continue }
                if seen.insert(t.updated.status).inserted { frontier.append(t.updated.status) }
            }
        }
        #expect(seen == Set(CaseStatus.allCases))
    }

    @Test("The intake event records every workflow field from nothing")
    func intake() {
        let c = Fx.inStatus(.received)
        let at = Fx.receivedAt
        let e = Workflow.intakeEvent(for: c, actorId: 3, at: at)
        #expect(e.action == .intake)
        #expect(e.fromStatus == nil)
        #expect(e.toStatus == .received)
        #expect(e.actorId == 3 && e.at == at && e.caseId == c.id)
        #expect(e.changes.values.allSatisfy { $0.before == nil && $0.after != nil })
        #expect(CaseSnapshot.replay([e]) == CaseSnapshot.of(c))
    }
}

/// Facts that must hold of any case the workflow leaves behind.
enum WorkflowInvariants {
    static func check(_ c: Case, sourceLocation: SourceLocation = #_sourceLocation) {
        let s = c.status
        #expect((c.closedAt != nil) == [.closed, .rejected, .merged].contains(s),
                "closedAt \(String(describing: c.closedAt)) for \(s)", sourceLocation: sourceLocation)
        #expect((c.resolvedAt != nil) == [.resolved, .closed].contains(s),
                "resolvedAt for \(s)", sourceLocation: sourceLocation)
        #expect((c.masterId != nil) == (s == .merged), "masterId for \(s)", sourceLocation: sourceLocation)
        if s == .awaitingInfo {
            #expect(c.deadline.pausedSince != nil, "awaiting info must stop the clock", sourceLocation: sourceLocation)
        } else if s.isOpen {
            #expect(c.deadline.pausedSince == nil, "clock stopped in \(s)", sourceLocation: sourceLocation)
        }
        switch s {
        case .routed:
            #expect(c.unitId != nil && c.assigneeId == nil, sourceLocation: sourceLocation)
        case .assigned, .inProgress, .awaitingInfo:
            #expect(c.assigneeId != nil, sourceLocation: sourceLocation)
        case .received:
            #expect(c.assigneeId == nil, sourceLocation: sourceLocation)
        default:
            break
        }
        if s == .resolved || s == .closed { #expect(c.reply != nil, sourceLocation: sourceLocation) }
        if let r = c.rating { #expect((1...5).contains(r), sourceLocation: sourceLocation) }
        #expect(c.deadline.extensions >= 0 && c.deadline.pausedDays >= 0, sourceLocation: sourceLocation)
    }
}
