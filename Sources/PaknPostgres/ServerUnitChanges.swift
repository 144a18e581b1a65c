import Foundation
import PaknCore
import PaknStoreAPI
import PostgresNIO

// `pakn units import` of an official change list on a server, as the SQLite store does it
// (Reference/UnitChanges.swift): the same check of every row (`UnitChangeList.check`, shared),
// the same reach (AdminScope.unitRefusal: every unit a list changes, and the unit above it,
// within the caller's units; a refusal named and recorded), the same writes and record.
//
// The session reads the units, their aliases and their history once, checks the lists one
// after another against them (each list sees the ones before it, applied in memory), and
// works out the departments' names and the labels afterwards. `pakn_units_changes`
// (migration `v7-units-changes`) checks the reach again, checks that every unit still is as
// the session read it, and writes it all with its access-log entry in one transaction.

extension ServerSession {
    /// As the SQLite store's `importUnitChanges`: all or nothing, recorded in the access log.
    func importUnitChanges(_ lists: [UnitChangeList], file: String, me: Official,
                           departments: [String: [DepartmentEntry]]) throws -> UnitChangeSummary {
        let what = "units import \(file)"
        let snapshot = try UnitChangeSnapshot(
            units: try db.rows(ServerUnit.selectAll).map(ServerUnit.init),
            aliases: try db.rows("SELECT old_code, unit_id FROM unit_alias").map { (try $0.str(0), try $0.int(1)) },
            history: try db.rows("SELECT old_code, new_code FROM unit_code_history WHERE old_code IS NOT NULL AND new_code IS NOT NULL")
                .map { (try $0.str(0), try $0.str(1)) })
        guard let myPath = snapshot.byId[me.unitId]?.path else {
            throw refuseAdmin(me, Message("admin.scope.unit", me.login, "-"), what: what)
        }
        var summary = UnitChangeSummary()
        var written: [[String: Any]] = []
        for list in lists {
            let step = try list.check(file: file, units: snapshot)
            // AdminScope.unitRefusal: the unit and the unit above it within the caller's.
            for u in step.units {
                let covered = snapshot.byId[u.id].map { $0.path.hasPrefix(myPath) } ?? false
                let parentCovered = u.parentId.flatMap { snapshot.byId[$0] }.map { $0.path.hasPrefix(myPath) } ?? false
                if !covered || !parentCovered {
                    throw refuseAdmin(me, Message("admin.scope.unit", me.login, "\(u.code) \(u.name)"), what: what)
                }
            }
            written.append(snapshot.apply(step, list))
            summary.codes += step.moves.count
            summary.types += step.retypes.count
            summary.provinceTypes += step.provinces.count
            summary.alreadyInForce += step.alreadyInForce
        }
        summary.departmentsRenamed = snapshot.derive(departments: departments)
        var b = Binds()
        let sql = """
            SELECT pakn_units_changes(\(b.add(file)), \(b.add(summary.alreadyInForce))::integer,
                                      \(b.add(try Self.json(written)))::jsonb, \(b.add(try Self.json(snapshot.changedUnits())))::jsonb)
            """
        _ = try db.transaction { tx in try tx.one(sql, b) }
        return summary
    }
}

/// The units as a server holds them, read once, with the changes of the lists checked so
/// far applied in memory (as `UnitChanges` writes them on SQLite), so that each list is
/// checked against the units as the lists before it left them.
final class UnitChangeSnapshot: UnitChangeUnits {
    typealias Unit = ServerUnit

    /// As read, and as changed so far.
    let stored: [Int64: Unit]
    private(set) var byId: [Int64: Unit]
    private var idOf: [String: Int64]
    private var alias: [String: Int64]
    private var history: Set<String>
    /// The units the lists changed.
    private var touched: Set<Int64> = []

