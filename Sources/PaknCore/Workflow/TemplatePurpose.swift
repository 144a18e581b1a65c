/// What a text sent to the citizen is for. A reply template carries one purpose, and each
/// workflow action offers and accepts only templates of its purposes: an answer resolves the
/// case, a request for information pauses it, an acknowledgement is a recorded notice.
public enum TemplatePurpose: String, Codable, CaseIterable, Sendable {
    /// The answer to the petition: sent with `reply`, which resolves the case.
    case answer
    /// What the citizen is asked to supply: sent with `wait`; never resolves the case.
    case requestInfo = "request_info"
    /// Notice of receipt: a recorded `notice`; the case stays open.
    case acknowledgement
    /// Notice of acceptance (thông báo thụ lý, Mẫu 01-KN, Thông tư 07/2013/TT-TTCP).
    case acceptance
    /// The matter is outside the office's competence; names the competent authority.
    case outOfJurisdiction = "out_of_jurisdiction"
    /// Notice of refusal (thông báo không thụ lý, Mẫu 02-KN).
    case refusal

    /// The actions that may send a text of this purpose, the usual one first.
    public var actions: [ActionName] {
        switch self {
        case .answer: [.reply]
        case .requestInfo: [.wait]
        case .acknowledgement: [.notice]
        // Sent with `accept` (the acceptance event records it), or later as a notice.
        case .acceptance: [.accept, .notice]
        case .outOfJurisdiction: [.reject, .transfer]
        case .refusal: [.reject]
        }
    }

    /// The purposes an action offers, in the order menus list them.
    public static func purposes(for action: ActionName) -> [TemplatePurpose] {
        allCases.filter { $0.actions.contains(action) }
    }
}
