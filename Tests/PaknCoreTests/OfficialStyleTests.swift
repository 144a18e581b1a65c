import Foundation
import Testing
@testable import PaknCore

/// Decree 30/2020 style for text sent to citizens, and the days-left wording.
@Suite struct OfficialStyleTests {
    @Test func unitNamesInRunningText() {
        #expect(OfficialStyle.unitName("Phường Hoàn Kiếm", .vi) == "phường Hoàn Kiếm")
        #expect("Ủy ban nhân dân " + OfficialStyle.unitName("Phường Hoàn Kiếm", .vi) == "Ủy ban nhân dân phường Hoàn Kiếm")
        #expect(OfficialStyle.unitName("Xã Bát Tràng", .vi) == "xã Bát Tràng")
        #expect(OfficialStyle.unitName("Đặc khu Phú Quốc", .vi) == "đặc khu Phú Quốc")
        #expect(OfficialStyle.unitName("Thành phố Hà Nội", .vi) == "thành phố Hà Nội")
        #expect(OfficialStyle.unitName("Phường Hoàn Kiếm", .en) == "Hoàn Kiếm Ward")
        #expect(OfficialStyle.unitName("Phòng Kinh tế, Hạ tầng và Đô thị", .vi) == "Phòng Kinh tế, Hạ tầng và Đô thị")
        #expect(OfficialStyle.bodyName("Phường Hoàn Kiếm", isAdministrative: true, .vi) == "Ủy ban nhân dân phường Hoàn Kiếm")
        #expect(OfficialStyle.bodyName("Phòng Văn hóa - Xã hội", isAdministrative: false, .vi) == "Phòng Văn hóa - Xã hội")
    }

    @Test func datesAsDecree30WritesThem() {
        #expect(OfficialStyle.date(Day("2026-12-05")!, .vi) == "05 tháng 12 năm 2026")
        #expect(OfficialStyle.date(Day("2026-02-15")!, .vi) == "15 tháng 02 năm 2026")
        #expect(OfficialStyle.date(Day("2026-03-15")!, .vi) == "15 tháng 3 năm 2026")
        #expect(OfficialStyle.date(Day("2026-12-05")!, .en) == "5 December 2026")
    }

    @Test func workingDaysAreSaidAsSuch() {
        let day = Day("2026-12-07")!
        func text(_ left: Int, _ counting: DayCounting, _ lang: Lang, _ state: DueState = .ok) -> String {
            DeadlineStatus(state: state, dueDay: day, daysLeft: left, counting: counting).text(lang)
        }
        #expect(text(5, .working, .vi) == "còn 5 ngày làm việc")
        #expect(text(5, .calendar, .vi) == "còn 5 ngày")
        #expect(text(1, .working, .vi) == "còn 1 ngày làm việc")
        #expect(text(1, .calendar, .en) == "1 day left")
        #expect(text(1, .working, .en) == "1 working day left")
        #expect(text(3, .working, .en) == "3 working days left")
        #expect(text(-2, .working, .vi, .overdue) == "quá hạn 2 ngày làm việc")
        #expect(text(-2, .calendar, .vi, .overdue) == "quá hạn 2 ngày")
    }

    @Test func aDeadlineStatusKnowsHowItCounts() {
        let cal = WorkingCalendar(exceptions: [])
        let d = Deadline(ruleId: "r", counting: .working, start: Day("2026-12-01")!, days: 10)
        let s = DeadlineStatus.of(d, status: .inProgress, today: Day("2026-12-02")!, calendar: cal, dueSoonDays: 3)
        #expect(s.counting == .working)
        #expect(s.text(.vi).hasSuffix("ngày làm việc"))
    }

    @Test func purposesBelongToActions() {
        #expect(TemplatePurpose.purposes(for: .reply) == [.answer])
        #expect(TemplatePurpose.purposes(for: .wait) == [.requestInfo])
        #expect(TemplatePurpose.purposes(for: .notice).contains(.acknowledgement))
        #expect(Set(TemplatePurpose.purposes(for: .reject)) == [.outOfJurisdiction, .refusal])
        for p in TemplatePurpose.allCases { #expect(L10n.has("purpose.\(p.rawValue)")) }
    }

    @Test func aNoticeKeepsTheStatusAndIsRecorded() throws {
        for status in [CaseStatus.received, .routed, .assigned, .inProgress, .awaitingInfo] {
            let before = Fx.inStatus(status)
            let t = try Workflow.apply(.notify(text: "Ủy ban nhân dân phường Hoàn Kiếm đã tiếp nhận.", purpose: .acknowledgement),
                                       to: before, in: Fx.context())
            #expect(t.updated.status == status)
            #expect(t.updated.deadline == before.deadline)
            #expect(t.event.action == .notice)
            #expect(t.event.note == "Ủy ban nhân dân phường Hoàn Kiếm đã tiếp nhận.")
            #expect(t.updated.version == before.version + 1)
        }
        for status in [CaseStatus.resolved, .closed, .rejected, .merged] {
            #expect(throws: WorkflowError.self) {
                try Workflow.apply(.notify(text: "x", purpose: .acknowledgement), to: Fx.inStatus(status), in: Fx.context())
            }
        }
    }
}
