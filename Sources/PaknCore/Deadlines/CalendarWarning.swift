/// A due day the holiday calendar does not cover: it was computed as if its year had no
/// holidays and no swapped Saturdays, so it may be wrong. Shown wherever a due day is
/// shown (`pakn show`, `pakn list`, the desk), never left silent.
public struct CalendarWarning: Equatable, Hashable, Sendable, Codable {
    /// The due day that falls outside the calendar.
    public var dueDay: Day
    /// The last day the calendar knows (nil: it has no entries at all).
    public var horizon: Day?

    public init(dueDay: Day, horizon: Day?) { self.dueDay = dueDay; self.horizon = horizon }

    /// The warning for a due day, or nil when `calendar` covers it.
    public init?(dueDay: Day, calendar: WorkingCalendar) {
        guard !calendar.covers(dueDay) else { return nil }
        self.init(dueDay: dueDay, horizon: calendar.horizon)
    }

    /// One line for people: which year is unknown and how far the calendar reaches.
    public func text(_ lang: Lang) -> String {
        if let horizon, dueDay > horizon {
            return L10n.t("calendar.warning.beyond", lang, dueDay.year, horizon.vietnamese)
        }
        return L10n.t("calendar.warning.year", lang, dueDay.year)
    }

    /// The short marker a queue row shows after its deadline.
    public static let marker = "⚠"
}
