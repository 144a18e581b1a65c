extension Catalog {
    /// Database engines: which one a `--db` value names (issue 13, "One store interface, two engines").
    static let engineMessages: [String: Entry] = [
        "engine.no_postgres": ("Lệnh này và bàn làm việc chưa chạy được trên máy chủ PostgreSQL ({0}); hiện chỉ pakn init và pakn migrate nhận địa chỉ postgres://. Hãy dùng một tệp cơ sở dữ liệu SQLite (--db đường/dẫn/pakn.sqlite).",
                               "This command and the desk do not run on a PostgreSQL server yet ({0}); for now only pakn init and pakn migrate take a postgres:// address. Use a SQLite database file (--db path/to/pakn.sqlite)."),
        "engine.file_only": ("Lệnh «{0}» chỉ làm việc với một tệp cơ sở dữ liệu SQLite; bản pakn này chưa có bộ máy PostgreSQL cho {1}.",
                             "\"{0}\" works on a SQLite database file only; this build of pakn has no PostgreSQL engine for {1} yet."),
    ]
}
