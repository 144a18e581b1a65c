import Foundation

/// Names and dates as an official writes them in a letter to a citizen (Nghị định
/// 30/2020/NĐ-CP, Phụ lục II): "Ủy ban nhân dân phường Hoàn Kiếm" (the unit type in lower
/// case inside running text), "ngày 05 tháng 12 năm 2026". English letters use the English
/// order: "Hoàn Kiếm Ward", "5 December 2026".
public enum OfficialStyle {
    /// Words that name a unit's type at the start of its name, longest first.
    static let unitTypes: [(vi: String, en: String)] = [
        ("thành phố", "City"), ("đặc khu", "Special Zone"), ("thị trấn", "Township"), ("thị xã", "Town"),
        ("phường", "Ward"), ("tỉnh", "Province"), ("quận", "District"), ("huyện", "District"), ("xã", "Commune"),
    ]

    /// The type word a unit's name starts with, and the rest of the name.
    static func split(_ name: String) -> (type: String, en: String, rest: String)? {
        let lower = name.lowercased()
        for t in unitTypes where lower.hasPrefix(t.vi + " ") {
            let rest = String(name.dropFirst(t.vi.count + 1))
            return (t.vi, t.en, rest)
        }
        return nil
    }

    /// An administrative unit's name inside running text: "Phường Hoàn Kiếm" → "phường Hoàn
    /// Kiếm" (vi), "Hoàn Kiếm Ward" (en). Other names (a department) are returned as they are.
    public static func unitName(_ name: String, _ lang: Lang) -> String {
        guard let s = split(name) else { return name }
        switch lang {
        case .vi: return s.type + " " + s.rest
        case .en: return s.rest + " " + s.en
        }
    }

    /// The body that speaks for a unit: the People's Committee of an administrative unit
    /// ("Ủy ban nhân dân phường Hoàn Kiếm"), or a department by its own name.
    public static func bodyName(_ name: String, isAdministrative: Bool, _ lang: Lang) -> String {
        guard isAdministrative else { return name }
        switch lang {
        case .vi: return "Ủy ban nhân dân " + unitName(name, .vi)
        case .en: return "the People's Committee of " + unitName(name, .en)
        }
    }

    static let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                         "September", "October", "November", "December"]

    /// A date in a letter, without the leading word: "05 tháng 12 năm 2026" (a template writes
    /// "Ngày {date}" or "ngày {date}"), "5 December 2026". Decree 30 pads a day below 10 and
    /// the months 1 and 2 with a zero ("ngày 05 tháng 02", "ngày 15 tháng 3").
    public static func date(_ day: Day, _ lang: Lang) -> String {
        let (y, m, d) = Day.civil(day.ordinal)
        switch lang {
        case .vi: return Day.padded(d, 2) + " tháng " + (m <= 2 ? Day.padded(m, 2) : String(m)) + " năm " + String(y)
        case .en: return "\(d) \(months[m - 1]) \(y)"
        }
    }
}
