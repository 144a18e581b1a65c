import Foundation
import PaknCore
@testable import PaknStore
import Testing
@testable import PaknUI

/// The intake form's whole screens at fixed sizes, in both languages, with the keys that
/// lead to each (as tig's tests compare screens). `PAKN_WRITE_SCREENS=dir` writes what the
/// desk draws now to `dir`, to review a change and paste it here.
@Suite("Intake form screens")
struct IntakeScreensTests {
    /// A hotline call: the category typed without accents, the location, a title that
    /// looks like an open case of the ward (merged into it with M-1), the text, the
    /// caller's name, and a phone number too short, left for the next field.
    static func call(_ lang: Lang) -> [Key] {
        func text(_ s: String) -> [Key] { s.map { Key.char($0) } }
        return [.char("N"), .tab, .tab] + text(lang == .vi ? "moi" : "env") + [.tab, .tab] + text("45 phố Huế") + [.tab]
            + text("Rác thải tập kết phố Huế") + [.alt("1"), .tab]
            + text("Rác thải bốc mùi trước số 45 phố Huế, đề nghị phường cho thu gom.") + [.tab]
            + text("Trần Thị Bình") + [.tab] + text("0987 654") + [.tab]
    }

    static func screen(_ keys: [Key], width: Int, height: Int, lang: Lang) -> String {
        let desk = FakeDesk(rows: DeskFixtures.rows(12), width: width, height: height, me: DeskFixtures.clerk, view: .triage, lang: lang)
        desk.send(keys)
        return DeskScreensTests.capture(desk.grid)
    }

    static func check(_ name: String, _ keys: [Key], width: Int, height: Int, lang: Lang, _ expected: String,
                      sourceLocation: SourceLocation = #_sourceLocation) throws {
        let actual = screen(keys, width: width, height: height, lang: lang)
        if let dir = ProcessInfo.processInfo.environment["PAKN_WRITE_SCREENS"] {
            try actual.write(toFile: dir + "/" + name + ".txt", atomically: true, encoding: .utf8)
        }
        #expect(actual == expected, "\(name):\n\(actual)", sourceLocation: sourceLocation)
    }

    @Test func aCallAt80x24InVietnamese() throws {
        try Self.check("intake-call-vi-80x24", Self.call(.vi), width: 80, height: 24, lang: .vi, Self.callVi80)
    }

    @Test func aCallAt80x24InEnglish() throws {
        try Self.check("intake-call-en-80x24", Self.call(.en), width: 80, height: 24, lang: .en, Self.callEn80)
    }

    @Test func aCallAt160x48InVietnamese() throws {
        try Self.check("intake-call-vi-160x48", Self.call(.vi), width: 160, height: 48, lang: .vi, Self.callVi160)
    }

    @Test func aCallAt160x48InEnglish() throws {
        try Self.check("intake-call-en-160x48", Self.call(.en), width: 160, height: 48, lang: .en, Self.callEn160)
    }

    /// The ward picked by typing part of its name without accents: the list opens under it.
    @Test func theWardListAt80x24() throws {
        let keys: [Key] = [.char("N"), .tab, .tab, .tab] + "hoan kiem".map { Key.char($0) }
        try Self.check("intake-ward-vi-80x24", keys, width: 80, height: 24, lang: .vi, Self.wardVi80)
        try Self.check("intake-ward-en-160x48", keys, width: 160, height: 48, lang: .en, Self.wardEn160)
    }

    /// docs/desk-guide.md shows the 80×24 call as the desk draws it.
    @Test func theGuideShowsTheseScreens() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let guide = try String(contentsOf: root.appendingPathComponent("docs/desk-guide.md"), encoding: .utf8)
        #expect(guide.contains("```text\n" + Self.callVi80 + "\n```"))
        #expect(guide.contains("```text\n" + Self.callEn80 + "\n```"))
    }

    /// Saving with fields left empty: each says why, the first one has the cursor.
    @Test func savingTooSoonAt80x24() throws {
        let keys: [Key] = [.char("N"), .ctrl("s")]
        try Self.check("intake-problems-vi-80x24", keys, width: 80, height: 24, lang: .vi, Self.problemsVi80)
        try Self.check("intake-problems-en-80x24", keys, width: 80, height: 24, lang: .en, Self.problemsEn80)
    }
}

extension IntakeScreensTests {
    static let callVi80 = #"""
         pakn │ Lê Thị Hoa (Cán bộ tiếp nhận) · Phườn… Đang mở 12  Sắp hạn 2  Quá hạn 3
        1 Tôi 2 Phân loại 3 Chưa giao 4 Sắp hạn 5 Quá hạn 6 Bổ sung 7 Đánh giá 8 Tất cả
        ─ Tiếp nhận hồ sơ mới ─────────────────────────────────── còn 1 trường cần sửa ─
          Loại            Phản ánh, kiến nghị
          Kênh tiếp nhận  Đường dây nóng
          Lĩnh vực        Môi trường, vệ sinh
          Xã/phường       Phường Hoàn Kiếm  00070
          Địa điểm        45 phố Huế
          Tiêu đề         Rác thải tập kết phố Huế
                          Có thể trùng — 1 hồ sơ đang mở cùng xã/phường:
                          M-1 HN-2026-000007 Rác thải tập kết sai nơi quy… ◀ sẽ gộp vào
          Nội dung        Rác thải bốc mùi trước số 45 phố Huế, đề nghị phường cho thu
                          gom.

