import Foundation

/// The two languages every message exists in.
public enum Lang: String, Codable, CaseIterable, Sendable {
    case vi, en

    /// From a `LANG`/`LC_ALL` value such as `en_US.UTF-8`: Vietnamese unless it says English
    /// (the users are Vietnamese officials; `C.UTF-8` or no locale at all is Vietnamese).
    public static func from(environment env: [String: String]) -> Lang {
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let v = env[key], !v.isEmpty { return v.lowercased().hasPrefix("en") ? .en : .vi }
        }
        return .vi
    }
}

/// Something a person reads: an error or a notice, in either language.
public protocol Localized: Sendable {
    func text(_ lang: Lang) -> String
}

/// Looks up a message in the catalog and fills `{0}`, `{1}`… with the arguments.
public enum L10n {
    public static func t(_ key: String, _ lang: Lang, _ args: CustomStringConvertible...) -> String {
        format(key, lang, args.map(\.description))
    }

    public static func format(_ key: String, _ lang: Lang, _ args: [String]) -> String {
        guard let entry = Catalog.entries[key] else { return key }
        let text = lang == .vi ? entry.vi : entry.en
        // Most messages have no placeholder; every frame formats dozens of them.
        if !text.utf8.contains(UInt8(ascii: "{")) { return text }
        return fill(text, args)
    }

    /// Fills `{0}`, `{1}`… in `text`, in one pass over the bytes (so an argument that itself
    /// contains "{1}" is left as typed).
    static func fill(_ text: String, _ args: [String]) -> String {
        let template = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(template.count + 16)
        var i = 0
        while i < template.count {
            if template[i] == UInt8(ascii: "{"), let close = template[i...].firstIndex(of: UInt8(ascii: "}")),
               let n = Int(String(decoding: template[(i + 1)..<close], as: UTF8.self)), n >= 0, n < args.count {
                out.append(contentsOf: args[n].utf8)
                i = close + 1
            } else {
                out.append(template[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func has(_ key: String) -> Bool { Catalog.entries[key] != nil }

    /// A message about `n` of something: `key.one` when `n` is 1 and the catalog has it
    /// ("1 day paused", not "1 days paused"), else `key`. The arguments fill either.
    public static func counted(_ key: String, _ lang: Lang, _ n: Int, _ args: CustomStringConvertible...) -> String {
        let k = n == 1 && Catalog.entries[key + ".one"] != nil ? key + ".one" : key
        return format(k, lang, args.map(\.description))
    }
}

/// A catalog message with its arguments, to be rendered later in the reader's language.
public struct Message: Localized, Equatable, Error {
    public var key: String
    public var args: [String]
    public init(_ key: String, _ args: CustomStringConvertible...) {
        self.key = key; self.args = args.map(\.description)
    }
    public func text(_ lang: Lang) -> String { L10n.format(key, lang, args) }
}

extension CaseStatus {
    public func label(_ lang: Lang) -> String { L10n.t("status.\(rawValue)", lang) }
}

extension CaseKind {
    public func label(_ lang: Lang) -> String { L10n.t("kind.\(rawValue)", lang) }
}

extension Channel {
    public func label(_ lang: Lang) -> String { L10n.t("channel.\(rawValue)", lang) }
}

extension Role {
    public func label(_ lang: Lang) -> String { L10n.t("role.\(rawValue)", lang) }
}

extension ActionName {
    public func label(_ lang: Lang) -> String { L10n.t("action.\(rawValue)", lang) }
}

extension DeadlineStatus {
    /// The deadline as people read it: "còn 3 ngày" (calendar days), "còn 3 ngày làm việc"
    /// (working days), "quá hạn 2 ngày", "1 day left"; before acceptance, "thụ lý: còn 3 ngày".
    public func text(_ lang: Lang) -> String {
        guard acceptance, state != .done else { return clockText(lang) }
        return L10n.t("deadline.acceptance", lang, clockText(lang))
    }

    /// For a column: "TL·còn 3 ngày" before acceptance ("TL" = thụ lý), else as `text`.
    /// Working days are said "ngày LV" ("workdays") there, to fit.
    public func shortText(_ lang: Lang) -> String {
        guard acceptance, state != .done else { return clockText(lang, short: true) }
        return L10n.t("deadline.acceptance_short", lang, clockText(lang, short: true))
    }

    private func clockText(_ lang: Lang, short: Bool = false) -> String {
        let s = short ? "_short" : ""
        switch state {
        case .done: return L10n.t("deadline.done", lang)
        case .paused: return L10n.t("deadline.paused", lang)
        case .overdue:
            let n = max(1, -daysLeft)
            if counting == .working {
                return n == 1 ? L10n.t("deadline.overdue_working_day" + s, lang) : L10n.t("deadline.overdue_working_days" + s, lang, n)
            }
            return n == 1 ? L10n.t("deadline.overdue_day", lang) : L10n.t("deadline.overdue_days", lang, n)
        case .ok, .dueSoon:
            if daysLeft <= 0 { return L10n.t("deadline.due_today", lang) }
            // Working-day rules say so ("còn 3 ngày làm việc"), calendar-day rules do not.
            if counting == .working {
                return daysLeft == 1 ? L10n.t("deadline.working_day_left" + s, lang) : L10n.t("deadline.working_days_left" + s, lang, daysLeft)
            }
            return daysLeft == 1 ? L10n.t("deadline.day_left", lang) : L10n.t("deadline.days_left", lang, daysLeft)
        }
    }
}

extension DueState {
    public func label(_ lang: Lang) -> String { L10n.t("due.\(rawValue)", lang) }
}

extension RatingReason {
    public func label(_ lang: Lang) -> String { L10n.t("reason.\(rawValue)", lang) }
}

extension Deadline {
    /// The acceptance step (thụ lý) as a person reads it — "Thụ lý ngày 07/12/2026", or
    /// before acceptance what the resolution will allow from it — or nil for a rule without one.
    public func acceptanceText(_ lang: Lang) -> String? {
        guard acceptDays != nil else { return nil }
        if let d = acceptedOn { return L10n.t("clock.accepted_on", lang, d.vietnamese) }
        return L10n.counted(counting == .working ? "clock.resolution_after_working" : "clock.resolution_after", lang,
                            days + extendedDays, days + extendedDays)
    }
}
