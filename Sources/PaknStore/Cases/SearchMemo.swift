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
        /// Every matching case id, ascending.
        var ids: [Int64]
        weak var connection: Database?
        var version: Int
    }

    private let lock = NSLock()
    private var entries: [Entry] = []
    /// How many searches found a list here (tests).
    private(set) var hits = 0
    static let maxEntries = 4

    /// The list for exactly these words, or else the shortest list of words these narrow.
    func find(_ words: SearchWords, _ db: Database, version: Int) -> (ids: [Int64], exact: Bool)? {
        lock.lock()
        defer { lock.unlock() }
        entries.removeAll { $0.connection !== db || $0.version != version }
        if let e = entries.first(where: { $0.words == words }) {
            hits += 1
            return (e.ids, true)
        }
        guard let wider = entries.filter({ words.narrows($0.words) }).min(by: { $0.ids.count < $1.ids.count }) else { return nil }
        hits += 1
        return (wider.ids, false)
    }

    func remember(_ words: SearchWords, ids: [Int64], _ db: Database, version: Int) {
        lock.lock()
        defer { lock.unlock() }
        entries.removeAll { $0.words == words || $0.connection !== db || $0.version != version }
        entries.insert(Entry(words: words, ids: ids, connection: db, version: version), at: 0)
        if entries.count > Self.maxEntries { entries.removeLast() }
    }

    static func dataVersion(_ db: Database) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0
    }
}
