extension Catalog {
    /// Trust in the store (issue 12): administration scoped like cases, reveals at the handling unit.
    static let adminScopeMessages: [String: Entry] = [
        "trust.reveal.by_citizen_export": ("Danh tính được cung cấp trong yêu cầu dữ liệu của công dân. {0}", "Identity listed in a citizen's data request. {0}"),
        "rules.bad.days": ("Quy định «{0}»: số ngày phải từ 1 đến 3650.", "Rule \"{0}\": days must be 1 to 3,650."),
        "rules.bad.dates": ("Quy định «{0}»: effectiveTo phải sau effectiveFrom.", "Rule \"{0}\": effectiveTo must come after effectiveFrom."),
        "rules.bad.extensions": ("Quy định «{0}»: số ngày và số lần gia hạn không được âm.", "Rule \"{0}\": extension days and count cannot be negative."),
        "rules.bad.id": ("Quy định «{0}»: mã trống hoặc có ký tự điều khiển.", "Rule \"{0}\": the id is empty or has control characters."),
        "rules.bad.suspension": ("Quy định «{0}»: quy định chỉ tạm dừng bằng quyết định phải nêu ít nhất một căn cứ.", "Rule \"{0}\": a rule that pauses only by decision must list at least one ground."),
        "trust.chain.facts_altered": ("{0} bị phá vỡ tại mục {1}: đó là sự kiện tiếp nhận hồ sơ {2}, và các dữ kiện của hồ sơ (tiêu đề, nội dung, ngày nhận, phường/xã, kênh, loại, lĩnh vực, địa chỉ, người gửi) không còn đúng như lúc tiếp nhận — hoặc chính sự kiện đó bị sửa.", "{0} is broken at entry {1}: the intake of case {2}, whose facts (title, body, date received, ward, channel, kind, category, address, reporter) are no longer what its intake recorded — or that event itself was edited."),
        "rules.bad.empty": ("Tệp không có quy định nào.", "The file holds no rule."),
    ]
}
