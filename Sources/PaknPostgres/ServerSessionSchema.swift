import Foundation

/// Migration `v3-session`: what the session engine needs that an official's role may not
/// do itself. A new case's id is the next after every case's, not only those the
/// official's row-level security shows them: a SECURITY DEFINER function reads it (a clash
/// between two clerks taking cases in at once fails the second on the primary key, and the
/// session retries its intake).
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
        ]
    }
}
