import Foundation

/// Settings of local practice that shape the workflow.
public struct WorkflowPolicy: Sendable, Equatable {
    /// A rating at or below this score reopens the case.
    public var reopenAtOrBelow: Int
    /// Remaining counted days at or below which a case is "due soon".
    public var dueSoonDays: Int

    public init(reopenAtOrBelow: Int = 2, dueSoonDays: Int = 3) {
        self.reopenAtOrBelow = reopenAtOrBelow; self.dueSoonDays = dueSoonDays
    }
}

/// What the workflow needs to know besides the case: who acts, when, and by which rules.
public struct WorkflowContext: Sendable {
    public var now: Date
    public var actorId: Int64
    public var calendar: WorkingCalendar
    /// The deadline rule the case runs under.
    public var rule: DeadlineRule
    public var policy: WorkflowPolicy
    /// The case's ward is flagged remote (vùng sâu, vùng xa): the rule's remote limits apply.
    public var remote: Bool

    public init(now: Date, actorId: Int64, calendar: WorkingCalendar, rule: DeadlineRule,
                policy: WorkflowPolicy = WorkflowPolicy(), remote: Bool = false) {
        self.now = now; self.actorId = actorId; self.calendar = calendar; self.rule = rule; self.policy = policy
        self.remote = remote
    }
}

/// The result of an accepted action: the case as it now is and the event that records it.
public struct Transition: Equatable, Sendable {
    public var updated: Case
    public var event: EventDraft
}

/// The state machine of a case. Pure: it decides, the store persists.
public enum Workflow {
    /// Which actions each status allows. The order is the order menus offer them in.
    public static let allowed: [CaseStatus: [ActionName]] = [
        .received: [.accept, .route, .reject, .merge, .complex, .extend, .extendLate, .note, .notice],
        .routed: [.accept, .assign, .transfer, .escalate, .reject, .merge, .complex, .extend, .extendLate, .note, .notice],
        .assigned: [.accept, .start, .reply, .wait, .assign, .transfer, .escalate, .extend, .extendLate, .complex, .reject,
                    .merge, .note, .notice],
        .inProgress: [.accept, .reply, .wait, .assign, .transfer, .escalate, .extend, .extendLate, .complex, .reject, .merge,
                      .note, .notice],
        .awaitingInfo: [.resume, .assign, .extend, .extendLate, .complex, .reject, .merge, .note, .notice],
        .resolved: [.close, .rate, .reopen, .note],
        .closed: [.rate, .reopen, .note],
        .rejected: [.reopen, .note],
        .merged: [.note],
    ]

    public static func allowedActions(from status: CaseStatus) -> [ActionName] { allowed[status] ?? [] }

    public static func isAllowed(_ action: ActionName, from status: CaseStatus) -> Bool {
        allowedActions(from: status).contains(action)
    }

    /// What a case allows now, as menus offer it: `accept` only while it awaits acceptance,
    /// and then no reply or pause yet; a late extension is a supervisor's decision, asked
    /// for by name (`extend --late`), not offered.
    public static func allowedActions(for c: Case) -> [ActionName] {
        offered(from: c.status, awaitingAcceptance: c.deadline.awaitingAcceptance)
    }

    /// What a menu offers from `status`; `awaitingAcceptance` nil when the case's clock is
    /// not known yet (no accept then, the rest as the table says).
    public static func offered(from status: CaseStatus, awaitingAcceptance pending: Bool? = nil) -> [ActionName] {
        allowedActions(from: status).filter { a in
            switch a {
            case .accept: return pending == true
            case .reply, .wait: return pending != true
            case .extendLate: return false
            default: return true
            }
        }
    }

