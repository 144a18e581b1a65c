import Foundation
import GRDB
import PaknCore

/// The duplicates query: the newest open cases of one ward (at most `scanned`, read from
/// the partial index `case_ward_open`, so the cost is one short index range whatever the
/// size of the database), their titles folded as search folds them (`VietnameseFold`)
/// and scored by the words they share with the new title.
enum DuplicateQuery {
    /// The most open cases of a ward compared (the newest first).
    static let scanned = 400

    /// The words of a title that count (`DuplicateTerms`, shared with the server engine).
    static func terms(_ title: String) -> Set<String> { DuplicateTerms.of(title) }

    static func candidates(_ db: Database, title: String, wardId: Int64, excluding: Int64?, limit: Int) throws -> [DuplicateCandidate] {
        let wanted = terms(title)
        // Fewer than two words say nothing yet (a title being typed).
        guard wanted.filter({ !$0.contains(" ") }).count >= 2 else { return [] }
        let stmt = try db.cachedStatement(sql: """
            SELECT id, code, title, status, received_at FROM pakn_case INDEXED BY case_ward_open
            WHERE ward_id = ? AND ward_id IS NOT NULL AND done = 0 ORDER BY received_at DESC LIMIT ?
            """)
        var scored: [DuplicateCandidate] = []
        let rows = try Row.fetchCursor(stmt, arguments: [wardId, scanned])
        while let r = try rows.next() {
            let id: Int64 = r["id"]
            if id == excluding { continue }
            let text = try PackedText.text(r, "title", "case \(id) title")
            let shared = wanted.intersection(terms(text)).count
            // At least two words in common, and a quarter of the new title's: a street's
            // name alone ("phố Hàng Bông") does not make two petitions the same.
            guard shared >= 2, shared * 4 >= wanted.count else { continue }
            scored.append(DuplicateCandidate(id: id, code: r["code"], title: text,
                                             status: CaseStatus(rawValue: r["status"]) ?? .received,
                                             receivedAt: CaseRow.date(r["received_at"]), shared: shared))
        }
        scored.sort { ($0.shared, $0.receivedAt, $0.id) > ($1.shared, $1.receivedAt, $1.id) }
        return Array(scored.prefix(limit))
    }
}

extension AppDatabase {
    func duplicateCandidates(title: String, wardId: Int64, excluding: Int64?, limit: Int, viewer: Official) throws -> [DuplicateCandidate] {
        try read { db in
            let me = try Guard.current(db, viewer)
            // A ward outside the official's units lists nothing (intake there is refused).
            guard try UnitQueries.isWithin(db, unit: wardId, ancestor: me.unitId) else { return [] }
            return try DuplicateQuery.candidates(db, title: title, wardId: wardId, excluding: excluding, limit: limit)
        }
    }
}

extension Session {
    /// Open cases of ward `wardId` that look like the petition titled `title`: those whose
    /// titles share at least two words with it, and a quarter of its words (folded: "den
    /// duong" finds "Đèn đường"), most words in common first, then the newest; at most
    /// `limit` (5). For the desk's intake form, at every key: it reads one short range of
    /// an index.
    public func duplicateCandidates(title: String, wardId: Int64, excluding: Int64?, limit: Int) throws -> [DuplicateCandidate] {
        try db.duplicateCandidates(title: title, wardId: wardId, excluding: excluding, limit: max(0, min(limit, 20)), viewer: me)
    }
}
