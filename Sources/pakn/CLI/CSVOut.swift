import Foundation
import PaknCore
import PaknStoreAPI

/// CSV that Excel opens with Vietnamese intact (docs/cli.md §6): UTF-8 with a byte-order
/// mark, CRLF line ends, RFC 4180 quoting, a leading = + - @ guarded against formulas
/// (`SafeText.csv`), numbers left as numbers. The delimiter is a comma, or `;` for Excel
/// where the decimal mark is a comma (`--delimiter ';'`), or a tab. `pakn import` reads it
/// back.
struct CSVOut {
    static let byteOrderMark = "\u{FEFF}"
    static let lineEnd = "\r\n"

    let delimiter: Character

    /// `--delimiter`: `,` `;` or a tab (`tab`, `\t`).
    init(_ option: String) throws {
        switch option {
        case ",", "comma": delimiter = ","
        case ";", "semicolon": delimiter = ";"
        case "\t", "\\t", "tab": delimiter = "\t"
        default: throw StoreError.invalidValue(field: "--delimiter", value: option)
        }
    }

    /// Columns that hold numbers: a number there stays a number (-3 days left), not '-3.
    static let numeric: Set<String> = ["id", "version", "days_left", "rating", "latitude", "longitude", "complex", "anonymous",
                                       "confidential"]

    /// One field, made safe and quoted when it holds the delimiter, a quote or a line break.
    func field(_ s: String, numeric: Bool = false) -> String {
        if numeric, Double(s) != nil, s.unicodeScalars.allSatisfy(\.isASCII) { return s }
        let v = SafeText.csv(s)
        // SafeText.csv quotes for commas; unquoted, the value has no quote to double.
        if !v.hasPrefix("\""), delimiter != ",", v.contains(delimiter) { return "\"" + v + "\"" }
        return v
    }

    /// One record of `columns`, with its line end.
    func line(_ columns: [String], _ value: (String) -> String) -> String {
        columns.map { field(value($0), numeric: Self.numeric.contains($0)) }.joined(separator: String(delimiter)) + Self.lineEnd
    }

    /// The header record, after the byte-order mark that starts the file.
    func header(_ columns: [String]) -> String {
        Self.byteOrderMark + columns.map { field($0) }.joined(separator: String(delimiter)) + Self.lineEnd
    }
}

extension CaseOut {
    /// `pakn list --csv`: the columns it always had, then the keys beside them.
    static let listColumns = ["code", "status", "kind", "category", "unit", "ward", "assignee", "received_at", "due", "due_state",
                              "days_left", "title", "calendar_warning", "version", "channel", "complex", "unit_code", "ward_code",
                              "assignee_login", "due_at"]

    /// `pakn export --format csv`: everything an export holds; `pakn import` reads it back
    /// (the state columns are read past, `ward_code` is the ward).
    static let exportColumns = ["code", "version", "status", "kind", "category", "channel", "ward_code", "ward", "unit_code", "unit",
                                "assignee_login", "assignee", "received_at", "due", "due_at", "due_state", "days_left", "complex",
                                "resolved_at", "closed_at", "rating", "title", "body", "address", "latitude", "longitude", "reply",
                                "reporter", "reporter_name", "reporter_phone", "reporter_email", "reporter_address",
                                "reporter_national_id", "anonymous", "confidential", "calendar_warning"]

    /// The value of one CSV column, as the JSON has it (`calendar_warning`: the text in `lang`;
    /// flags 0/1; `reporter`: full, masked, sealed, erased, anonymous or none).
    func csv(_ column: String, lang: Lang, reporterState: String = "") -> String {
        func num(_ d: Double?) -> String { d.map { String($0) } ?? "" }
        switch column {
        case "id": return String(id)
        case "code": return code
        case "version": return String(version)
        case "status": return status
        case "kind": return kind
        case "category": return category
        case "channel": return channel
        case "ward": return ward ?? ""
        case "ward_code": return ward_code ?? ""
        case "unit": return unit ?? ""
        case "unit_code": return unit_code ?? ""
        case "assignee": return assignee ?? ""
        case "assignee_login": return assignee_login ?? ""
        case "received_at": return received_at
        case "due": return due
        case "due_at": return due_at
        case "due_state": return due_state
        case "days_left": return String(days_left)
        case "complex": return complex ? "1" : "0"
        case "calendar_warning": return (lang == .vi ? calendar_warning?.message_vi : calendar_warning?.message_en) ?? ""
        case "title": return title
        case "body": return body ?? ""
        case "address": return address ?? ""
        case "latitude": return num(latitude)
        case "longitude": return num(longitude)
        case "reply": return reply ?? ""
        case "resolved_at": return resolved_at ?? ""
        case "closed_at": return closed_at ?? ""
        case "rating": return rating.map(String.init) ?? ""
        case "reporter": return reporterState
        case "reporter_name": return reporter?.name ?? ""
        case "reporter_phone": return reporter?.phone ?? ""
        case "reporter_email": return reporter?.email ?? ""
        case "reporter_address": return reporter?.address ?? ""
        case "reporter_national_id": return reporter?.national_id ?? ""
        case "anonymous": return reporter?.anonymous == true ? "1" : "0"
        case "confidential": return reporter?.confidential == true ? "1" : "0"
        default: return ""
        }
    }
}
