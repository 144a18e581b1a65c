import Foundation
import PaknCore
import PaknStoreAPI

/// The one JSON shape of a case (docs/cli.md §5), in every command that prints one: `list`,
/// `show`, `export`, `intake --json` and every step's `--json`. Names beside codes and
/// logins (`ward`/`ward_code`, `unit`/`unit_code`, `assignee`/`assignee_login`), the
/// `version` that `--expect-version` takes, the channel. `list` leaves out what a queue row
/// does not hold (the text, the reporter, …); `export` adds the reporter as the export
/// allows it; `show` adds the deadline's detail, links, attachments, allowed actions and
/// the history. The CSV of `list --csv` and `export --format csv` has the same names.
struct CaseOut: Encodable {
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
    struct AttachmentOut: Encodable { var name: String; var type: String; var size: Int64; var sha256: String }
    struct EventOut: Encodable {
        var id: Int64; var at: String; var actor: String; var actor_name: String; var action: String
        var from: String?; var to: String?; var note: String?; var changes: [String: ChangeOut]
    }
    /// One field an event changed: the values as recorded (ids for people, units and cases)
    /// and, for an id, the name and code (a login, a unit code, a case code) beside it.
    struct ChangeOut: Encodable {
        var before: String?
        var after: String?
        var before_name: String?
        var before_code: String?
        var after_name: String?
        var after_code: String?
    }

    // Everywhere.
    var id: Int64
    var code: String
    var version: Int
    var title: String
    var kind: String
    var category: String
    var channel: String
    var status: String
    var ward: String?
    var ward_code: String?
    var unit: String?
    var unit_code: String?
    var assignee: String?
    var assignee_login: String?
    var received_at: String
    var due: String
    var due_at: String
    var due_state: String
    var days_left: Int
    var complex: Bool
    /// Present when the due day is outside the holiday calendar (docs/cli.md).
    var calendar_warning: CalendarWarningOut?
    // `show` and `export`.
    var body: String?
    var address: String?
    var latitude: Double?
    var longitude: Double?
    var reply: String?
    var resolved_at: String?
    var closed_at: String?
    var rating: Int?
    var rating_reasons: [String]?
    var reporter: ReporterJSON?
    // `show`.
    var deadline: DeadlineOut?
    var complexity: Int?
    var master: String?
    var duplicates: [String]?
    var attachments: [AttachmentOut]?
    var allowed_actions: [String]?
    var history: [EventOut]?

    /// The fields every command has.
    init(id: Int64, code: String, version: Int, title: String, kind: CaseKind, category: String, channel: Channel,
         status: CaseStatus, ward: String?, wardCode: String?, unit: String?, unitCode: String?, assignee: String?,
         assigneeLogin: String?, receivedAt: Date, dueAt: Date, deadline: DeadlineStatus, complex: Bool,
         calendarWarning: CalendarWarning?) {
        self.id = id; self.code = code; self.version = version; self.title = title; self.kind = kind.rawValue
        self.category = category; self.channel = channel.rawValue; self.status = status.rawValue
        self.ward = ward; ward_code = wardCode; self.unit = unit; unit_code = unitCode
        self.assignee = assignee; assignee_login = assigneeLogin
        received_at = ISO8601.format(receivedAt); due_at = ISO8601.format(dueAt)
        due = deadline.dueDay.description; due_state = deadline.state.rawValue; days_left = deadline.daysLeft
        self.complex = complex
        calendar_warning = calendarWarning.map(CalendarWarningOut.init)
    }

    /// The text, the outcome and the location of a case (`show`, `export`).
    mutating func addDetail(_ c: Case) {
        body = c.body; address = c.address; latitude = c.latitude; longitude = c.longitude; reply = c.reply
        resolved_at = c.resolvedAt.map(ISO8601.format); closed_at = c.closedAt.map(ISO8601.format)
        rating = c.rating; rating_reasons = c.ratingReasons.map(\.rawValue)
    }

    /// `show`, `intake --json`, a step's `--json`.
    init(_ d: CaseDetail, logins: [Int64: String], names: ChangeNames = ChangeNames(), erased: Bool, withHistory: Bool) {
        let c = d.case
        self.init(id: c.id, code: c.code, version: c.version, title: c.title, kind: c.kind, category: c.category, channel: c.channel,
                  status: c.status, ward: d.ward?.label, wardCode: d.ward?.code, unit: d.unit?.label, unitCode: d.unit?.code,
                  assignee: d.assignee?.fullName, assigneeLogin: d.assignee?.login, receivedAt: c.receivedAt, dueAt: c.dueAt,
                  deadline: d.deadline, complex: c.complex, calendarWarning: d.calendarWarning)
        addDetail(c)
        deadline = DeadlineOut(due: d.deadline.dueDay.description, state: d.deadline.state.rawValue,
                               days_left: d.deadline.daysLeft, counting: c.deadline.counting.rawValue,
                               rule: c.deadline.ruleId, basis: d.rule?.basis, extensions: c.deadline.extensions,
                               paused_days: c.deadline.pausedDays, paused_since: c.deadline.pausedSince?.description,
                               phase: c.deadline.awaitingAcceptance ? "acceptance" : "resolution",
                               acceptance_days: c.deadline.acceptDays,
                               acceptance_counting: c.deadline.acceptDays.map { _ in (c.deadline.acceptCounting ?? c.deadline.counting).rawValue },
                               accepted_on: c.deadline.acceptedOn?.description, resolution_days: c.deadline.days,
                               last_day_off_moves: c.deadline.rollover)
        complexity = c.complexity
        // The reporter as this official may see it; a national ID only ever in an export.
        reporter = d.reporter.map { r in
            var out = ReporterJSON(r, masked: d.reporterMasked, erased: erased)
            out.national_id = nil
            if r.anonymous || r.confidential { out.masked = false }
            return out
        }
        master = d.master?.code
        duplicates = d.duplicates.map(\.code)
        attachments = d.attachments.map { AttachmentOut(name: $0.name, type: $0.mediaType, size: $0.size, sha256: $0.sha256) }
        allowed_actions = d.allowedActions.map(\.rawValue)
        history = withHistory ? d.history.map { EventOut(h: $0, logins: logins, names: names) } : nil
    }

