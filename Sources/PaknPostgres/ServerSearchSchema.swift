import Foundation

/// Migration `v7-search-ids`: a rare word found through the words' index under row-level
/// security.
///
/// Under row-level security a condition that is not leakproof (the words' `@@`, a pattern's
/// `~`) is checked only after the read policy, row by row: the words' index
/// (`case_search_words`) could not be used for an official's search, and the server walked
/// the queue's order index checking every case of the scope — for a rare name every one
/// (92 ms for 17,000 cases of a province at 20,000; it grows with the province).
///
/// `pakn_search_ids(query, max)` (volatile: it asks the planner with EXPLAIN) answers for the words alone, as the table's owner (the index
/// is used) and with the read policy's own condition (`caseReadScope`, the expression
/// `case_read` holds), so it gives an official only cases they may read: the ids of up to
/// `max` such cases holding the words, or NULL when the planner expects more than `max` (a
/// common word) or more are found — then the session searches as before (the queue's order
/// index, stopping at the first page, which a common word fills at once). The session keeps
/// the patterns either way; the ids only narrow where they are looked for.
extension ServerSchema {
    static func searchIdsMigrations(group g: String) -> [Migration] {
        [Migration(id: "v7-search-ids", statements: [
            """
            CREATE FUNCTION pakn_search_ids(p_query tsquery, p_max integer) RETURNS bigint[]
            LANGUAGE plpgsql \(definer) AS
            $$ DECLARE plan json; expected double precision; ids bigint[];
               BEGIN
                 IF pakn_me() IS NULL THEN RETURN '{}'; END IF;
                 EXECUTE format('EXPLAIN (FORMAT JSON) SELECT 1 FROM pakn_case WHERE %s @@ %L::tsquery',
                                \(literal(searchWordsSQL("search"))), p_query) INTO plan;
                 expected := (plan -> 0 -> 'Plan' ->> 'Plan Rows')::double precision;
                 IF expected > p_max THEN RETURN NULL; END IF;
                 SELECT array_agg(x.id) INTO ids FROM (
                   SELECT id FROM pakn_case WHERE \(searchWordsSQL("search")) @@ p_query AND (\(caseReadScope))
                   LIMIT p_max + 1) x;
                 IF coalesce(array_length(ids, 1), 0) > p_max THEN RETURN NULL; END IF;
                 RETURN coalesce(ids, '{}');
               END $$
            """,
            "REVOKE EXECUTE ON FUNCTION pakn_search_ids FROM PUBLIC",
            "GRANT EXECUTE ON FUNCTION pakn_search_ids TO \(g)",
        ])]
    }

    /// Migration `v8-words-column`: the words of the folded search text kept in the row
    /// (`pakn_case.words`, a stored generated column) and indexed there (`case_words`,
    /// replacing the expression index `case_search_words`).
    ///
    /// A text search whose last word is a beginning (`nuoc:*`) makes the server check every
    /// case the index offers again against the words, and with the expression index that
    /// meant splitting the case's whole text once more, ~70 µs a case: `ngap & nuoc:*` took
    /// 0.7 s at 1,000,000 cases where `ngap & nuoc` took 69 ms. With the words in the row the
    /// check reads them. `pakn_search_ids` is the same function over the column.
    static func wordsColumnMigrations(group g: String) -> [Migration] {
        [Migration(id: "v8-words-column", statements: [
            "ALTER TABLE pakn_case ADD COLUMN words tsvector GENERATED ALWAYS AS (\(searchWordsSQL("search"))) STORED",
            "DROP INDEX IF EXISTS case_search_words",
            "CREATE INDEX case_words ON pakn_case USING gin (words)",
            """
            CREATE OR REPLACE FUNCTION pakn_search_ids(p_query tsquery, p_max integer) RETURNS bigint[]
            LANGUAGE plpgsql \(definer) AS
            $$ DECLARE plan json; expected double precision; ids bigint[];
               BEGIN
                 IF pakn_me() IS NULL THEN RETURN '{}'; END IF;
                 EXECUTE format('EXPLAIN (FORMAT JSON) SELECT 1 FROM pakn_case WHERE words @@ %L::tsquery', p_query) INTO plan;
                 expected := (plan -> 0 -> 'Plan' ->> 'Plan Rows')::double precision;
                 IF expected > p_max THEN RETURN NULL; END IF;
                 SELECT array_agg(x.id) INTO ids FROM (
                   SELECT id FROM pakn_case WHERE words @@ p_query AND (\(caseReadScope))
                   LIMIT p_max + 1) x;
                 IF coalesce(array_length(ids, 1), 0) > p_max THEN RETURN NULL; END IF;
                 RETURN coalesce(ids, '{}');
               END $$
            """,
            "ANALYZE pakn_case",
        ])]
    }

    /// Migration `v8-status-statistics`: what the planner should know of how a case's
    /// status, `done` and assignment go together (`CREATE STATISTICS`: functional
    /// dependencies and the commonest combinations). Without it the planner multiplies the
    /// shares of `status = 'routed'`, `NOT done` and `assignee_id IS NULL` as if they were
    /// independent, expects a few rows of the clerk's triage view where there are thousands,
    /// and reads and sorts them all (17 ms at 100,000 cases) rather than walking the status
    /// index in order and stopping at the page (0.35 ms).
    static func statusStatisticsMigrations() -> [Migration] {
        [Migration(id: "v8-status-statistics", statements: [
            "CREATE STATISTICS IF NOT EXISTS case_status_done (dependencies, mcv) ON status, done, (assignee_id IS NULL) FROM pakn_case",
            "ANALYZE pakn_case",
        ])]
    }

