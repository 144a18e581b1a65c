import Foundation
import PaknCore
import PaknDemo
import PaknStore
import Testing
@testable import PaknUI

/// The desk's dates are formatted by hand; they must read as `String(format:)` wrote them.
@Suite("Desk date formats")
struct DeskFormatTests {
    static func referenceDateTime(_ d: Date) -> String {
        let secs = Int((d.timeIntervalSince1970 + Day.vietnamOffset).rounded(.down))
        let day = Day(d)
        let rem = secs - day.ordinal * 86400
        return String(format: "%@ %02d:%02d", day.vietnamese, rem / 3600, rem / 60 % 60)
    }

    static func referenceShort(_ d: Date) -> String {
        let parts = referenceDateTime(d).split(separator: " ")
        let date = parts[0].split(separator: "/")
        return "\(date[0])/\(date[1])/\(date[2].suffix(2)) \(parts[1])"
    }

    @Test func dateTimesEqualTheFormattedOnes() {
        var rng = SeededRandom(seed: 5)
        // Around midnight in Vietnam (17:00 UTC), across years, and random instants from 1900 to 2200.
        var instants: [TimeInterval] = [0, -1, 86_399, 86_400, 17 * 3600 - 1, 17 * 3600, 1_795_395_600, 1_795_395_599]
        instants += (0..<3_000).map { _ in TimeInterval(Int64.random(in: -2_208_988_800...7_258_118_400, using: &rng)) }
        for t in instants {
            let d = Date(timeIntervalSince1970: t)
            #expect(DeskFormat.dateTime(d) == Self.referenceDateTime(d), "\(t)")
            #expect(DeskFormat.shortDateTime(d) == Self.referenceShort(d), "\(t)")
        }
    }
}
