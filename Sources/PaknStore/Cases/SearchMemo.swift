import Foundation
import GRDB

/// The complete lists of matching case ids of the last few searches, so that the next
/// keystroke — which only adds letters or words — looks among those cases instead of
/// asking the search index again (`SearchPages`).
///
/// A list holds while nothing changed: it is kept with the connection that read it and
/// that connection's `PRAGMA data_version`, which changes whenever any other connection
/// (another clerk, or our own writer) commits. Read on another connection, or after a
/// commit, it is not used.
final class SearchMemo: @unchecked Sendable {
    struct Entry {
        var words: SearchWords
        var list: IdList
        weak var connection: Database?
        var version: Int
    }

    /// Every matching case id, ascending, and the same as a JSON array (how SQL reads it).
    struct IdList: Sendable {
        var ids: [Int64]
        var json: String
        init(_ ids: [Int64]) {
            self.ids = ids
            json = "[" + ids.map(String.init).joined(separator: ",") + "]"
        }
    }

    private let lock = NSLock()
    private var entries: [Entry] = []
    /// How many searches found a list here (tests).
    private(set) var hits = 0
    static let maxEntries = 4

    /// The list for exactly these words, or else the shortest list of words these narrow.
    func find(_ words: SearchWords, _ db: Database, version: Int) -> (list: IdList, exact: Bool)? {
        lock.lock()
        defer { lock.unlock() }
        entries.removeAll { $0.connection !== db || $0.version != version }
        if let e = entries.first(where: { $0.words == words }) {
            hits += 1
            return (e.list, true)
        }
        guard let wider = entries.filter({ words.narrows($0.words) }).min(by: { $0.list.ids.count < $1.list.ids.count }) else {
            return nil
        }
        hits += 1
        return (wider.list, false)
    }

    func remember(_ words: SearchWords, _ list: IdList, _ db: Database, version: Int) {
        lock.lock()
        defer { lock.unlock() }
        entries.removeAll { $0.words == words || $0.connection !== db || $0.version != version }
        entries.insert(Entry(words: words, list: list, connection: db, version: version), at: 0)
        if entries.count > Self.maxEntries { entries.removeLast() }
    }

    static func dataVersion(_ db: Database) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0
    }
}
