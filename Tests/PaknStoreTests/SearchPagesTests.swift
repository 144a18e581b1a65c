import Foundation
import GRDB
import PaknCore
import Testing
@testable import PaknDemo
@testable import PaknStore

/// Searches that keep their matching ids between keystrokes, narrow them by the cases'
/// own text, or walk every case checking its text (`SearchPages`) must find exactly what
/// the search index finds.
@Suite struct SearchPagesTests {
    static func bound(_ ref: ReferenceData) -> Date {
        ref.calendar.add(ref.policy.dueSoonDays, to: Day(Fixtures.now), counting: .working).end
    }

    static func ftsIds(_ d: Database, _ words: SearchWords) throws -> Set<Int64> {
        Set(try Int64.fetchAll(d, sql: "SELECT rowid FROM case_fts WHERE case_fts MATCH ?", arguments: [words.match]))
    }

    @Test func wordsAndTheirQueryAreTheIndexOnes() throws {
        for text in ["Đường", "ha noi", "Hà Nội ", "ngập nước đ", "\"quoted\" x", "HN-2026-000012", "  ", "", "nứt Thụy Khuê",
                     "a\"b", "路灯", "ß straße", "12/3"] {
            #expect(SearchWords(text)?.match == SearchIndex.match(text), "\(text)")
            #expect(SearchWords(text, prefixLast: false)?.match == SearchIndex.match(text, prefixLast: false), "\(text)")
        }
        #expect(SearchWords("Đường Láng")?.words == ["duong", "lang"])
        #expect(SearchWords("Đường Láng")?.isPlain == true)
        #expect(SearchWords("straße")?.isPlain == false)
    }

    @Test func narrowingIsWhatTypingAdds() throws {
        func w(_ t: String) -> SearchWords { SearchWords(t)! }
        #expect(w("ngap nu").narrows(w("ngap")))
        #expect(w("ngap nuoc du").narrows(w("ngap nu")))
        #expect(w("ngap nuoc duong").narrows(w("ngap nuoc du")))
        #expect(w("nuoc ngap").narrows(w("ngap")))         // "ngap"* is started by "ngap"
        #expect(w("ngap").narrows(w("ngap")))
        #expect(!w("ngap").narrows(w("ngap nu")))
        #expect(!w("ngap du").narrows(w("ngap nuoc")))     // "nuoc" must be whole
        #expect(!w("nga nuoc").narrows(w("ngap")))         // "ngap"* not started by "nga"
        #expect(!w("nga").narrows(w("ngap")))
        // "ngap" whole (followed by a word) narrows the prefix "nga"*, not the other way.
        #expect(w("ngap nu").narrows(w("nga")))
        #expect(!SearchWords("ngap", prefixLast: true)!.narrows(SearchWords("ngap", prefixLast: false)!))
    }

