import Foundation
import PaknCore

/// The detail pane's content as wrapped, styled lines.
public enum DetailText {
    /// Remembered between frames (`RenderMemo`): the same detail, language, categories and
    /// width give the same lines.
    public static func lines(_ d: CaseDetail, state s: DeskState, width: Int) -> [StyledLine] {
        RenderMemo.shared.detailLines(.init(detail: d, lang: s.lang, categories: s.categories, width: width)) {
            layout(d, state: s, width: width)
        }
    }

    static func layout(_ d: CaseDetail, state s: DeskState, width: Int) -> [StyledLine] {
        let lang = s.lang
        let c = d.case
        var out: [StyledLine] = []
        func t(_ key: String, _ args: CustomStringConvertible...) -> String { L10n.format(key, lang, args.map(\.description)) }
        func add(_ spans: [Span], indent: Int = 2) { out += StyledText.wrap(spans, width: width, indent: indent) }
        func field(_ labelKey: String, _ value: String, _ role: StyleRole = .detailValue) {
            add([Span(t(labelKey) + ": ", .detailLabel), Span(value, role)])
        }
        func blank() { out.append([]) }

        add([Span(c.code, .emphasis), Span("  "), Span(c.title, .emphasis)], indent: 0)
        add([Span(t("desk.d.status") + ": ", .detailLabel), Span(c.status.label(lang), .detailValue),
             Span("  " + t("desk.d.kind") + ": ", .detailLabel), Span(c.kind.label(lang), .detailValue)])
        add([Span(t("desk.d.category") + ": ", .detailLabel), Span(s.categoryName(c.category), .detailValue),
             Span("  " + t("desk.d.channel") + ": ", .detailLabel), Span(c.channel.label(lang), .detailValue)])

        // Deadline, its rule and its pauses.
        let dl = d.deadline
        add([Span(t("desk.d.deadline") + ": ", .detailLabel), Span(DeskFormat.deadline(dl, lang), DeskFormat.role(dl.state)),
             Span(" · " + t("desk.d.due_day", dl.dueDay.vietnamese), .detailValue)])
        if let w = d.calendarWarning {
            add([Span(CalendarWarning.marker + " " + t("calendar.warning.label") + ": ", .deadlineDueSoon),
                 Span(w.text(lang), .deadlineDueSoon)])
        }
        if let rule = d.rule {
            let counting = L10n.counted("desk.d.counting.\(rule.counting.rawValue)", lang, c.deadline.days, c.deadline.days)
            add([Span(t("desk.d.rule") + ": ", .detailLabel), Span(rule.basis, .detailValue),
                 Span(" (" + counting + ")", .dim)])
        }
        if let a = c.deadline.acceptanceText(lang) {
            field("cli.show.acceptance", a, c.deadline.awaitingAcceptance ? DeskFormat.role(dl.state) : .detailValue)
        }
        if c.complexity > 0 { field("cli.show.complexity", t("complexity.\(c.complexity)")) }
        if c.deadline.extensions > 0 {
            let d = c.deadline
            field("desk.d.extended", d.extensions == 1 ? L10n.counted("desk.d.extended_once", lang, d.extendedDays, d.extendedDays)
                                         : L10n.counted("desk.d.extended_value", lang, d.extendedDays, d.extensions, d.extendedDays))
        }
        if c.deadline.pausedDays > 0 || c.deadline.pausedSince != nil {
            var v = c.deadline.pausedDays > 0 ? L10n.counted("desk.d.paused_days", lang, c.deadline.pausedDays, c.deadline.pausedDays) : ""
            if let since = c.deadline.pausedSince {
                v += (v.isEmpty ? "" : " · ") + t("desk.d.paused_since", since.vietnamese)
            }
            field("desk.d.paused", v, .deadlinePaused)
        }
        field("desk.d.received", DeskFormat.dateTime(c.receivedAt))

        // Where and who.
        field("desk.d.unit", d.unit?.label ?? "—")
        if let w = d.ward { field("desk.d.ward", w.name) }
        if let a = c.address { field("desk.d.address", a) }
        if let lat = c.latitude, let lon = c.longitude { field("desk.d.coords", String(format: "%.5f, %.5f", lat, lon)) }
        field("desk.d.assignee", d.assignee?.fullName ?? t("desk.d.nobody"))
        out += reporterLines(d, lang: lang, width: width)

        blank()
        add([Span(t("desk.d.body"), .detailLabel)], indent: 0)
        add([Span(c.body, .normal)], indent: 0)

        if !d.attachments.isEmpty {
            blank()
            add([Span(t("desk.d.attachments", d.attachments.count), .detailLabel)], indent: 0)
            for a in d.attachments {
                add([Span("  • " + a.name, .detailValue), Span(" (\(a.mediaType), \(DeskFormat.size(a.size)))", .dim)], indent: 4)
            }
        }
        if let m = d.master {
            blank()
            add([Span(t("desk.d.master") + ": ", .detailLabel), Span(m.code + " " + m.title, .detailValue)])
        }
        if !d.duplicates.isEmpty {
            blank()
            add([Span(t("desk.d.duplicates", d.duplicates.count), .detailLabel)], indent: 0)
            for dup in d.duplicates {
                add([Span("  " + dup.code + " ", .detailValue), Span(dup.title, .normal),
                     Span(" (" + dup.status.label(lang) + ")", .dim)], indent: 4)
            }
        }
        if let r = c.reply {
            blank()
            add([Span(t("desk.d.reply"), .detailLabel)], indent: 0)
            add([Span(r, .normal)], indent: 0)
        }
        if let score = c.rating {
            field("desk.d.rating", Rating.line(score: score, reasons: c.ratingReasons, lang))
        }

        blank()
        add([Span(t("desk.d.history", d.history.count), .detailLabel)], indent: 0)
        for h in d.history {
            let e = h.event
            var spans = [Span(DeskFormat.shortDateTime(e.at) + " ", .historyTime), Span(h.actorName + " ", .historyActor),
                         Span(h.headline(lang), .historyAction)]
            if let from = e.fromStatus, let to = e.toStatus, from != to {
                spans.append(Span(" (" + from.label(lang) + " → " + to.label(lang) + ")", .dim))
            } else if e.fromStatus == nil, let to = e.toStatus {
                spans.append(Span(" (" + to.label(lang) + ")", .dim))
            }
            if let summary = e.summary(lang) { spans.append(Span(" · " + summary, .dim)) }
            add(spans, indent: 4)
            if let note = e.note, !note.isEmpty {
                add([Span("    " + note, .normal)], indent: 4)
            }
        }
        return out
    }

