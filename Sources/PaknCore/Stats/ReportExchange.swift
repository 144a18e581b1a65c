import Foundation

/// The file an office sends its parent office (`pakn report … --format exchange`): its
/// period report, the unit and period, who made it and when, the head of the case history's
/// chain it was computed from, and a SHA-256 digest of the report's canonical JSON.
///
/// ```json
/// {"digest":"sha256:…","format":"pakn-report-exchange","report":{…},"version":1}
/// ```
///
/// The digest finds a file damaged or edited by hand; it is not a signature (anyone who
/// edits the figures can compute a new digest). The chain head lets the parent ask the
/// child office to confirm it (`pakn audit head`) — docs/security.md.
public enum ReportExchange {
    public static let format = "pakn-report-exchange"
    public static let version = 1
    /// Exchange files are a few hundred kilobytes; anything far larger is not one.
    public static let maxBytes = 32 << 20

    struct Envelope: Codable {
        var format: String
        var version: Int
        var report: StatReport?
        var digest: String?
    }

    struct Head: Codable {
        var format: String?
        var version: Int?
    }

    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .custom { d, enc in
            var c = enc.singleValueContainer()
            try c.encode(ISO8601.format(d))
        }
        return e
    }

    static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .custom { dec in
            let c = try dec.singleValueContainer()
            let s = try c.decode(String.self)
            guard let date = ISO8601.parse(s) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an ISO 8601 time: \(s)")
            }
            return date
        }
        return d
    }

    /// The canonical bytes of a report: JSON with sorted keys, times in ISO 8601.
    public static func canonical(_ r: StatReport) -> [UInt8] {
        Array((try? encoder().encode(r)) ?? Data())
    }

    public static func digest(of r: StatReport) -> String { "sha256:" + SHA256.hex(canonical(r)) }

    /// The file for a report.
    public static func encode(_ r: StatReport) -> Data {
        let env = Envelope(format: format, version: version, report: r, digest: digest(of: r))
        var data = (try? encoder().encode(env)) ?? Data()
        data.append(0x0A)
        return data
    }

    /// Why a file is not accepted as a report.
    public enum Problem: Error, Equatable, Localized {
        case notReport
        case truncated
        case newer(version: Int)
        case altered

        public func text(_ lang: Lang) -> String {
            switch self {
            case .notReport: L10n.t("report.import.not_report", lang)
            case .truncated: L10n.t("report.import.truncated", lang)
            case let .newer(v): L10n.t("report.import.newer", lang, v, ReportExchange.version)
            case .altered: L10n.t("report.import.altered", lang)
            }
        }
    }

    /// Reads a file: a report whose digest matches, or the reason it is refused.
    public static func decode(_ data: Data) throws(Problem) -> StatReport {
        guard !data.isEmpty, data.count <= maxBytes else { throw data.isEmpty ? .truncated : .notReport }
        let dec = decoder()
        guard let head = try? dec.decode(Head.self, from: data) else {
            // Cut off: a JSON object begun but not ended.
            let text = String(decoding: data.prefix(4096), as: UTF8.self)
            let trimmed = String(decoding: data.suffix(64), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if text.contains("\"\(format)\"") || (text.hasPrefix("{") && !trimmed.hasSuffix("}")) { throw .truncated }
            throw .notReport
        }
        guard head.format == format else { throw .notReport }
        guard let v = head.version else { throw .notReport }
        if v > version { throw .newer(version: v) }
        guard let env = try? dec.decode(Envelope.self, from: data), let r = env.report, let d = env.digest else { throw .altered }
        guard d == digest(of: r) else { throw .altered }
        return r
    }
}
