import Foundation
import GRDB
import PaknCore

/// Migration `v5-calendar`: every calendar entry carries its standing (announced, with its
/// document; or expected, with a note). Frozen with the migration: don't change what it does.
enum CalendarMigration {
    /// The login the access log names for the changes the migration makes.
    static let login = "pakn-migrate"

    static func v5(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE calendar_exception ADD COLUMN standing TEXT NOT NULL DEFAULT 'expected'
              CHECK (standing IN ('announced', 'expected'));
            ALTER TABLE calendar_exception ADD COLUMN document TEXT;
            ALTER TABLE calendar_exception ADD COLUMN note TEXT;
            """)
        // A new database is empty here: `Setup` fills it from holidays.json afterwards.
        guard try Int.fetchOne(db, sql: "SELECT count(*) FROM calendar_exception") ?? 0 > 0 else { return }

        // A database made before: the days pakn shipped, exactly as it shipped them
        // (calendar/holidays-before-v5.json), take the shipped file's entry now (with its
        // standing; the 2027 projection moved). Days an admin entered or changed stay as they
        // are, marked expected with a note to check them. Shipped days that are new in this
        // version are added, unless the database already has that day.
        struct Old: Decodable { var day: String; var kind: String; var name: String }
        let old = try JSONDecoder().decode([Old].self, from: BundledData.data("calendar/holidays-before-v5.json"))
        var shippedBefore: [String: Old] = [:]
        for o in old { shippedBefore[o.day] = o }
        let shipped = try BundledData.holidays()
        let current = try Row.fetchAll(db, sql: "SELECT day, kind, name FROM calendar_exception")
        var have: Set<String> = []
        var wanted: [(Day, CalendarException?)] = []
        let newByDay = Dictionary(shipped.map { ($0.day.description, $0) }, uniquingKeysWith: { a, _ in a })
        for r in current {
            let day: String = r["day"], kind: String = r["kind"], name: String = r["name"]
            have.insert(day)
            guard let d = Day(day) else { continue }
            if let o = shippedBefore[day], o.kind == kind, o.name == name {
                wanted.append((d, newByDay[day]))
            } else {
                try db.execute(sql: "UPDATE calendar_exception SET note = ? WHERE day = ?", arguments: [
                    "Nhập trước khi pakn ghi tình trạng (v5-calendar): kiểm tra và ghi văn bản công bố. / Entered before pakn recorded standings (v5-calendar): check it and record its document.",
                    day])
            }
        }
        for e in shipped where !have.contains(e.day.description) && shippedBefore[e.day.description] == nil {
            wanted.append((e.day, e))
        }
        // The standing of a shipped day is set without a record of its own; a change of day,
        // kind or name is recorded like any calendar change.
        var recorded: [(Day, CalendarException?)] = []
        for (day, entry) in wanted {
            if let entry, let o = shippedBefore[day.description], o.kind == entry.kind.rawValue, o.name == entry.name {
                try CalendarTable.put(db, entry)
            } else {
                recorded.append((day, entry))
            }
        }
        _ = try CalendarTable.apply(db, recorded, actorId: nil, login: login,
                                    reason: "migration v5-calendar: lịch pakn cung cấp / the calendar pakn ships",
                                    at: Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)))
    }
}
