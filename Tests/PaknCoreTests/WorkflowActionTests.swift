import Foundation
import Testing
@testable import PaknCore

/// The meaning of each action, beyond which status it leads to.
@Suite("Workflow action semantics")
struct WorkflowActionTests {
    func apply(_ a: Action, _ c: Case, _ ctx: WorkflowContext = Fx.context(),
               sourceLocation: SourceLocation = #_sourceLocation) throws -> Transition {
        let r = Fx.outcome(a, to: c, in: ctx)
        switch r {
        case let .success(t): return t
        case let .failure(e):
            Issue.record("refused: \(e)", sourceLocation: sourceLocation)
            throw e
        }
    }

    // MARK: Route, assign, transfer, escalate

    @Test func routeSetsUnitAndClearsAssignee() throws {
        var c = Fx.inStatus(.received)
        c.assigneeId = 100   // left over from before a reopen, say
        let t = try apply(.route(unitId: 20), c)
        #expect(t.updated.status == .routed)
        #expect(t.updated.unitId == 20)
        #expect(t.updated.assigneeId == nil)
        #expect(t.event.changes["unit_id"] == FieldChange(before: nil, after: "20"))
        #expect(t.event.changes["assignee_id"] == FieldChange(before: "100", after: nil))
    }

    @Test func assignFromRoutedMakesAssigned() throws {
        let t = try apply(.assign(officialId: 200), Fx.inStatus(.routed))
        #expect(t.updated.status == .assigned)
        #expect(t.updated.assigneeId == 200)
        #expect(t.updated.unitId == Fx.unit)
        #expect(t.event.changes["assignee_id"] == FieldChange(before: nil, after: "200"))
    }

    @Test("Reassigning keeps the status", arguments: [CaseStatus.assigned, .inProgress, .awaitingInfo])
    func reassignKeepsStatus(status: CaseStatus) throws {
        let c = Fx.inStatus(status)
        let t = try apply(.assign(officialId: 201), c)
        #expect(t.updated.status == status)
        #expect(t.updated.assigneeId == 201)
        #expect(t.updated.deadline == c.deadline, "reassigning must not touch the clock")
        #expect(t.event.changes["status"] == nil)
        #expect(t.event.changes["assignee_id"] == FieldChange(before: "100", after: "201"))
    }

    @Test func assignToTheSameOfficialIsRefused() {
        #expect(Fx.refusal(.assign(officialId: Fx.assignee), to: Fx.inStatus(.inProgress)) == .sameAssignee)
    }

    @Test("Transfer and escalate move the case to another unit, unassigned",
          arguments: [CaseStatus.routed, .assigned, .inProgress])
    func transferAndEscalate(status: CaseStatus) throws {
        let c = Fx.inStatus(status)
        for action in [Action.transfer(unitId: 30, reason: "Thuộc lĩnh vực điện lực"),
                       .escalate(parentUnitId: 1, reason: "Vượt thẩm quyền cấp xã")] {
            let t = try apply(action, c)
            let target: Int64 = action.name == .transfer ? 30 : 1
            #expect(t.updated.status == .routed)
            #expect(t.updated.unitId == target)
            #expect(t.updated.assigneeId == nil)
            #expect(t.event.note != nil && !t.event.note!.isEmpty)
            #expect(t.event.changes["unit_id"] == FieldChange(before: String(Fx.unit), after: String(target)))
        }
    }

    @Test("Transfer and escalate refuse the unit the case is already with",
          arguments: [CaseStatus.routed, .assigned, .inProgress])
    func sameUnit(status: CaseStatus) {
        let c = Fx.inStatus(status)
        #expect(Fx.refusal(.transfer(unitId: Fx.unit, reason: "Chuyển lại"), to: c) == .sameUnit)
        #expect(Fx.refusal(.escalate(parentUnitId: Fx.unit, reason: "Chuyển lại"), to: c) == .sameUnit)
    }

    @Test func reasonIsTrimmedIntoTheNote() throws {
        let t = try apply(.transfer(unitId: 30, reason: "  Thuộc thẩm quyền Sở Xây dựng \n"), Fx.inStatus(.routed))
        #expect(t.event.note == "Thuộc thẩm quyền Sở Xây dựng")
    }

    // MARK: Missing text

    static let blanks = ["", " ", "   ", "\n", "\t \r\n", "\u{00A0}", "\u{3000}"]

