import Foundation
import Testing
@testable import PaknCore
@testable import PaknStore

/// The legal scenarios of docs/workflow.md §4 ("Legal scenarios"): each row there is one
/// test here, run on the shipped rules (`deadline-rules.json`) and the shipped calendar
/// (`holidays.json`) through the same `Workflow.apply` the store runs. A second test checks
/// that the document's table states the date each scenario computes, so the table cannot
/// drift from the code.
@Suite("Legal scenarios (docs/workflow.md)")
struct LegalScenarioTests {
    /// What a scenario ends with: the due day pakn computes, or the refusal it gives.
    enum Outcome: Equatable, CustomStringConvertible {
        case due(Day)
        case refused(WorkflowError)

        var description: String {
            switch self {
            case let .due(d): d.vietnamese
            case let .refused(e): "refused: \(e.text(.en))"
            }
        }
    }

    struct Scenario: CustomTestStringConvertible, Sendable {
        var id: String
        var expected: Outcome
        var run: @Sendable (Clocks) throws -> Outcome
        var testDescription: String { id }
    }

    /// The shipped rules and calendar, and a way to walk one case through actions on given days.
    struct Clocks {
        let book: DeadlineRulebook
        let calendar: WorkingCalendar

        static let shipped = Clocks(book: DeadlineRulebook(try! BundledData.rules()),
                                    calendar: WorkingCalendar(exceptions: try! BundledData.holidays()))

        func newCase(_ kind: CaseKind, received: String, complex: Bool = false, remote: Bool = false) -> Case {
            let day = Day(received)!
            let rule = book.rule(for: kind, receivedOn: day)!
            let d = Deadline(rule: rule, start: day, complex: complex, remote: remote)
            return Case(id: 1, code: "HN-2026-000001", title: "Tình huống", body: "Nội dung", kind: kind, category: "other",
                        channel: .walkIn, unitId: 10, status: .inProgress, complex: complex,
                        receivedAt: day.start.addingTimeInterval(9 * 3600), deadline: d,
                        dueAt: d.dueDay(in: calendar).end, updatedAt: day.start)
        }

        /// Applies `action` on `day` (09:00), throwing the workflow's refusal.
        func act(_ c: inout Case, _ action: Action, on day: String, remote: Bool = false) throws {
            let rule = book.rule(id: c.deadline.ruleId)!
            let ctx = WorkflowContext(now: Day(day)!.start.addingTimeInterval(9 * 3600), actorId: 7, calendar: calendar,
                                      rule: rule, remote: remote)
            c = try Workflow.apply(action, to: c, in: ctx).updated
        }

        func due(_ c: Case) -> Outcome { .due(c.deadline.dueDay(in: calendar)) }

        /// The outcome of one last action: the due day after it, or its refusal.
        func last(_ c: inout Case, _ action: Action, on day: String, remote: Bool = false) -> Outcome {
            do {
                try act(&c, action, on: day, remote: remote)
                return due(c)
            } catch let e as WorkflowError {
                return .refused(e)
            } catch {
                return .refused(.missingText(field: "\(error)"))
            }
        }
    }

    static func d(_ s: String) -> Day { Day(s)! }
    static let suspension = Suspension(decision: "15/QĐ-TĐC", ground: "await_other")