    /// Migration `v8-search-ids-words`: `pakn_search_ids(words, last, max, unit, commune)`
    /// finds the candidates through the index by the whole words, with the word being typed
    /// (`last`, a prefix) only when few words begin so (`prefixInIndexMax`), else checking it
    /// on each candidate's stored words ("ngap & nuoc & du:*": "du" begins "duong"; but
    /// "duong & ngap:*" asks the index for "ngap", as "duong" alone is half the cases); within one
    /// unit or commune (the queue's scope, when it is one), which the server then reads
    /// with the unit's or commune's index beside the words' (a department handler's search
    /// of two common words that its unit holds nowhere: 30 ms, not a walk of its 55,000
    /// cases, seconds under load).
    ///
    /// A prefix in the index is a partial match: every word it begins is gathered into a
    /// bitmap first, and for the beginning of a common word that is most of the table —
    /// `ngap & nuoc & duo:*` spent 86 ms of 148 in the index at 1,000,000 cases ("duong" is
    /// in half of them), `nut & thuy & kh:*` as much, where the whole words alone take 4–6
    /// ms (the index skips through a common word's list by the rarer ones). With no whole
    /// word yet (`words` NULL) the prefix goes to the index as before. Replaces the
    /// two-argument function of `v7-search-ids`.
    /// The most cases the word being typed may begin a word of (the planner's estimate) for
    /// it to go to the index: a partial match gathers them all first.
    static let prefixInIndexMax = 20_000

    static func searchIdsWordsMigrations(group g: String) -> [Migration] {
        [Migration(id: "v8-search-ids-words", statements: [
            "DROP FUNCTION IF EXISTS pakn_search_ids(tsquery, integer)",
            """
            CREATE FUNCTION pakn_search_ids(p_words tsquery, p_last tsquery, p_max integer, p_unit bigint, p_commune bigint)
            RETURNS bigint[] LANGUAGE plpgsql \(definer) AS
            $$ DECLARE plan json; expected double precision; ids bigint[];
                       query tsquery := CASE WHEN p_words IS NULL THEN p_last ELSE p_words && p_last END;
                       probe tsquery := query;
                       narrow text := CASE WHEN p_unit IS NOT NULL THEN format(' AND unit_id = %s', p_unit)
                                           WHEN p_commune IS NOT NULL THEN format(' AND commune_id = %s', p_commune) ELSE '' END;
               BEGIN
                 IF pakn_me() IS NULL THEN RETURN '{}'; END IF;
                 IF p_words IS NOT NULL THEN
                   -- The word being typed goes to the index only if few words begin so.
                   EXECUTE format('EXPLAIN (FORMAT JSON) SELECT 1 FROM pakn_case WHERE words @@ %L::tsquery', p_last) INTO plan;
                   IF (plan -> 0 -> 'Plan' ->> 'Plan Rows')::double precision > \(prefixInIndexMax) THEN probe := p_words; END IF;
                 END IF;
                 EXECUTE format('EXPLAIN (FORMAT JSON) SELECT 1 FROM pakn_case WHERE words @@ %L::tsquery%s', probe, narrow) INTO plan;
                 expected := (plan -> 0 -> 'Plan' ->> 'Plan Rows')::double precision;
                 IF expected > p_max THEN RETURN NULL; END IF;
                 -- ts_match_vq is the @@ operator's function: as a call it is not an index
                 -- condition, only a check of the row's stored words.
                 IF p_unit IS NOT NULL THEN
                   SELECT array_agg(x.id) INTO ids FROM (
                     SELECT id FROM pakn_case WHERE unit_id = p_unit AND words @@ probe AND ts_match_vq(words, query)
                       AND (\(caseReadScope)) LIMIT p_max + 1) x;
                 ELSIF p_commune IS NOT NULL THEN
                   SELECT array_agg(x.id) INTO ids FROM (
                     SELECT id FROM pakn_case WHERE commune_id = p_commune AND words @@ probe AND ts_match_vq(words, query)
                       AND (\(caseReadScope)) LIMIT p_max + 1) x;
                 ELSE
                   SELECT array_agg(x.id) INTO ids FROM (
                     SELECT id FROM pakn_case WHERE words @@ probe AND ts_match_vq(words, query) AND (\(caseReadScope))
                     LIMIT p_max + 1) x;
                 END IF;
                 IF coalesce(array_length(ids, 1), 0) > p_max THEN RETURN NULL; END IF;
                 RETURN coalesce(ids, '{}');
               END $$
            """,
            "REVOKE EXECUTE ON FUNCTION pakn_search_ids(tsquery, tsquery, integer, bigint, bigint) FROM PUBLIC",
            "GRANT EXECUTE ON FUNCTION pakn_search_ids(tsquery, tsquery, integer, bigint, bigint) TO \(g)",
        ])]
    }

    /// Migration `v8-unit-path-prefix`: the units under a unit found through an index
    /// (`path ^@ prefix`, SP-GiST) rather than by reading all 20,000 units (4.7 ms → 0.2):
    /// a department's queue names its units before it reads its cases.
    static func unitPathPrefixMigrations() -> [Migration] {
        [Migration(id: "v8-unit-path-prefix", statements: [
            "CREATE INDEX IF NOT EXISTS unit_path_prefix ON unit USING spgist (path)",
            "ANALYZE unit",
        ])]
    }
}
