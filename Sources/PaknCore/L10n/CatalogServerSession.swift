extension Catalog {
    /// The PostgreSQL session engine (Sources/PaknPostgres/ServerSession*.swift).
    static let serverSessionMessages: [String: Entry] = [
        "pgs.not_yet": ("«{0}» chưa chạy được trên máy chủ PostgreSQL ({1}). Việc này hiện chỉ làm được trên một tệp cơ sở dữ liệu SQLite.",
                        "“{0}” does not run on a PostgreSQL server yet ({1}). For now it works on a SQLite database file only."),
        "pgs.not_pakn": ("CSDL {0} trên máy chủ chưa có dữ liệu pakn: hãy chạy pakn init --db hoặc pakn migrate --to địa chỉ này trước.",
                         "The database {0} on the server holds no pakn data: run pakn init --db or pakn migrate --to this address first."),
        "pgs.upgrade_needed": ("lược đồ của nó cũ hơn phiên bản pakn này. Người quản trị CSDL chạy pakn upgrade --db với vai trò chủ sở hữu CSDL (docs/deployment.md §0).",
                               "its schema is older than this pakn. The database administrator runs pakn upgrade --db as the database's owner (docs/deployment.md §0)."),
        // pakn upgrade (UpgradeCommand).
        "pgs.upgrade_owner": ("Vai trò «{1}» không phải chủ sở hữu CSDL {0}: pakn upgrade chạy với vai trò chủ sở hữu (người đã chạy pakn init hoặc pakn migrate).",
                              "The role \"{1}\" does not own the database {0}: pakn upgrade runs as the owner (who ran pakn init or pakn migrate)."),
        "cli.upgrade.done": ("Đã nâng CSDL {0} lên lược đồ của phiên bản này: {1}.", "Brought the database {0} to this version's schema: {1}."),
        "cli.upgrade.current": ("CSDL {0} đã ở lược đồ của phiên bản này; không có gì phải làm.",
                                "The database {0} is already at this version's schema; nothing to do."),
        "pgs.backup": ("pakn backup sao lưu một tệp SQLite; CSDL {0} trên máy chủ PostgreSQL được sao lưu bằng pg_dump hoặc sao lưu cơ sở (pg_basebackup), xem docs/deployment.md §6.",
                       "pakn backup backs up a SQLite file; the database {0} on a PostgreSQL server is backed up with pg_dump or a base backup (pg_basebackup): see docs/deployment.md §6."),
    ]
}