    static let scenarios: [Scenario] = [
        Scenario(id: "S1", expected: .due(d("2026-03-06"))) { k in
            k.due(k.newCase(.feedback, received: "2026-02-13"))
        },
        Scenario(id: "S2", expected: .due(d("2026-02-23"))) { k in
            k.due(k.newCase(.complaint, received: "2026-02-13"))
        },
        Scenario(id: "S3", expected: .due(d("2026-02-23"))) { k in
            k.due(k.newCase(.complaint, received: "2026-02-05"))
        },
        Scenario(id: "S4", expected: .due(d("2026-04-03"))) { k in
            var c = k.newCase(.complaint, received: "2026-03-02")
            return k.last(&c, .accept(note: nil), on: "2026-03-04")
        },
        Scenario(id: "S5", expected: .due(d("2026-04-20"))) { k in
            var c = k.newCase(.complaint, received: "2026-03-02")
            try k.act(&c, .accept(note: nil), on: "2026-03-04")
            return k.last(&c, .markComplex(level: 1, reason: "Nhiều người liên quan"), on: "2026-03-05")
        },
        Scenario(id: "S6", expected: .due(d("2026-05-04"))) { k in
            var c = k.newCase(.complaint, received: "2026-03-02", complex: true, remote: true)
            return k.last(&c, .accept(note: nil), on: "2026-03-04")
        },
        Scenario(id: "S7", expected: .due(d("2026-04-06"))) { k in
            var c = k.newCase(.complaint, received: "2026-03-02")
            return k.last(&c, .accept(note: nil), on: "2026-03-06")
        },
        Scenario(id: "S8", expected: .due(d("2026-05-04"))) { k in
            var c = k.newCase(.complaint, received: "2026-03-25")
            return k.last(&c, .accept(note: nil), on: "2026-04-01")
        },
        Scenario(id: "S9", expected: .refused(.pauseNotAllowed(ruleId: "complaint-2011", basis: ""))) { k in
            var c = k.newCase(.complaint, received: "2026-06-01")
            try k.act(&c, .accept(note: nil), on: "2026-06-03")
            guard k.due(c) == .due(d("2026-07-03")) else { return k.due(c) }
            return k.last(&c, .wait(request: "Đề nghị bổ sung giấy tờ"), on: "2026-06-10")
        },
        Scenario(id: "S10", expected: .due(d("2026-08-17"))) { k in
            var c = k.newCase(.complaint, received: "2026-07-06")
            try k.act(&c, .accept(note: nil), on: "2026-07-08")
            try k.act(&c, .wait(request: "", suspension: suspension), on: "2026-07-15")
            return k.last(&c, .resume(note: "Đã có kết quả"), on: "2026-07-25")
        },
        Scenario(id: "S11", expected: .refused(.suspensionRequired(grounds: []))) { k in
            var c = k.newCase(.complaint, received: "2026-07-06")
            try k.act(&c, .accept(note: nil), on: "2026-07-08")
            return k.last(&c, .wait(request: "Đề nghị bổ sung giấy tờ"), on: "2026-07-15")
        },
        Scenario(id: "S12", expected: .due(d("2026-03-03"))) { k in
            k.due(k.newCase(.denunciation, received: "2026-02-13"))
        },
        Scenario(id: "S13", expected: .due(d("2026-03-06"))) { k in
            var c = k.newCase(.denunciation, received: "2026-02-13")
            return k.last(&c, .extend(reason: "Cần xác minh ở nhiều địa điểm"), on: "2026-02-24")
        },
        Scenario(id: "S14", expected: .due(d("2026-04-01"))) { k in
            var c = k.newCase(.denunciation, received: "2026-02-24")
            return k.last(&c, .accept(note: nil), on: "2026-03-02")
        },
        Scenario(id: "S15", expected: .due(d("2026-05-04"))) { k in
            var c = k.newCase(.denunciation, received: "2026-02-24")
            try k.act(&c, .accept(note: nil), on: "2026-03-02")
            try k.act(&c, .markComplex(level: 1, reason: "Vụ việc phức tạp"), on: "2026-03-20")
            return k.last(&c, .extend(reason: "Gia hạn lần 1"), on: "2026-03-25")
        },
        Scenario(id: "S16", expected: .due(d("2026-06-01"))) { k in
            var c = k.newCase(.denunciation, received: "2026-02-24")
            try k.act(&c, .accept(note: nil), on: "2026-03-02")
            try k.act(&c, .markComplex(level: 2, reason: "Vụ việc đặc biệt phức tạp"), on: "2026-03-20")
            try k.act(&c, .extend(reason: "Gia hạn lần 1"), on: "2026-03-25")
            return k.last(&c, .extend(reason: "Gia hạn lần 2"), on: "2026-04-20")
        },
        Scenario(id: "S17", expected: .refused(.extensionNeedsComplexity(used: 1, basis: ""))) { k in
            var c = k.newCase(.denunciation, received: "2026-02-24")
            try k.act(&c, .accept(note: nil), on: "2026-03-02")
            try k.act(&c, .markComplex(level: 1, reason: "Vụ việc phức tạp"), on: "2026-03-20")
            try k.act(&c, .extend(reason: "Gia hạn lần 1"), on: "2026-03-25")
            return k.last(&c, .extend(reason: "Gia hạn lần 2"), on: "2026-04-20")
        },
        Scenario(id: "S18", expected: .refused(.extensionNeedsComplexity(used: 0, basis: ""))) { k in
            var c = k.newCase(.denunciation, received: "2026-02-24")
            try k.act(&c, .accept(note: nil), on: "2026-03-02")
            return k.last(&c, .extend(reason: "Gia hạn"), on: "2026-03-25")
        },
        Scenario(id: "S19", expected: .refused(.extensionOverdue(due: d("2026-03-16")))) { k in
            var c = k.newCase(.feedback, received: "2026-03-02")
            return k.last(&c, .extend(reason: "Cần thêm thời gian"), on: "2026-03-18")
        },
        Scenario(id: "S20", expected: .due(d("2026-03-23"))) { k in
            var c = k.newCase(.feedback, received: "2026-03-02")
            return k.last(&c, .extend(reason: "Đã quyết định gia hạn ngày 13/3", late: true), on: "2026-03-18")
        },
        Scenario(id: "S21", expected: .due(d("2026-01-22"))) { k in
            k.due(k.newCase(.feedback, received: "2026-01-09"))
        },
        Scenario(id: "S22", expected: .due(d("2026-01-23"))) { k in
            k.due(k.newCase(.feedback, received: "2026-01-10"))
        },
        Scenario(id: "S23", expected: .due(d("2026-03-19"))) { k in
            var c = k.newCase(.feedback, received: "2026-03-02")
            try k.act(&c, .wait(request: "Đề nghị gửi ảnh hiện trường"), on: "2026-03-05")
            return k.last(&c, .resume(note: nil), on: "2026-03-10")
        },
        Scenario(id: "S24", expected: .due(d("2026-04-13"))) { k in
            k.due(k.newCase(.voterPetition, received: "2026-03-02"))
        },
        Scenario(id: "S25", expected: .due(d("2026-04-21"))) { k in
            var c = k.newCase(.voterPetition, received: "2026-03-02")
            return k.last(&c, .markComplex(level: 1, reason: "Cần phối hợp giữa các cơ quan"), on: "2026-03-03")
        },
        Scenario(id: "S26", expected: .due(d("2026-04-15"))) { k in
            var c = k.newCase(.complaint, received: "2026-03-02")
            // The acceptance was due 12/3: on 13/3 the case counts as overdue.
            let late = DeadlineStatus.of(c.deadline, status: c.status, today: d("2026-03-13"), calendar: k.calendar, dueSoonDays: 3)
            guard late.state == .overdue, late.acceptance, late.daysLeft == -1 else { return .due(late.dueDay) }
            return k.last(&c, .accept(note: nil), on: "2026-03-16")
        },
        Scenario(id: "S27", expected: .due(d("2026-03-06"))) { k in
            // Brought in person (walk-in): 10 working days for the reception's answer; the
            // local rule's limit from receipt is no later.
            let c = k.newCase(.feedback, received: "2026-02-13")
            let reception = k.calendar.add(10, to: d("2026-02-13"), counting: .working)
            guard c.channel == .walkIn, c.deadline.dueDay(in: k.calendar) <= reception else { return .due(reception) }
            return k.due(c)
        },
        Scenario(id: "S28", expected: .due(d("2028-01-31"))) { k in
            // Past the calendar's last known year (2027): computed with weekends only, and said so.
            var c = k.newCase(.complaint, received: "2027-12-10", complex: true)
            let due = k.last(&c, .accept(note: nil), on: "2027-12-15")
            guard case let .due(day) = due, let warning = CalendarWarning(dueDay: day, calendar: k.calendar),
                  warning.text(.en).contains("2028") else { return .refused(.missingText(field: "no calendar warning")) }
            return due
        },
    ]

