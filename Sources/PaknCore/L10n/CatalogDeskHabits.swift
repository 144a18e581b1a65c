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
        // Nothing lost, nothing sent by accident.
        "desk.training": ("TẬP HUẤN", "TRAINING"),
        "desk.drafts.restored": ("Đã khôi phục {0} bản nháp chưa gửi: {1}.", "Restored {0} unsent draft(s): {1}."),
        "desk.send.title.reply": ("Gửi trả lời công dân — {0}", "Send the reply to the citizen — {0}"),
        "desk.send.title.notice": ("Gửi thông báo cho công dân — {0}", "Send the notice to the citizen — {0}"),
        "desk.send.title.request": ("Gửi yêu cầu bổ sung cho công dân — {0}", "Send the request for information — {0}"),
        "desk.send.title.note": ("Ghi chú nội bộ — {0}", "Internal note — {0}"),
        "desk.send.templates": ("Mẫu đã dùng", "Templates used"),
        "desk.send.no_template": ("không dùng mẫu", "none"),
        "desk.send.status": ("Trạng thái sau khi gửi", "Status once sent"),
        "desk.send.status_same": ("giữ nguyên ({0})", "unchanged ({0})"),
        "desk.send.more_lines": ("… và {0} dòng nữa", "… and {0} more line(s)"),
        "desk.send.kept": ("Chưa gửi; bản nháp vẫn còn.", "Not sent; the draft is kept."),
        "desk.confirm.send.reply": ("Gửi trả lời {0} cho công dân? ({1}/{2})", "Send the reply to {0} to the citizen? ({1}/{2})"),
        "desk.confirm.send.notice": ("Gửi thông báo {0} cho công dân? ({1}/{2})", "Send the notice on {0} to the citizen? ({1}/{2})"),
        "desk.confirm.send.request": ("Gửi yêu cầu bổ sung {0} và tạm dừng thời hạn? ({1}/{2})", "Send the request on {0} and pause its clock? ({1}/{2})"),
        "desk.confirm.send.note": ("Ghi chú vào {0}? ({1}/{2})", "Add the note to {0}? ({1}/{2})"),
        "desk.editor.done": ("Đã lấy lại bản nháp từ trình soạn thảo.", "The draft is back from your editor."),
        "desk.editor.unchanged": ("Bản nháp không thay đổi.", "The draft is unchanged."),
        "desk.editor.none": ("Không mở được trình soạn thảo ở đây (chỉ có trên terminal).", "No editor can be opened here (only in a terminal)."),
        "desk.editor.failed": ("Trình soạn thảo «{0}» kết thúc với mã {1}; bản nháp giữ nguyên.", "The editor \"{0}\" exited with status {1}; the draft is unchanged."),
        "desk.editor.cannot_start": ("Không chạy được trình soạn thảo «{0}»: {1}", "Could not run the editor \"{0}\": {1}"),
        "desk.drafts.unwritable": ("Không lưu được bản nháp vào {0}: {1}", "Could not keep the draft in {0}: {1}"),
        "desk.hint.editor_ext": ("{0} gửi · {1} thoát (giữ nháp) · {2} mẫu · {3} $EDITOR · {4} bỏ nháp · {5} trợ giúp",
                                 "{0} send · {1} leave (kept) · {2} templates · {3} $EDITOR · {4} discard · {5} help"),
        "desk.act.edit": ("Mở bản nháp trong trình soạn thảo của bạn ($VISUAL, $EDITOR)", "Open the draft in your own editor ($VISUAL, $EDITOR)"),

        "desk.marks.cleared": ("Đã bỏ đánh dấu {0} hồ sơ.", "Cleared the marks of {0} case(s)."),
    ]
}
