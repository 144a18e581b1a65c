extension Catalog {
    /// Messages of the terminal layer (PaknTerminal) and of themes (PaknUI/Theme).
    static let terminalMessages: [String: Entry] = [
        "terminal.not_utf8": (
            "pakn cần môi trường UTF-8 để hiển thị tiếng Việt, nhưng bảng mã hiện tại là \"{0}\". Hãy đặt, ví dụ: export LANG=vi_VN.UTF-8 (hoặc LANG=C.UTF-8) rồi chạy lại.",
            "pakn needs a UTF-8 locale to show Vietnamese, but the current codeset is \"{0}\". Set one, e.g. export LANG=vi_VN.UTF-8 (or LANG=C.UTF-8), and run again."),
        "terminal.not_a_tty": (
            "Màn hình làm việc của pakn cần một terminal tương tác (đầu vào và đầu ra không được chuyển hướng).",
            "The pakn desk needs an interactive terminal (standard input and output must not be redirected)."),
        "terminal.init_failed": (
            "Không khởi tạo được terminal \"{0}\". Kiểm tra biến TERM (ví dụ: export TERM=xterm-256color).",
            "Could not set up the terminal \"{0}\". Check TERM (e.g. export TERM=xterm-256color)."),
        "terminal.no_cursor_addressing": (
            "Terminal \"{0}\" không di chuyển được con trỏ nên không vẽ được bàn làm việc. Hãy dùng một terminal đầy đủ hoặc đặt biến TERM (ví dụ: export TERM=xterm-256color).",
            "The terminal \"{0}\" cannot move the cursor, so the desk cannot be drawn. Use a full terminal or set TERM (e.g. export TERM=xterm-256color)."),
        "terminal.signal": (
            "pakn đã dừng do tín hiệu {0}.",
            "pakn stopped on signal {0}."),
        "theme.not_found": (
            "Không có giao diện màu \"{0}\". Các giao diện có sẵn: {1}.",
            "No theme \"{0}\". Available themes: {1}."),
        "theme.syntax": (
            "Lỗi cú pháp TOML trong {0}, dòng {1}, cột {2}: {3}",
            "TOML syntax error in {0}, line {1}, column {2}: {3}"),
        "theme.invalid": (
            "Tệp {0} không hợp lệ: {1}",
            "{0} is not valid: {1}"),
        "theme.missing_roles": (
            "Giao diện {0} thiếu kiểu cho: {1}. Hãy bổ sung, hoặc thêm extends = \"default\" để lấy phần còn lại từ giao diện mặc định.",
            "The theme {0} has no style for: {1}. Add them, or add extends = \"default\" to take the rest from the default theme."),
        "theme.unreadable": (
            "Không đọc được tệp {0}.",
            "Cannot read {0}."),
    ]
}
