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
/// - **A short pending list for the text indexes** (`case_words`, `case_search`:
///   `gin_pending_list_limit = 256` kB). A GIN index keeps new entries in a pending list,
///   which every search through the index reads whole, until the list passes its limit
///   (4 MB by default) and the write that passes it merges it into the index. On the
///   1,000,000-case bench database, after a few thousand writes, `case_words`' list held 384
///   pages (2,679 case versions) that every search read, and the merge of 4 MB falls on one
///   official's write. With 256 kB a search reads at most 32 pages and a merge is a sixteenth
///   of it. Writing every entry at once (`fastupdate = off`) was tried and not kept: assign
///   and reply took ~1.5 ms more at the median (bench at 1,000,000 cases: assign median
///   5.3–5.9 ms against 3.8–4.7 with the short list), with no gain in search that the runs
///   showed.
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
            "CREATE INDEX case_search ON pakn_case USING gin (search gin_trgm_ops) WITH (gin_pending_list_limit = 256) WHERE \(otherScriptCondition)",
            "ALTER INDEX case_words SET (gin_pending_list_limit = 256)",
            "SELECT gin_clean_pending_list('case_words')",
        ])]
    }
}
