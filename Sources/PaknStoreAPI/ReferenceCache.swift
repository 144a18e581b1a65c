import Foundation
import Synchronization

/// The reference data last read, with the `reference_version` counter it was read at: both
/// engines keep one per open database.
///
/// Every intake, action and page needs the calendar, the deadline rules, the routing table
/// and the categories; reading and decoding them each time was the largest single cost of an
/// intake through `pakn serve` (docs/performance.md §7). Triggers on those tables (and on the
/// two workflow settings) bump one counter, whatever process or role writes them, so a
/// change made by `pakn rules import`, `calendar add` or another desk is seen at the next
/// read: one row is read, and the tables only when it moved.
///
/// Only reads of committed data fill it (`fill`): a committed counter names one state of the
/// tables, while a write transaction may have changed them and may still roll back. A
/// transaction whose counter is not the one held reads the tables itself and marks the cache
/// for filling (`wantsFill`), so that intakes alone (a portal's flood) keep it current.
public final class ReferenceCache: Sendable {
    private let held = Mutex<(version: Int64, data: ReferenceData)?>(nil)
    private let stale = Atomic<Bool>(false)

    public init() {}

    /// The data at `version`: the one held, or `load()`'s. A nil version (a database from
    /// before the counter, opened read-only) always loads.
    public func get(version: Int64?, fill: Bool, load: () throws -> ReferenceData) throws -> ReferenceData {
        guard let version else { return try load() }
        if fill { stale.store(false, ordering: .relaxed) }
        if let h = held.withLock({ $0 }), h.version == version { return h.data }
        let data = try load()
        if fill { held.withLock { $0 = (version, data) } } else { stale.store(true, ordering: .relaxed) }
        return data
    }

    /// Whether a read should fill the cache before a write needs it: nothing is held yet, or
    /// a write found the counter moved.
    public var wantsFill: Bool {
        if stale.load(ordering: .relaxed) { return true }
        return held.withLock { $0 == nil }
    }

    /// The tables whose changes move the counter, and the settings that do.
    public static let tables = ["calendar_exception", "deadline_rule", "routing_rule", "category"]
    public static let settings = ["due_soon_days", "reopen_at_or_below"]
}
