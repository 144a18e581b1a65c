import PaknCore

/// Migration `v10-write-path`: less work in every write of a desk at a million cases.
///
/// - **The trust functions in PL/pgSQL.** `pakn_me`, `pakn_my_path`, `pakn_within`,
///   `pakn_in_scope` and `pakn_may` were SQL functions. A SQL function that is not inlined
///   (these are `SECURITY DEFINER`) is parsed and planned again for every statement that calls
///   it (PostgreSQL 15 keeps no plan of it between statements); a write calls them several
///   times (the scope asked, `pakn_case_act`, the chain's append). PL/pgSQL keeps each
///   statement's plan for the session. The bodies say the same: `pakn_in_scope` as a
///   statement took 0.30 ms and now 0.14 (psql, the 1,000,000-case bench database); over the
///   100,000 first cases, as a condition on each row, 1.9–2.8 s and now 1.0 s.
/// - **The trigram index holds only the cases whose folded text has a character outside
///   ASCII** (`case_search`, partial). Every change of status, assignee or deadline writes a
///   new version of the case row, and every index of `pakn_case` gets an entry for it: for
///   the trigram index, one for each trigram of the case's whole text. The index is asked
///   only for a search with a word outside a–z and 0–9 after folding (the words' index,
///   `case_words`, answers every other), and only a case whose text holds such a character
///   can match one; the query says so (`ServerSession.otherScriptClause`), which lets the
///   server use the partial index. Folded Vietnamese is ASCII: at 1,000,000 demo cases,
///   3.3 % of them are in it (those with typographic quotes).
/// - **The words' index written at once** (`case_words`, and `case_search`: `fastupdate =
///   off`). With PostgreSQL's default, a GIN index keeps new entries in a pending list,
///   which every search through the index reads whole, until the list passes 4 MB and the
///   write that passes it merges it into the index. At a city's rate of writes the list is
///   rarely empty: on the 1,000,000-case bench database, after a few thousand writes, it
///   held 384 pages (2,679 case versions) that every search read; and the merge falls on
///   one official's write. Written at once, a change of status costs ~1 ms more (pgbench,
///   an UPDATE of assignee rolled back: 3.0–3.4 ms against 3.9–4.6), the same every time,
///   and a search reads only the index.
extension ServerSchema {
    /// The condition a case must meet to be in the partial trigram index, as the index and
    /// the search's query both say it (the server proves the index usable only from the same
    /// words).
    public static let otherScriptCondition = "search ~ '[^[:ascii:]]'"

    static func writePathMigrations() -> [Migration] {
        let definer = "SECURITY DEFINER SET search_path = public, pg_temp"
        return [Migration(id: "v10-write-path", statements: [
            """
            CREATE OR REPLACE FUNCTION pakn_me() RETURNS bigint LANGUAGE plpgsql STABLE \(definer) AS
            $$ BEGIN RETURN (SELECT id FROM official WHERE login = session_user AND active); END $$
            """,
            """
            CREATE OR REPLACE FUNCTION pakn_my_path() RETURNS text LANGUAGE plpgsql STABLE \(definer) AS
            $$ BEGIN
                 RETURN (SELECT u.path FROM official o JOIN unit u ON u.id = o.unit_id WHERE o.login = session_user AND o.active);
               END $$
            """,
            """
            CREATE OR REPLACE FUNCTION pakn_within(p_unit bigint, p_ancestor_path text) RETURNS boolean LANGUAGE plpgsql STABLE \(definer) AS
            $$ BEGIN RETURN coalesce((SELECT starts_with(path, p_ancestor_path) FROM unit WHERE id = p_unit), false); END $$
            """,
            """
            CREATE OR REPLACE FUNCTION pakn_in_scope(p_unit bigint, p_ward bigint, p_assignee bigint) RETURNS boolean LANGUAGE plpgsql STABLE \(definer) AS
            $$ BEGIN
                 RETURN coalesce(p_assignee = pakn_me(), false)
                   OR EXISTS (SELECT 1 FROM unit u WHERE u.id IN (p_unit, p_ward) AND starts_with(u.path, pakn_my_path()));
               END $$
            """,
            """
            CREATE OR REPLACE FUNCTION pakn_may(p_permission text) RETURNS boolean LANGUAGE plpgsql STABLE \(definer) AS
            $$ BEGIN
                 RETURN EXISTS (SELECT 1 FROM official o JOIN role_permission rp ON rp.role = o.role
                                WHERE o.login = session_user AND o.active AND rp.permission = p_permission);
               END $$
            """,
            "DROP INDEX IF EXISTS case_search",
            "CREATE INDEX case_search ON pakn_case USING gin (search gin_trgm_ops) WITH (fastupdate = off) WHERE \(otherScriptCondition)",
            "ALTER INDEX case_words SET (fastupdate = off)",
            "SELECT gin_clean_pending_list('case_words')",
        ])]
    }
}
