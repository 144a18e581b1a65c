import Foundation

/// Migration `v6-scope-columns`: the case policies answer from the case's own scope columns
/// first.
///
/// The read policy of `v4-ops-sent-up` probes `unit` for every row it lets through (the
/// case's unit or ward under the official's unit path). A header count of a province's
/// 100,000 open cases spent 160–180 ms on those probes alone (docs/performance.md §8.1).
/// Every case row carries the province and the commune its responsible unit lies in
/// (`province_id`, `commune_id`, written by the intake and by `pakn_case_act` as
/// `ServerSession.scopeSQL` computes them): for an official of a province or a commune,
/// a case whose column names their unit is in their scope by that fact alone. The policy
/// now tries those two comparisons first, against the official's unit computed once per
/// query, and falls back to the same test as before for everything else; what each
/// official may read is unchanged.
///
/// The shortcut must never widen the scope, so the insert policy also requires the two
/// columns to be what the responsible unit gives: an official who INSERTs a case from
/// `psql` cannot name another province or commune in them. (Officials' roles may not
/// UPDATE cases; `pakn_case_act` recomputes both columns.)
extension ServerSchema {
    /// The official's unit when it is of `level`, once per query (an InitPlan).
    static func myUnit(level: String) -> String {
        """
        (SELECT mu.id FROM public.official o JOIN public.unit mu ON mu.id = o.unit_id
         WHERE o.login = session_user AND o.active AND mu.level = '\(level)')
        """
    }

    /// The read policy's test: the scope columns first, then the unit paths and what one's
    /// subtree sent up (as `v4-ops-sent-up`).
    static var caseReadScope: String {
        """
        province_id = \(myUnit(level: "province")) OR commune_id = \(myUnit(level: "commune")) OR (\(caseScope)) OR EXISTS (
          SELECT 1 FROM public.case_sent_up s JOIN public.unit su ON su.id = s.from_unit_id
          WHERE s.case_id = pakn_case.id
            AND starts_with(su.path, (SELECT mu.path FROM public.official o JOIN public.unit mu ON mu.id = o.unit_id
                                      WHERE o.login = session_user AND o.active)))
        """
    }

    /// The scope columns a case row must hold for its responsible unit (`scopeSQL`).
    static let scopeColumnsMatch = """
        province_id IS NOT DISTINCT FROM (SELECT coalesce(u.province_id, CASE WHEN u.level = 'province' THEN u.id END)
                                          FROM public.unit u WHERE u.id = unit_id)
        AND commune_id IS NOT DISTINCT FROM (SELECT CASE WHEN u.level = 'commune' THEN u.id WHEN p.level = 'commune' THEN p.id END
                                             FROM public.unit u LEFT JOIN public.unit p ON p.id = u.parent_id WHERE u.id = unit_id)
        """

    static func scopeColumnMigrations(group g: String) -> [Migration] {
        [Migration(id: "v6-scope-columns", statements: [
            "DROP POLICY case_read ON pakn_case",
            "CREATE POLICY case_read ON pakn_case FOR SELECT TO \(g) USING (\(caseReadScope))",
            "DROP POLICY case_insert ON pakn_case",
            """
            CREATE POLICY case_insert ON pakn_case FOR INSERT TO \(g)
              WITH CHECK (pakn_may('intake') AND (\(caseScope)) AND \(scopeColumnsMatch))
            """,
        ])]
    }
}

/// Migration `v6-schema-visible`: officials' roles may read which migrations a database has
/// (`schema_migrations`: ids and times, nothing else), so a session can tell a database a
/// newer pakn wrote, or one that waits for `pakn upgrade`, before it asks for what is not
/// there (ServerEngine.open).
extension ServerSchema {
    static func schemaVisibleMigrations(group g: String) -> [Migration] {
        [Migration(id: "v6-schema-visible", statements: ["GRANT SELECT ON schema_migrations TO \(g)"])]
    }

    /// The ids of every migration this pakn knows, in order.
    public static let migrationIds: [String] = migrations(group: "pakn_officials").map(\.id)
}
