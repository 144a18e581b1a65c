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

    public init(now: Date, actorId: Int64, calendar: WorkingCalendar, rule: DeadlineRule,
                policy: WorkflowPolicy = WorkflowPolicy()) {
        self.now = now; self.actorId = actorId; self.calendar = calendar; self.rule = rule; self.policy = policy
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
        .received: [.route, .reject, .merge, .note, .notice],
        .routed: [.assign, .transfer, .escalate, .reject, .merge, .note, .notice],
        .assigned: [.start, .reply, .wait, .assign, .transfer, .escalate, .extend, .reject, .merge, .note, .notice],
        .inProgress: [.reply, .wait, .assign, .transfer, .escalate, .extend, .reject, .merge, .note, .notice],
        .awaitingInfo: [.resume, .assign, .extend, .reject, .merge, .note, .notice],
        .resolved: [.close, .rate, .reopen, .note],
        .closed: [.rate, .reopen, .note],
        .rejected: [.reopen, .note],
        .merged: [.note],
    ]

    public static func allowedActions(from status: CaseStatus) -> [ActionName] { allowed[status] ?? [] }

    public static func isAllowed(_ action: ActionName, from status: CaseStatus) -> Bool {
        allowedActions(from: status).contains(action)
    }

    /// Applies `action` to `current`, or refuses it with the reason.
    public static func apply(_ action: Action, to current: Case, in ctx: WorkflowContext) throws(WorkflowError) -> Transition {
        let from = current.status
        guard isAllowed(action.name, from: from) else {
            throw .illegalTransition(action: action.name, from: from, allowed: allowedActions(from: from))
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
        case let .wait(request):
            note = try required(request, "request")
            c.status = .awaitingInfo
            c.deadline = c.deadline.paused(on: today)
        case let .resume(n):
            note = n
            c.status = .inProgress
            c.deadline = c.deadline.resumed(on: today, in: ctx.calendar)
        case let .reply(text):
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
        case let .extend(reason):
            note = try required(reason, "reason")
            guard ctx.rule.maxExtensions > 0, ctx.rule.extensionDays > 0 else {
                throw .extensionNotAllowed(ruleId: ctx.rule.id)
            }
            guard c.deadline.extensions < ctx.rule.maxExtensions else {
                throw .extensionCapReached(max: ctx.rule.maxExtensions, basis: ctx.rule.basis)
            }
            c.deadline.extensions += 1
            c.deadline.extendedDays += ctx.rule.extensionDays
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

    /// Back to work with a fresh clock: a reopened case gets the rule's full time again.
    private static func reopen(_ c: inout Case, today: Day, ctx: WorkflowContext) {
        c.status = c.assigneeId != nil ? .inProgress : (c.unitId != nil ? .routed : .received)
        c.resolvedAt = nil
        c.closedAt = nil
        c.deadline = Deadline(ruleId: c.deadline.ruleId, counting: c.deadline.counting, start: today,
                              days: c.deadline.days)
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
