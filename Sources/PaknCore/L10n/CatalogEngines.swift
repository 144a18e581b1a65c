extension Catalog {
    /// Database engines: which one a `--db` value names (issue 13, "One store interface, two engines").
    static let engineMessages: [String: Entry] = [
        "engine.no_postgres": ("Bản pakn này chưa có bộ máy PostgreSQL, nên chưa mở được {0}. Hãy dùng một tệp cơ sở dữ liệu SQLite (--db đường/dẫn/pakn.sqlite).",
                               "This build of pakn has no PostgreSQL engine yet, so it cannot open {0}. Use a SQLite database file (--db path/to/pakn.sqlite)."),
        "engine.file_only": ("Lệnh «{0}» chỉ làm việc với một tệp cơ sở dữ liệu SQLite; bản pakn này chưa có bộ máy PostgreSQL cho {1}.",
                             "\"{0}\" works on a SQLite database file only; this build of pakn has no PostgreSQL engine for {1} yet."),
    ]
}
