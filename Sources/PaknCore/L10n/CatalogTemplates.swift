extension Catalog {
    /// Reply templates by purpose, notices to the citizen, the citizen's language, and the
    /// days-left wording of working-day rules.
    static let templateMessages: [String: Entry] = [
        "action.notice": ("Gửi thông báo", "Notice"),
        "field.notice": ("nội dung thông báo", "notice text"),

        "purpose.answer": ("trả lời", "answer"),
        "purpose.request_info": ("đề nghị bổ sung thông tin", "request for information"),
        "purpose.acknowledgement": ("thông báo tiếp nhận", "acknowledgement of receipt"),
        "purpose.acceptance": ("thông báo thụ lý", "notice of acceptance"),
        "purpose.out_of_jurisdiction": ("không thuộc thẩm quyền", "outside jurisdiction"),
        "purpose.refusal": ("thông báo không thụ lý", "notice of refusal"),

        "tpl.unknown": ("Không có mẫu \"{0}\" dùng được cho hồ sơ {1} (xem: pakn templates).",
                        "No template \"{0}\" applies to case {1} (see: pakn templates)."),
        "tpl.wrong_action": ("Mẫu \"{0}\" có mục đích {1}: dùng với {2}, không dùng với {3}.",
                             "Template \"{0}\" has purpose {1}: use it with {2}, not with {3}."),
        "tpl.no_lang": ("Mẫu \"{0}\" chưa có bản ngôn ngữ \"{1}\" (--citizen-lang).",
                        "Template \"{0}\" has no \"{1}\" version (--citizen-lang)."),
        "tpl.authority_needed": ("Mẫu \"{0}\" nêu cơ quan có thẩm quyền: cho biết bằng --authority.",
                                 "Template \"{0}\" names the competent authority: give it with --authority."),
        "tpl.reason_needed": ("Mẫu \"{0}\" nêu lý do: cho biết bằng --reason.",
                              "Template \"{0}\" states the reason: give it with --reason."),
        "tpl.bad_purpose": ("Mục đích \"{0}\" không dùng cho thông báo. Dùng: {1}.",
                            "Purpose \"{0}\" is not for a notice. Use: {1}."),
        "tpl.bad_lang": ("Ngôn ngữ gửi công dân \"{0}\" không hợp lệ (vi hoặc en).",
                         "Citizen language \"{0}\" is not valid (vi or en)."),

        "deadline.working_days_left": ("còn {0} ngày làm việc", "{0} working days left"),
        "deadline.working_day_left": ("còn 1 ngày làm việc", "1 working day left"),
        "deadline.overdue_working_days": ("quá hạn {0} ngày làm việc", "overdue {0} working days"),
        "deadline.overdue_working_day": ("quá hạn 1 ngày làm việc", "overdue 1 working day"),
    ]
}

extension Catalog {
    /// The desk's notice and request editors and the citizen-language switch.
    static let templateDeskMessages: [String: Entry] = [
        "desk.pane.notice_to": ("Thông báo cho công dân {0}", "Notice to the citizen {0}"),
        "desk.pane.request_to": ("Đề nghị bổ sung {0}", "Request for information {0}"),
        "desk.citizen_lang": ("Văn bản gửi công dân: {0}", "Text sent to citizens: {0}"),
        "desk.act.notify": ("Gửi thông báo cho công dân (hồ sơ giữ nguyên trạng thái)",
                            "Send the citizen a notice (the case keeps its status)"),
        "desk.act.citizen_lang": ("Đổi ngôn ngữ văn bản gửi công dân (vi/en)", "Switch the language of text sent to citizens (vi/en)"),
    ]
}
