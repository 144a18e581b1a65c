extension Catalog {
    /// The desk's views (issue 15): the "Sent up" view, sorting by column, the one-case view
    /// of `:goto`, and the guided tour for trainers.
    static let deskViewsMessages: [String: Entry] = [
        // Sent up: cases my units escalated or transferred, where each is now.
        "desk.view.sent_up": ("Đã chuyển đi", "Sent up"),
        "desk.view_short.sent_up": ("Chuyển đi", "Sent"),
        "desk.act.view_sent_up": ("Xem: đã chuyển lên, chuyển đi", "View: sent up or transferred"),
        "desk.col.now_at": ("Đang ở", "Now at"),
        "stats.fig.sent_up": ("Chuyển lên, chuyển đi", "Sent up or transferred"),

        // Sorting by column.
        "desk.act.sort_reverse": ("Đảo chiều sắp xếp", "Reverse the sort"),
        "desk.sort.deadline": ("thời hạn", "deadline"),
        "desk.sort.received": ("ngày nhận", "received"),
        "desk.sort.code": ("mã", "code"),
        "desk.sort.by": ("theo {0} {1}", "by {0} {1}"),
        "desk.sort.now": ("Sắp xếp theo {0} {1}", "Sorted by {0} {1}"),
        "desk.sort.only_deadline": ("Danh sách cấp thành phố, tỉnh chỉ sắp xếp theo thời hạn (sắp theo cột khác phải đọc mọi hồ sơ); lọc theo phường/xã (W) để sắp theo ngày nhận hay mã.",
                                    "A city- or province-wide list sorts by deadline only (another column would read every case); filter by ward (W) to sort by received or code."),

        // The one-case view.
        "desk.single": ("Hồ sơ {0} · {1}: quay lại", "Case {0} · {1}: back"),

        // `pakn import`: UTF-16 without a byte-order mark.
        "import.encoding.utf16le_nobom": ("UTF-16 LE không có BOM", "UTF-16 LE without a BOM"),
        "import.encoding.utf16be_nobom": ("UTF-16 BE không có BOM", "UTF-16 BE without a BOM"),

        // The guided tour.
        "desk.act.tour": ("Hướng dẫn từng bước (CSDL tập huấn)", "Guided tour (training database)"),
        "desk.act.tour_back": ("Hướng dẫn: bước trước", "Tour: previous step"),
        "desk.act.tour_skip": ("Hướng dẫn: bỏ qua bước này", "Tour: skip this step"),
        "desk.act.tour_quit": ("Hướng dẫn: kết thúc", "Tour: end it"),
        "tour.not_training": ("Chỉ chạy hướng dẫn trên CSDL tập huấn (pakn demo); CSDL này là CSDL thật.",
                              "The tour runs on a training database only (pakn demo); this one is a real one."),
        "tour.none": ("Chưa chạy hướng dẫn: gõ {0} để bắt đầu.", "No tour is running: type {0} to start one."),
        "tour.started": ("Bắt đầu hướng dẫn: làm theo khung bên dưới.", "The tour has begun: follow the panel below."),
        "tour.ended": ("Đã kết thúc hướng dẫn.", "The tour has ended."),
        "tour.step_done": ("✓ Xong bước: {0}", "✓ Step done: {0}"),
        "tour.title": ("Hướng dẫn", "Tour"),
        "tour.keys": ("{0} lùi · {1} bỏ qua · {2} thoát", "{0} back · {1} skip · {2} quit"),
        "tour.case": ("Hồ sơ", "Case"),
        "tour.do": ("Làm", "Do"),
        "tour.notice": ("Chú ý", "Notice"),

        "tour.intake.title": ("Tiếp nhận", "Intake"),
        "tour.intake.do": ("Tiếp nhận một phản ánh: trên dòng lệnh «pakn intake --title … --body … --category … --ward …», hoặc phím N tại bàn làm việc. Bàn làm việc thấy hồ sơ mới và bước này tự hoàn thành; hồ sơ mới hiện trong danh sách Phân loại ({0}) hoặc Tất cả ({1}).",
                           "Take in a petition: on the command line \"pakn intake --title … --body … --category … --ward …\", or N at the desk. The desk sees the new case and this step completes by itself; it is listed in Triage ({0}) or All ({1})."),
        "tour.intake.notice": ("hồ sơ có mã và thời hạn ngay khi tiếp nhận, tính theo ngày làm việc (trừ ngày nghỉ, ngày lễ).",
                               "the case gets its code and its deadline as it is taken in, counted in working days (weekends and holidays left out)."),
        "tour.routing.title": ("Chuyển xử lý", "Routing"),
        "tour.routing.do": ("Mở hồ sơ mới: gõ :goto và mã hồ sơ ở trên (hoặc chọn trong danh sách), rồi nhấn {0} để đọc chi tiết. Nếu hồ sơ còn «Mới tiếp nhận», nhấn {1} và chọn đơn vị.",
                            "Open the new case: type :goto and the code above (or select it in a list), then press {0} to read its detail. If it is still \"Received\", press {1} and pick the unit."),
        "tour.routing.notice": ("hồ sơ được tự động chuyển theo lĩnh vực và phường/xã: dòng «Đơn vị xử lý» cho biết đến đâu, lịch sử ghi sự kiện chuyển.",
                                "it was routed automatically by category and ward: the \"Unit\" line says where, the history records the route."),
        "tour.assignment.title": ("Giao xử lý", "Assignment"),
        "tour.assignment.do": ("Nhấn {0} và chọn một cán bộ của đơn vị.", "Press {0} and pick an official of the unit."),
        "tour.assignment.notice": ("hồ sơ rời danh sách Chưa giao ({0}) và vào danh sách Của tôi ({1}) của cán bộ đó; lịch sử ghi tên người được giao.",
                                   "the case leaves Unassigned ({0}) and appears in that official's Mine ({1}); the history names who was assigned."),
        "tour.pause.title": ("Yêu cầu bổ sung", "Pause"),
        "tour.pause.do": ("Nhấn {0} và viết điều công dân cần bổ sung.", "Press {0} and write what the citizen must add."),
        "tour.pause.notice": ("trạng thái thành «Chờ bổ sung» và đồng hồ dừng: thời hạn ghi «tạm dừng». Danh sách Chờ bổ sung ({0}) có hồ sơ này.",
                              "the status becomes \"Awaiting info\" and the clock stops: the deadline says paused. Awaiting info ({0}) lists it."),
        "tour.reply.title": ("Trả lời", "Reply"),
        "tour.reply.do": ("Khi có thông tin, nhấn {0} để tiếp tục; rồi {1}, viết câu trả lời ({2} chèn mẫu) và {3} để gửi.",
                          "When the information arrives, press {0} to resume; then {1}, write the answer ({2} inserts a template) and {3} to send."),
        "tour.reply.notice": ("tiếp tục cộng số ngày tạm dừng vào thời hạn; trước khi gửi, bàn làm việc cho xem mấy dòng đầu và trạng thái sẽ chuyển sang.",
                              "resuming adds the paused days to the deadline; before sending, the desk shows the first lines and the status it leads to."),
        "tour.rating.title": ("Đánh giá", "Rating"),
        "tour.rating.do": ("Nhấn {0}, chọn điểm công dân cho (1–5), {1} đánh dấu lý do, {2} để ghi.",
                           "Press {0}, give the citizen's score (1–5), {1} ticks reasons, {2} records it."),
        "tour.rating.notice": ("điểm thấp tự mở lại hồ sơ; điểm tốt để hồ sơ ở trạng thái đã trả lời, chờ đóng.",
                               "a low score reopens the case by itself; a good one leaves it resolved, to be closed."),
        "tour.reopen.title": ("Mở lại", "Reopen"),
        "tour.reopen.do": ("Nếu hồ sơ vẫn «Đã trả lời», nhấn {0} và ghi lý do mở lại.",
                           "If the case is still \"Resolved\", press {0} and give the reason to reopen it."),
        "tour.reopen.notice": ("hồ sơ mở lại chạy thời hạn mới; lịch sử giữ mọi bước, nối chuỗi băm (pakn audit verify).",
                               "a reopened case runs a new clock; the history keeps every step, hash-chained (pakn audit verify)."),
        "tour.finished.title": ("Hoàn thành", "Done"),
        "tour.finished.do": ("Lớp đã đưa một hồ sơ đi hết vòng đời. Nhấn {0} để đóng hướng dẫn, {1} để xem lại.",
                             "The class has walked one case through its whole life. Press {0} to close the tour, {1} to look back."),
        "tour.finished.notice": ("các con số của phường (phím S) đã tính hồ sơ này.", "the ward's figures (key S) now count this case."),
    ]
}