          Người gửi       Trần Thị Bình
          Điện thoại      0987 654
                          ⚠ Số điện thoại gồm 8–15 chữ số (được có dấu cách, +, ., -)
        ▸ Thư điện tử
          Số định danh    —
          Ẩn danh         [ ]
          Giữ bí mật      [ ]
          Thời điểm nhận  2026-11-23 09:00
          Tệp đính kèm    —
        Tab/S-Tab trường · C-s tiếp nhận · M-1…M-5 gộp trùng · Esc đóng · F1 phím
        """#
    static let callEn80 = #"""
         pakn │ Lê Thị Hoa (Clerk) · Phường Hoàn Kiếm    Open 12  Due soon 2  Overdue 3
         1 Mine [2 Triage] 3 Unassigned 4 Due 5 Overdue 6 Info 7 Rating 8 All 9 Sent
        ─ New case ────────────────────────────────────────────────────────── 1 to fix ─
          Kind         Feedback
          Channel      Hotline
          Category     Environment and sanitation
          Ward         Phường Hoàn Kiếm  00070
          Location     45 phố Huế
          Title        Rác thải tập kết phố Huế
                       Possible duplicates — 1 open case(s) of the same ward:
                       M-1 HN-2026-000007 Rác thải tập kết sai nơi quy đị… ◀ merge into
          Text         Rác thải bốc mùi trước số 45 phố Huế, đề nghị phường cho thu
                       gom.

          Reporter     Trần Thị Bình
          Phone        0987 654
                       ⚠ A phone number has 8–15 digits (spaces, +, ., - allowed)
        ▸ E-mail
          ID number    —
          Anonymous    [ ]
          Protected    [ ]
          Received     2026-11-23 09:00
          Attachments  —
        Tab/S-Tab fields · C-s take in · M-1…M-5 merge duplicate · Esc close · F1 keys
        """#
    static let callVi160 = #"""
         pakn │ Lê Thị Hoa (Cán bộ tiếp nhận) · Phường Hoàn Kiếm                                                                       Đang mở 12  Sắp hạn 2  Quá hạn 3
         1 Của tôi [2 Phân loại] 3 Chưa giao 4 Sắp đến hạn 5 Quá hạn 6 Chờ bổ sung 7 Chờ đánh giá 8 Tất cả 9 Đã chuyển đi
        ─ Tiếp nhận hồ sơ mới ─────────────────────────────────────────────────────────────────────────────────────────────────────────────────── còn 1 trường cần sửa ─
          Loại            Phản ánh, kiến nghị
          Kênh tiếp nhận  Đường dây nóng
          Lĩnh vực        Môi trường, vệ sinh
          Xã/phường       Phường Hoàn Kiếm  00070
          Địa điểm        45 phố Huế
          Tiêu đề         Rác thải tập kết phố Huế
                          Có thể trùng — 1 hồ sơ đang mở cùng xã/phường:
                          M-1 HN-2026-000007 Rác thải tập kết sai nơi quy định trên phố Huế · Chờ bổ sung thông tin ◀ sẽ gộp vào
          Nội dung        Rác thải bốc mùi trước số 45 phố Huế, đề nghị phường cho thu gom.





          Người gửi       Trần Thị Bình
          Điện thoại      0987 654
                          ⚠ Số điện thoại gồm 8–15 chữ số (được có dấu cách, +, ., -)
        ▸ Thư điện tử
          Số định danh    —
          Ẩn danh         [ ]
          Giữ bí mật      [ ]
          Thời điểm nhận  2026-11-23 09:00
          Tệp đính kèm    —





















        Tab/S-Tab trường · C-s tiếp nhận · M-1…M-5 gộp trùng · Esc đóng · F1 phím
        """#
    static let callEn160 = #"""
         pakn │ Lê Thị Hoa (Clerk) · Phường Hoàn Kiếm                                                                                    Open 12  Due soon 2  Overdue 3
         1 Mine [2 Triage] 3 Unassigned 4 Due soon 5 Overdue 6 Awaiting info 7 Awaiting rating 8 All 9 Sent up
        ─ New case ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────── 1 to fix ─
          Kind         Feedback
          Channel      Hotline
          Category     Environment and sanitation
          Ward         Phường Hoàn Kiếm  00070
          Location     45 phố Huế
          Title        Rác thải tập kết phố Huế
                       Possible duplicates — 1 open case(s) of the same ward:
                       M-1 HN-2026-000007 Rác thải tập kết sai nơi quy định trên phố Huế · Awaiting information ◀ merge into
          Text         Rác thải bốc mùi trước số 45 phố Huế, đề nghị phường cho thu gom.





