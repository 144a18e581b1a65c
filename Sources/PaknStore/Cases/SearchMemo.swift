import Foundation
import GRDB
import PaknCore

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

    /// Every case id matching `words`, ascending, as SQL reads it: a blob for
    /// `pakn_listed` (`SearchListFunction`), and a JSON array when short enough to sort.
    struct IdList: Sendable {
        var words: SearchWords
        var ids: [Int64]
        var blob: Data
        var json: String?
        init(_ words: SearchWords, _ ids: [Int64], jsonUpTo: Int) {
            self.words = words
            self.ids = ids
            blob = SearchListFunction.blob(ids)
            json = ids.count <= jsonUpTo ? "[" + ids.map(String.init).joined(separator: ",") + "]" : nil
        }
    }

    private let lock = NSLock()
    private var entries: [Entry] = []
    /// Cases' searchable text, folded (`SearchWords.folded`), as checked by the last
    /// keystrokes: the next one checks mostly the same cases. Kept like the lists (for one
    /// connection and data version at a time, with the walks below).
    private var texts: [Int64: [UInt8]] = [:]
    private weak var textConnection: Database?
    private var textVersion = 0
    static let maxTexts = 8_000
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

    func text(_ id: Int64, _ db: Database, version: Int) -> [UInt8]? {
        lock.lock()
        defer { lock.unlock() }
        guard textConnection === db, textVersion == version else { return nil }
        return texts[id]
    }

    func remember(text: [UInt8], of id: Int64, _ db: Database, version: Int) {
        lock.lock()
        defer { lock.unlock() }
        if textConnection !== db || textVersion != version {
            walks.removeAll()
        }
        if textConnection !== db || textVersion != version || texts.count >= Self.maxTexts {
            texts.removeAll(keepingCapacity: true)
            textConnection = db
            textVersion = version
        }
        texts[id] = text
    }

    // MARK: Walks

    /// Where a first page's candidates were found: a queue (its conditions as SQL with
    /// their values, and its order) walked among a kept list's cases (`list`) or among every
    /// case (nil).
    struct WalkKey: Equatable {
        var conditions: String
        var values: [DatabaseValue]
        var order: QueueOrder
        var list: SearchWords?
    }

    /// The candidates of such a walk so far, in the queue's order, with their cursors, and
    /// whether the walk reached the end of the queue. The next keystroke (same queue, same
    /// list) takes them from here instead of walking the index again.
    struct Walk {
        var ids: [Int64] = []
        var cursors: [QueueCursor] = []
        var complete = false
    }

    private var walks: [(key: WalkKey, walk: Walk)] = []
    static let maxWalks = 8
    static let maxWalked = 20_000

    func walk(_ key: WalkKey, _ db: Database, version: Int) -> Walk? {
        lock.lock()
        defer { lock.unlock() }
        guard textConnection === db, textVersion == version else { return nil }
        return walks.first { $0.key == key }?.walk
    }

    func remember(walk: Walk, for key: WalkKey, _ db: Database, version: Int) {
        lock.lock()
        defer { lock.unlock() }
        if textConnection !== db || textVersion != version {
            texts.removeAll(keepingCapacity: true)
            walks.removeAll()
            textConnection = db
            textVersion = version
        }
        walks.removeAll { $0.key == key }
        guard walk.ids.count <= Self.maxWalked else { return }
        walks.insert((key, walk), at: 0)
        if walks.count > Self.maxWalks { walks.removeLast() }
    }

    static func dataVersion(_ db: Database) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0
    }
}