    init(units: [Unit], aliases: [(String, Int64)], history: [(String, String)]) throws {
        stored = Dictionary(units.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        byId = stored
        idOf = Dictionary(units.map { ($0.code, $0.id) }, uniquingKeysWith: { a, _ in a })
        alias = Dictionary(aliases, uniquingKeysWith: { a, _ in a })
        self.history = Set(history.map { $0.0 + "\u{1F}" + $0.1 })
    }

    func unit(code: String) throws -> OrgUnit? { idOf[code].flatMap { byId[$0] }?.org }

    /// As UnitQueries.aliased: an old code, or a department's code under an old code.
    func aliased(code: String) throws -> OrgUnit? {
        if let id = alias[code], let u = byId[id] { return u.org }
        if let dash = code.firstIndex(of: "-"), dash != code.startIndex {
            let parentCode = String(code[..<dash]), suffix = String(code[code.index(after: dash)...])
            if !suffix.isEmpty, let pid = alias[parentCode], let parent = byId[pid],
               let id = idOf["\(parent.code)-\(suffix)"] {
                return byId[id]?.org
            }
        }
        return nil
    }

    func historyHas(old: String, new: String) throws -> Bool { history.contains(old + "\u{1F}" + new) }

    /// Applies a list found good, as `UnitChanges` writes it (a unit's departments take its
    /// new code; its old code becomes an alias), and returns what `pakn_units_changes` is
    /// given for it (numbers as `Int`: JSONSerialization takes no `Int64`).
    func apply(_ step: UnitChangeStep, _ list: UnitChangeList) -> [String: Any] {
        // All the old codes go before any new one is taken (a swap, a chain).
        var renamed: [(Int64, String)] = []
        for m in step.moves {
            guard let u = byId[m.unit.id] else { continue }
            idOf[u.code] = nil
            renamed.append((u.id, m.new))
            for (id, d) in byId where d.parentId == u.id && d.level == UnitLevel.department.rawValue && d.code.hasPrefix(u.code + "-") {
                idOf[d.code] = nil
                renamed.append((id, m.new + d.code.dropFirst(u.code.count)))
            }
        }
        for (id, code) in renamed {
            touched.insert(id)
            byId[id]?.code = code
            idOf[code] = id
        }
        for m in step.moves {
            alias[m.unit.code] = m.unit.id
            history.insert(m.unit.code + "\u{1F}" + m.new)
        }
        for r in step.retypes + step.provinces {
            touched.insert(r.unit.id)
            byId[r.unit.id]?.name = r.name
            byId[r.unit.id]?.type = r.type
            byId[r.unit.id]?.folded = VietnameseFold.fold(r.name)
        }
        return [
            "document": list.document, "effective": list.effective.description, "date_basis": list.dateBasis.rawValue,
            "moves": step.moves.map { ["id": Int($0.unit.id), "old": $0.unit.code, "new": $0.new] as [String: Any] },
            "retypes": (step.retypes + step.provinces).map { r -> [String: Any] in
                ["id": Int(r.unit.id), "old_name": r.unit.name, "old_type": r.unit.divisionType, "name": r.name, "type": r.type,
                 "folded": VietnameseFold.fold(r.name)]
            },
        ]
    }

    /// UnitStore.renameDepartments and refreshLabels, in memory: every standard department
    /// named as its parent's type calls for, every label rebuilt. Returns how many
    /// departments under a changed unit were renamed (only those are written).
    func derive(departments: [String: [DepartmentEntry]]) -> Int {
        var renamed = 0
        for (id, d) in byId where d.level == UnitLevel.department.rawValue {
            guard let pid = d.parentId, let p = byId[pid], d.code.hasPrefix(p.code + "-") else { continue }
            let suffix = String(d.code.dropFirst(p.code.count + 1))
            guard let entry = (departments[p.level] ?? []).first(where: { $0.suffix == suffix }) else { continue }
            let name = entry.name(under: p.type)
            if name != d.name && touched.contains(pid) { renamed += 1 }
            byId[id]?.name = name
            byId[id]?.folded = VietnameseFold.fold(name + " " + p.name)
        }
        for (id, u) in byId {
            let label = UnitNaming.qualified(name: u.name, level: UnitLevel(rawValue: u.level) ?? .department,
                                             parentName: u.parentId.flatMap { byId[$0]?.name })
            byId[id]?.label = label
        }
        return renamed
    }

    /// The units whose name, search text or label the lists changed: those they changed and
    /// the units right under them (a label names the parent), nothing else.
    func changedUnits() -> [[String: Any]] {
        byId.values.sorted { $0.id < $1.id }.compactMap { u in
            guard touched.contains(u.id) || u.parentId.map(touched.contains) == true, let s = stored[u.id],
                  u.name != s.name || u.folded != s.folded || u.label != s.label else { return nil }
            return ["id": Int(u.id), "name": u.name, "folded": u.folded, "label": u.label]
        }
    }
}

/// Migration `v7-units-changes`: `pakn_units_changes` writes the change lists a session
/// checked (ServerUnitChanges.swift) as `UnitChanges.apply` writes them on SQLite.
///
/// `p_lists`: one object a list, in order: `document`, `effective`, `date_basis`, `moves`
/// (`id`, `old`, `new`) and `retypes` (`id`, `old_name`, `old_type`, `name`, `type`,
/// `folded`; communes and provinces). `p_units`: the final `name`, `folded` and `label` of
/// every unit whose own were changed (departments renamed, labels). Needs `manage_rules`;
/// every unit a list changes, and the unit above it, within the caller's units, and every
/// unit written within them too; a unit no longer as the session read it (another change
/// came between) stops it all. Recoding goes through temporary codes (a swap or a chain
/// never meets UNIQUE(code)); a unit's departments follow its code; the old code becomes an
/// alias; the history records each change; `home_unit` follows its unit's code.
extension ServerSchema {
    static func unitChangesMigrations(group: String) -> [Migration] {
        let g = ident(group)
        let changed = "RAISE EXCEPTION USING ERRCODE = '55000', MESSAGE = format(\(pattern("pg.units.changed", args: 1)), \(patternArgs("x ->> 'id'")))"
        let history = """
            INSERT INTO unit_code_history(id, unit_id, old_code, new_code, old_name, new_name, old_type, new_type,
                                          effective_on, date_basis, document, recorded_at)
            """
        return [Migration(id: "v7-units-changes", statements: [
            """
            CREATE FUNCTION pakn_units_changes(p_file text, p_already integer, p_lists jsonb, p_units jsonb)
            RETURNS integer LANGUAGE plpgsql \(definer) AS
            $$ DECLARE me bigint := pakn_me(); mypath text := pakn_my_path(); l jsonb; x jsonb; u unit; p unit;
                       codes integer := 0; types integer := 0; provinces integer := 0; docs text := ''; home text;
                       at_ timestamptz := to_timestamp(floor(extract(epoch FROM now()))); uid bigint;
               BEGIN
                 IF me IS NULL THEN \(notOfficialRaise); END IF;
                 IF NOT pakn_may('manage_rules') THEN \(deniedRaise("'manage_rules'")); END IF;
                 LOCK TABLE unit IN SHARE ROW EXCLUSIVE MODE;
                 -- AdminScope.unitRefusal for every unit a list changes, before anything is written.
                 FOR l IN SELECT * FROM jsonb_array_elements(p_lists) LOOP
                   FOR x IN SELECT * FROM jsonb_array_elements(l -> 'moves') UNION ALL SELECT * FROM jsonb_array_elements(l -> 'retypes') LOOP
                     u := NULL; p := NULL;
                     SELECT * INTO u FROM unit WHERE id = (x ->> 'id')::bigint;
                     SELECT * INTO p FROM unit WHERE id = u.parent_id;
                     IF u.id IS NULL OR p.id IS NULL OR NOT starts_with(u.path, mypath) OR NOT starts_with(p.path, mypath) THEN
                       \(deniedRaise("'manage_rules'"));
                     END IF;
                   END LOOP;
                 END LOOP;
                 FOR x IN SELECT * FROM jsonb_array_elements(p_units) LOOP
                   u := NULL;
                   SELECT * INTO u FROM unit WHERE id = (x ->> 'id')::bigint;
                   IF u.id IS NULL OR NOT starts_with(u.path, mypath) THEN \(deniedRaise("'manage_rules'")); END IF;
                 END LOOP;
                 home := (SELECT value FROM setting WHERE key = 'home_unit');
                 FOR l IN SELECT * FROM jsonb_array_elements(p_lists) LOOP
                   -- UnitChanges.recode: every unit of the list (and its departments) to a temporary code first.
                   FOR x IN SELECT * FROM jsonb_array_elements(l -> 'moves') LOOP
                     uid := (x ->> 'id')::bigint;
                     IF (SELECT code FROM unit WHERE id = uid) IS DISTINCT FROM x ->> 'old' THEN \(changed); END IF;
                     UPDATE unit SET code = '~' || uid WHERE id = uid;
                     UPDATE unit SET code = '~' || uid || substr(code, length(x ->> 'old') + 1)
                       WHERE parent_id = uid AND level = 'department' AND starts_with(code, (x ->> 'old') || '-');
                   END LOOP;
                   FOR x IN SELECT * FROM jsonb_array_elements(l -> 'moves') LOOP
                     uid := (x ->> 'id')::bigint;
                     UPDATE unit SET code = x ->> 'new' WHERE id = uid;
                     UPDATE unit SET code = (x ->> 'new') || substr(code, length('~' || uid) + 1)
                       WHERE parent_id = uid AND starts_with(code, '~' || uid || '-');
                     INSERT INTO unit_alias(old_code, unit_id, note, kind) VALUES (x ->> 'old', uid, l ->> 'document', 'change')
                       ON CONFLICT (old_code) DO UPDATE SET unit_id = excluded.unit_id, note = excluded.note, kind = excluded.kind;
                     \(history)
                       SELECT coalesce(max(id), 0) + 1, uid, x ->> 'old', x ->> 'new', NULL, NULL, NULL, NULL,
                              (l ->> 'effective')::date, l ->> 'date_basis', l ->> 'document', at_ FROM unit_code_history;
                     IF home = x ->> 'old' THEN
                       UPDATE setting SET value = x ->> 'new' WHERE key = 'home_unit';
                       home := x ->> 'new';
                     END IF;
                     codes := codes + 1;
                   END LOOP;
                   FOR x IN SELECT * FROM jsonb_array_elements(l -> 'retypes') LOOP
                     u := NULL;
                     SELECT * INTO u FROM unit WHERE id = (x ->> 'id')::bigint;
                     IF u.name IS DISTINCT FROM x ->> 'old_name' OR u.division_type IS DISTINCT FROM x ->> 'old_type' THEN \(changed); END IF;
                     UPDATE unit SET name = x ->> 'name', division_type = x ->> 'type', folded = x ->> 'folded' WHERE id = u.id;
                     \(history)
                       SELECT coalesce(max(id), 0) + 1, u.id, NULL, NULL, u.name, x ->> 'name', u.division_type, x ->> 'type',
                              (l ->> 'effective')::date, l ->> 'date_basis', l ->> 'document', at_ FROM unit_code_history;
                     IF u.level = 'province' THEN provinces := provinces + 1; ELSE types := types + 1; END IF;
                   END LOOP;
                   docs := docs || CASE WHEN docs = '' THEN '' ELSE '; ' END
                           || (l ->> 'document') || ' (' || (l ->> 'date_basis') || ' ' || (l ->> 'effective') || ')';
                 END LOOP;
                 -- UnitStore.renameDepartments and refreshLabels, as the session worked them out.
                 FOR x IN SELECT * FROM jsonb_array_elements(p_units) LOOP
                   UPDATE unit SET name = x ->> 'name', folded = x ->> 'folded', label = x ->> 'label'
                     WHERE id = (x ->> 'id')::bigint
                       AND (name, folded, label) IS DISTINCT FROM (x ->> 'name', x ->> 'folded', x ->> 'label');
                 END LOOP;
                 PERFORM pakn_access_write(me, session_user, 'units_change', left(p_file, 500),
                   docs || ': codes ' || codes || ', types ' || types || ', provinces ' || provinces || ', already ' || p_already,
                   codes + types + provinces, NULL, '{}');
                 RETURN codes + types + provinces;
               END $$
            """,
        ] + grants(["pakn_units_changes"], to: g))]
    }
}
