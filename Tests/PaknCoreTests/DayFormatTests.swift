import Foundation
import Testing
@testable import PaknCore

/// `Day.description` and `Day.vietnamese` pad by hand; they must write what
/// `String(format:)` wrote, for any day including years before 1000, before year 0 and
/// after 9999.
@Suite("Day formatting")
struct DayFormatTests {
    @Test func paddedEqualsStringFormat() {
        for n in [-12345, -100, -5, -1, 0, 1, 7, 9, 10, 99, 100, 999, 1000, 2026, 9999, 10000, 123_456] {
            for width in [1, 2, 4] {
                #expect(Day.padded(n, width) == String(format: "%0\(width)d", n), "\(n) \(width)")
            }
        }
    }

    @Test(arguments: [-800_000, -719_528, -719_468, -400_000, -1, 0, 20_415, 2_932_896, 2_932_897, 3_000_000])
    func descriptionsEqualStringFormat(from: Int) {
        for o in from..<(from + 400) {
            let d = Day(ordinal: o)
            let (y, m, dd) = Day.civil(o)
            #expect(d.description == String(format: "%04d-%02d-%02d", y, m, dd))
            #expect(d.vietnamese == String(format: "%02d/%02d/%04d", dd, m, y))
        }
    }
}
