extension Catalog {
    /// Lawful clocks: acceptance (thụ lý), pauses and suspensions, extensions, complexity.
    static let clockMessages: [String: Entry] = [
        "action.accept": ("Thụ lý", "Accept"),
        "action.complex": ("Xác định mức độ phức tạp", "Mark complexity"),
        "action.extend_late": ("Gia hạn muộn", "Late extension"),
        "field.decision": ("số quyết định", "decision number"),
        "perm.extend_late": ("Ghi gia hạn muộn (sau khi đã quá hạn, có lý do)", "Record a late extension (after the time limit, with a reason)"),

        "clock.suspension_note": ("Quyết định tạm đình chỉ số {0}. Căn cứ: {1}.", "Suspension decision no. {0}. Ground: {1}."),
        "clock.suspension_note_more": ("Quyết định tạm đình chỉ số {0}. Căn cứ: {1}. {2}", "Suspension decision no. {0}. Ground: {1}. {2}"),
        "clock.accepted_late": ("Thụ lý muộn (hạn thụ lý {0}).", "Accepted late (acceptance was due {0})."),

        "clock.err.not_pending": ("Hồ sơ không ở bước chờ thụ lý (đã thụ lý, hoặc quy định áp dụng không có bước thụ lý).", "The case is not awaiting acceptance (it was accepted, or its rule has no acceptance step)."),
        "clock.err.not_accepted": ("Hồ sơ chưa được thụ lý: cần thụ lý (pakn accept) trước khi {0}; nếu không thụ lý thì từ chối kèm lý do.", "The case has not been accepted: accept it (pakn accept) before you {0}, or reject it with the reason."),
        "clock.err.no_pause": ("Quy định {0} không cho tạm dừng thời hạn ({1}). Thời hạn vẫn tiếp tục tính; có thể ghi chú hoặc gửi thông báo cho công dân.", "Rule {0} allows no pause of the time limit ({1}). The clock keeps running; add a note or send the citizen a notice instead."),
        "clock.err.suspension_required": ("Quy định này chỉ cho tạm dừng bằng quyết định tạm đình chỉ: ghi số quyết định (--decision) và căn cứ (--ground: {0}).", "This rule pauses only by a suspension decision: give its number (--decision) and ground (--ground: {0})."),
        "clock.err.unknown_ground": ("Căn cứ tạm đình chỉ «{0}» không có trong quy định. Chọn một trong: {1}.", "Suspension ground \"{0}\" is not one of the rule's. Choose one of: {1}."),
        "clock.err.ext_overdue": ("Hồ sơ đã quá hạn từ sau ngày {0}: việc gia hạn phải quyết định trong thời hạn. Lãnh đạo có thể ghi gia hạn muộn (--late) kèm lý do.", "The case has been overdue since after {0}: an extension must be decided within the time limit. A supervisor may record a late extension (--late) with a reason."),
        "clock.err.ext_not_late": ("Hồ sơ chưa quá hạn (hạn {0}): gia hạn bình thường, không dùng --late.", "The case is not overdue (due {0}): extend it normally, without --late."),
        "clock.err.ext_complexity": ("Đã gia hạn {0} lần: muốn gia hạn (tiếp) thì vụ việc phải được xác định là phức tạp (1 lần) hoặc đặc biệt phức tạp (2 lần) — pakn complex ({1}).", "Extended {0} time(s): a (further) extension needs the case marked complex (one) or especially complex (two) — pakn complex ({1})."),
        "clock.err.accept_ext": ("Quy định {0} không cho kéo dài thời hạn thụ lý, hoặc đã kéo dài tới mức tối đa.", "Rule {0} allows no longer acceptance limit, or it was already extended to its maximum."),
        "clock.err.complexity_range": ("Mức độ phức tạp {0} không hợp lệ: 0 (bình thường), 1 (phức tạp) hoặc 2 (đặc biệt phức tạp).", "Complexity {0} is not valid: 0 (ordinary), 1 (complex) or 2 (especially complex)."),
        "clock.err.same_complexity": ("Hồ sơ đã ở mức độ phức tạp này.", "The case already has this complexity."),
        "clock.err.complexity_below": ("Hồ sơ đã được gia hạn {0} lần: không thể hạ mức độ phức tạp xuống dưới số lần gia hạn.", "The case was extended {0} time(s): its complexity cannot go below that."),

        "deadline.acceptance": ("thụ lý: {0}", "acceptance: {0}"),
        "cli.show.acceptance": ("Thụ lý", "Acceptance"),
        "cli.show.complexity": ("Mức độ", "Complexity"),
        "desk.prompt.accept": ("Thụ lý {0} — ghi chú (số thông báo thụ lý…), có thể bỏ trống", "Accept {0} — note (the notice's number…), optional"),
        "desk.prompt.complex": ("Lý do xác định {0} là vụ việc phức tạp (áp dụng thời hạn dài hơn)", "Why {0} is complex (the longer limit applies)"),
        "deadline.acceptance_short": ("TL·{0}", "Acc·{0}"),
        "desk.menu.ground": ("Căn cứ tạm đình chỉ (theo quy định áp dụng)", "Ground for suspension (the rule's)"),
        "desk.prompt.decision": ("Số quyết định tạm đình chỉ việc giải quyết {0}", "Number of the decision suspending {0}"),
        "complexity.0": ("Bình thường", "Ordinary"),
        "complexity.1": ("Phức tạp", "Complex"),
        "complexity.2": ("Đặc biệt phức tạp", "Especially complex"),
        "clock.acceptance_due": ("Hạn thụ lý", "Acceptance due"),
        "clock.accepted_on": ("Thụ lý ngày {0}", "Accepted on {0}"),
        "clock.resolution_after": ("Giải quyết: {0} ngày kể từ ngày thụ lý", "Resolution: {0} days from acceptance"),
        "clock.resolution_after_working": ("Giải quyết: {0} ngày làm việc kể từ ngày thụ lý", "Resolution: {0} working days from acceptance"),
    ]
}
