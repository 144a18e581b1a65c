extension Catalog {
    /// The Open311 service (issue 16, docs/open311.md): API keys, the service's errors (sent
    /// to portals in both languages), status notes and public steps (sent to citizens).
    static let open311Messages: [String: Entry] = [
        // Keys (PaknStoreAPI.ApiKeyError).
        "open311.key.unknown": ("Khóa API không đúng hoặc thiếu (tiêu đề X-Api-Key hoặc tham số api_key).",
                                "The API key is wrong or missing (X-Api-Key header or api_key parameter)."),
        "open311.key.revoked": ("Khóa API «{0}» đã bị thu hồi.", "The API key \"{0}\" has been revoked."),
        "open311.key.no_name": ("Không có khóa API tên «{0}».", "There is no API key named \"{0}\"."),
        "open311.key.duplicate": ("Đã có khóa API tên «{0}».", "An API key named \"{0}\" already exists."),
        "open311.key.invalid_name": ("Tên khóa «{0}» không hợp lệ: 1–40 ký tự a-z, 0-9, '-'.",
                                     "The key name \"{0}\" is not valid: 1–40 characters a-z, 0-9, '-'."),
        "open311.token.bad": ("Mã theo dõi không đúng cho hồ sơ {0}.", "The tracking token is not the one of case {0}."),
        "open311.key.channel": ("Kênh «{0}» không hợp lệ ({1}).", "The channel \"{0}\" is not valid ({1})."),

        // `pakn apikeys`.
        "open311.apikeys.added": ("Đã tạo khóa API «{0}» (kênh {1}, đơn vị {2}, cán bộ dịch vụ {3}). Khóa (chỉ hiện một lần):",
                                  "API key \"{0}\" created (channel {1}, unit {2}, service official {3}). The key (shown once):"),
        "open311.apikeys.revoked": ("Đã thu hồi khóa API «{0}»; cán bộ dịch vụ {1} đã bị khóa.",
                                    "API key \"{0}\" revoked; service official {1} disabled."),
        "open311.apikeys.none": ("Chưa có khóa API nào.", "No API keys yet."),
        "open311.apikeys.active": ("đang dùng", "active"),
        "open311.apikeys.revoked_at": ("thu hồi {0}", "revoked {0}"),

        // `pakn serve`.
        "open311.serve.listening": ("pakn serve: Open311 GeoReport v2 tại http://{0}/ (CSDL {1}). Dừng: Ctrl-C hoặc SIGTERM.",
                                    "pakn serve: Open311 GeoReport v2 at http://{0}/ (database {1}). Stop: Ctrl-C or SIGTERM."),
        "open311.serve.listen_bad": ("Địa chỉ nghe «{0}» không hợp lệ (ví dụ 127.0.0.1:8311).",
                                     "The listen address \"{0}\" is not valid (e.g. 127.0.0.1:8311)."),
        "open311.serve.stopped": ("pakn serve đã dừng; mọi yêu cầu đã nhận đều đã ghi.",
                                  "pakn serve stopped; every accepted request was written."),

        // The service's errors: [{"code":…,"description":"vi / en"}].
        "open311.err.malformed_json": ("Nội dung JSON không đọc được: {0}.", "The JSON body cannot be read: {0}."),
        "open311.err.malformed_xml": ("Nội dung XML không đọc được: {0}.", "The XML body cannot be read: {0}."),
        "open311.err.malformed_form": ("Nội dung biểu mẫu không đọc được.", "The form body cannot be read."),
        "open311.err.media_type": ("Kiểu nội dung «{0}» không được nhận (dùng application/json, application/xml hoặc application/x-www-form-urlencoded).",
                                   "Content type \"{0}\" is not accepted (use application/json, application/xml or application/x-www-form-urlencoded)."),
        "open311.err.unknown_service": ("Không có dịch vụ (lĩnh vực) mã «{0}».", "There is no service (category) with code \"{0}\"."),
        "open311.err.missing_field": ("Thiếu trường bắt buộc «{0}».", "The required field \"{0}\" is missing."),
        "open311.err.invalid_field": ("Trường «{0}» có giá trị không hợp lệ «{1}».", "The field \"{0}\" has an invalid value \"{1}\"."),
        "open311.err.too_large": ("Nội dung quá lớn: tối đa {0} byte.", "The body is too large: at most {0} bytes."),
        "open311.err.bad_utf8": ("Nội dung không phải UTF-8 hợp lệ.", "The body is not valid UTF-8."),
        "open311.err.control": ("Trường «{0}» chứa ký tự điều khiển hoặc ký tự đảo chiều (bidi) không được phép.",
                                "The field \"{0}\" holds a control or bidirectional character that is not allowed."),
        "open311.err.forbidden_unit": ("Khóa API «{0}» không được nhận hồ sơ cho đơn vị «{1}» (ngoài đơn vị của khóa).",
                                       "The API key \"{0}\" may not take in cases for unit \"{1}\" (outside the key's unit)."),
        "open311.err.rate_limited": ("Quá nhiều yêu cầu; thử lại sau {0} giây.", "Too many requests; try again in {0} seconds."),
        "open311.err.not_found": ("Không tìm thấy «{0}».", "\"{0}\" was not found."),
        "open311.err.unknown_request": ("Không có yêu cầu (hồ sơ) công khai mã «{0}».", "There is no public request (case) with id \"{0}\"."),
        "open311.err.method": ("Phương thức {0} không dùng được cho «{1}».", "Method {0} is not allowed on \"{1}\"."),
        "open311.err.refused": ("Bị từ chối: {0}", "Refused: {0}"),
        "open311.err.internal": ("Lỗi máy chủ; yêu cầu không được ghi. Thử lại sau.", "Server error; the request was not written. Try again later."),
        "open311.err.unavailable": ("Dịch vụ đang dừng; thử lại sau.", "The service is stopping; try again later."),
        "open311.err.rating": ("Đánh giá phải từ 1 đến 5, lý do trong: {0}.", "A rating is 1 to 5, reasons among: {0}."),

        // status_notes (to citizens): what each status means.
        "open311.note.received": ("Đã tiếp nhận, đang chờ phân loại.", "Received, awaiting triage."),
        "open311.note.routed": ("Đã chuyển đến đơn vị có thẩm quyền xử lý.", "Sent to the unit competent to handle it."),
        "open311.note.assigned": ("Đã giao cán bộ xử lý.", "Assigned to an official."),
        "open311.note.in_progress": ("Đang xử lý.", "Being handled."),
        "open311.note.awaiting_info": ("Đang chờ người phản ánh bổ sung thông tin.", "Waiting for more information from the citizen."),
        "open311.note.resolved": ("Đã có kết quả trả lời.", "Answered."),
        "open311.note.closed": ("Đã kết thúc.", "Closed."),
        "open311.note.rejected": ("Không thụ lý (đã thông báo lý do cho người phản ánh).", "Not accepted (the citizen was told why)."),
        "open311.note.merged": ("Đã gộp vào một phản ánh trùng nội dung.", "Merged into a petition with the same content."),

        // Public steps (servicerequestupdates' description).
        "open311.step.intake": ("Tiếp nhận phản ánh.", "Petition received."),
        "open311.step.route": ("Chuyển đơn vị xử lý.", "Sent to the handling unit."),
        "open311.step.accept": ("Thụ lý giải quyết.", "Accepted for resolution."),
        "open311.step.start": ("Bắt đầu xử lý.", "Handling started."),
        "open311.step.wait": ("Đề nghị bổ sung thông tin.", "More information requested."),
        "open311.step.resume": ("Tiếp tục xử lý.", "Handling resumed."),
        "open311.step.reply": ("Đã trả lời.", "Answered."),
        "open311.step.close": ("Kết thúc.", "Closed."),
        "open311.step.reject": ("Không thụ lý.", "Not accepted."),
        "open311.step.reopen": ("Mở lại để xử lý tiếp.", "Reopened."),
        "open311.step.transfer": ("Chuyển đơn vị khác có thẩm quyền.", "Transferred to another competent unit."),
        "open311.step.escalate": ("Chuyển cấp trên.", "Sent up to the higher level."),
        "open311.step.extend": ("Gia hạn thời hạn giải quyết.", "Time limit extended."),
        "open311.step.extend_late": ("Gia hạn thời hạn giải quyết.", "Time limit extended."),
        "open311.step.merge": ("Gộp vào phản ánh trùng.", "Merged into a duplicate."),
        "open311.step.rate": ("Người dân đã đánh giá.", "Rated by the citizen."),
        "open311.step.notice": ("Đã gửi thông báo.", "Notice sent."),
    ]
}
