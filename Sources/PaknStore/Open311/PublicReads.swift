import Foundation
import GRDB
import PaknCore

/// What the Open311 service shows without a key (docs/open311.md, "What is public"): a
/// case's code, category, title, place, status, responsible unit and dates, and its public
/// steps — never a reporter, a body, a note, who acted, or a denunciation at all (a
/// denunciation reads as unknown). The answer sent to the citizen only with the case's
/// tracking token. Public reads record nothing: they name no one.
enum PublicReads {
    static let notDenunciation = "c.kind <> 'denunciation'"

    static let columns = """
        c.id, c.code, c.status, c.category, c.title, c.address, c.latitude, c.longitude, c.received_at, c.updated_at,
        c.due_at, c.done, c.rating, u.name AS agency
        FROM pakn_case c LEFT JOIN unit u ON u.id = c.unit_id
        """

    /// A public case's row by its code (none for a denunciation).
    static func caseRow(_ db: Database, code: String) throws -> Row? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(columns) WHERE c.code = ? AND \(notDenunciation)"), arguments: [code.uppercased()])
    }

    static func decode(_ r: Row) -> PublicRequest {
        let status = CaseStatus(rawValue: r["status"]) ?? .received
        return PublicRequest(code: r["code"], status: status, serviceCode: r["category"], title: r["title"],
                             address: r["address"], latitude: r["latitude"], longitude: r["longitude"], agency: r["agency"],
                             requestedAt: CaseRow.date(r["received_at"]), updatedAt: CaseRow.date(r["updated_at"]),
                             expectedAt: status.isOpen ? CaseRow.date(r["due_at"]) : nil, rating: r["rating"])
    }

    static func request(_ db: Database, _ c: Case) throws -> PublicRequest {
        PublicRequest(c, agency: try c.unitId.flatMap { try UnitQueries.unit(db, id: $0)?.name })
    }

    /// Compares two digests in time that does not depend on where they differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var d: UInt8 = 0
        for i in 0..<x.count { d |= x[i] ^ y[i] }
        return d == 0
    }
}

extension AppDatabase {
    public func publicServices() throws -> [PublicService] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT code, name_vi, name_en, department FROM category ORDER BY sort, code").map {
                PublicService(code: $0["code"], nameVi: $0["name_vi"], nameEn: $0["name_en"], group: $0["department"])
            }
        }
    }

    public func publicRequests(_ q: PublicRequestQuery) throws -> [PublicRequest] {
        try readOneStatement { db in
            var wh = [PublicReads.notDenunciation]
            var args: [DatabaseValueConvertible?] = []
            if !q.codes.isEmpty {
                wh.append("c.code IN (\(q.codes.map { _ in "?" }.joined(separator: ",")))")
                args += q.codes.map { $0.uppercased() }
            }
            if let s = q.serviceCode { wh.append("c.category = ?"); args.append(s) }
            if let s = q.start { wh.append("c.received_at >= ?"); args.append(CaseRow.secs(s)) }
            if let e = q.end { wh.append("c.received_at <= ?"); args.append(CaseRow.secs(e)) }
            if let open = q.open {
                let openStatuses = CaseStatus.allCases.filter(\.isOpen).map { "'\($0.rawValue)'" }.joined(separator: ",")
                wh.append(open ? "c.status IN (\(openStatuses))" : "c.status NOT IN (\(openStatuses))")
            }
            args.append(max(1, min(q.limit, 1000)))
            let sql = "SELECT \(PublicReads.columns) WHERE \(wh.joined(separator: " AND ")) ORDER BY c.received_at DESC, c.id DESC LIMIT ?"
            return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments(args)).map(PublicReads.decode)
        }
    }

    public func publicRequest(code: String, token: String?) throws -> PublicRequest? {
        // Without a token: the case's row alone, one statement.
        guard let token else { return try readOneStatement { try PublicReads.caseRow($0, code: code).map(PublicReads.decode) } }
        return try read { db in
            guard let row = try PublicReads.caseRow(db, code: code) else { return nil }
            var r = PublicReads.decode(row)
            let hash = try String.fetchOne(db.cachedStatement(sql: "SELECT token_hash FROM api_intake WHERE case_id = ?"),
                                           arguments: [row["id"] as Int64])
            guard let hash, PublicReads.same(hash, ApiKey.digest(token)) else { throw ApiKeyError.badToken(r.code) }
            r.answer = try CaseRow.fetch(db, id: row["id"], reply: true)?.reply
            return r
        }
    }

    public func publicSteps(codes: [String], start: Date?, end: Date?, limit: Int) throws -> [PublicStep] {
        try readOneStatement { db in
            var wh = [PublicReads.notDenunciation,
                      "e.action IN (\(PublicStep.publicActions.map { "'\($0.rawValue)'" }.sorted().joined(separator: ",")))"]
            var args: [DatabaseValueConvertible?] = []
            if !codes.isEmpty {
                wh.append("c.code IN (\(codes.map { _ in "?" }.joined(separator: ",")))")
                args += codes.map { $0.uppercased() }
            }
            if let s = start { wh.append("e.at >= ?"); args.append(CaseRow.secs(s)) }
            if let e = end { wh.append("e.at <= ?"); args.append(CaseRow.secs(e)) }
            args.append(max(1, min(limit, 1000)))
            let sql = """
                SELECT e.id, c.code, e.action, COALESCE(e.to_status, c.status) AS status, e.at
                FROM event e JOIN pakn_case c ON c.id = e.case_id
                WHERE \(wh.joined(separator: " AND ")) ORDER BY e.id DESC LIMIT ?
                """
            return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments(args)).compactMap { r in
                guard let a = ActionName(rawValue: r["action"]) else { return nil }
                return PublicStep(id: r["id"], code: r["code"], action: a, status: CaseStatus(rawValue: r["status"]) ?? .received,
                                  at: CaseRow.date(r["at"]))
            }
        }
    }
}
