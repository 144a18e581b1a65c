extension Catalog {
    static let workflow: [String: Entry] = [
        "wf.illegal": ("Không thể {0} khi hồ sơ đang ở trạng thái \"{1}\". Được phép: {2}.",
                       "Cannot {0} a case that is {1}. Allowed from here: {2}."),
        "wf.illegal.none": ("Không thể {0} khi hồ sơ đang ở trạng thái \"{1}\". Không còn thao tác nào.",
                            "Cannot {0} a case that is {1}. No action is allowed from here."),
        "wf.extension_cap": ("Đã gia hạn tối đa {0} lần theo quy định ({1}).",
                             "The rule allows at most {0} extensions ({1})."),
        "wf.extension_none": ("Quy định {0} không cho phép gia hạn.", "Rule {0} allows no extension."),
        "wf.rating_range": ("Điểm đánh giá phải từ 1 đến 5, nhận được {0}.", "A rating is 1 to 5; got {0}."),
        "wf.empty": ("Thiếu nội dung: {0}.", "Missing text: {0}."),
        "wf.merge_self": ("Không thể gộp hồ sơ vào chính nó.", "A case cannot be merged into itself."),
        "wf.same_unit": ("Hồ sơ đã thuộc đơn vị này.", "The case is already with that unit."),
        "wf.same_assignee": ("Hồ sơ đã giao cho cán bộ này.", "The case is already assigned to that official."),
        "wf.rated_reopened": ("Đánh giá thấp ({0}/5): hồ sơ được mở lại.", "Low rating ({0}/5): the case is reopened."),
        "field.reason": ("lý do", "reason"),
        "field.reply": ("nội dung trả lời", "reply text"),
        "field.note": ("ghi chú", "note"),
        "field.request": ("nội dung yêu cầu bổ sung", "what is requested"),
    ]
}