    @Test("Each scenario computes the date (or the refusal) the law gives", arguments: scenarios)
    func scenario(_ s: Scenario) throws {
        let got = try s.run(Clocks.shipped)
        switch (got, s.expected) {
        case let (.due(a), .due(b)):
            #expect(a == b, "\(s.id): pakn computes \(a), the law gives \(b)")
        case let (.refused(a), .refused(b)):
            // Refusals compare by kind (their text carries the rule's basis and grounds).
            func kind(_ e: WorkflowError) -> String { String("\(e)".prefix { $0 != "(" }) }
            #expect(kind(a) == kind(b), "\(s.id): refused with \(a), expected \(b)")
            if case let .extensionOverdue(due) = a, case let .extensionOverdue(expected) = b { #expect(due == expected) }
        default:
            Issue.record("\(s.id): got \(got), expected \(s.expected)")
        }
    }

    @Test("docs/workflow.md states each scenario's outcome")
    func documented() throws {
        let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/workflow.md")
        let rows = try String(contentsOf: doc, encoding: .utf8).split(separator: "\n").filter { $0.range(of: #"^\| S[0-9]+ \|"#, options: .regularExpression) != nil }
        #expect(rows.count == Self.scenarios.count, "one table row per scenario")
        for s in Self.scenarios {
            guard let row = rows.first(where: { $0.hasPrefix("| \(s.id) |") }) else {
                Issue.record("\(s.id) has no row in docs/workflow.md")
                continue
            }
            switch s.expected {
            case let .due(day): #expect(row.contains("**\(day.vietnamese)**"), "\(s.id): the row should state \(day.vietnamese)")
            case .refused: #expect(row.contains("**từ chối / refused**"), "\(s.id): the row should state the refusal")
            }
        }
    }
}
