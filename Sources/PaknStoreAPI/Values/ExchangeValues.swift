import Foundation
import PaknCore

// Importing and exporting cases. Moved from PaknStore (issue 13): values the
// sessions of every engine speak.

/// The columns of a case import file (docs/cli.md, "Import"). The header names them, in
/// any order; the required ones must be there, the others may be left out.
public enum CaseImportColumn: String, CaseIterable, Sendable {
    case title, body, kind, category, channel
    case ward, address, receivedAt = "received_at", complex, route, latitude, longitude
    case reporterName = "reporter_name", reporterPhone = "reporter_phone", reporterEmail = "reporter_email"
    case reporterAddress = "reporter_address", reporterNationalId = "reporter_national_id"
    case anonymous, confidential

    public static let required: [CaseImportColumn] = [.title, .body, .kind, .category, .channel]
}

/// Why an import could not even start, or why one row was refused.
public enum CaseImportError: Error, Localized {
    case empty(file: String)
    /// The header itself is wrong: nothing is imported.
    case header(file: String, reason: Message)
    case headerUnreadable(file: String, problem: CSVProblem)

    public func text(_ lang: Lang) -> String {
        switch self {
        case let .empty(f): L10n.t("import.empty", lang, f)
        case let .header(f, r): L10n.t("import.bad_header", lang, f, r.text(lang))
        case let .headerUnreadable(f, p): L10n.t("import.bad_header", lang, f, p.text(lang))
        }
    }
}

/// One bad row: its line in the file, why, and its text as it was (for the reject file).
public struct CaseImportProblem: Sendable, Localized {
    public var line: Int
    public var reason: any Localized
    public var raw: [UInt8]

    public func text(_ lang: Lang) -> String { L10n.t("import.bad_row", lang, line, reason.text(lang)) }

    package init(line: Int, reason: any Localized, raw: [UInt8]) {
        self.line = line; self.reason = reason; self.raw = raw
    }
}

public struct CaseImportOptions: Sendable {
    /// Import the good rows and report the bad ones, rather than all or nothing.
    public var skipBad: Bool
    /// Rows per batch: progress is reported, and with `skipBad` a transaction commits, after each.
    public var batch: Int
    /// The delimiter, when the official says it (`--delimiter`); else the header's.
    public var delimiter: UInt8?
    public init(skipBad: Bool = false, batch: Int = 2000, delimiter: UInt8? = nil) {
        self.skipBad = skipBad
        self.batch = max(1, batch)
        self.delimiter = delimiter
    }
}

public struct CaseImportSummary: Sendable {
    /// Data rows read (the header and blank lines not counted).
    public var rows = 0
    public var imported = 0
    public var rejected = 0
    public var firstCode: String?
    public var lastCode: String?
    /// The file's encoding and delimiter, as the reader found them.
    public var dialect = CSVDialect.standard

    package init() {}
}

/// Which cases `pakn export` writes, and whether reporters are shown in full.
public struct ExportRequest: Sendable {
    /// Reporters in full (permission `export_unredacted`, with a reason). A sealed
    /// (confidential) reporter is never exported, redacted or not.
    public var unredacted: Bool
    public var reason: String?
    /// Only this unit's subtree (code); default: the official's own units.
    public var unitCode: String?
    public var statuses: [CaseStatus]?
    public var kind: CaseKind?
    public var category: String?
    /// Received at or after / before.
    public var since: Date?
    public var until: Date?
    /// What the access log says was written ("json", "csv").
    public var format: String

    public init(unredacted: Bool = false, reason: String? = nil, unitCode: String? = nil, statuses: [CaseStatus]? = nil,
                kind: CaseKind? = nil, category: String? = nil, since: Date? = nil, until: Date? = nil, format: String = "json") {
        self.unredacted = unredacted; self.reason = reason; self.unitCode = unitCode; self.statuses = statuses
        self.kind = kind; self.category = category; self.since = since; self.until = until; self.format = format
    }
}

/// One exported case, reporter already redacted as the request allows.
public struct ExportRecord: Sendable, Equatable {
    public var `case`: Case
    public var unitCode: String?
    public var unitName: String?
    public var wardCode: String?
    public var wardName: String?
    public var assigneeLogin: String?
    /// Nil when there is no one to show (anonymous); sealed and erased reporters have only flags.
    public var reporter: Reporter?
    public var reporterMasked: Bool
    public var reporterSealed: Bool
    public var reporterErased: Bool

    package init(case: Case, unitCode: String?, unitName: String?, wardCode: String?, wardName: String?, assigneeLogin: String?, reporter: Reporter?, reporterMasked: Bool, reporterSealed: Bool, reporterErased: Bool) {
        self.case = `case`; self.unitCode = unitCode; self.unitName = unitName; self.wardCode = wardCode; self.wardName = wardName; self.assigneeLogin = assigneeLogin; self.reporter = reporter; self.reporterMasked = reporterMasked; self.reporterSealed = reporterSealed; self.reporterErased = reporterErased
    }
}

public struct ExportSummary: Sendable, Equatable {
    public var count: Int
    /// The access-log entry that records the export.
    public var accessId: Int64

    package init(count: Int, accessId: Int64) {
        self.count = count; self.accessId = accessId
    }
}