    /// Applies `action` to `current`, or refuses it with the reason.
    public static func apply(_ action: Action, to current: Case, in ctx: WorkflowContext) throws(WorkflowError) -> Transition {
        let from = current.status
        guard isAllowed(action.name, from: from) else {
            throw .illegalTransition(action: action.name, from: from, allowed: allowedActions(for: current))
        }
        let today = Day(ctx.now)
        var c = current
        var note: String?

        switch action {
        case let .route(unitId):
            c.unitId = unitId
            c.assigneeId = nil
            c.status = .routed
        case let .assign(officialId):
            if current.assigneeId == officialId { throw .sameAssignee }
            c.assigneeId = officialId
            if from == .routed { c.status = .assigned }
        case .start:
            c.status = .inProgress
        case let .wait(request, suspension):
            if c.deadline.awaitingAcceptance { throw .notAccepted(action: .wait) }
            switch ctx.rule.pause {
            case .none:
                throw .pauseNotAllowed(ruleId: ctx.rule.id, basis: ctx.rule.basis)
            case .awaitingInfo:
                note = try required(request, "request")
            case .suspension:
                let grounds = ctx.rule.suspensionGrounds.map(\.code)
                guard let s = suspension else { throw .suspensionRequired(grounds: grounds) }
                let decision = try required(s.decision, "decision")
                guard let g = ctx.rule.ground(s.ground) else { throw .unknownGround(s.ground, grounds: grounds) }
                let extra = request.trimmingCharacters(in: .whitespacesAndNewlines)
                note = L10n.t(extra.isEmpty ? "clock.suspension_note" : "clock.suspension_note_more", .vi, decision, g.vi, extra)
            }
            c.status = .awaitingInfo
            c.deadline = c.deadline.paused(on: today)
        case let .resume(n):
            note = n
            c.status = .inProgress
            c.deadline = c.deadline.resumed(on: today, in: ctx.calendar)
        case let .reply(text):
            if c.deadline.awaitingAcceptance { throw .notAccepted(action: .reply) }
            c.reply = try required(text, "reply")
            c.status = .resolved
            c.resolvedAt = ctx.now
        case .close:
            c.status = .closed
            c.closedAt = ctx.now
        case let .reject(reason):
            note = try required(reason, "reason")
            c.status = .rejected
            c.closedAt = ctx.now
        case let .reopen(reason):
            note = try required(reason, "reason")
            reopen(&c, today: today, ctx: ctx)
        case let .transfer(unitId, reason):
            note = try required(reason, "reason")
            if current.unitId == unitId { throw .sameUnit }
            c.unitId = unitId
            c.assigneeId = nil
            c.status = .routed
        case let .escalate(parentUnitId, reason):
            note = try required(reason, "reason")
            if current.unitId == parentUnitId { throw .sameUnit }
            c.unitId = parentUnitId
            c.assigneeId = nil
            c.status = .routed
        case let .extend(reason, late):
            note = try required(reason, "reason")
            try extend(&c, late: late, today: today, ctx: ctx)
        case let .accept(n):
            guard c.deadline.awaitingAcceptance else { throw .notAwaitingAcceptance }
            let due = c.deadline.dueDay(in: ctx.calendar)
            let text = n?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if today > due {
                let late = L10n.t("clock.accepted_late", .vi, due.description)
                note = text.isEmpty ? late : "\(late) \(text)"
            } else {
                note = text.isEmpty ? nil : text
            }
            c.deadline = c.deadline.accepted(on: today)
        case let .markComplex(level, reason):
            note = try required(reason, "reason")
            guard (0...2).contains(level) else { throw .complexityOutOfRange(level) }
            if level == c.complexity { throw .sameComplexity }
            if ctx.rule.extensionNeedsComplexity, c.deadline.extensions > level {
                throw .complexityBelowExtensions(extensions: c.deadline.extensions)
            }
            c.complexity = level
            c.deadline.days = ctx.rule.resolutionDays(complex: level > 0, remote: ctx.remote)
        case let .merge(masterId):
            if masterId == current.id { throw .mergeIntoSelf }
            c.masterId = masterId
            c.status = .merged
            c.closedAt = ctx.now
        case let .rate(rating):
            guard (1...5).contains(rating.score) else { throw .ratingOutOfRange(rating.score) }
            c.rating = rating.score
            c.ratingReasons = rating.reasons
            note = rating.comment
            if rating.score <= ctx.policy.reopenAtOrBelow {
                reopen(&c, today: today, ctx: ctx)
            }
        case let .note(text):
            note = try required(text, "note")
        case let .notify(text, _):
            note = try required(text, "notice")
        }

        c.dueAt = c.deadline.dueDay(in: ctx.calendar).end
        if c != current || action.name == .note || action.name == .notice {
            c.version = current.version + 1
            c.updatedAt = ctx.now
        }
        let changes = CaseSnapshot.diff(CaseSnapshot.of(current), CaseSnapshot.of(c))
        let event = EventDraft(caseId: current.id, at: ctx.now, actorId: ctx.actorId, action: action.name,
                               fromStatus: from, toStatus: c.status, note: note, changes: changes)
        return Transition(updated: c, event: event)
    }

