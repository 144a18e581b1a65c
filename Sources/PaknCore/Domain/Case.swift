import Foundation

/// One petition: a piece of feedback, a complaint, a denunciation or a voter petition.
/// The reporter lives apart (see `Reporter`); the case only refers to them.
public struct Case: Codable, Equatable, Sendable, Identifiable {
    public var id: Int64
    /// Human code, e.g. `HN-2026-000123`.
    public var code: String
    public var title: String
    public var body: String
    public var kind: CaseKind
    public var category: String
    public var channel: Channel
    /// The ward (commune) where the matter is.
    public var wardId: Int64?
    public var address: String?
    public var latitude: Double?
    public var longitude: Double?
    public var reporterId: Int64?
    public var anonymous: Bool
    public var confidential: Bool
    /// The responsible unit or department.
    public var unitId: Int64?
    public var assigneeId: Int64?
    public var status: CaseStatus
    /// 0 ordinary, 1 complex (vụ việc phức tạp), 2 especially complex (đặc biệt phức tạp).
    public var complexity: Int
    public var complex: Bool {
        get { complexity > 0 }
        set { complexity = newValue ? max(1, complexity) : 0 }
    }
    public var receivedAt: Date
    public var deadline: Deadline
    /// The due day as an instant, kept in step with `deadline` so the store can sort on it.
    public var dueAt: Date
    /// The master case, when this one was merged into it as a duplicate.
    public var masterId: Int64?
    public var reply: String?
    public var resolvedAt: Date?
    public var closedAt: Date?
    public var rating: Int?
    public var ratingReasons: [RatingReason]
    /// Bumped by every change; a write that read an older version is refused.
    public var version: Int
    public var updatedAt: Date

    public init(id: Int64, code: String, title: String, body: String, kind: CaseKind, category: String,
                channel: Channel, wardId: Int64? = nil, address: String? = nil,
                latitude: Double? = nil, longitude: Double? = nil, reporterId: Int64? = nil,
                anonymous: Bool = false, confidential: Bool = false, unitId: Int64? = nil,
                assigneeId: Int64? = nil, status: CaseStatus = .received, complex: Bool = false, complexity: Int? = nil,
                receivedAt: Date, deadline: Deadline, dueAt: Date, masterId: Int64? = nil,
                reply: String? = nil, resolvedAt: Date? = nil, closedAt: Date? = nil,
                rating: Int? = nil, ratingReasons: [RatingReason] = [], version: Int = 1,
                updatedAt: Date) {
        self.id = id; self.code = code; self.title = title; self.body = body; self.kind = kind
        self.category = category; self.channel = channel; self.wardId = wardId; self.address = address
        self.latitude = latitude; self.longitude = longitude; self.reporterId = reporterId
        self.anonymous = anonymous; self.confidential = confidential || kind.alwaysConfidential
        self.unitId = unitId; self.assigneeId = assigneeId; self.status = status
        self.complexity = complexity ?? (complex ? 1 : 0)
        self.receivedAt = receivedAt; self.deadline = deadline; self.dueAt = dueAt; self.masterId = masterId
        self.reply = reply; self.resolvedAt = resolvedAt; self.closedAt = closedAt; self.rating = rating
        self.ratingReasons = ratingReasons; self.version = version; self.updatedAt = updatedAt
    }

    /// Decoding goes through `init` too, so a denunciation read from any JSON is sealed
    /// whatever its `confidential` field says.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
                      id: try c.decode(Int64.self, forKey: .id),
                      code: try c.decode(String.self, forKey: .code),
                      title: try c.decode(String.self, forKey: .title),
                      body: try c.decode(String.self, forKey: .body),
                      kind: try c.decode(CaseKind.self, forKey: .kind),
                      category: try c.decode(String.self, forKey: .category),
                      channel: try c.decode(Channel.self, forKey: .channel),
                      wardId: try c.decodeIfPresent(Int64.self, forKey: .wardId),
                      address: try c.decodeIfPresent(String.self, forKey: .address),
                      latitude: try c.decodeIfPresent(Double.self, forKey: .latitude),
                      longitude: try c.decodeIfPresent(Double.self, forKey: .longitude),
                      reporterId: try c.decodeIfPresent(Int64.self, forKey: .reporterId),
                      anonymous: try c.decode(Bool.self, forKey: .anonymous),
                      confidential: try c.decode(Bool.self, forKey: .confidential),
                      unitId: try c.decodeIfPresent(Int64.self, forKey: .unitId),
                      assigneeId: try c.decodeIfPresent(Int64.self, forKey: .assigneeId),
                      status: try c.decode(CaseStatus.self, forKey: .status),
                      complexity: try c.decodeIfPresent(Int.self, forKey: .complexity) ?? 0,
                      receivedAt: try c.decode(Date.self, forKey: .receivedAt),
                      deadline: try c.decode(Deadline.self, forKey: .deadline),
                      dueAt: try c.decode(Date.self, forKey: .dueAt),
                      masterId: try c.decodeIfPresent(Int64.self, forKey: .masterId),
                      reply: try c.decodeIfPresent(String.self, forKey: .reply),
                      resolvedAt: try c.decodeIfPresent(Date.self, forKey: .resolvedAt),
                      closedAt: try c.decodeIfPresent(Date.self, forKey: .closedAt),
                      rating: try c.decodeIfPresent(Int.self, forKey: .rating),
                      ratingReasons: try c.decode([RatingReason].self, forKey: .ratingReasons),
                      version: try c.decode(Int.self, forKey: .version),
                      updatedAt: try c.decode(Date.self, forKey: .updatedAt))
    }
}