          Reporter     Trần Thị Bình
          Phone        0987 654
                       ⚠ A phone number has 8–15 digits (spaces, +, ., - allowed)
        ▸ E-mail
          ID number    —
          Anonymous    [ ]
          Protected    [ ]
          Received     2026-11-23 09:00
          Attachments  —





















        Tab/S-Tab fields · C-s take in · M-1…M-5 merge duplicate · Esc close · F1 keys
        """#
    static let wardVi80 = #"""
         pakn │ Lê Thị Hoa (Cán bộ tiếp nhận) · Phườn… Đang mở 12  Sắp hạn 2  Quá hạn 3
        1 Tôi 2 Phân loại 3 Chưa giao 4 Sắp hạn 5 Quá hạn 6 Bổ sung 7 Đánh giá 8 Tất cả
        ─ Tiếp nhận hồ sơ mới ─────────────────────────────────── còn 3 trường cần sửa ─
          Loại            Phản ánh, kiến nghị
          Kênh tiếp nhận  Đường dây nóng
          Lĩnh vực        —
                          ⚠ Chọn lĩnh vực (gõ để lọc)
        ▸ Xã/phường       hoan kiem  → Phường Hoàn Kiếm  00070
                          › Phường Hoàn Kiếm  00070
                          │ Phường Hoàn Kiếm Bắc  00073
          Nội dung        —


          Người gửi       —
          Điện thoại      —
          Thư điện tử     —
          Số định danh    —
          Ẩn danh         [ ]
          Giữ bí mật      [ ]
          Thời điểm nhận  2026-11-23 09:00
          Tệp đính kèm    —


        Tab/S-Tab trường · C-s tiếp nhận · M-1…M-5 gộp trùng · Esc đóng · F1 phím
        """#
    static let wardEn160 = #"""
         pakn │ Lê Thị Hoa (Clerk) · Phường Hoàn Kiếm                                                                                    Open 12  Due soon 2  Overdue 3
         1 Mine [2 Triage] 3 Unassigned 4 Due soon 5 Overdue 6 Awaiting info 7 Awaiting rating 8 All 9 Sent up
        ─ New case ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────── 3 to fix ─
          Kind         Feedback
          Channel      Hotline
          Category     —
                       ⚠ Pick a category (type to filter)
        ▸ Ward         hoan kiem  → Phường Hoàn Kiếm  00070
                       › Phường Hoàn Kiếm  00070
                       │ Phường Hoàn Kiếm Bắc  00073
          Text         —





          Reporter     —
          Phone        —
          E-mail       —
          ID number    —
          Anonymous    [ ]
          Protected    [ ]
          Received     2026-11-23 09:00
          Attachments  —























        Tab/S-Tab fields · C-s take in · M-1…M-5 merge duplicate · Esc close · F1 keys
        """#
    static let problemsVi80 = #"""
         pakn │ Lê Thị Hoa (Cán bộ tiếp nhận) · Phườn… Đang mở 12  Sắp hạn 2  Quá hạn 3
        1 Tôi 2 Phân loại 3 Chưa giao 4 Sắp hạn 5 Quá hạn 6 Bổ sung 7 Đánh giá 8 Tất cả
        ─ Tiếp nhận hồ sơ mới ─────────────────────────────────── còn 3 trường cần sửa ─
          Loại            Phản ánh, kiến nghị
          Kênh tiếp nhận  Đường dây nóng
        ▸ Lĩnh vực
                          ⚠ Chọn lĩnh vực (gõ để lọc)
          Xã/phường       Phường Hoàn Kiếm  00070
          Địa điểm        —
          Tiêu đề         —
                          ⚠ Bắt buộc
          Nội dung        —


                          ⚠ Bắt buộc
          Người gửi       —
          Điện thoại      —
          Thư điện tử     —
          Số định danh    —
          Ẩn danh         [ ]
          Giữ bí mật      [ ]
          Thời điểm nhận  2026-11-23 09:00
          Tệp đính kèm    —
        Còn 3 trường cần sửa: Lĩnh vực, Tiêu đề, Nội dung.
        """#
    static let problemsEn80 = #"""
         pakn │ Lê Thị Hoa (Clerk) · Phường Hoàn Kiếm    Open 12  Due soon 2  Overdue 3
         1 Mine [2 Triage] 3 Unassigned 4 Due 5 Overdue 6 Info 7 Rating 8 All 9 Sent
        ─ New case ────────────────────────────────────────────────────────── 3 to fix ─
          Kind         Feedback
          Channel      Hotline
        ▸ Category
                       ⚠ Pick a category (type to filter)
          Ward         Phường Hoàn Kiếm  00070
          Location     —
          Title        —
                       ⚠ Required
          Text         —


                       ⚠ Required
          Reporter     —
          Phone        —
          E-mail       —
          ID number    —
          Anonymous    [ ]
          Protected    [ ]
          Received     2026-11-23 09:00
          Attachments  —
        3 field(s) to fix: Category, Title, Text.
        """#
}