    static func reporterLines(_ d: CaseDetail, lang: Lang, width: Int) -> [StyledLine] {
        func t(_ key: String) -> String { L10n.t(key, lang) }
        let label = Span(t("desk.d.reporter") + ": ", .detailLabel)
        guard let r = d.reporter else {
            return StyledText.wrap([label, Span(t("desk.d.reporter_none"), .dim)], width: width, indent: 2)
        }
        if d.reporterRevealed {
            // Revealed for this viewing: everything, with a reminder that it was recorded.
            var spans = [label, Span(identity(r, t).joined(separator: " · "), .detailValue)]
            spans.append(Span(" (" + t(r.confidential ? "desk.d.revealed_sealed" : "desk.d.revealed") + ")", .dim))
            return StyledText.wrap(spans, width: width, indent: 2)
        }
        if r.confidential {
            return StyledText.wrap([label, Span(t("desk.d.reporter_sealed"), .detailMasked)], width: width, indent: 2)
        }
        if r.anonymous {
            return StyledText.wrap([label, Span(t("desk.d.reporter_anonymous"), .detailMasked)], width: width, indent: 2)
        }
        let role: StyleRole = d.reporterMasked ? .detailMasked : .detailValue
        let parts = identity(r, t)
        var spans = [label, Span(parts.joined(separator: " · "), role)]
        if d.reporterMasked { spans.append(Span(" (" + t("desk.d.masked") + ")", .dim)) }
        return StyledText.wrap(spans, width: width, indent: 2)
    }

    /// The reporter's fields that are filled, or "—".
    static func identity(_ r: Reporter, _ t: (String) -> String) -> [String] {
        let parts = [r.name, r.phone, r.email, r.address, r.nationalId.map { t("desk.d.national_id") + " " + $0 }]
            .compactMap { $0 }.filter { !$0.isEmpty }
        return parts.isEmpty ? ["—"] : parts
    }
}
