import Foundation
import PaknCore

// Reference data: rules, units, the calendar. Moved from PaknStore (issue 13): values the
// sessions of every engine speak.

/// The rules the workflow runs by, read once from the database: calendar, deadline rules,
/// routing, categories and local policy. Cheap to pass around; reload after `rules import`.
public struct ReferenceData: Sendable {
    public var calendar: WorkingCalendar
    public var rulebook: DeadlineRulebook
    public var routing: RoutingTable
    public var categories: [Category]
    public var policy: WorkflowPolicy

    package init(calendar: WorkingCalendar, rulebook: DeadlineRulebook, routing: RoutingTable, categories: [Category],
                 policy: WorkflowPolicy) {
        self.calendar = calendar; self.rulebook = rulebook; self.routing = routing; self.categories = categories
        self.policy = policy
    }

    public func category(_ code: String) -> Category? { categories.first { $0.code == code } }

}

/// What `pakn units import` loaded (was `AppDatabase.UnitFileImport`).
public enum UnitFileImport: Equatable, Sendable {
    case units(UnitImportSummary)
    case changes(UnitChangeSummary)
}

public struct UnitImportSummary: Equatable, Sendable {
    public var added: Int
    public var updated: Int
    public var departments: Int

    package init(added: Int, updated: Int, departments: Int) {
        self.added = added; self.updated = updated; self.departments = departments
    }
}

/// What loading a change list did.
public struct UnitChangeSummary: Equatable, Sendable {
    public var codes = 0
    public var types = 0
    public var provinceTypes = 0
    /// Rows already in force in this database (recorded before), left as they were.
    public var alreadyInForce = 0
    public var departmentsRenamed = 0
    public var applied: Int { codes + types + provinceTypes }

    package init() {}
}

/// One row of a unit's history (`pakn units history`).
public struct UnitHistoryEntry: Equatable, Sendable {
    public var unitCode: String
    public var unitLabel: String
    public var oldCode: String?
    public var newCode: String?
    public var oldName: String?
    public var newName: String?
    public var oldType: String?
    public var newType: String?
    public var effective: String
    public var dateBasis: String
    public var document: String

    package init(unitCode: String, unitLabel: String, oldCode: String?, newCode: String?, oldName: String?, newName: String?, oldType: String?, newType: String?, effective: String, dateBasis: String, document: String) {
        self.unitCode = unitCode; self.unitLabel = unitLabel; self.oldCode = oldCode; self.newCode = newCode; self.oldName = oldName; self.newName = newName; self.oldType = oldType; self.newType = newType; self.effective = effective; self.dateBasis = dateBasis; self.document = document
    }
}

/// What flagging units as remote did.
public struct RemoteSummary: Equatable, Sendable {
    /// Units whose flag changed.
    public var changed: [OrgUnit] = []
    /// Units that already had the flag asked for.
    public var unchanged: [OrgUnit] = []

    package init(changed: [OrgUnit] = [], unchanged: [OrgUnit] = []) {
        self.changed = changed; self.unchanged = unchanged
    }
}

/// One day as a person (a command line, a row of a file) gives it, before it is checked.
public struct CalendarEntryInput: Sendable, Equatable {
    public var day: String
    public var kind: String
    public var name: String
    public var standing: String
    public var document: String?
    public var note: String?

    public init(day: String, kind: String, name: String, standing: String, document: String? = nil, note: String? = nil) {
        self.day = day; self.kind = kind; self.name = name; self.standing = standing
        self.document = document; self.note = note
    }

    package static let maxName = 200, maxDocument = 300, maxNote = 600

    /// The checked entry, or the first thing wrong with it (a `Message` naming the field).
    public func validated() throws -> CalendarException {
        func clean(_ s: String?) -> String? {
            let t = CitizenText.clean(s ?? "", multiline: false)
            return t.isEmpty ? nil : t
        }
        guard let d = Day(day.trimmingCharacters(in: .whitespaces)), (2000...2100).contains(d.year) else {
            throw Message("calendar.err.day", day)
        }
        guard let k = CalendarException.Kind(rawValue: kind.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw Message("calendar.err.kind", kind)
        }
        guard let s = CalendarException.Standing(rawValue: standing.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw Message("calendar.err.standing", standing)
        }
        guard let n = clean(name) else { throw Message("calendar.err.name") }
        let doc = clean(document), remark = clean(note)
        for (field, value, max) in [("name", n, Self.maxName), ("document", doc ?? "", Self.maxDocument), ("note", remark ?? "", Self.maxNote)]
            where value.count > max {
            throw Message("calendar.err.too_long", field, max)
        }
        switch s {
        case .announced: guard doc != nil else { throw Message("calendar.err.document") }
        case .expected:
            guard doc == nil else { throw Message("calendar.err.document_expected") }
            guard remark != nil else { throw Message("calendar.err.note") }
        }
        return CalendarException(day: d, kind: k, name: n, standing: s, document: doc, note: remark)
    }
}

/// What one change did to one day: before and after (nil: absent).
public struct CalendarChange: Sendable, Equatable {
    public var day: Day
    public var before: CalendarException?
    public var after: CalendarException?
    public var isChange: Bool { before != after }

    package init(day: Day, before: CalendarException?, after: CalendarException?) {
        self.day = day; self.before = before; self.after = after
    }
}

/// The outcome of `calendar add`, `remove` or `import`.
public struct CalendarResult: Sendable, Equatable {
    public var changes: [CalendarChange]
    /// Open cases whose stored due instant was recomputed with the new calendar.
    public var redated: Int
    /// Years the calendar knows now and did not before, and years it no longer knows.
    public var newYears: [Int]
    public var lostYears: [Int]
    public var horizon: Day?
    public var added: Int { changes.filter { $0.before == nil && $0.after != nil }.count }
    public var updated: Int { changes.filter { $0.before != nil && $0.after != nil && $0.isChange }.count }
    public var unchanged: Int { changes.filter { !$0.isChange }.count }

    package init(changes: [CalendarChange], redated: Int, newYears: [Int], lostYears: [Int], horizon: Day?) {
        self.changes = changes; self.redated = redated; self.newYears = newYears; self.lostYears = lostYears; self.horizon = horizon
    }
}