    @Test("Blank text is refused with the field that is missing", arguments: blanks)
    func blankTextRefused(blank: String) {
        let cases: [(Action, CaseStatus, String)] = [
            (.transfer(unitId: 30, reason: blank), .routed, "reason"),
            (.escalate(parentUnitId: 1, reason: blank), .inProgress, "reason"),
            (.reject(reason: blank), .received, "reason"),
            (.reopen(reason: blank), .rejected, "reason"),
            (.extend(reason: blank), .inProgress, "reason"),
            (.wait(request: blank), .inProgress, "request"),
            (.reply(text: blank), .inProgress, "reply"),
            (.note(text: blank), .merged, "note"),
        ]
        for (action, status, field) in cases {
            let e = Fx.refusal(action, to: Fx.inStatus(status))
            #expect(e == .missingText(field: field), "\(action.name) from \(status)")
            if let e {
                for lang in Lang.allCases {
                    let text = e.text(lang)
                    #expect(!text.contains("field."), "field label missing from catalog: \(text)")
                    #expect(!text.contains("{"))
                }
            }
        }
    }

    // MARK: Wait and resume

    @Test func waitPausesTheClockOnTheVietnameseDay() throws {
        let c = Fx.inStatus(.inProgress)
        // 06:30 in Hà Nội is 23:30 UTC of the day before: the pause starts on the Vietnamese day.
        let early = Fx.vn(2026, 2, 11, 6, 30)
        let t = try apply(.wait(request: "Đề nghị bổ sung giấy tờ nhà đất"), c, Fx.context(now: early))
        #expect(t.updated.status == .awaitingInfo)
        #expect(t.updated.deadline.pausedSince == Fx.day("2026-02-11"))
        #expect(t.updated.dueAt == c.dueAt, "pausing alone does not move the due day")
        #expect(t.event.note == "Đề nghị bổ sung giấy tờ nhà đất")
        let st = DeadlineStatus.of(t.updated.deadline, status: t.updated.status, today: Fx.day("2026-03-30"),
                                   calendar: Fx.calendar, dueSoonDays: 3)
        #expect(st.state == .paused, "a paused case is never shown overdue")
    }

    @Test func resumePushesTheDueDayBackByCountedPausedDays() throws {
        // Received Monday 2/2/2026, 10 working days: 3,4,5,6,9,10,11,12,13 Feb, then Tết
        // (16–20 Feb) and the weekends, so the 10th working day is Monday 23 Feb.
        let c = Fx.inStatus(.inProgress)
        #expect(c.deadline.dueDay(in: Fx.calendar) == Fx.day("2026-02-23"))

        let waited = try apply(.wait(request: "Bổ sung ảnh"), c, Fx.context(now: Fx.vn(2026, 2, 13, 16)))
        // Paused Friday 13 Feb, resumed Monday 23 Feb: only 23 Feb is a counted working day.
        let resumed = try apply(.resume(note: nil), waited.updated, Fx.context(now: Fx.vn(2026, 2, 23, 8)))
        #expect(resumed.updated.status == .inProgress)
        #expect(resumed.updated.deadline.pausedSince == nil)
        #expect(resumed.updated.deadline.pausedDays == 1)
        #expect(resumed.updated.deadline.dueDay(in: Fx.calendar) == Fx.day("2026-02-24"))
        #expect(resumed.updated.dueAt == Fx.day("2026-02-24").end)
        #expect(resumed.event.changes["due_at"] != nil)
        #expect(resumed.event.changes["deadline"] != nil)
    }

    @Test func resumeTheSameDayCountsNothing() throws {
        let c = Fx.inStatus(.inProgress)
        let now = Fx.vn(2026, 2, 10, 9)
        let waited = try apply(.wait(request: "Bổ sung"), c, Fx.context(now: now))
        let resumed = try apply(.resume(note: "Đã nhận"), waited.updated, Fx.context(now: now.addingTimeInterval(3600)))
        #expect(resumed.updated.deadline.pausedDays == 0)
        #expect(resumed.updated.dueAt == c.dueAt)
        #expect(resumed.event.note == "Đã nhận")
    }

    @Test func pausesAccumulate() throws {
        var c = Fx.inStatus(.inProgress)
        // Two pauses of one working day each (Tue→Wed, Thu→Fri of the week of 2/3/2026).
        for (from, to) in [(3, 4), (5, 6)] {
            c = try apply(.wait(request: "Bổ sung lần \(from)"), c, Fx.context(now: Fx.vn(2026, 3, from))).updated
            c = try apply(.resume(note: nil), c, Fx.context(now: Fx.vn(2026, 3, to))).updated
        }
        #expect(c.deadline.pausedDays == 2)
        #expect(c.deadline.dueDay(in: Fx.calendar) == Fx.day("2026-02-25"))
    }

