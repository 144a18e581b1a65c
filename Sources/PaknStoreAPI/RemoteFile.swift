import Foundation
import PaknCore

/// A file of remote (vùng sâu, vùng xa) communes: one statistics code per line; text after
/// `#` is a comment; blank lines are skipped (docs/data-sources.md).
public enum RemoteFile {
    public static func read(_ url: URL) throws -> [(code: String, line: Int)] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw StoreError.unreadable(url.path, error) }
        guard let text = String(data: data, encoding: .utf8) else {
            throw StoreError.unreadableFile(path: url.path, reason: "store.units.not_utf8")
        }
        var out: [(String, Int)] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(raw)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\u{FEFF}" })
            if fields.isEmpty { continue }
            guard fields.count == 1 else {
                throw StoreError.badData(file: url.lastPathComponent, line: i + 1, reason: Message("units.remote.one_code"))
            }
            out.append((String(fields[0]), i + 1))
        }
        return out
    }
}
