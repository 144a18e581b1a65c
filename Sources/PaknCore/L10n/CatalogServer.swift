extension Catalog {
    /// PostgreSQL as the shared engine (issue 13, docs/deployment.md): the server's URL,
    /// connecting, what the server refuses, `pakn init`/`pakn migrate` onto a server.
    static let serverMessages: [String: Entry] = [
        // A postgres:// URL (PaknPostgres.ServerURL).
        "pg.url.scheme": ("«{0}» không phải địa chỉ máy chủ: địa chỉ bắt đầu bằng postgres://.",
                          "\"{0}\" is not a server address: it starts with postgres://."),
        "pg.url.unreadable": ("Không đọc được địa chỉ máy chủ «{0}».", "Cannot read the server address \"{0}\"."),
        "pg.url.parameter": ("Địa chỉ máy chủ có tham số «{0}» không hợp lệ (dùng host, port, sslmode, sslrootcert, sslcert, sslkey).",
                             "The server address has an invalid parameter \"{0}\" (use host, port, sslmode, sslrootcert, sslcert, sslkey)."),
        "pg.url.database": ("Địa chỉ máy chủ «{0}» không nêu tên CSDL (ví dụ postgres://canbo@/pakn?host=/var/run/postgresql).",
                            "The server address \"{0}\" names no database (e.g. postgres://clerk@/pakn?host=/var/run/postgresql)."),
        "pg.url.user": ("Địa chỉ máy chủ «{0}» không nêu vai trò đăng nhập.", "The server address \"{0}\" names no login role."),
        "pg.url.port": ("Cổng «{0}» không hợp lệ (1–65535).", "Port \"{0}\" is not valid (1–65535)."),
        "pg.url.sslmode": ("sslmode «{0}» không hợp lệ (disable, prefer, require, verify-full).",
                           "sslmode \"{0}\" is not valid (disable, prefer, require, verify-full)."),
        "pg.url.client_cert": ("Chứng thư máy khách cần cả sslcert và sslkey.", "A client certificate needs both sslcert and sslkey."),
        "pg.tls.files": ("Không đọc được tệp TLS «{0}»: {1}", "Cannot read the TLS file \"{0}\": {1}"),

        // Connecting (PaknPostgres.ServerError).
        "pg.connect.down": ("Không kết nối được máy chủ CSDL {0}: máy chủ chưa chạy hoặc không tới được ({1}).",
                            "Cannot reach the database server {0}: it is not running or not reachable ({1})."),
        "pg.connect.credentials": ("Máy chủ CSDL {1} từ chối đăng nhập của vai trò «{0}»: sai mật khẩu, hoặc vai trò không được phép vào.",
                                   "The database server {1} refused the login of role \"{0}\": wrong password, or the role may not log in."),
        "pg.connect.password_needed": ("Máy chủ CSDL {1} đòi mật khẩu cho vai trò «{0}»: thêm vào địa chỉ hoặc đặt PGPASSWORD.",
                                       "The database server {1} asks a password for role \"{0}\": put it in the address or set PGPASSWORD."),
        "pg.connect.no_database": ("Máy chủ {1} không có CSDL «{0}».", "The server {1} has no database \"{0}\"."),
        "pg.connect.starting": ("Máy chủ CSDL {0} đang khởi động; thử lại sau ít giây.", "The database server {0} is starting up; try again in a few seconds."),
        "pg.connect.refused": ("Máy chủ CSDL {0} từ chối kết nối: {1}", "The database server {0} refused the connection: {1}"),
        "pg.connect.no_tls": ("Máy chủ CSDL {0} không hỗ trợ TLS mà địa chỉ đòi (sslmode).",
                              "The database server {0} does not offer the TLS the address requires (sslmode)."),

        // What the server refused.
        "pg.server.denied": ("Máy chủ CSDL không cho phép: {0}", "The database server does not allow it: {0}"),
        "pg.server.refused": ("Máy chủ CSDL từ chối: {0}", "The database server refused: {0}"),
        "pg.server.error": ("Lỗi máy chủ CSDL ({0}): {1}", "Database server error ({0}): {1}"),
        "pg.server.lost": ("Mất kết nối với máy chủ CSDL; không có gì được ghi dở ({0}).",
                           "The connection to the database server was lost; nothing was half-written ({0})."),
        "pg.server.reconnecting": ("đang chờ để thử kết nối lại", "waiting to try to reconnect"),
        // The desk when its database goes away and comes back (DeskRunner.pollForChanges).
        "desk.db.lost": ("Mất kết nối CSDL; đang thử kết nối lại… ({0})",
                         "Lost the connection to the database; trying to reconnect… ({0})"),
        "desk.db.back": ("Đã kết nối lại CSDL; màn hình đã cập nhật.", "Reconnected to the database; the screen is up to date."),

        // Raised by pakn's functions on the server (ServerTrust): recorded as "vi / en".
        "pg.trust.not_official": ("Vai trò {0} không phải cán bộ của CSDL này.", "Role {0} is not an official of this database."),
        "pg.trust.no_case": ("Không có hồ sơ {0}.", "There is no case {0}."),
        "pg.trust.denied": ("{0} không có quyền {1} ở đây.", "{0} does not hold {1} here."),
        "pg.units.changed": ("Đơn vị {0} đã bị thay đổi trong lúc kiểm tra danh sách thay đổi; không có gì được ghi. Hãy nạp lại danh sách.", "Unit {0} was changed while the change list was being checked; nothing was written. Load the list again."),
        "pg.trust.append_only": ("Lịch sử chỉ được ghi thêm, không được sửa hay xoá.", "The history is append-only: it cannot be changed or deleted."),
        "pg.trust.reason_needed": ("Xem danh tính người phản ánh cần nêu lý do.", "Revealing a reporter needs a reason."),
        "pg.trust.anonymous": ("Hồ sơ {0} ẩn danh: không có danh tính để xem.", "Case {0} is anonymous: there is no identity to reveal."),
        "pg.trust.login_taken": ("Tên đăng nhập «{0}» không dùng được (đã có, hoặc có ký tự ngoài a–z, 0–9, . _ -).",
                                 "The login \"{0}\" cannot be used (taken, or it has characters outside a–z, 0–9, . _ -)."),


        // pakn init / pakn migrate onto a server (PaknMove).
        "pg.init.done": ("Đã tạo CSDL {0} trên máy chủ: {1} tỉnh/thành, {2} xã/phường; quản trị viên: {3}.",
                         "Created the database {0} on the server: {1} provinces, {2} communes; admin: {3}."),
        "pg.init.not_empty": ("CSDL {0} trên máy chủ đã có dữ liệu pakn; không ghi đè.",
                              "The database {0} on the server already holds pakn data; nothing was overwritten."),
        "pg.migrate.source_missing": ("Không có tệp CSDL «{0}».", "There is no database file \"{0}\"."),
        "pg.migrate.old_schema": ("Tệp «{0}» chưa ở lược đồ mới nhất; mở nó một lần bằng pakn này (pakn --db {0} audit verify) rồi chuyển.",
                                  "The file \"{0}\" is not at the latest schema; open it once with this pakn (pakn --db {0} audit verify), then move it."),
        "pg.migrate.attachment_missing": ("Thiếu hoặc sai tệp đính kèm «{0}» bên cạnh CSDL; không có gì được ghi.",
                                          "The attachment file \"{0}\" beside the database is missing or changed; nothing was written."),
        "pg.migrate.not_sqlite": ("Tệp «{0}» không phải CSDL pakn.", "The file \"{0}\" is not a pakn database."),
        "pg.migrate.head_mismatch": ("Chuỗi băm trên bản sao không khớp (bản gốc {0}, bản sao {1}); không có gì được ghi.",
                                     "The hash chain on the copy does not match (source {0}, copy {1}); nothing was written."),
        "pg.migrate.broken": ("Chuỗi băm trên bản sao gãy ở sự kiện {0}; không có gì được ghi.",
                              "The hash chain on the copy breaks at event {0}; nothing was written."),
        "pg.migrate.access_broken": ("Chuỗi băm nhật ký truy cập trên bản sao gãy ở mục {0}; không có gì được ghi.",
                                     "The access log's chain on the copy breaks at entry {0}; nothing was written."),
        "pg.migrate.access_mismatch": ("Chuỗi băm nhật ký truy cập trên bản sao không khớp (bản gốc {0}, bản sao {1}); không có gì được ghi.",
                                       "The access log's chain on the copy does not match (source {0}, copy {1}); nothing was written."),
        "pg.migrate.access_done": ("Nhật ký truy cập: {0} mục; đầu chuỗi {1} (khớp bản gốc).",
                                   "Access log: {0} entries; chain head {1} (same as the source)."),
        "pg.migrate.table": ("  {0}: {1} dòng", "  {0}: {1} rows"),
        "pg.migrate.done": ("Đã chuyển {0} sang {1}: {2} hồ sơ, {3} sự kiện; đầu chuỗi {4} (khớp bản gốc).",
                            "Moved {0} to {1}: {2} cases, {3} events; chain head {4} (same as the source)."),
    ]
}
