extension Catalog {
    /// Scale: `pakn import` (CSV cases) and `pakn bench`.
    static let scaleMessages: [String: Entry] = [
        // Reading CSV.
        "import.csv.unterminated_quote": ("dấu ngoặc kép mở ở dòng này không bao giờ được đóng", "a quote opened on this line is never closed"),
        "import.csv.quote_in_field": ("dấu ngoặc kép giữa trường {0} không được bao trong ngoặc kép (viết cả trường trong \"…\" và nhân đôi dấu \" bên trong)", "a quote inside field {0}, which is not quoted (quote the whole field and double the quotes inside)"),
        "import.csv.text_after_quote": ("có chữ sau dấu ngoặc kép đóng của trường {0}", "text after the closing quote of field {0}"),
        "import.csv.bare_cr": ("ký tự CR đứng riêng (không có LF): hãy lưu tệp với dòng kết thúc LF hoặc CRLF", "a lone carriage return (CR without LF): save the file with LF or CRLF line ends"),
        "import.csv.stray_bom": ("dấu BOM ở giữa tệp (có phải nhiều tệp bị nối vào nhau?)", "a byte-order mark in the middle of the file (were files joined together?)"),
        "import.csv.invalid_utf8": ("trường {0} không phải UTF-8 hợp lệ (hãy lưu tệp dạng UTF-8)", "field {0} is not valid UTF-8 (save the file as UTF-8)"),
        "import.csv.nul": ("trường {0} chứa byte NUL", "field {0} contains a NUL byte"),
        "import.csv.field_too_long": ("trường {0} dài quá {1} byte", "field {0} is longer than {1} bytes"),
        "import.csv.too_many_fields": ("quá {0} trường trong một dòng", "more than {0} fields on one line"),
        // Checking rows.
        "import.empty": ("Tệp {0} rỗng: cần một dòng tiêu đề và các dòng hồ sơ.", "The file {0} is empty: it needs a header line and one line per case."),
        "import.bad_header": ("Dòng tiêu đề của {0} không dùng được: {1}. Không nhập gì.", "The header line of {0} cannot be used: {1}. Nothing imported."),
        "import.unknown_column": ("cột lạ \"{0}\" (các cột hợp lệ: {1})", "unknown column \"{0}\" (known columns: {1})"),
        "import.duplicate_column": ("cột {0} xuất hiện hai lần", "the column {0} appears twice"),
        "import.missing_columns": ("thiếu cột bắt buộc: {0}", "missing required columns: {0}"),
        "import.column_count": ("cần {0} trường như dòng tiêu đề, có {1}", "expected {0} fields, as in the header, found {1}"),
        "import.bad_code": ("{0} \"{1}\" không hợp lệ (dùng một trong: {2})", "invalid {0} \"{1}\" (use one of: {2})"),
        "import.bad_flag": ("{0} \"{1}\" không hợp lệ (dùng 1/0, có/không, yes/no)", "invalid {0} \"{1}\" (use 1/0, yes/no, có/không)"),
        "import.bad_number": ("{0} \"{1}\" không phải là số", "{0} \"{1}\" is not a number"),
        "import.bad_date": ("ngày nhận \"{0}\" không hợp lệ (dùng 2026-03-05, 2026-03-05T08:30 hoặc 05/03/2026)", "invalid received_at \"{0}\" (use 2026-03-05, 2026-03-05T08:30 or 05/03/2026)"),
        "import.out_of_scope": ("{0} nằm ngoài phạm vi đơn vị của cán bộ {1} (cần quyền tiếp nhận tại đó)", "{0} is outside the units of official {1} (the intake permission there is needed)"),
        "import.bad_row": ("dòng {0}: {1}", "line {0}: {1}"),
        // The command.
        "import.progress": ("Đang nhập", "Importing"),
        "import.progress_line": ("đã đọc {0} dòng ({1}%)", "{0} rows read ({1}%)"),
        "import.done": ("Đã nhập {0} hồ sơ ({1} … {2}).", "Imported {0} cases ({1} … {2})."),
        "import.done_one": ("Đã nhập 1 hồ sơ ({0}).", "Imported 1 case ({0})."),
        "import.done_none": ("Không có dòng hồ sơ nào để nhập.", "There were no case rows to import."),
        "import.rejected": ("{0} dòng lỗi không được nhập; xem {1}.", "{0} bad rows were not imported; see {1}."),
        "import.rejected_nofile": ("{0} dòng lỗi không được nhập.", "{0} bad rows were not imported."),
        "import.nothing": ("Không nhập gì: {0} trong {1} dòng bị lỗi (sửa rồi nhập lại, hoặc dùng --skip-bad để chỉ nhập dòng tốt).", "Nothing imported: {0} of {1} rows are bad (fix them and import again, or use --skip-bad to import the good rows)."),
        "import.more_problems": ("… và {0} dòng lỗi nữa.", "… and {0} more bad rows."),
        // `pakn bench`.
        "bench.reuse_needs_keep": ("--reuse cần --keep THƯ_MỤC: thư mục chứa các CSDL bench-N.sqlite đã tạo.", "--reuse needs --keep FOLDER: the folder holding the bench-N.sqlite databases made before."),
        "store.file.not_folder": ("một phần của đường dẫn là tệp, không phải thư mục", "part of the path is a file, not a folder"),
        "bench.folder_unusable": ("Không dùng được thư mục {0} cho --keep: {1}.", "Cannot use the folder {0} for --keep: {1}."),
    ]
}
