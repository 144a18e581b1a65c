import PaknCore

/// docs/keybindings.md, generated from the action registry so it can never disagree with
/// the desk. `markdown(lang:)` writes it; the test suite fails when
/// the committed file differs from `document()` (run it with `PAKN_UPDATE_DOCS=1` to
/// rewrite the file).
public enum KeyBindingsDoc {
    /// The committed file: Vietnamese first, then English.
    public static func document(keyMap: KeyMap = .standard) -> String {
        markdown(lang: .vi, keyMap: keyMap) + "\n" + markdown(lang: .en, keyMap: keyMap)
    }

    static func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }

    static func keyList(_ keys: [Key], _ a: DeskAction) -> String {
        if a.indexed && keys.count > 2 {
            return "`\(cell(keys.first!.description))` … `\(cell(keys.last!.description))`"
        }
        return keys.map { "`\(cell($0.description))`" }.joined(separator: ", ")
    }

    /// Every context with its keys, in one language.
    public static func markdown(lang: Lang, keyMap: KeyMap = .standard) -> String {
        let vi = lang == .vi
        var out = ""
        func line(_ s: String = "") { out += s + "\n" }
        line(vi ? "# Phím tắt của bàn làm việc (pakn desk)" : "# Desk key bindings (pakn desk)")
        line()
        line(vi ? "<!-- Tệp này được sinh tự động từ danh mục thao tác (Sources/PaknUI/Keys/ActionRegistry.swift). Đừng sửa tay: chạy `PAKN_UPDATE_DOCS=1 swift test --filter KeyBindingsDoc`. -->"
                : "<!-- Generated from the action registry (Sources/PaknUI/Keys/ActionRegistry.swift). Do not edit by hand: run `PAKN_UPDATE_DOCS=1 swift test --filter KeyBindingsDoc`. -->")
        line()
        if vi {
            line("Mỗi thao tác có một tên (cột cuối). Tên đó dùng để gán lại phím trong bảng `[keys]` của tệp cấu hình `~/.config/pakn/config.toml`, và gõ được sau dấu `:` như một lệnh (ví dụ `:assign`, `:reject Lý do`).")
            line()
            line("Khi đang gõ chữ (soạn trả lời, dòng tìm kiếm, dòng lệnh, danh sách chọn), phím chữ và số luôn là chữ; thao tác dùng phím Ctrl (`C-`), Alt (`M-`), phím mũi tên và phím chức năng.")
        } else {
            line("Every action has a name (last column). Use it to rebind keys in the `[keys]` table of `~/.config/pakn/config.toml`, or type it after `:` as a command (e.g. `:assign`, `:reject Reason`).")
            line()
            line("While typing (reply editor, search, command line, pickers), letter and digit keys always type; actions use Ctrl (`C-`), Alt (`M-`), arrows and function keys.")
        }
        for ctx in KeyContext.allCases {
            let rows = HelpText.entries(keyMap, ctx)
            guard !rows.isEmpty else { continue }
            line()
            line("## " + ctx.label(lang))
            line()
            line(vi ? "| Phím | Thao tác | Tên |" : "| Keys | Action | Name |")
            line("|---|---|---|")
            for (keys, a) in rows {
                line("| \(keyList(keys, a)) | \(cell(a.help(lang))) | `\(a.id.rawValue)` |")
            }
        }
        let commandOnly = ActionRegistry.all.filter { a in
            a.command && !a.contexts.contains { !keyMap.keys(for: a.id, in: $0).isEmpty }
        }
        line()
        line(vi ? "## Lệnh gõ sau dấu `:`" : "## Commands typed after `:`")
        line()
        if vi {
            line("Mọi thao tác có tên ở trên đều là một lệnh. Thêm vào đó:")
        } else {
            line("Every named action above is a command. Besides:")
        }
        line()
        let extra: [(String, String, String)] = [
            (":view overdue", "Chuyển sang một danh sách (mine, triage, unassigned, due_soon, overdue, awaiting, awaiting_rating, all; tên tiếng Việt cũng được: `:view qua han`)",
             "Switch view (mine, triage, unassigned, due_soon, overdue, awaiting, awaiting_rating, all; Vietnamese names work too: `:view qua han`)"),
            (":order newest", "Đổi cách sắp xếp (urgency, newest, oldest, code)", "Change the order (urgency, newest, oldest, code)"),
            (":goto HN-2026-000123", "Tìm một hồ sơ theo mã", "Find a case by its code"),
            (":search ha noi", "Lọc danh sách theo chữ (không dấu cũng được)", "Filter the list by text (accents optional)"),
            (":filter kind complaint", "Lọc theo loại đơn; `:filter category land`, `:filter ward …`, `:filter clear`",
             "Filter by kind; `:filter category land`, `:filter ward …`, `:filter clear`"),
            (":lang en", "Đổi ngôn ngữ giao diện (vi, en)", "Switch the desk's language (vi, en)"),
            (":reject Lý do", "Thao tác kèm lý do: hỏi xác nhận nếu là thao tác nguy hiểm", "An action with its reason; dangerous ones still ask for confirmation"),
            (":merge HN-2026-000045", "Gộp hồ sơ đang chọn vào hồ sơ có mã đó", "Merge the selected case into that one"),
            (":q", "Thoát", "Quit"),
        ]
        line(vi ? "| Lệnh | Ý nghĩa |" : "| Command | Meaning |")
        line("|---|---|")
        for (cmd, v, e) in extra { line("| `\(cmd)` | \(vi ? v : e) |") }
        if !commandOnly.isEmpty {
            line()
            line(vi ? "Thao tác không có phím mặc định (chỉ dùng bằng lệnh hoặc gán phím trong cấu hình):"
                    : "Actions with no default key (use them as commands, or bind a key in the config):")
            line()
            for a in commandOnly { line("- `:\(a.id.rawValue)` — \(a.help(lang))") }
        }
        line()
        line(vi ? "## Gán lại phím" : "## Rebinding keys")
        line()
        line("```toml")
        line("# ~/.config/pakn/config.toml")
        line("[keys]")
        line(vi ? "assign = \"a\"              # một phím" : "assign = \"a\"              # one key")
        line(vi ? "reply = [\"R\", \"C-r\"]       # nhiều phím" : "reply = [\"R\", \"C-r\"]       # several keys")
        line(vi ? "reject = []                # bỏ phím (vẫn dùng được :reject)" : "reject = []                # no key (still available as :reject)")
        line("```")
        line()
        if vi {
            line("Tên phím: một ký tự (`a`, `A`, `?`), `Space`, `Enter`, `Tab`, `S-Tab`, `Esc`, `Backspace`, `Delete`, `Insert`, `Up`, `Down`, `Left`, `Right`, `PgUp`, `PgDn`, `Home`, `End`, `F1`…`F12`, `C-` + chữ cái (Ctrl), `M-` + ký tự (Alt). Phím gán lại thay cho phím mặc định của thao tác đó; nếu trùng với thao tác khác trong cùng ngữ cảnh, phím gán lại được ưu tiên và pakn báo trên dòng trạng thái.")
        } else {
            line("Key names: one character (`a`, `A`, `?`), `Space`, `Enter`, `Tab`, `S-Tab`, `Esc`, `Backspace`, `Delete`, `Insert`, `Up`, `Down`, `Left`, `Right`, `PgUp`, `PgDn`, `Home`, `End`, `F1`…`F12`, `C-` + letter (Ctrl), `M-` + character (Alt). Keys you set replace the action's defaults; if one collides with another action in the same context, yours wins and pakn says so on the status line.")
        }
        return out
    }
}
