extension Catalog {
    /// The PostgreSQL session engine (Sources/PaknPostgres/ServerSession*.swift).
    static let serverSessionMessages: [String: Entry] = [
        "pgs.not_yet": ("«{0}» chưa chạy được trên máy chủ PostgreSQL ({1}). Việc này hiện chỉ làm được trên một tệp cơ sở dữ liệu SQLite.",
                        "“{0}” does not run on a PostgreSQL server yet ({1}). For now it works on a SQLite database file only."),
        "pgs.not_pakn": ("CSDL {0} trên máy chủ chưa có dữ liệu pakn: hãy chạy pakn init --db hoặc pakn migrate --to địa chỉ này trước.",
                         "The database {0} on the server holds no pakn data: run pakn init --db or pakn migrate --to this address first."),
        "pgs.backup": ("pakn backup sao lưu một tệp SQLite; CSDL {0} trên máy chủ PostgreSQL được sao lưu bằng pg_dump hoặc sao lưu cơ sở (pg_basebackup), xem docs/deployment.md §6.",
                       "pakn backup backs up a SQLite file; the database {0} on a PostgreSQL server is backed up with pg_dump or a base backup (pg_basebackup): see docs/deployment.md §6."),
    ]
}
