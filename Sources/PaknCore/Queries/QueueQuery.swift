import Foundation

/// The desk's views and the CLI's list filters, as one query type the store answers.
public enum QueueView: String, Codable, CaseIterable, Sendable {
    /// Cases assigned to the acting official.
    case mine
    /// New and unrouted in my unit: the clerk's triage queue.
    case triage
    /// Routed to my unit but with no assignee.
    case unassigned
    case dueSoon = "due_soon"
    /// Overdue across my unit's subtree (the supervisor's review).
    case overdue
    case awaiting
    /// Resolved, waiting for the citizen's rating.
    case awaitingRating = "awaiting_rating"
    case all
    /// Cases my units escalated or transferred that are now handled elsewhere ("Sent up"):
    /// where each is now, and its deadline.
    case sentUp = "sent_up"
}

/// Queue orders. Urgency is the default: overdue first, then by due date.
public enum QueueOrder: String, Codable, CaseIterable, Sendable {
    case urgency
    case newest
    case oldest
    case code
}

/// The most cases a queue header counts, on either engine: the count reads an index range
/// (SQLite) or the rows under the read policy (a server, for views `case_count` cannot
/// answer), and stops one past the cap, so the header says "at least" instead of reading a
/// province's million. A text search's count checks each match, so its cap is lower.
public enum HeaderCountCap {
    public static let plain = 100_000
    public static let text = 10_000
    public static func cap(for f: QueueFilter) -> Int { f.text == nil ? plain : text }
}

/// Filters for a queue page. Every field narrows; nil means any.
public struct QueueFilter: Equatable, Sendable {
    public var statuses: [CaseStatus]?
    public var openOnly: Bool
    public var kind: CaseKind?
    public var category: String?
    /// A unit or ward: the case's responsible unit or ward lies in this subtree.
    public var unitSubtree: Int64?
    public var wardSubtree: Int64?
    public var assigneeId: Int64?
    public var unassigned: Bool
    public var overdue: Bool
    /// Open and due within this many working days (including overdue ones).
    public var dueWithinDays: Int?
    /// Open and due no later than this instant (resolved from `dueWithinDays` or a view).
    public var dueBefore: Date?
    /// Open and due after this instant (to keep overdue cases out of "due soon").
    public var dueAfter: Date?
    /// Only cases whose clock runs: a case awaiting information is paused, not due soon.
    public var clockRunning = false
    /// Only cases whose clock stands still (awaiting information): one part of the urgency
    /// order (`QueueCursor.urgencyKey`).
    public var pausedOnly = false
    /// Only finished cases (resolved, closed, rejected, merged): the last part of it.
    public var doneOnly = false
    /// Free text, Vietnamese-aware.
    public var text: String?
    /// Only cases a unit of this subtree escalated or transferred and that are now handled
    /// outside it (the "Sent up" view). The store keeps who sent what (`case_sent_up`).
    public var sentFromSubtree: Int64?
    /// Only this case (the desk's one-case view, `:goto`).
    public var caseId: Int64?
    /// Received at or after `receivedFrom` and before `receivedBefore` (a statistics
    /// period: "received in 2026-Q4").
    public var receivedFrom: Date?
    public var receivedBefore: Date?
    /// Answered (latest answer, `resolved_at`) at or after / before these instants.
    public var resolvedFrom: Date?
    public var resolvedBefore: Date?
    /// With a resolved range: true only those answered by their deadline, false only late ones.
    public var resolvedOnTime: Bool?
    /// Rated by the citizen at or after / before these instants (the rating events).
    public var ratedFrom: Date?
    public var ratedBefore: Date?
    /// Only cases that came in through this channel.
    public var channel: String?
    /// Only cases this very unit handles, or, not yet routed, whose ward it is (not its
    /// subtree): the statistics' row of a unit's own cases. Narrows `unitSubtree`.
    public var handledBy: Int64?

    public init(statuses: [CaseStatus]? = nil, openOnly: Bool = false, kind: CaseKind? = nil,
                category: String? = nil, unitSubtree: Int64? = nil, wardSubtree: Int64? = nil,
                assigneeId: Int64? = nil, unassigned: Bool = false, overdue: Bool = false,
                dueWithinDays: Int? = nil, text: String? = nil) {
        self.statuses = statuses; self.openOnly = openOnly; self.kind = kind; self.category = category
        self.unitSubtree = unitSubtree; self.wardSubtree = wardSubtree; self.assigneeId = assigneeId
        self.unassigned = unassigned; self.overdue = overdue; self.dueWithinDays = dueWithinDays; self.text = text
    }
}

