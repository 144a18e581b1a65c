import Foundation
import PaknCore
import PaknStoreAPI

// The `--json` of the commands that print reference data and checks (docs/cli.md §5):
// fixed English keys, absent values left out, sorted keys (`SafeText.json`).

/// `pakn categories --json`.
struct CategoryJSON: Encodable {
    var code: String
    var name_vi: String
    var name_en: String
    init(_ c: PaknCore.Category) { code = c.code; name_vi = c.nameVi; name_en = c.nameEn }
}

/// `pakn templates --json`: what `reply`, `wait`, `notify`, `reject` and `transfer` take
/// as `--template ID`.
struct TemplateJSON: Encodable {
    var id: String
    var lang: String
    var purpose: String
    var action: String?
    var category: String?
    var kind: String?
    var title: String
    var body: String
    init(_ t: ReplyTemplate) {
        id = t.id; lang = t.lang.rawValue; purpose = t.purpose.rawValue; action = t.action?.rawValue; category = t.category
        kind = t.kind?.rawValue; title = t.title; body = t.body
    }
}

/// `pakn permissions --json`: each permission with the roles that hold it.
struct PermissionJSON: Encodable {
    var permission: String
    var name_vi: String
    var name_en: String
    var roles: [String]
}

/// `pakn audit verify --json`: each chain as checked, and with `--full` the rest.
struct ChainJSON: Encodable {
    var ok: Bool
    var entries: Int
    var head: String
    /// The first entry that does not hold.
    var broken_at: Int64?
    /// With `--against`/`--against-access`: the entry whose hash it is.
    var against_id: Int64?
    var problem: String?
    /// An intake whose case's facts were changed outside pakn.
    var facts_case: String?

    init(_ c: ChainCheck, lang: Lang) {
        ok = c.ok; entries = c.entries; head = c.head; broken_at = c.firstBrokenId; against_id = c.againstId
        problem = c.ok ? nil : c.text(lang)
        facts_case = c.factsCase
    }
}

struct VerifyJSON: Encodable {
    struct Full: Encodable {
        var integrity: [String]
        var foreign_key_violations: Int
        var cases: Int
        var replay_mismatches: [String]
        var without_intake: [String]
    }
    var ok: Bool
    var events: ChainJSON
    var access: ChainJSON
    var full: Full?
}

/// `pakn units history CODE --json`.
struct UnitHistoryJSON: Encodable {
    struct Change: Encodable {
        var unit_code: String
        var old_code: String?
        var new_code: String?
        var old_name: String?
        var new_name: String?
        var old_type: String?
        var new_type: String?
        var effective: String
        var date_basis: String
        var document: String
    }
    struct Alias: Encodable { var code: String; var kind: String? }
    var code: String
    var name: String
    /// The code asked for, when it is an old one that leads here.
    var asked: String?
    var changes: [Change]
    var aliases: [Alias]
}
