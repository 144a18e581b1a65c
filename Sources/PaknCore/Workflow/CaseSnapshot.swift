import Foundation

/// The workflow fields of a case as text. Events record changes to these, so a case's
/// workflow state can be rebuilt from its history alone (see `CaseSnapshot.replay`).
public enum CaseSnapshot {
    public static func of(_ c: Case) -> [String: String] {
        var s: [String: String] = [
            "status": c.status.rawValue,
            "kind": c.kind.rawValue,
            "category": c.category,
            "complex": String(c.complexity),
            "deadline": c.deadline.compact,
            "due_at": iso(c.dueAt),
        ]
        s["unit_id"] = c.unitId.map(String.init)
        s["assignee_id"] = c.assigneeId.map(String.init)
        s["master_id"] = c.masterId.map(String.init)
        s["reply"] = c.reply
        s["resolved_at"] = c.resolvedAt.map(iso)
        s["closed_at"] = c.closedAt.map(iso)
        s["rating"] = c.rating.map(String.init)
        if !c.ratingReasons.isEmpty { s["rating_reasons"] = c.ratingReasons.map(\.rawValue).joined(separator: ",") }
        return s
    }

    /// The fields that differ between two snapshots.
    public static func diff(_ a: [String: String], _ b: [String: String]) -> [String: FieldChange] {
        var out: [String: FieldChange] = [:]
        for key in Set(a.keys).union(b.keys) where a[key] != b[key] {
            out[key] = FieldChange(before: a[key], after: b[key])
        }
        return out
    }

    /// The fields a snapshot holds. Events may record more (an attachment's digest, a
    /// notice's purpose); the replay keeps only these.
    public static let fields: Set<String> = ["status", "kind", "category", "complex", "deadline", "due_at", "unit_id",
                                             "assignee_id", "master_id", "reply", "resolved_at", "closed_at", "rating",
                                             "rating_reasons"]

    /// Replays a case's events in order, from nothing, to the snapshot they describe.
    /// Only the workflow fields count (an intake's `facts` marker, an attachment's digest
    /// are recorded for the chain, not state of the case).
    public static func replay(_ events: [EventDraft]) -> [String: String] {
        var s: [String: String] = [:]
        for e in events {
            for (key, change) in e.changes where fields.contains(key) {
                s[key] = change.after
            }
        }
        return s
    }

    public static func iso(_ d: Date) -> String { ISO8601.format(d) }
}

/// ISO 8601 with the Vietnam offset, as every timestamp pakn prints or records.
public enum ISO8601 {
    public static func format(_ d: Date) -> String {
        let secs = Int((d.timeIntervalSince1970 + Day.vietnamOffset).rounded(.down))
        let day = Day(ordinal: Int((Double(secs) / 86400).rounded(.down)))
        let rem = secs - day.ordinal * 86400
        return day.description + "T" + Day.padded(rem / 3600, 2) + ":" + Day.padded(rem / 60 % 60, 2) + ":" + Day.padded(rem % 60, 2) + "+07:00"
    }

    /// Accepts `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS]` (Vietnam time) or with `Z`/`±HH:MM`.
    public static func parse(_ text: String) -> Date? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let day = Day(t) { return day.start }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: t) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: t) { return d }
        // No offset given: Vietnam time.
        let parts = t.split(separator: "T")
        guard parts.count == 2, let day = Day(String(parts[0])) else { return nil }
        let hms = parts[1].split(separator: ":").map { Int($0) }
        guard (2...3).contains(hms.count), hms.allSatisfy({ $0 != nil }) else { return nil }
        let h = hms[0]!, m = hms[1]!, s = hms.count == 3 ? hms[2]! : 0
        guard (0..<24).contains(h), (0..<60).contains(m), (0..<60).contains(s) else { return nil }
        return day.start.addingTimeInterval(Double(h * 3600 + m * 60 + s))
    }
}
