extension Catalog {
    /// The database file itself: a newer pakn's database, one that cannot grow
    /// (docs/reliability.md, "Unusable databases").
    static let robustDatabaseMessages: [String: Entry] = [
        "robust.db.newer": ("CSDL này do một phiên bản pakn mới hơn ghi; phiên bản này không đọc cũng không ghi vào đó. Hãy nâng cấp pakn.",
                            "This database was written by a newer pakn; this version neither reads nor writes it. Upgrade pakn."),
        "robust.db.cannot_grow": ("CSDL không lớn thêm được (ổ đĩa đầy hoặc chạm giới hạn kích thước tệp). Không có gì bị thay đổi; giải phóng chỗ trống hoặc nâng giới hạn rồi thử lại.",
                                  "The database could not grow (disk full or file size limit). Nothing was changed; free some space or raise the limit, then try again."),
    ]
}
