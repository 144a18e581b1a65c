/// What an official may do. Which role holds which permission is data (`PermissionTable`).
public enum Permission: String, Codable, CaseIterable, Sendable {
    case view, intake, route, assign, work, reply, reject, extend, merge, close, rate, note
    case reopen, transfer, escalate
    case manageOfficials = "manage_officials"
    case manageRules = "manage_rules"
    case revealReporter = "reveal_reporter"
    case extendLate = "extend_late"
    case exportUnredacted = "export_unredacted"
    case training
    /// Import the reports child offices send (`pakn report import`).
    case importReports = "import_reports"

    /// The permission an action needs.
    public static func required(for action: ActionName) -> Permission {
        switch action {
        case .intake: .intake
        case .route: .route
        case .assign: .assign
        case .start, .wait, .resume, .attach, .link, .accept: .work
        case .reply, .notice: .reply
        case .close: .close
        case .reject: .reject
        case .reopen: .reopen
        case .transfer: .transfer
        case .escalate: .escalate
        case .extend, .complex: .extend
        case .extendLate: .extendLate
        case .merge: .merge
        case .rate: .rate
        case .note: .note
        case .reveal: .revealReporter
        case .erase: .manageOfficials
        case .refused: .view
        }
    }
}

/// Role → permissions. The default follows a ward office's practice; a deployment can load
/// its own table.
public struct PermissionTable: Sendable, Equatable {
    public var grants: [Role: Set<Permission>]

    public init(grants: [Role: Set<Permission>]) { self.grants = grants }

    public func allows(_ role: Role, _ permission: Permission) -> Bool {
        grants[role]?.contains(permission) ?? false
    }

    public static let standard: PermissionTable = {
        let work: Set<Permission> = [.view, .work, .reply, .note, .extend, .transfer, .escalate]
        // Ward clerks at the one-stop desk answer simple feedback themselves and record the
        // answers units send back, so they hold `reply` (not `work`: they do not handle cases).
        let clerk: Set<Permission> = [.view, .intake, .route, .assign, .reply, .note, .close, .rate, .reject,
                                      .merge, .transfer, .reopen]
        let supervisor = clerk.union(work).union([.revealReporter, .exportUnredacted, .extendLate, .importReports])
        let admin = supervisor.union([.manageOfficials, .manageRules])
        return PermissionTable(grants: [
            .clerk: clerk,
            .handler: work.union([.reject, .close]),
            .supervisor: supervisor,
            .admin: admin,
            .trainer: admin.union([.training]),
            .viewer: [.view],
        ])
    }()
}
