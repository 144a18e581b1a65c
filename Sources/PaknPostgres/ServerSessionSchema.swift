import Foundation

/// Migration `v3-session`: what the session engine needs that an official's role may not
/// do itself. A new case's id is the next after every case's, not only those the
/// official's row-level security shows them: a SECURITY DEFINER function reads it (a clash
/// between two clerks taking cases in at once fails the second on the primary key, and the
/// session retries its intake). And when a case's reporter was erased, without the reporter.
extension ServerSchema {
    static func session(group g: String) -> [String] {
        [
            """
            CREATE FUNCTION pakn_next_case_id() RETURNS bigint LANGUAGE sql STABLE
            SECURITY DEFINER SET search_path = public, pg_temp AS
            $$ SELECT coalesce(max(id), 0) + 1 FROM pakn_case $$
            """,
            "REVOKE EXECUTE ON FUNCTION pakn_next_case_id FROM PUBLIC",
            "GRANT EXECUTE ON FUNCTION pakn_next_case_id TO \(g)",
            // When a case's reporter was erased (`reporter` is not readable by officials): only
            // for a case the caller may read, and only the date, never who.
            """
            CREATE FUNCTION pakn_reporter_erased_at(p_case bigint) RETURNS timestamptz LANGUAGE sql STABLE
            SECURITY DEFINER SET search_path = public, pg_temp AS
            $$ SELECT r.erased_at FROM pakn_case c JOIN reporter r ON r.id = c.reporter_id
               WHERE c.id = p_case AND pakn_in_scope(c.unit_id, c.ward_id, c.assignee_id) $$
            """,
            "REVOKE EXECUTE ON FUNCTION pakn_reporter_erased_at FROM PUBLIC",
            "GRANT EXECUTE ON FUNCTION pakn_reporter_erased_at TO \(g)",
        ]
    }
}