    /// Back to work with a fresh clock: a reopened case gets the rule's full time again. A
    /// case that was accepted stays accepted (its new clock is the resolution's); one that
    /// never was awaits acceptance again, counted from today.
    private static func reopen(_ c: inout Case, today: Day, ctx: WorkflowContext) {
        c.status = c.assigneeId != nil ? .inProgress : (c.unitId != nil ? .routed : .received)
        c.resolvedAt = nil
        c.closedAt = nil
        let d = c.deadline
        c.deadline = Deadline(ruleId: d.ruleId, counting: d.counting, start: today, days: d.days,
                              acceptDays: d.acceptDays, acceptCounting: d.acceptCounting, acceptedOn: d.acceptedOn,
                              rollover: d.rollover)
    }

    /// An extension: of the acceptance limit before acceptance (to the rule's longer limit,
    /// once), of the resolution after. Decided within the time limit; after it only as a
    /// late extension (`late`, a supervisor's permission). Rules that tie extensions to
    /// complexity allow one for a complex case, two for an especially complex one.
    private static func extend(_ c: inout Case, late: Bool, today: Day, ctx: WorkflowContext) throws(WorkflowError) {
        let rule = ctx.rule
        // The due day as it stands today: a pause still running counts up to today.
        let due = c.deadline.resumed(on: today, in: ctx.calendar).dueDay(in: ctx.calendar)
        let overdue = today > due
        if overdue && !late { throw .extensionOverdue(due: due) }
        if late && !overdue { throw .extensionNotLate(due: due) }
        if c.deadline.awaitingAcceptance {
            guard let max = rule.acceptanceMaxDays, let now = c.deadline.acceptDays, now < max else {
                throw .acceptanceExtensionNotAllowed(ruleId: rule.id)
            }
            c.deadline.acceptDays = max
            return
        }
        guard rule.maxExtensions > 0, rule.extensionDays > 0 else { throw .extensionNotAllowed(ruleId: rule.id) }
        let allowed = rule.extensionsAllowed(complexity: c.complexity)
        if c.deadline.extensions >= allowed {
            if allowed < rule.maxExtensions { throw .extensionNeedsComplexity(used: c.deadline.extensions, basis: rule.basis) }
            throw .extensionCapReached(max: rule.maxExtensions, basis: rule.basis)
        }
        c.deadline.extensions += 1
        c.deadline.extendedDays += rule.extensionDays
    }

    private static func required(_ text: String, _ field: String) throws(WorkflowError) -> String {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty { throw .missingText(field: field) }
        return t
    }

    /// The intake event of a new case: every workflow field, from nothing.
    public static func intakeEvent(for c: Case, actorId: Int64, at: Date) -> EventDraft {
        EventDraft(caseId: c.id, at: at, actorId: actorId, action: .intake, fromStatus: nil,
                   toStatus: c.status, note: nil, changes: CaseSnapshot.diff([:], CaseSnapshot.of(c)))
    }
}
