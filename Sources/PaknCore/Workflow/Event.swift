import Foundation

/// One before/after pair in an event, as text so any field can be recorded the same way.
public struct FieldChange: Codable, Equatable, Sendable {
    public var before: String?
    public var after: String?
    public init(before: String?, after: String?) { self.before = before; self.after = after }
}

/// An entry in a case's history, before the store gives it an id and chains its hash.
/// It refers to people by id and never copies a reporter's personal data.
public struct EventDraft: Equatable, Sendable {
    public var caseId: Int64
    public var at: Date
    public var actorId: Int64
    public var action: ActionName
    public var fromStatus: CaseStatus?
    public var toStatus: CaseStatus?
    public var note: String?
    public var changes: [String: FieldChange]

    public init(caseId: Int64, at: Date, actorId: Int64, action: ActionName, fromStatus: CaseStatus?,
                toStatus: CaseStatus?, note: String? = nil, changes: [String: FieldChange] = [:]) {
        self.caseId = caseId; self.at = at; self.actorId = actorId; self.action = action
        self.fromStatus = fromStatus; self.toStatus = toStatus; self.note = note; self.changes = changes
    }
}

/// A stored event, hash-chained to the one before it in the whole database.
public struct Event: Codable, Equatable, Sendable, Identifiable {
    public var id: Int64
    public var caseId: Int64
    public var at: Date
    public var actorId: Int64
    public var action: ActionName
    public var fromStatus: CaseStatus?
    public var toStatus: CaseStatus?
    public var note: String?
    public var changes: [String: FieldChange]
    /// SHA-256 (hex) over the previous event's hash and this event's fields.
    public var hash: String

    public init(id: Int64, draft: EventDraft, hash: String) {
        self.id = id; self.caseId = draft.caseId; self.at = draft.at; self.actorId = draft.actorId
        self.action = draft.action; self.fromStatus = draft.fromStatus; self.toStatus = draft.toStatus
        self.note = draft.note; self.changes = draft.changes; self.hash = hash
    }

    public var draft: EventDraft {
        EventDraft(caseId: caseId, at: at, actorId: actorId, action: action, fromStatus: fromStatus,
                   toStatus: toStatus, note: note, changes: changes)
    }
}
