import Foundation

/// Migration `v6-detail-reporter`: the reporter in a case's detail, as the SQLite store
/// shows it (`AppDatabase.detail`). The `reporter` table stays unreadable by officials'
/// roles; `pakn_case_reporter` gives one case's reporter to a caller who may read the case:
/// whole to one who may reveal reporters and handles the case (their units, or assigned),
/// masked as `Reporter.masked()` masks (`pakn_mask_*`) to anyone else who may read it
/// (a case sent up from their units included), and nothing for an anonymous or sealed one,
/// which only `pakn_reveal_reporter` unseals (and records).
extension ServerSchema {
    static func detailReporterMigrations(group g: String) -> [Migration] {
        [Migration(id: "v6-detail-reporter", statements: [
            """
            CREATE FUNCTION pakn_case_reporter(p_case bigint)
            RETURNS TABLE(name text, phone text, email text, address text, national_id text, masked boolean)
            LANGUAGE plpgsql STABLE \(definer) AS
            $$ DECLARE me bigint := pakn_me(); c pakn_case; handles boolean; whole boolean;
               BEGIN
                 IF me IS NULL THEN RETURN; END IF;
                 SELECT * INTO c FROM pakn_case WHERE id = p_case;
                 IF NOT FOUND OR c.anonymous OR c.confidential OR c.reporter_id IS NULL THEN RETURN; END IF;
                 handles := pakn_in_scope(c.unit_id, c.ward_id, c.assignee_id);
                 IF NOT handles AND NOT EXISTS (
                      SELECT 1 FROM case_sent_up s JOIN unit su ON su.id = s.from_unit_id
                      WHERE s.case_id = c.id AND starts_with(su.path, pakn_my_path())) THEN
                   RETURN;
                 END IF;
                 whole := handles AND pakn_may('reveal_reporter');
                 RETURN QUERY
                   SELECT CASE WHEN whole THEN r.name ELSE pakn_mask_name(r.name) END,
                     CASE WHEN whole THEN r.phone ELSE pakn_mask_phone(r.phone) END,
                     CASE WHEN whole THEN r.email ELSE pakn_mask_email(r.email) END,
                     CASE WHEN whole OR r.address IS NULL THEN r.address ELSE '***' END,
                     CASE WHEN whole THEN r.national_id ELSE pakn_mask_phone(r.national_id) END,
                     NOT whole
                   FROM reporter r WHERE r.id = c.reporter_id;
               END $$
            """,
            "REVOKE EXECUTE ON FUNCTION pakn_case_reporter FROM PUBLIC",
            "GRANT EXECUTE ON FUNCTION pakn_case_reporter TO \(g)",
        ])]
    }
}
