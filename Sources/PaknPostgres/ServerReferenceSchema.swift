import Foundation
import PaknStoreAPI

/// Migration `v7-reference-version`: the counter behind the server engine's
/// `ReferenceCache`, as SQLite's `v10-reference-version`. Statement triggers on the reference
/// tables, and row triggers on the two workflow settings, move it whoever writes them (the
/// owner, or an admin through `pakn_calendar_apply` and the other store functions); the
/// officials' roles read it and may not write it.
extension ServerSchema {
    static func referenceVersionMigrations(group g: String) -> [Migration] {
        let keys = "(" + ReferenceCache.settings.map { literal($0) }.joined(separator: ", ") + ")"
        var statements = [
            "CREATE TABLE reference_version(id int PRIMARY KEY CHECK (id = 1), n bigint NOT NULL)",
            "INSERT INTO reference_version(id, n) VALUES (1, 0)",
            """
            CREATE FUNCTION pakn_reference_bump() RETURNS trigger LANGUAGE plpgsql \(definer) AS
            $$ BEGIN UPDATE reference_version SET n = n + 1 WHERE id = 1; RETURN NULL; END $$
            """,
            "REVOKE EXECUTE ON FUNCTION pakn_reference_bump FROM PUBLIC",
            "GRANT SELECT ON reference_version TO \(g)",
        ]
        for t in ReferenceCache.tables {
            statements.append("""
                CREATE TRIGGER \(t)_reference AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON \(t)
                FOR EACH STATEMENT EXECUTE FUNCTION pakn_reference_bump()
                """)
        }
        statements += [
            "CREATE TRIGGER setting_reference_insert AFTER INSERT ON setting FOR EACH ROW WHEN (NEW.key IN \(keys)) EXECUTE FUNCTION pakn_reference_bump()",
            """
            CREATE TRIGGER setting_reference_update AFTER UPDATE ON setting FOR EACH ROW
            WHEN (NEW.key IN \(keys) OR OLD.key IN \(keys)) EXECUTE FUNCTION pakn_reference_bump()
            """,
            "CREATE TRIGGER setting_reference_delete AFTER DELETE ON setting FOR EACH ROW WHEN (OLD.key IN \(keys)) EXECUTE FUNCTION pakn_reference_bump()",
            "CREATE TRIGGER setting_reference_truncate AFTER TRUNCATE ON setting FOR EACH STATEMENT EXECUTE FUNCTION pakn_reference_bump()",
        ]
        return [Migration(id: "v7-reference-version", statements: statements)]
    }
}