extension QueueView {
    /// The filter of a desk view for an official. `dueSoonBound` is the end of the last
    /// "due soon" day, computed by the caller from the working calendar.
    public func filter(for official: Official, now: Date, dueSoonBound: Date) -> QueueFilter {
        var f = QueueFilter(unitSubtree: official.unitId)
        switch self {
        case .mine:
            f = QueueFilter(openOnly: true, assigneeId: official.id)
        case .triage:
            f.statuses = [.received]
        case .unassigned:
            f.statuses = [.routed]
            f.unassigned = true
        case .dueSoon:
            f.openOnly = true
            f.dueAfter = now
            f.dueBefore = dueSoonBound
            f.clockRunning = true
        case .overdue:
            f.overdue = true
        case .awaiting:
            f.statuses = [.awaitingInfo]
        case .awaitingRating:
            f.statuses = [.resolved]
        case .all:
            break
        case .sentUp:
            f = QueueFilter()
            f.sentFromSubtree = official.unitId
        }
        return f
    }
}

/// Where the next page starts: the sort key of the last row seen (keyset pagination).
public struct QueueCursor: Equatable, Sendable, Codable {
    public var key: Double
    public var id: Int64
    public init(key: Double, id: Int64) { self.key = key; self.id = id }

    /// Where a case stands in "most urgent first": cases whose clock runs (overdue longest
    /// first, then least time left), then cases whose clock stands still (awaiting the
    /// citizen's information), then finished ones, each by due time.
    public static func urgencyTier(status: CaseStatus) -> Int {
        !status.isOpen ? 2 : (status == .awaitingInfo ? 1 : 0)
    }

    /// The urgency order's sort key: the tier, then the due time (epoch seconds).
    public static func urgencyKey(status: CaseStatus, dueAt seconds: Int64) -> Double {
        Double(urgencyTier(status: status)) * urgencyTierSpan + Double(seconds)
    }

    /// The key of one tier spans this much (more than any due time in epoch seconds).
    public static let urgencyTierSpan = 1e10
}

public struct QueueQuery: Equatable, Sendable {
    public var filter: QueueFilter
    public var order: QueueOrder
    public var after: QueueCursor?
    /// Page backwards from `after` (for scrolling up), returned in display order.
    public var backwards: Bool
    public var limit: Int

    public init(filter: QueueFilter = QueueFilter(), order: QueueOrder = .urgency,
                after: QueueCursor? = nil, backwards: Bool = false, limit: Int = 100) {
        self.filter = filter; self.order = order; self.after = after; self.backwards = backwards; self.limit = limit
    }
}

/// One line of a queue, with names already resolved for display.
public struct QueueRow: Equatable, Sendable, Identifiable, Codable {
    public var id: Int64
    public var code: String
    public var title: String
    public var kind: CaseKind
    public var category: String
    public var status: CaseStatus
    public var unitName: String?
    public var wardName: String?
    public var assigneeName: String?
    public var receivedAt: Date
    public var dueAt: Date
    public var deadline: DeadlineStatus
    /// The sort key of this row in the query's order, for the next page.
    public var cursor: QueueCursor
    /// Set when the due day falls outside the holiday calendar (`WorkingCalendar.covers`).
    public var calendarWarning: CalendarWarning?

    public init(id: Int64, code: String, title: String, kind: CaseKind, category: String, status: CaseStatus,
                unitName: String?, wardName: String?, assigneeName: String?, receivedAt: Date, dueAt: Date,
                deadline: DeadlineStatus, cursor: QueueCursor) {
        self.id = id; self.code = code; self.title = title; self.kind = kind; self.category = category
        self.status = status; self.unitName = unitName; self.wardName = wardName; self.assigneeName = assigneeName
        self.receivedAt = receivedAt; self.dueAt = dueAt; self.deadline = deadline; self.cursor = cursor
    }
}

/// Counts for the title bar.
public struct QueueCounts: Equatable, Sendable, Codable {
    public var open: Int
    public var dueSoon: Int
    public var overdue: Int
    public init(open: Int, dueSoon: Int, overdue: Int) { self.open = open; self.dueSoon = dueSoon; self.overdue = overdue }
}
