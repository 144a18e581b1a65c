import Foundation
import PaknCore
import PaknStore

/// The JSON shape of a case for scripts: a stable contract (docs/cli.md).
struct CaseOut: Encodable {
    struct UnitOut: Encodable { var code: String; var name: String }
    struct OfficialOut: Encodable { var login: String; var name: String }
    struct DeadlineOut: Encodable {
        var due: String
        var state: String
        var days_left: Int
        var counting: String
        var rule: String
        var basis: String?
        var extensions: Int
        var paused_days: Int
        var paused_since: String?
        /// "acceptance" until the case is accepted (the due day is then the acceptance's), else "resolution".
        var phase: String
        var acceptance_days: Int?
        var acceptance_counting: String?
        var accepted_on: String?
        /// The days the resolution allows (from acceptance, or receipt without an acceptance step).
        var resolution_days: Int
        var last_day_off_moves: Bool
    }
    struct ReporterOut: Encodable {
        var name: String?; var phone: String?; var email: String?; var address: String?
        var anonymous: Bool; var confidential: Bool; var masked: Bool
    }
    struct AttachmentOut: Encodable { var name: String; var type: String; var size: Int64; var sha256: String }
    struct EventOut: Encodable {
        var id: Int64; var at: String; var actor: String; var action: String
        var from: String?; var to: String?; var note: String?; var changes: [String: FieldChange]
    }

    var id: Int64
    var code: String
    var title: String
    var body: String
    var kind: String
    var category: String
    var channel: String
    var status: String
    var ward: UnitOut?
    var unit: UnitOut?
    var assignee: OfficialOut?
    var address: String?
    var latitude: Double?
    var longitude: Double?
    var received_at: String
    var deadline: DeadlineOut
    var complex: Bool
    var complexity: Int
    var reporter: ReporterOut?
    var reply: String?
    var resolved_at: String?
    var closed_at: String?
    var rating: Int?
    var rating_reasons: [String]
    var master: String?
    var duplicates: [String]
    var attachments: [AttachmentOut]
    var allowed_actions: [String]
    var version: Int
    var history: [EventOut]?
    /// Present when the due day is outside the holiday calendar (docs/cli.md).
    var calendar_warning: CalendarWarningOut?

    init(_ d: CaseDetail, logins: [Int64: String], withHistory: Bool) {
        let c = d.case
        id = c.id; code = c.code; title = c.title; body = c.body; kind = c.kind.rawValue; category = c.category
        channel = c.channel.rawValue; status = c.status.rawValue
        ward = d.ward.map { UnitOut(code: $0.code, name: $0.label) }
        unit = d.unit.map { UnitOut(code: $0.code, name: $0.label) }
        assignee = d.assignee.map { OfficialOut(login: $0.login, name: $0.fullName) }
        address = c.address; latitude = c.latitude; longitude = c.longitude
        received_at = ISO8601.format(c.receivedAt)
        deadline = DeadlineOut(due: d.deadline.dueDay.description, state: d.deadline.state.rawValue,
                               days_left: d.deadline.daysLeft, counting: c.deadline.counting.rawValue,
                               rule: c.deadline.ruleId, basis: d.rule?.basis, extensions: c.deadline.extensions,
                               paused_days: c.deadline.pausedDays, paused_since: c.deadline.pausedSince?.description,
                               phase: c.deadline.awaitingAcceptance ? "acceptance" : "resolution",
                               acceptance_days: c.deadline.acceptDays,
                               acceptance_counting: c.deadline.acceptDays.map { _ in (c.deadline.acceptCounting ?? c.deadline.counting).rawValue },
                               accepted_on: c.deadline.acceptedOn?.description, resolution_days: c.deadline.days,
                               last_day_off_moves: c.deadline.rollover)
        complex = c.complex
        complexity = c.complexity
        reporter = d.reporter.map {
            ReporterOut(name: $0.name, phone: $0.phone, email: $0.email, address: $0.address,
                        anonymous: $0.anonymous, confidential: $0.confidential, masked: d.reporterMasked)
        }
        reply = c.reply
        resolved_at = c.resolvedAt.map(ISO8601.format)
        closed_at = c.closedAt.map(ISO8601.format)
        rating = c.rating
        rating_reasons = c.ratingReasons.map(\.rawValue)
        master = d.master?.code
        duplicates = d.duplicates.map(\.code)
        attachments = d.attachments.map { AttachmentOut(name: $0.name, type: $0.mediaType, size: $0.size, sha256: $0.sha256) }
        allowed_actions = d.allowedActions.map(\.rawValue)
        version = c.version
        history = withHistory ? d.history.map { EventOut(h: $0, logins: logins) } : nil
        calendar_warning = d.calendarWarning.map(CalendarWarningOut.init)
    }
}

/// `calendar_warning` in `show --json` and `list --json`: the due day was computed past
/// what the holiday calendar knows.
struct CalendarWarningOut: Encodable {
    var due: String
    var horizon: String?
    var message_vi: String
    var message_en: String
    init(_ w: CalendarWarning) {
        due = w.dueDay.description; horizon = w.horizon?.description
        message_vi = w.text(.vi); message_en = w.text(.en)
    }
}

extension CaseOut.EventOut {
    init(h: HistoryEntry, logins: [Int64: String]) {
        let e = h.event
        self.init(id: e.id, at: ISO8601.format(e.at), actor: logins[e.actorId] ?? "#\(e.actorId)", action: e.action.rawValue,
                  from: e.fromStatus?.rawValue, to: e.toStatus?.rawValue, note: e.note, changes: e.changes)
    }
}

/// A queue row for `pakn list --json`.
struct RowOut: Encodable {
    var id: Int64; var code: String; var title: String; var kind: String; var category: String; var status: String
    var unit: String?; var ward: String?; var assignee: String?; var received_at: String; var due: String
    var due_state: String; var days_left: Int
    var calendar_warning: CalendarWarningOut?

    init(_ r: QueueRow) {
        id = r.id; code = r.code; title = r.title; kind = r.kind.rawValue; category = r.category; status = r.status.rawValue
        unit = r.unitName; ward = r.wardName; assignee = r.assigneeName; received_at = ISO8601.format(r.receivedAt)
        due = r.deadline.dueDay.description; due_state = r.deadline.state.rawValue; days_left = r.deadline.daysLeft
        calendar_warning = r.calendarWarning.map(CalendarWarningOut.init)
    }
}

enum JSONOut {
    /// Pretty JSON on stdout, escaped as the export escapes it (`SafeText.json`).
    static func print<T: Encodable>(_ value: T) throws {
        Swift.print(try SafeText.json(value, pretty: true))
    }
}

/// Logins of the actors in a history, for JSON output.
func actorLogins(_ session: Session, _ history: [HistoryEntry]) throws -> [Int64: String] {
    try session.logins(of: Set(history.map(\.event.actorId)))
}

/// Deadline text as people read it: "còn 3 ngày", "quá hạn 2 ngày".
func deadlineText(_ s: DeadlineStatus, _ lang: Lang) -> String { s.text(lang) }
