/// What the citizen sent. The kind decides which law (and so which deadline rule) applies.
public enum CaseKind: String, Codable, CaseIterable, Sendable {
    /// Phản ánh, kiến nghị: feedback and recommendations, deadlines set by local rules.
    case feedback
    /// Khiếu nại lần đầu (Law on Complaints).
    case complaint
    /// Khiếu nại lần hai.
    case complaint2
    /// Tố cáo (Law on Denunciations): the denouncer's identity is always sealed.
    case denunciation
    /// Kiến nghị cử tri, collected at voter meetings.
    case voterPetition = "voter_petition"

    /// The denouncer's identity must stay secret by law, whatever the intake said.
    public var alwaysConfidential: Bool { self == .denunciation }
}

/// Where the case came in.
public enum Channel: String, Codable, CaseIterable, Sendable {
    case hotline, web, app
    case walkIn = "walk_in"
    case letter
    case voterMeeting = "voter_meeting"
    case email, social
}

/// Roles an official can hold. What each may do is data (see `PermissionTable`).
public enum Role: String, Codable, CaseIterable, Sendable {
    case clerk, handler, supervisor, admin, trainer, viewer
}
