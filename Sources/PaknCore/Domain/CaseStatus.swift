/// Where a case is in its life. Transitions between them are decided by `Workflow`.
public enum CaseStatus: String, Codable, CaseIterable, Sendable {
    case received
    case routed
    case assigned
    case inProgress = "in_progress"
    case awaitingInfo = "awaiting_info"
    case resolved
    case closed
    case rejected
    case merged

    /// A case still owed an answer: its deadline matters.
    public var isOpen: Bool {
        switch self {
        case .received, .routed, .assigned, .inProgress, .awaitingInfo: return true
        case .resolved, .closed, .rejected, .merged: return false
        }
    }
}