    /// Every case of the demo, and cases with tricky text, against many word sets: where
    /// the text decides, it decides as the index does.
    @Test func aCasesTextDecidesAsTheIndexDoes() throws {
        let db = try Fixtures.demo()
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        for (title, body) in [("Ngập-nước “phố” Huế…", "Nước ngập sâu 0,5m; đường Láng-Hòa Lạc «tắc»."),
                              ("Straße ß và Øresund", "Ngập nước ở phố Đức, biển số 29A-123.45"),
                              ("路灯坏了 ngập nước", "Đèn 🚦 hỏng, NGẬP NƯỚC trên ĐƯỜNG"),
                              ("Ngã ba\u{00A0}đường", "nuoc·ngap — rác\u{2019}thải")] {
            _ = try db.intake(Fixtures.draft(title: title, body: body), by: clerk, at: Fixtures.now)
        }
        try db.pool.read { d in
            let texts = try Row.fetchAll(d, sql: "SELECT id, code, title, body, address FROM pakn_case").map { r -> (Int64, [String]) in
                (r[0], [r[1], try PackedText.text(r, "title", "title"), try PackedText.text(r, "body", "body"), (r[4] as String?) ?? ""])
            }
            // Words of the corpus, whole and cut to prefixes, one to three at a time.
            var vocabulary = Set<String>()
            for (_, cols) in texts { for c in cols { vocabulary.formUnion(SearchWords(c)?.words ?? []) } }
            let plain = vocabulary.filter { $0.utf8.allSatisfy(SearchWords.isTokenByte) }.sorted()
            var rng = SeededRandom(seed: 3)
            var queries: [SearchWords] = []
            for i in 0..<200 {
                let n = 1 + i % 3
                var ws = (0..<n).map { _ in rng.pick(plain) }
                if i % 2 == 0 { ws[n - 1] = String(ws[n - 1].prefix(rng.int(1...4))) }
                if var q = SearchWords(ws.joined(separator: " ")) {
                    q.lastIsPrefix = i % 4 != 3
                    queries.append(q)
                }
            }
            queries += ["ngap", "ngap nuoc", "duong", "lang", "hoa lac", "tac", "hue", "29a", "123", "45", "0", "5m", "nuoc ngap",
                        "rac", "thai", "ba duong", "den", "hong"].compactMap { SearchWords($0) }
            var decided = 0, undecided = 0, mismatches: [String] = []
            for q in queries {
                let index = try Self.ftsIds(d, q)
                for (id, cols) in texts {
                    guard let verdict = q.matches(cols) else { undecided += 1; continue }
                    decided += 1
                    if verdict != index.contains(id) { mismatches.append("\(q.match) #\(id): text says \(verdict)") }
                }
            }
            #expect(Array(mismatches.prefix(5)) == [], "\(mismatches.count) mismatches")
            // The tricky cases are left to the index; the rest is decided from the text.
            #expect(undecided > 0 && undecided * 50 < decided, "decided \(decided), undecided \(undecided)")
            // And whichever decides, `holds` agrees with the index.
            for q in queries.prefix(15) {
                let index = try Self.ftsIds(d, q)
                for (id, _) in texts { #expect(try CaseQueries.holds(d, q, id) == index.contains(id), "\(q.match) #\(id)") }
            }
        }
    }

    /// Typing a search keystroke by keystroke with the ids kept between keystrokes gives
    /// the pages the general path gives, for every official, view, order and direction,
    /// and page after page; with tiny caps and budgets too, so every fallback runs.
    @Test(arguments: [(nil, nil), (0, nil), (nil, 1), (0, 3), (5, 2)] as [(Int?, Int?)])
    func typingGivesTheGeneralPathsPages(cap: Int?, budget: Int?) throws {
        let db = try Fixtures.demo()
        let ref = try db.reference()
        let typed = ["ng", "nga", "ngap", "ngap ", "ngap nu", "ngap nuoc", "ngap nuoc d", "ngap nuoc du", "ngap nuoc duong",
                     "Đường", "đường l", "rác", "rác th", "rác thải", "phan anh d", "ph", "zz", "zzzz", "ha noi", "Hà Nội"]
        var answered = 0, narrowed = 0
        try db.pool.read { d in
            for login in ["taphuan", "vanthu.hoankiem", "canbo.hoankiem.kt"] {
                let me = try #require(try OfficialStore.byLogin(d, login))
                for (view, order) in [(QueueView.all, QueueOrder.urgency), (.overdue, .urgency), (.triage, .newest), (.all, .code),
                                      (.mine, .oldest)] {
                    let memo = SearchMemo()
                    for text in typed {
                        var f = view.filter(for: me, now: Fixtures.now, dueSoonBound: Self.bound(ref))
                        f.text = text
                        let words = try #require(SearchWords(text))
                        for backwards in [false, true] {
                            var cursor: QueueCursor?
                            for _ in 0..<3 {
                                let q = QueueQuery(filter: f, order: order, after: cursor, backwards: backwards, limit: 6)
                                let general = try CaseQueries.page(d, q, now: Fixtures.now, ref: ref)
                                let hits = memo.hits
                                let kept = try CaseQueries.searchPage(d, q, words: words, now: Fixtures.now, ref: ref, memo: memo,
                                                                      cap: cap, budget: budget)
                                if let kept {
                                    #expect(kept.map(\.id) == general.map(\.id), "\(login) \(view) \(text) \(backwards)")
                                    answered += 1
                                    if memo.hits > hits { narrowed += 1 }
                                }
                                cursor = general.last?.cursor
                                if cursor == nil { break }
                            }
                        }
                    }
                }
            }
        }
        // With the real cap and budget, the kept ids answered most pages and narrowed many.
        #expect(answered > 300, "answered \(answered)")
        if cap == nil && budget == nil { #expect(answered > 500 && narrowed > 200, "answered \(answered), narrowed \(narrowed)") }
    }

    /// Every way of finding candidates reads the queue's index in urgency order (the desk's
    /// order; the indexes are made for it): no sort.
    @Test func candidatesAreReadFromTheQueuesIndexInOrder() throws {
        let db = try Fixtures.demo()
        let ref = try db.reference()
        let words = try #require(SearchWords("ngap nuoc"))
        let long = SearchMemo.IdList(words, Array(1...5000), jsonUpTo: 0)
        try db.pool.read { d in
            for login in BenchQueryTests.logins {
                let me = try #require(try OfficialStore.byLogin(d, login))
                // Sent up reads its few cases by id and sorts them (`SentUpTests`).
                for view in QueueView.allCases where view != .sentUp {
                    for order in [QueueOrder.urgency] {
                        let f = view.filter(for: me, now: Fixtures.now, dueSoonBound: Self.bound(ref))
                        let q = QueueQuery(filter: f, order: order)
                        let queue = try QueueSQL(d, filter: f, now: Fixtures.now, ref: ref)
                        for source in [CaseQueries.SearchCandidates.list(long, exact: false), .index, .everyCase] {
                            for after in [nil, QueueCursor(key: 1, id: 1)] as [QueueCursor?] {
                                let (sql, args) = CaseQueries.candidateSQL(queue, q, after: after, from: source, words: words)
                                let plan = try Row.fetchAll(d, sql: "EXPLAIN QUERY PLAN " + sql, arguments: StatementArguments(args))
                                    .map { $0["detail"] as String }.joined(separator: " | ")
                                #expect(!plan.contains("TEMP B-TREE"), "\(login) \(view) \(order): \(plan)")
                            }
                        }
                    }
                }
            }
        }
    }

    @Test func aNewCaseIsFoundByTheNextKeystroke() throws {
        let db = try Fixtures.demo()
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        let me = try Fixtures.official(db, "taphuan")
        func search(_ text: String) throws -> [String] {
            try db.queue(QueueQuery(filter: QueueFilter(unitSubtree: me.unitId, text: text), limit: 10_000), now: Fixtures.now)
                .map(\.code)
        }
        let before = try search("ngập")
        let hits = db.searchMemo.hits
        // Nothing changed: "ngập n" narrows "ngập" and looks among its kept ids (once for
        // each tier of the urgency order it reads: running, paused, done).
        _ = try search("ngập nư")
        #expect(db.searchMemo.hits > hits)
        let narrowed = db.searchMemo.hits
        let c = try db.intake(Fixtures.draft(title: "Ngập nước kéo dài ở ngõ Thổ Quan"), by: clerk, at: Fixtures.now)
        // Now the kept ids are stale, and not used: the new case is found. (The ids read
        // afresh for the first tier serve the other two: at most two hits.)
        let after = try search("ngập nước")
        #expect(db.searchMemo.hits <= narrowed + 2)
        #expect(!before.contains(c.code))
        #expect(after.contains(c.code))
        #expect(Set(try search("ngập")) == Set(before + [c.code]))
    }
}
