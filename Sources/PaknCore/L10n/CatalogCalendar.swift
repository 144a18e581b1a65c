extension Catalog {
    /// The holiday calendar: `pakn calendar`, its file format, and the horizon warning.
    static let calendarMessages: [String: Entry] = [
        // The horizon.
        "calendar.warning.beyond": ("Lịch ngày nghỉ chỉ có đến {1}: hạn này (năm {0}) được tính như thể năm đó không có ngày lễ, ngày làm bù; cần kiểm tra lại.",
                                    "The holiday calendar ends on {1}: this due day (in {0}) was counted as if that year had no holidays or swapped days; check it."),
        "calendar.warning.year": ("Lịch ngày nghỉ không có năm {0}: hạn này được tính như thể năm đó không có ngày lễ, ngày làm bù; cần kiểm tra lại.",
                                  "The holiday calendar has no entries for {0}: this due day was counted as if that year had no holidays or swapped days; check it."),
        "calendar.warning.label": ("Cảnh báo", "Warning"),

        // Kinds and standings.
        "calendar.kind.holiday": ("ngày nghỉ", "holiday"),
        "calendar.kind.workday": ("ngày làm bù", "worked day"),
        "calendar.standing.announced": ("đã công bố", "announced"),
        "calendar.standing.expected": ("dự kiến", "expected"),
        "calendar.weekday.1": ("T2", "Mon"), "calendar.weekday.2": ("T3", "Tue"), "calendar.weekday.3": ("T4", "Wed"),
        "calendar.weekday.4": ("T5", "Thu"), "calendar.weekday.5": ("T6", "Fri"), "calendar.weekday.6": ("T7", "Sat"),
        "calendar.weekday.7": ("CN", "Sun"),

        // `pakn calendar`.
        "calendar.list.header": ("Ngày\tThứ\tLoại\tTên\tTình trạng\tVăn bản / ghi chú", "Day\tWeekday\tKind\tName\tStanding\tDocument / note"),
        "calendar.list.empty": ("Không có ngày nào trong lịch.", "The calendar has no days."),
        "calendar.list.horizon": ("Lịch biết các năm {0}; hạn sau {1} sẽ có cảnh báo.", "The calendar knows the years {0}; a due day after {1} is shown with a warning."),
        "calendar.added": ("Đã thêm {0}: {1}.", "Added {0}: {1}."),
        "calendar.updated": ("Đã cập nhật {0}: {1}.", "Updated {0}: {1}."),
        "calendar.unchanged": ("{0} đã có trong lịch đúng như vậy: không thay đổi.", "{0} is already in the calendar as given: nothing changed."),
        "calendar.removed": ("Đã xoá {0} khỏi lịch ({1}).", "Removed {0} from the calendar ({1})."),
        "calendar.imported": ("Đã nạp {0}: thêm {1}, cập nhật {2}, giữ nguyên {3}.", "Loaded {0}: {1} added, {2} updated, {3} unchanged."),
        "calendar.redated": ("Đã tính lại hạn của {0} hồ sơ đang mở.", "Recomputed the due day of {0} open case(s)."),
        "calendar.new_year": ("Lưu ý: lịch nay coi năm {0} là đã biết (hạn đến {1} không còn cảnh báo): hãy nhập đủ các ngày nghỉ của năm đó.",
                              "Note: the calendar now counts {0} as known (due days up to {1} carry no warning): enter all of that year's holidays."),
        "calendar.year_left": ("Lưu ý: lịch không còn ngày nào của năm {0}: hạn trong năm đó sẽ có cảnh báo.",
                               "Note: the calendar has no day of {0} left: due days in that year will carry a warning."),

        // Bad input (one line each; a file's line is named by `store.bad_data`).
        "calendar.err.day": ("ngày không hợp lệ \"{0}\" (cần dạng YYYY-MM-DD, năm 2000–2100)", "invalid day \"{0}\" (expected YYYY-MM-DD, year 2000–2100)"),
        "calendar.err.kind": ("loại không hợp lệ \"{0}\" (holiday hoặc workday)", "invalid kind \"{0}\" (holiday or workday)"),
        "calendar.err.standing": ("tình trạng không hợp lệ \"{0}\" (announced hoặc expected)", "invalid standing \"{0}\" (announced or expected)"),
        "calendar.err.name": ("thiếu tên ngày nghỉ", "the day's name is missing"),
        "calendar.err.document": ("ngày đã công bố phải ghi văn bản công bố (document / --announced)", "an announced day needs the document that announced it (document / --announced)"),
        "calendar.err.document_expected": ("ngày dự kiến không ghi văn bản công bố; ghi lý do vào ghi chú (note)", "an expected day has no announcing document; say why in its note"),
        "calendar.err.note": ("ngày dự kiến phải có ghi chú nêu căn cứ dự kiến (note)", "an expected day needs a note saying why it is expected"),
        "calendar.err.too_long": ("{0} quá dài (tối đa {1} ký tự)", "{0} is too long (at most {1} characters)"),
        "calendar.err.twice": ("ngày {0} có hai lần trong tệp (lần đầu ở dòng {1})", "day {0} appears twice in the file (first on line {1})"),
        "calendar.err.json": ("tệp JSON không đọc được: {0}", "the JSON file does not parse: {0}"),
        "calendar.err.json_shape": ("tệp JSON phải là một mảng các mục {\"day\", \"kind\", \"name\", \"standing\", …}", "the JSON file must be an array of entries {\"day\", \"kind\", \"name\", \"standing\", …}"),
        "calendar.err.field": ("trường \"{0}\" phải là chuỗi", "field \"{0}\" must be a string"),
        "calendar.err.unknown_field": ("trường không biết \"{0}\"", "unknown field \"{0}\""),
        "calendar.err.csv_header": ("dòng tiêu đề CSV phải có các cột day,kind,name,standing,document,note", "the CSV header must name the columns day,kind,name,standing,document,note"),
        "calendar.err.csv_fields": ("cần {0} cột, có {1}", "expected {0} columns, found {1}"),
        "calendar.err.format": ("không rõ định dạng tệp {0}: dùng .json hoặc .csv", "unknown file format {0}: use .json or .csv"),
        "calendar.err.empty": ("tệp không có mục nào", "the file has no entries"),
        "calendar.err.standing_choice": ("chọn đúng một trong --announced VĂN_BẢN hoặc --expected", "give exactly one of --announced DOCUMENT or --expected"),
        "calendar.err.not_found": ("Lịch không có ngày {0}.", "The calendar has no entry for {0}."),
    ]
}
