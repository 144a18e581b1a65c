extension Catalog {
    /// Installing pakn like a real tool (issue 15): `--version`, the man page, CSV for
    /// spreadsheets, one JSON shape.
    static let installMessages: [String: Entry] = [
        // pakn --version
        "version.line": ("pakn {0}", "pakn {0}"),
        "version.schema": ("Lược đồ CSDL: {0} ({1} bước chuyển đổi)", "Database schema: {0} ({1} migrations)"),
        "version.build": ("Bản dựng: {0}", "Build: {0}"),
        "version.bad_argument": ("--version chỉ đi cùng --json và các tuỳ chọn chung, không đi cùng «{0}».",
                                 "--version goes only with --json and the global options, not with \"{0}\"."),

        // pakn import: what the file was read as.
        "import.dialect": ("Đã đọc {0}: {1}, phân cách bằng {2}.", "Read {0} as {1}, separated by {2}."),
        "import.encoding.utf8": ("UTF-8", "UTF-8"),
        "import.encoding.utf8_bom": ("UTF-8 có BOM", "UTF-8 with a BOM"),
        "import.encoding.utf16le": ("UTF-16 LE («Unicode text» của Excel)", "UTF-16 LE (Excel's \"Unicode text\")"),
        "import.encoding.utf16be": ("UTF-16 BE", "UTF-16 BE"),
        "import.delimiter.comma": ("dấu phẩy", "commas"),
        "import.delimiter.semicolon": ("dấu chấm phẩy", "semicolons"),
        "import.delimiter.tab": ("dấu tab", "tabs"),

        // The man page (pakn manual, make install): headings and the fixed sections.
        "man.title": ("Hướng dẫn sử dụng pakn", "pakn manual"),
        "man.section.name": ("TÊN", "NAME"),
        "man.section.synopsis": ("CÚ PHÁP", "SYNOPSIS"),
        "man.section.description": ("MÔ TẢ", "DESCRIPTION"),
        "man.section.global": ("TUỲ CHỌN CHUNG", "GLOBAL OPTIONS"),
        "man.section.commands": ("CÁC LỆNH", "COMMANDS"),
        "man.section.environment": ("BIẾN MÔI TRƯỜNG", "ENVIRONMENT"),
        "man.section.files": ("TỆP", "FILES"),
        "man.section.exit": ("MÃ THOÁT", "EXIT STATUS"),
        "man.section.see_also": ("XEM THÊM", "SEE ALSO"),
        "man.synopsis.global": ("tuỳ chọn chung", "global options"),
        "man.synopsis.command": ("lệnh", "command"),
        "man.synopsis.options": ("tuỳ chọn", "options"),
        "man.default": ("mặc định: {0}", "default: {0}"),
        "man.repeatable": ("lặp lại được", "repeatable"),
        "man.version": ("In phiên bản, phiên bản lược đồ CSDL và bản dựng (--json: dạng JSON).",
                        "Print the version, the database schema version and the build (--json: as JSON)."),
        "man.help": ("Trợ giúp (song ngữ).", "Help (bilingual)."),
        "man.description.body": (
            "Mọi lệnh nhận các tuỳ chọn chung, đặt trước hoặc sau tên lệnh. Lỗi: một dòng trên stderr, bắt đầu bằng «pakn:», và mã thoát khác 0; CSDL giữ nguyên. Lệnh in dữ liệu nhận --json (một dạng JSON cho hồ sơ ở mọi lệnh); list --csv và export --format csv mở được bằng Excel.",
            "Every command takes the global options, before or after its name. Errors: one line on stderr starting with \"pakn:\" and a non-zero exit; the database is left as it was. Commands that print data take --json (one JSON shape for a case in every command); list --csv and export --format csv open in Excel."),
        "man.env.pakn_db": ("Tệp CSDL khi không có --db.", "The database file when --db is not given."),
        "man.env.xdg_data_home": ("CSDL mặc định: $XDG_DATA_HOME/pakn/pakn.sqlite (không đặt: ~/.local/share).",
                                  "The default database: $XDG_DATA_HOME/pakn/pakn.sqlite (unset: ~/.local/share)."),
        "man.env.xdg_config_home": ("Tệp cấu hình của bàn làm việc và chủ đề riêng: $XDG_CONFIG_HOME/pakn/config.toml, $XDG_CONFIG_HOME/pakn/themes/ (không đặt: ~/.config).",
                                    "The desk's configuration and one's own themes: $XDG_CONFIG_HOME/pakn/config.toml, $XDG_CONFIG_HOME/pakn/themes/ (unset: ~/.config)."),
        "man.env.lang": ("Ngôn ngữ khi không có --lang: bắt đầu bằng «vi» là tiếng Việt.", "The language when --lang is not given: starting with \"vi\" means Vietnamese."),
        "man.env.pakn_group": ("Nhóm dùng chung CSDL của nhiều cán bộ (quyền tệp 0660).", "A group sharing the database among officials (file modes 0660)."),
        "man.env.no_color": ("Bàn làm việc không dùng màu.", "The desk uses no colour."),
        "man.files.database": ("CSDL, với -wal, -shm, <tên>.attachments/ và <tên>.codes bên cạnh.",
                               "The database, with -wal, -shm, <name>.attachments/ and <name>.codes beside it."),
        "man.files.themes": ("Các chủ đề màu đi kèm (cũng có sẵn trong chương trình).", "The shipped colour themes (also built into the program)."),
        "man.exit.0": ("thành công", "success"),
        "man.exit.1": ("bị từ chối, dữ liệu sai", "refused, bad input"),
        "man.exit.2": ("sai cú pháp lệnh", "usage"),
        "man.exit.3": ("xung đột: hồ sơ vừa bị người khác thay đổi (--expect-version)", "conflict: someone else just changed the case (--expect-version)"),
        "man.exit.4": ("không có quyền, hoặc không phải cán bộ", "permission or identity"),
        "man.exit.5": ("không dùng được CSDL", "the database cannot be used"),
        "man.see_also": ("docs/cli.md (hướng dẫn dòng lệnh, có ví dụ), docs/desk-guide.md, docs/workflow.md trong mã nguồn pakn.",
                         "docs/cli.md (the CLI guide, with examples), docs/desk-guide.md, docs/workflow.md in pakn's sources."),
    ]
}
