import Foundation

/// Migration `v7-complexity`: the complexity level on the server, as SQLite keeps it.
///
/// The law allows a case one extension when it is complex and two when it is especially
/// complex (`DeadlineRule.extensionsAllowed(complexity:)`); the server's `complex boolean`
/// kept only whether a case was complex, so a level of 2 came back as 1. `complexity`
/// (0 ordinary, 1 complex, 2 especially complex) is the level; `complex` stays, for the
/// views and readers that know only the flag, and a trigger keeps it `complexity > 0`.
/// `pakn_case_act` writes the level with the other columns an action may change.
extension ServerSchema {
    static func complexityMigrations(group g: String) -> [Migration] {
        [Migration(id: "v7-complexity", statements: [
            "ALTER TABLE pakn_case ADD COLUMN complexity smallint NOT NULL DEFAULT 0 CHECK (complexity BETWEEN 0 AND 2)",
            // The level of a case already flagged is at least 1; its events say whether it was 2.
            """
            UPDATE pakn_case c SET complexity = greatest(1, coalesce((
              SELECT CASE WHEN x.level ~ '^[0-2]$' THEN x.level::int END
              FROM (SELECT e.changes::jsonb -> 'complex' ->> 'after' AS level FROM event e
                    WHERE e.case_id = c.id AND e.action = 'complex' ORDER BY e.id DESC LIMIT 1) x), 1))
            WHERE c.complex
            """,
            """
            CREATE FUNCTION pakn_case_complex_flag() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN NEW.complex := NEW.complexity > 0; RETURN NEW; END $$
            """,
            "REVOKE EXECUTE ON FUNCTION pakn_case_complex_flag FROM PUBLIC",
            """
            CREATE TRIGGER case_complex_flag BEFORE INSERT OR UPDATE OF complexity, complex ON pakn_case
            FOR EACH ROW EXECUTE FUNCTION pakn_case_complex_flag()
            """,
        ] + opsCaseAct(group: g, columns: actColumns + ["complexity"], replace: true))]
    }
}
