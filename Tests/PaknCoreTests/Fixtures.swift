import Foundation
@testable import PaknCore

/// Shared fixtures: a working calendar with real Vietnamese holidays, deadline rules,
/// and one well-formed case for every status.
enum Fx {
    static func day(_ text: String) -> Day {
        guard let d = Day(text) else { fatalError("bad fixture date \(text)") }
        return d
    }

    /// An instant given in Vietnam wall-clock time (UTC+7), computed without `Day`
    /// so the fixtures do not depend on the code they test.
    static func vn(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 9, _ min: Int = 0, _ s: Int = 0) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(secondsFromGMT: 7 * 3600)!
        return cal.date(from: DateComponents(year: y, month: m, day: d, hour: h, minute: min, second: s))!
    }

    // MARK: Calendar

    /// Tết Bính Ngọ 2026: the civil service is off from Saturday 14/2 to Sunday 22/2;
    /// the weekdays among them are Monday 16/2 to Friday 20/2.
    static let tet2026: [CalendarException] = (16...20).map {
        CalendarException(day: day(String(format: "2026-02-%02d", $0)), kind: .holiday, name: "Tết Nguyên đán Bính Ngọ")
    }

    /// 30/4 – 1/5/2024: Monday 29/4 off, swapped with Saturday 4/5 as a working day.
    static let reunification2024: [CalendarException] = [
        CalendarException(day: day("2024-04-29"), kind: .holiday, name: "Nghỉ bù (hoán đổi)"),
        CalendarException(day: day("2024-04-30"), kind: .holiday, name: "Ngày Giải phóng miền Nam"),
        CalendarException(day: day("2024-05-01"), kind: .holiday, name: "Ngày Quốc tế Lao động"),
        CalendarException(day: day("2024-05-04"), kind: .workday, name: "Làm bù cho thứ Hai 29/4"),
    ]

    static let calendar = WorkingCalendar(exceptions: tet2026 + reunification2024)

    // MARK: Rules

    /// A feedback rule counted in working days, with two extensions of 5 days (no
    /// acceptance step: the clock runs from receipt).
    static let rule = DeadlineRule(
        id: "pakn-qc-2024", kind: .feedback, effectiveFrom: day("2024-01-01"), counting: .working,
        days: 10, complexDays: 15, remoteDays: 15, remoteComplexDays: 20,
        extensionDays: 5, maxExtensions: 2, basis: "Quy chế tiếp nhận, xử lý phản ánh, kiến nghị")

    /// Law on Complaints 2011, art. 28: 30 days, 45 when complex; remote 45/60; no extension.
    static let complaintRule = DeadlineRule(
        id: "lkn-2011-d28", kind: .complaint, effectiveFrom: day("2012-07-01"), counting: .calendar,
        acceptanceDays: 10, days: 30, complexDays: 45, remoteDays: 45, remoteComplexDays: 60,
        basis: "Điều 28 Luật Khiếu nại 2011")

    // MARK: Cases

    static let receivedAt = vn(2026, 2, 2, 8, 30)   // Monday
    static let now = vn(2026, 2, 10, 14, 0)         // Tuesday of the next week
    static let actor: Int64 = 7
    static let unit: Int64 = 10
    static let assignee: Int64 = 100

    static func context(now: Date = now, actor: Int64 = actor, rule: DeadlineRule = rule,
                        calendar: WorkingCalendar = calendar,
                        policy: WorkflowPolicy = WorkflowPolicy()) -> WorkflowContext {
        WorkflowContext(now: now, actorId: actor, calendar: calendar, rule: rule, policy: policy)
    }

    /// A fresh case at intake under `rule`, with `dueAt` consistent with its deadline.
    static func newCase(id: Int64 = 1, kind: CaseKind = .feedback, receivedAt: Date = receivedAt,
                        rule: DeadlineRule = rule, calendar: WorkingCalendar = calendar,
                        complex: Bool = false, title: String = "Đèn đường hỏng trên phố Hàng Bạc") -> Case {
        let deadline = Deadline(rule: rule, start: Day(receivedAt), complex: complex, remote: false)
        return Case(id: id, code: String(format: "HN-2026-%06d", id), title: title,
                    body: "Đèn đường trước số 12 Hàng Bạc đã hỏng hai tuần, buổi tối rất tối và nguy hiểm.",
                    kind: kind, category: "do_thi", channel: .hotline, reporterId: 55, complex: complex,
                    receivedAt: receivedAt, deadline: deadline,
                    dueAt: deadline.dueDay(in: calendar).end, updatedAt: receivedAt)
    }

    /// A well-formed case sitting in `status`, as the workflow would have left it.
    static func inStatus(_ status: CaseStatus, id: Int64 = 1) -> Case {
        var c = newCase(id: id)
        let earlier = vn(2026, 2, 5, 10, 0)
        c.status = status
        switch status {
        case .received:
            break
        case .routed:
            c.unitId = unit
        case .assigned, .inProgress:
            c.unitId = unit; c.assigneeId = assignee
        case .awaitingInfo:
            c.unitId = unit; c.assigneeId = assignee
            c.deadline = c.deadline.paused(on: Day(earlier))
        case .resolved:
            c.unitId = unit; c.assigneeId = assignee
            c.reply = "Đã thay bóng đèn, đề nghị công dân kiểm tra."
            c.resolvedAt = earlier
        case .closed:
            c.unitId = unit; c.assigneeId = assignee
            c.reply = "Đã thay bóng đèn, đề nghị công dân kiểm tra."
            c.resolvedAt = earlier; c.closedAt = earlier.addingTimeInterval(3600)
        case .rejected:
            c.unitId = unit
            c.closedAt = earlier
        case .merged:
            c.unitId = unit
            c.masterId = 42
            c.closedAt = earlier
        }
        c.dueAt = c.deadline.dueDay(in: calendar).end
        c.version = 3
        c.updatedAt = earlier
        return c
    }

    /// The actions that are workflow steps (everything an `Action` can be).
    static let workflowActions: [ActionName] = [
        .route, .assign, .start, .wait, .resume, .reply, .close, .reject, .reopen,
        .transfer, .escalate, .extend, .merge, .rate, .note, .accept, .complex, .extendLate, .notice,
    ]

    /// ActionNames that are recorded in history but are never workflow steps.
    static let nonWorkflowNames: [ActionName] = [.intake, .reveal, .refused, .erase, .attach, .link]

    /// A valid instance of each action, with Vietnamese text, aimed at a case in `inStatus`.
    static func sample(_ name: ActionName) -> Action {
        switch name {
        case .route: .route(unitId: 20)
        case .assign: .assign(officialId: 200)
        case .start: .start
        case .wait: .wait(request: "Đề nghị công dân bổ sung ảnh chụp hiện trường")
        case .resume: .resume(note: "Công dân đã bổ sung ảnh")
        case .reply: .reply(text: "Đơn vị đã thay bóng đèn ngày 10/02/2026.")
        case .close: .close
        case .reject: .reject(reason: "Nội dung không thuộc thẩm quyền")
        case .reopen: .reopen(reason: "Công dân phản ánh đèn vẫn chưa sáng")
        case .transfer: .transfer(unitId: 30, reason: "Thuộc lĩnh vực điện lực")
        case .escalate: .escalate(parentUnitId: 1, reason: "Vượt thẩm quyền cấp xã")
        case .extend: .extend(reason: "Cần xác minh thực địa")
        case .merge: .merge(masterId: 999)
        case .rate: .rate(Rating(score: 5, reasons: [.satisfied], comment: "Cảm ơn phường"))
        case .note: .note(text: "Đã gọi điện cho công dân")
        case .accept: .accept(note: "Thông báo thụ lý số 12/TB-UBND")
        case .complex: .markComplex(level: 1, reason: "Cần xác minh tại nhiều nơi")
        case .extendLate: .extend(reason: "Quyết định gia hạn ký trước ngày hết hạn, ghi muộn", late: true)
        case .notice: .notify(text: "Ủy ban nhân dân phường Hoàn Kiếm đã tiếp nhận phản ánh của ông/bà.", purpose: .acknowledgement)
        case .intake, .reveal, .refused, .erase, .attach, .link:
            fatalError("\(name) is not a workflow action")
        }
    }

    /// Applies `action`, returning the refusal instead of throwing.
    static func outcome(_ action: Action, to c: Case, in ctx: WorkflowContext = context())
        -> Result<Transition, WorkflowError> {
        do { return .success(try Workflow.apply(action, to: c, in: ctx)) } catch { return .failure(error) }
    }

    static func refusal(_ action: Action, to c: Case, in ctx: WorkflowContext = context()) -> WorkflowError? {
        if case let .failure(e) = outcome(action, to: c, in: ctx) { return e }
        return nil
    }
}

/// A deterministic generator (Knuth's MMIX LCG) so random walks replay identically.
struct LCG: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        // Mix the high bits down: the low bits of an LCG are weak.
        var z = state
        z = (z ^ (z >> 33)) &* 0xff51afd7ed558ccd
        return z ^ (z >> 29)
    }
}
