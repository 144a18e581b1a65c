import Foundation
import PaknCore

// Statistics and period reports. Moved from PaknStore (issue 13): values the
// sessions of every engine speak.

/// What a statistics read includes beyond the figures and breakdowns.
public struct StatOptions: Sendable, Equatable {
    /// Weeks of received/resolved for the sparkline, ending with the period's last week.
    public var trendWeeks: Int
    /// At most this many overdue cases listed (0: none); they are counted in any case.
    public var overdueList: Int
    /// Whether to name the child units with neither cases here nor a report imported.
    public var notReported: Bool
    /// Whether reports imported from child offices are added in.
    public var imported: Bool

    public init(trendWeeks: Int = 12, overdueList: Int = 0, notReported: Bool = true, imported: Bool = true) {
        self.trendWeeks = trendWeeks; self.overdueList = overdueList; self.notReported = notReported; self.imported = imported
    }

    /// The desk's statistics view: figures, breakdowns, trend; no case list.
    public static let view = StatOptions()
    /// A report: everything, with up to 1,000 overdue cases listed.
    public static let report = StatOptions(overdueList: 1000)
}

/// What `pakn report import` did.
public struct ReportImportResult: Sendable, Equatable {
    public var unit: StatUnit
    public var period: StatPeriod
    public var madeBy: String
    public var digest: String
    /// A report of the same unit and period was there and is now replaced.
    public var replaced: Bool
    /// The importing official's child units that have still not reported for the period.
    public var notReported: [StatUnit]

    package init(unit: StatUnit, period: StatPeriod, madeBy: String, digest: String, replaced: Bool, notReported: [StatUnit]) {
        self.unit = unit; self.period = period; self.madeBy = madeBy; self.digest = digest; self.replaced = replaced; self.notReported = notReported
    }
}