    /// A queue row of `list`, with its keys (`Session.caseKeys`).
    init(_ r: QueueRow, keys: CaseKeys?) {
        self.init(id: r.id, code: r.code, version: keys?.version ?? 0, title: r.title, kind: r.kind, category: r.category,
                  channel: keys?.channel ?? .web, status: r.status, ward: r.wardName, wardCode: keys?.wardCode, unit: r.unitName,
                  unitCode: keys?.unitCode, assignee: r.assigneeName, assigneeLogin: keys?.assigneeLogin, receivedAt: r.receivedAt,
                  dueAt: r.dueAt, deadline: r.deadline, complex: keys?.complex ?? false, calendarWarning: r.calendarWarning)
    }

    /// An exported case: the reporter as the export allows it (`ExportRecord`).
    init(_ r: ExportRecord, assigneeName: String?, deadline: DeadlineStatus, calendarWarning: CalendarWarning?) {
        let c = r.case
        self.init(id: c.id, code: c.code, version: c.version, title: c.title, kind: c.kind, category: c.category, channel: c.channel,
                  status: c.status, ward: r.wardName, wardCode: r.wardCode, unit: r.unitName, unitCode: r.unitCode,
                  assignee: assigneeName, assigneeLogin: r.assigneeLogin, receivedAt: c.receivedAt, dueAt: c.dueAt,
                  deadline: deadline, complex: c.complex, calendarWarning: calendarWarning)
        addDetail(c)
        if c.anonymous {
            reporter = ReporterJSON(Reporter(anonymous: true), masked: false, erased: false)
        } else {
            reporter = r.reporter.map { ReporterJSON($0, masked: r.reporterMasked, erased: r.reporterErased) }
        }
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
    init(h: HistoryEntry, logins: [Int64: String], names: ChangeNames = ChangeNames()) {
        let e = h.event
        var changes: [String: CaseOut.ChangeOut] = [:]
        for (field, c) in e.changes {
            var out = CaseOut.ChangeOut(before: c.before, after: c.after)
            (out.before_name, out.before_code) = names.lookup(field, c.before)
            (out.after_name, out.after_code) = names.lookup(field, c.after)
            changes[field] = out
        }
        self.init(id: e.id, at: ISO8601.format(e.at), actor: logins[e.actorId] ?? "#\(e.actorId)", actor_name: h.actorName,
                  action: e.action.rawValue, from: e.fromStatus?.rawValue, to: e.toStatus?.rawValue, note: e.note, changes: changes)
    }
}

/// The names and codes of the ids a history's changes hold: officials (name, login), units
/// (name, code), cases (title, code — only those the official may see).
struct ChangeNames {
    var officials: [Int64: (name: String, code: String)] = [:]
    var units: [Int64: (name: String, code: String)] = [:]
    var cases: [Int64: (name: String, code: String)] = [:]

    static let officialFields: Set<String> = ["assignee_id"]
    static let unitFields: Set<String> = ["unit_id", "ward_id"]
    static let caseFields: Set<String> = ["master_id"]

    init() {}

    init(_ session: any StoreSession, _ history: [HistoryEntry]) throws {
        for e in history.map(\.event) {
            for (field, c) in e.changes {
                for id in [c.before, c.after].compactMap({ $0.flatMap { Int64($0) } }) {
                    if Self.officialFields.contains(field), officials[id] == nil, let o = try session.official(id: id) {
                        officials[id] = (o.fullName, o.login)
                    } else if Self.unitFields.contains(field), units[id] == nil, let u = try session.unit(id: id) {
                        units[id] = (u.label, u.code)
                    } else if Self.caseFields.contains(field), cases[id] == nil, let k = session.peekCase(String(id)) {
                        cases[id] = (k.title, k.code)
                    }
                }
            }
        }
    }

    func lookup(_ field: String, _ value: String?) -> (String?, String?) {
        guard let id = value.flatMap({ Int64($0) }) else { return (nil, nil) }
        let hit = Self.officialFields.contains(field) ? officials[id]
            : Self.unitFields.contains(field) ? units[id] : Self.caseFields.contains(field) ? cases[id] : nil
        return (hit?.name, hit?.code)
    }
}

enum JSONOut {
    /// Pretty JSON on stdout, escaped as the export escapes it (`SafeText.json`).
    static func print<T: Encodable>(_ value: T) throws {
        Swift.print(try SafeText.json(value, pretty: true))
    }
}

/// Logins of the actors in a history, for JSON output.
func actorLogins(_ session: any StoreSession, _ history: [HistoryEntry]) throws -> [Int64: String] {
    try session.logins(of: Set(history.map(\.event.actorId)))
}

/// Deadline text as people read it: "còn 3 ngày", "quá hạn 2 ngày".
func deadlineText(_ s: DeadlineStatus, _ lang: Lang) -> String { s.text(lang) }