    // MARK: Reply

    @Test func replySetsTextAndResolvedAt() throws {
        let c = Fx.inStatus(.inProgress)
        let ctx = Fx.context()
        let t = try apply(.reply(text: "  Đã sửa chữa xong hệ thống chiếu sáng.\n"), c, ctx)
        #expect(t.updated.status == .resolved)
        #expect(t.updated.reply == "Đã sửa chữa xong hệ thống chiếu sáng.")
        #expect(t.updated.resolvedAt == ctx.now)
        #expect(t.updated.closedAt == nil)
        #expect(t.event.changes["reply"]?.after == "Đã sửa chữa xong hệ thống chiếu sáng.")
        #expect(t.event.changes["resolved_at"] == FieldChange(before: nil, after: CaseSnapshot.iso(ctx.now)))
    }

    @Test func replyKeepsDecomposedVietnamese() throws {
        let nfd = "Đã xử lý".decomposedStringWithCanonicalMapping
        let t = try apply(.reply(text: nfd), Fx.inStatus(.assigned))
        #expect(t.updated.reply == "Đã xử lý", "canonically equal to the NFC text")
    }

    @Test func closeAndReject() throws {
        let ctx = Fx.context()
        let closed = try apply(.close, Fx.inStatus(.resolved), ctx)
        #expect(closed.updated.closedAt == ctx.now)
        #expect(closed.updated.resolvedAt == Fx.inStatus(.resolved).resolvedAt)
        let rejected = try apply(.reject(reason: "Đơn nặc danh, không rõ nội dung"), Fx.inStatus(.routed), ctx)
        #expect(rejected.updated.status == .rejected)
        #expect(rejected.updated.closedAt == ctx.now)
        #expect(rejected.event.note == "Đơn nặc danh, không rõ nội dung")
    }

    // MARK: Extend

