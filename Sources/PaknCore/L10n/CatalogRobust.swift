extension Catalog {
    /// Robust input: future receipt dates, intake routing scope, input files (devices,
    /// FIFOs, huge files, symlinks), restores of training backups, case-code floors.
    static let robustMessages: [String: Entry] = [
        "robust.received_future": ("ngày nhận {0} ở sau thời điểm hiện tại {1}: không ghi nhận hồ sơ nhận trong tương lai",
                                   "received date {0} is after the current time {1}: a case cannot be received in the future"),
        "robust.route_out_of_scope": ("Cán bộ {0} không được chuyển hồ sơ mới đến {1}, ngoài đơn vị của mình; chọn --route none, --route auto với --ward trong đơn vị mình, hoặc một đơn vị cấp dưới.",
                                      "Official {0} may not route a new case to {1}, outside their units; use --route none, --route auto with a --ward of their own, or a unit below theirs."),
        "robust.file.not_regular": ("không phải tệp thường (thiết bị, FIFO, socket…): không đọc", "not a regular file (a device, FIFO or socket): not read"),
        "robust.file.too_big": ("tệp {0} MB, lớn hơn giới hạn {1} MB", "the file is {0} MB, more than the limit of {1} MB"),
        "robust.file.sparse": ("tệp thưa (phần lớn là lỗ trống): không đọc", "a sparse file (mostly holes): not read"),
        "robust.file.symlink_outside": ("liên kết tượng trưng trỏ ra ngoài thư mục hiện tại, thư mục nhà và thư mục tạm ({0}): không đọc",
                                        "a symbolic link pointing outside the current folder, the home folder and the temporary folder ({0}): not read"),
        "robust.file.grew": ("tệp lớn lên trong khi đọc, vượt giới hạn {0} MB", "the file grew while being read, past the limit of {0} MB"),
        "robust.restore.training_over_production": ("Bản sao lưu {0} là CSDL tập huấn, còn {1} là CSDL thật: khôi phục sẽ thay hồ sơ thật bằng dữ liệu tập huấn và cho phép --as/--now. Từ chối; dùng --force nếu thật sự muốn.",
                                                    "The backup {0} is a training database and {1} is a production one: restoring would replace real cases with training data and allow --as/--now. Refused; use --force if this is really meant."),
        "robust.restore.training_warning": ("CẢNH BÁO: đã thay CSDL thật {0} bằng bản sao lưu tập huấn; bản cũ giữ tại {1}.",
                                            "WARNING: the production database {0} was replaced by a training backup; the old one is kept at {1}."),
        "robust.codes.unwritable": ("không ghi được tệp mốc mã hồ sơ {0} ({1}); không cấp mã mới để tránh trùng mã sau khi khôi phục",
                                    "cannot write the case-code floor file {0} ({1}); no new code is issued, so that none is reissued after a restore"),
        "robust.db.exists": ("{0} đã có; chọn tệp khác hoặc xoá tệp cũ", "{0} exists; choose another file or remove the old one"),
    ]
}
