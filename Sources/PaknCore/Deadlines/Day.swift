import Foundation

/// A civil date in Vietnam (UTC+7, no daylight saving). Deadlines are counted in days,
/// so the core works on days and converts to instants only at the edges.
public struct Day: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let ordinal: Int

    public static let vietnamOffset: TimeInterval = 7 * 3600

    public init(ordinal: Int) { self.ordinal = ordinal }

    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        let o = Day.daysFromCivil(year, month, day)
        guard Day.civil(o) == (year, month, day) else { return nil }
        self.ordinal = o
    }

    /// Parses `YYYY-MM-DD`.
    public init?(_ text: String) {
        let p = text.split(separator: "-", omittingEmptySubsequences: false)
        guard p.count == 3, p[0].count == 4, (1...2).contains(p[1].count), (1...2).contains(p[2].count),
              p.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The Vietnamese calendar day of an instant.
    public init(_ date: Date) {
        let secs = date.timeIntervalSince1970 + Day.vietnamOffset
        self.ordinal = Int((secs / 86400).rounded(.down))
    }

    public var year: Int { Day.civil(ordinal).0 }
    public var month: Int { Day.civil(ordinal).1 }
    public var dayOfMonth: Int { Day.civil(ordinal).2 }

    /// 1 = Monday … 7 = Sunday (ISO).
    public var weekday: Int { ((ordinal + 3) % 7 + 7) % 7 + 1 }

    public func adding(_ days: Int) -> Day { Day(ordinal: ordinal + days) }

    /// Midnight at the start of this day, Vietnam time.
    public var start: Date { Date(timeIntervalSince1970: Double(ordinal) * 86400 - Day.vietnamOffset) }
    /// The last second of this day: a deadline on this day is met until then.
    public var end: Date { start.addingTimeInterval(86400 - 1) }

    public var description: String {
        let (y, m, d) = Day.civil(ordinal)
        return Day.padded(y, 4) + "-" + Day.padded(m, 2) + "-" + Day.padded(d, 2)
    }

    /// dd/MM/yyyy, as Vietnamese documents write dates.
    public var vietnamese: String {
        let (y, m, d) = Day.civil(ordinal)
        return Day.padded(d, 2) + "/" + Day.padded(m, 2) + "/" + Day.padded(y, 4)
    }

    /// `n` in decimal with leading zeros to `width` digits, as `String(format: "%0<width>d")`
    /// writes it (the desk formats dates on every frame; `String(format:)` costs ~20 times more).
    public static func padded(_ n: Int, _ width: Int) -> String {
        guard n >= 0 else { return String(format: "%0\(width)d", n) }
        let digits = String(n)
        let count = digits.utf8.count
        return count >= width ? digits : String(repeating: "0", count: width - count) + digits
    }

    public static func < (a: Day, b: Day) -> Bool { a.ordinal < b.ordinal }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = Day(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "not a YYYY-MM-DD date: \(text)"))
        }
        self = day
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    // Howard Hinnant's civil-from-days algorithms.
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civil(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