    @Test func extendUpToTheRulesCap() throws {
        // Fx.rule allows 2 extensions of 5 working days.
        var c = Fx.inStatus(.inProgress)
        let due0 = c.deadline.dueDay(in: Fx.calendar)
        for i in 1...Fx.rule.maxExtensions {
            let t = try apply(.extend(reason: "Cần xác minh thực địa lần \(i)"), c)
            #expect(t.updated.status == .inProgress)
            #expect(t.updated.deadline.extensions == i)
            #expect(t.updated.deadline.extendedDays == i * Fx.rule.extensionDays)
            let due = t.updated.deadline.dueDay(in: Fx.calendar)
            #expect(Fx.calendar.count(from: due0, to: due, counting: .working) == i * Fx.rule.extensionDays)
            #expect(t.updated.dueAt == due.end)
            c = t.updated
        }
        #expect(Fx.refusal(.extend(reason: "Thêm lần nữa"), to: c)
                == .extensionCapReached(max: Fx.rule.maxExtensions, basis: Fx.rule.basis))
        let msg = WorkflowError.extensionCapReached(max: 2, basis: Fx.rule.basis)
        for lang in Lang.allCases {
            #expect(msg.text(lang).contains("2"))
            #expect(msg.text(lang).contains(Fx.rule.basis))
        }
    }

    @Test func extendFirstDueDayByHand() throws {
        // Due Monday 23/2; five more working days: 24, 25, 26, 27 Feb and Monday 2 Mar.
        let t = try apply(.extend(reason: "Chờ ý kiến Sở"), Fx.inStatus(.assigned))
        #expect(t.updated.deadline.dueDay(in: Fx.calendar) == Fx.day("2026-03-02"))
    }

    @Test func extendRefusedWhenTheRuleAllowsNone() {
        var none = Fx.rule
        none.maxExtensions = 0
        none.id = "lkn-2011"
        #expect(Fx.refusal(.extend(reason: "Phức tạp"), to: Fx.inStatus(.inProgress), in: Fx.context(rule: none))
                == .extensionNotAllowed(ruleId: "lkn-2011"))
        var zeroDays = Fx.rule
        zeroDays.extensionDays = 0
        #expect(Fx.refusal(.extend(reason: "Phức tạp"), to: Fx.inStatus(.inProgress), in: Fx.context(rule: zeroDays))
                == .extensionNotAllowed(ruleId: zeroDays.id))
        for lang in Lang.allCases {
            #expect(WorkflowError.extensionNotAllowed(ruleId: "lkn-2011").text(lang).contains("lkn-2011"))
        }
    }

    @Test func extendWhileAwaitingInfoKeepsTheClockStopped() throws {
        let c = Fx.inStatus(.awaitingInfo)
        let t = try apply(.extend(reason: "Chờ bổ sung lâu"), c)
        #expect(t.updated.status == .awaitingInfo)
        #expect(t.updated.deadline.pausedSince == c.deadline.pausedSince)
        #expect(t.updated.deadline.extensions == 1)
    }

    // MARK: Merge

    @Test func mergeIntoSelfRefused() {
        let c = Fx.inStatus(.routed)
        #expect(Fx.refusal(.merge(masterId: c.id), to: c) == .mergeIntoSelf)
    }

    @Test func mergeRecordsTheMaster() throws {
        let ctx = Fx.context()
        let t = try apply(.merge(masterId: 77), Fx.inStatus(.inProgress), ctx)
        #expect(t.updated.status == .merged)
        #expect(t.updated.masterId == 77)
        #expect(t.updated.closedAt == ctx.now)
        #expect(t.event.changes["master_id"] == FieldChange(before: nil, after: "77"))
        #expect(Workflow.allowedActions(from: .merged) == [.note])
    }

    // MARK: Rate

    @Test("Ratings outside 1…5 are refused", arguments: [-1, 0, 6, 10, Int.max, Int.min])
    func ratingOutOfRange(score: Int) {
        for s in [CaseStatus.resolved, .closed] {
            #expect(Fx.refusal(.rate(Rating(score: score)), to: Fx.inStatus(s)) == .ratingOutOfRange(score))
        }
        for lang in Lang.allCases {
            #expect(WorkflowError.ratingOutOfRange(score).text(lang).contains(String(score)))
        }
    }

    @Test("A good rating is recorded and leaves the case alone",
          arguments: [CaseStatus.resolved, .closed], [3, 4, 5])
    func goodRating(status: CaseStatus, score: Int) throws {
        let c = Fx.inStatus(status)
        let t = try apply(.rate(Rating(score: score, reasons: [.satisfied], comment: "Rất hài lòng")), c)
        #expect(score > WorkflowPolicy().reopenAtOrBelow)
        #expect(t.updated.status == status)
        #expect(t.updated.rating == score)
        #expect(t.updated.ratingReasons == [.satisfied])
        #expect(t.updated.deadline == c.deadline)
        #expect(t.updated.closedAt == c.closedAt)
        #expect(t.event.note == "Rất hài lòng")
        #expect(t.event.changes["rating"] == FieldChange(before: nil, after: String(score)))
        #expect(t.event.changes["rating_reasons"] == FieldChange(before: nil, after: "satisfied"))
    }

    @Test("A rating's history line gives the score and the reasons in the reader's language")
    func ratingSummary() throws {
        let t = try apply(.rate(Rating(score: 2, reasons: [.vagueAnswer, .late])), Fx.inStatus(.resolved))
        let e = Event(id: 1, draft: t.event, hash: "")
        #expect(e.summary(.vi) == "2/5 · \(RatingReason.vagueAnswer.label(.vi)), \(RatingReason.late.label(.vi))")
        #expect(e.summary(.en) == "2/5 · \(RatingReason.vagueAnswer.label(.en)), \(RatingReason.late.label(.en))")
        #expect(RatingReason.vagueAnswer.label(.vi) != RatingReason.vagueAnswer.label(.en))
        let note = try apply(.note(text: "Đã gọi"), Fx.inStatus(.inProgress))
        #expect(Event(id: 2, draft: note.event, hash: "").summary(.vi) == nil)
    }

    @Test("A low rating reopens with a fresh clock", arguments: [CaseStatus.resolved, .closed], [1, 2])
    func lowRatingReopens(status: CaseStatus, score: Int) throws {
        var c = Fx.inStatus(status)
        c.deadline.extensions = 1
        c.deadline.extendedDays = 5
        c.deadline.pausedDays = 2
        c.dueAt = c.deadline.dueDay(in: Fx.calendar).end
        let now = Fx.vn(2026, 3, 9, 15)   // Monday
        let t = try apply(.rate(Rating(score: score, reasons: [.notResolved, .noProofOfWork])), c, Fx.context(now: now))
        #expect(t.updated.status == .inProgress, "the assignee gets it back")
        #expect(t.updated.rating == score)
        #expect(t.updated.ratingReasons == [.notResolved, .noProofOfWork])
        #expect(t.updated.resolvedAt == nil)
        #expect(t.updated.closedAt == nil)
        let d = t.updated.deadline
        #expect(d.start == Fx.day("2026-03-09"))
        #expect(d.days == c.deadline.days)
        #expect(d.extensions == 0 && d.extendedDays == 0 && d.pausedDays == 0 && d.pausedSince == nil)
        #expect(d.ruleId == c.deadline.ruleId && d.counting == c.deadline.counting)
        // 10 working days from Monday 9/3/2026 is Monday 23/3/2026.
        #expect(d.dueDay(in: Fx.calendar) == Fx.day("2026-03-23"))
        #expect(t.updated.dueAt == Fx.day("2026-03-23").end)
        #expect(t.event.toStatus == .inProgress)
        #expect(t.event.changes["rating_reasons"]?.after == "not_resolved,no_proof_of_work")
        WorkflowInvariants.check(t.updated)
    }

    @Test("The reopening threshold is policy", arguments: 1...5)
    func reopenThreshold(score: Int) throws {
        let policy = WorkflowPolicy(reopenAtOrBelow: 3)
        let t = try apply(.rate(Rating(score: score)), Fx.inStatus(.resolved), Fx.context(policy: policy))
        #expect((t.updated.status != .resolved) == (score <= 3))
    }

    // MARK: Reopen

    @Test func reopenGoesBackToWhoeverHeldIt() throws {
        let now = Fx.vn(2026, 3, 9, 0, 15)   // just after midnight in Hà Nội, still Sunday in UTC
        var withAssignee = Fx.inStatus(.rejected); withAssignee.assigneeId = 100
        var unitOnly = Fx.inStatus(.rejected); unitOnly.assigneeId = nil
        var nobody = Fx.inStatus(.rejected); nobody.unitId = nil; nobody.assigneeId = nil
        let expected: [(Case, CaseStatus)] = [(withAssignee, .inProgress), (unitOnly, .routed), (nobody, .received),
                                              (Fx.inStatus(.closed), .inProgress), (Fx.inStatus(.resolved), .inProgress)]
        for (c, target) in expected {
            let t = try apply(.reopen(reason: "Công dân khiếu nại tiếp"), c, Fx.context(now: now))
            #expect(t.updated.status == target)
            #expect(t.updated.closedAt == nil && t.updated.resolvedAt == nil)
            #expect(t.updated.deadline.start == Fx.day("2026-03-09"))
            #expect(t.updated.deadline.extensions == 0)
            #expect(t.updated.dueAt == Fx.day("2026-03-23").end)
            #expect(t.event.note == "Công dân khiếu nại tiếp")
        }
    }

    // MARK: Version and notes

    @Test func noteLeavesEverythingButTheVersion() throws {
        for s in CaseStatus.allCases {
            let c = Fx.inStatus(s)
            let ctx = Fx.context()
            let t = try apply(.note(text: "  Đã liên hệ tổ trưởng tổ dân phố  "), c, ctx)
            #expect(t.updated.status == s)
            #expect(t.event.fromStatus == s && t.event.toStatus == s)
            #expect(t.event.note == "Đã liên hệ tổ trưởng tổ dân phố")
            #expect(t.event.changes.isEmpty)
            #expect(t.updated.version == c.version + 1)
            #expect(t.updated.updatedAt == ctx.now)
            var back = t.updated; back.version = c.version; back.updatedAt = c.updatedAt
            #expect(back == c)
        }
    }

    @Test func versionIncrementsOnEveryChange() throws {
        var c = Fx.newCase()
        #expect(c.version == 1)
        let steps: [Action] = [
            .route(unitId: 10), .assign(officialId: 100), .start, .note(text: "Ghi chú"),
            .wait(request: "Bổ sung"), .resume(note: nil), .extend(reason: "Phức tạp"),
            .reply(text: "Đã xử lý"), .close, .rate(Rating(score: 5)),
        ]
        for (i, a) in steps.enumerated() {
            let t = try apply(a, c, Fx.context(now: Fx.now.addingTimeInterval(Double(i) * 3600)))
            #expect(t.updated.version == c.version + 1, "\(a.name)")
            c = t.updated
        }
        #expect(c.version == 1 + steps.count)
    }

    @Test func refusedActionsChangeNothing() {
        // Workflow.apply is pure: a refusal has no result, and the input is a value.
        let c = Fx.inStatus(.inProgress)
        let copy = c
        _ = Fx.refusal(.assign(officialId: Fx.assignee), to: c)
        #expect(c == copy)
    }
}
