import Foundation

/// Everything the detail pane and `pakn show` display about one case, already masked for
/// the official who asked.
public struct CaseDetail: Equatable, Sendable {
    public var `case`: Case
    /// Nil when the reporter is sealed from this official; masked when they may not reveal it.
    public var reporter: Reporter?
    public var reporterMasked: Bool
    public var ward: OrgUnit?
    public var unit: OrgUnit?
    public var assignee: Official?
    public var rule: DeadlineRule?
    public var deadline: DeadlineStatus
    public var attachments: [Attachment]
    /// Duplicates linked to this case, and its master if merged.
    public var duplicates: [CaseRef]
    public var master: CaseRef?
    /// The history, oldest first, with actor names resolved.
    public var history: [HistoryEntry]
    /// Actions the workflow allows from the current status.
    public var allowedActions: [ActionName]
    /// The reporter was revealed to this official for this viewing (the reveal is in the
    /// history, with its reason): `reporter` is then unmasked whatever the case's protection.
    public var reporterRevealed = false
    /// Set when the due day falls outside the holiday calendar (`WorkingCalendar.covers`).
    public var calendarWarning: CalendarWarning?

    public init(case c: Case, reporter: Reporter?, reporterMasked: Bool, ward: OrgUnit?, unit: OrgUnit?,
                assignee: Official?, rule: DeadlineRule?, deadline: DeadlineStatus, attachments: [Attachment],
                duplicates: [CaseRef], master: CaseRef?, history: [HistoryEntry], allowedActions: [ActionName]) {
        self.case = c; self.reporter = reporter; self.reporterMasked = reporterMasked; self.ward = ward
        self.unit = unit; self.assignee = assignee; self.rule = rule; self.deadline = deadline
        self.attachments = attachments; self.duplicates = duplicates; self.master = master
        self.history = history; self.allowedActions = allowedActions
    }
}

public struct CaseRef: Equatable, Sendable, Codable {
    public var id: Int64
    public var code: String
    public var title: String
    public var status: CaseStatus
    public init(id: Int64, code: String, title: String, status: CaseStatus) {
        self.id = id; self.code = code; self.title = title; self.status = status
    }
}

public struct HistoryEntry: Equatable, Sendable {
    public var event: Event
    public var actorName: String
    /// Whom the event gave the case to, by name with their unit ("Lê Gia Lộc (Phòng Kinh
    /// tế, Hạ tầng và Đô thị — Phường Hoàn Kiếm)"), when it set an assignee.
    public var assignedTo: String?
    /// Where the event sent the case (route, transfer, escalation), by the unit's label.
    public var sentTo: String?
    /// The case a merge joined this one to, by its code.
    public var mergedInto: String?
    public init(event: Event, actorName: String, assignedTo: String? = nil, sentTo: String? = nil, mergedInto: String? = nil) {
        self.event = event; self.actorName = actorName
        self.assignedTo = assignedTo; self.sentTo = sentTo; self.mergedInto = mergedInto
    }
}

/// A file attached to a case (a scene photo, a scanned letter).
public struct Attachment: Codable, Equatable, Sendable {
    public var id: Int64
    public var caseId: Int64
    public var name: String
    public var mediaType: String
    public var size: Int64
    public var sha256: String
    public var addedAt: Date
    public init(id: Int64, caseId: Int64, name: String, mediaType: String, size: Int64, sha256: String, addedAt: Date) {
        self.id = id; self.caseId = caseId; self.name = name; self.mediaType = mediaType
        self.size = size; self.sha256 = sha256; self.addedAt = addedAt
    }
}
