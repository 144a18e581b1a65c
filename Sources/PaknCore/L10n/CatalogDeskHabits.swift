extension Catalog {
    /// The desk a clerk lives in (issue 15): screens that tell the truth, nothing lost,
    /// nothing sent by accident, the habits of good terminal programs.
    static let deskHabitsMessages: [String: Entry] = [
        "history.assigned_to": ("Giao cho {0}", "Assigned to {0}"),
        "history.routed_to": ("Chuyển đến {0}", "Routed to {0}"),
        "history.transferred_to": ("Chuyển sang {0}", "Transferred to {0}"),
        "history.escalated_to": ("Chuyển lên {0}", "Escalated to {0}"),
        "history.merged_into": ("Gộp vào hồ sơ {0}", "Merged into {0}"),

        // Deadline texts about one day (`L10n.counted`).
        "desk.d.paused_days.one": ("đã dừng 1 ngày", "1 day paused"),
        "desk.d.counting.working.one": ("1 ngày làm việc", "1 working day"),
        "desk.d.counting.calendar.one": ("1 ngày", "1 calendar day"),
        "desk.d.extended_value.one": ("{0} lần, thêm 1 ngày", "{0} times, 1 more day"),
        "desk.d.extended_once": ("1 lần, thêm {0} ngày", "once, {0} more days"),
        "desk.d.extended_once.one": ("1 lần, thêm 1 ngày", "once, 1 more day"),
        "clock.resolution_after.one": ("Giải quyết: 1 ngày kể từ ngày thụ lý", "Resolution: 1 day from acceptance"),
        "clock.resolution_after_working.one": ("Giải quyết: 1 ngày làm việc kể từ ngày thụ lý", "Resolution: 1 working day from acceptance"),

        // Bulk results and marks.
        "desk.bulk.refused": ("{0} hồ sơ xong, {1} bị từ chối — {2}", "{0} done, {1} refused — {2}"),
        "desk.bulk.refused_marked": ("{0} hồ sơ xong, {1} bị từ chối (vẫn đánh dấu) — {2}", "{0} done, {1} refused (still marked) — {2}"),
        "desk.confirm.switch_view": ("{0} hồ sơ đang đánh dấu ở danh sách này. Bỏ đánh dấu và chuyển sang «{1}»? ({2}/{3})",
                                     "{0} case(s) marked in this list. Clear the marks and switch to \"{1}\"? ({2}/{3})"),
        "desk.marks.cleared": ("Đã bỏ đánh dấu {0} hồ sơ.", "Cleared the marks of {0} case(s)."),
    ]
}
