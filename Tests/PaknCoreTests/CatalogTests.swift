import Foundation
import Testing
@testable import PaknCore

@Suite("Message catalog")
struct CatalogTests {
    /// The `{n}` placeholders in a message.
    static func placeholders(_ s: String) -> Set<Int> {
        var out: Set<Int> = []
        var rest = Substring(s)
        while let open = rest.firstIndex(of: "{") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}") else { break }
            if let n = Int(after[..<close]) { out.insert(n) }
            rest = after[after.index(after: close)...]
        }
        return out
    }

    @Test func placeholderScanner() {
        #expect(Self.placeholders("còn {0} ngày, {1}/{0}") == [0, 1])
        #expect(Self.placeholders("không có") == [])
        #expect(Self.placeholders("{x} {12}") == [12])
    }

    @Test func everyKeyIsInExactlyOneSection() {
        var owners: [String: Int] = [:]
        for section in Catalog.sections {
            for key in section.keys { owners[key, default: 0] += 1 }
        }
        let dup = owners.filter { $0.value > 1 }.keys.sorted()
        #expect(dup.isEmpty, "keys in more than one section: \(dup)")
        #expect(Set(owners.keys) == Set(Catalog.entries.keys))
    }

    @Test func noEmptyText() {
        for (key, e) in Catalog.entries {
            #expect(!e.vi.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "vi of \(key)")
            #expect(!e.en.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "en of \(key)")
        }
    }

    @Test func placeholdersMatchBetweenLanguages() {
        for (key, e) in Catalog.entries {
            let vi = Self.placeholders(e.vi), en = Self.placeholders(e.en)
            #expect(vi == en, "\(key): vi \(vi.sorted()) vs en \(en.sorted())")
            // Placeholders are numbered from 0 without gaps, so every argument is used.
            #expect(vi == Set(0..<vi.count), "\(key): gaps in \(vi.sorted())")
        }
    }

    @Test func vietnameseTextIsNFC() {
        for (key, e) in Catalog.entries {
            #expect(Array(e.vi.unicodeScalars) == Array(e.vi.precomposedStringWithCanonicalMapping.unicodeScalars),
                    "\(key) is not NFC")
        }
    }

    @Test func keysAreWellFormed() {
        for key in Catalog.entries.keys {
            #expect(key.contains("."), "\(key) has no section prefix")
            #expect(key == key.lowercased() && !key.contains(" "), "\(key)")
        }
    }

    static func labelKeys() -> [String] {
        CaseStatus.allCases.map { "status.\($0.rawValue)" }
            + CaseKind.allCases.map { "kind.\($0.rawValue)" }
            + Channel.allCases.map { "channel.\($0.rawValue)" }
            + Role.allCases.map { "role.\($0.rawValue)" }
            + ActionName.allCases.map { "action.\($0.rawValue)" }
            + DueState.allCases.map { "due.\($0.rawValue)" }
            + RatingReason.allCases.map { "reason.\($0.rawValue)" }
            + UnitLevel.allCases.map { "level.\($0.rawValue)" }
    }

    @Test("Every enum value has a label in both languages", arguments: labelKeys())
    func labelExists(key: String) {
        #expect(L10n.has(key))
        for lang in Lang.allCases {
            let text = L10n.t(key, lang)
            #expect(text != key && !text.isEmpty, "\(key) in \(lang)")
        }
    }

    @Test func labelMethodsUseTheCatalog() {
        for s in CaseStatus.allCases { for l in Lang.allCases { #expect(s.label(l) != "status.\(s.rawValue)") } }
        for s in CaseKind.allCases { for l in Lang.allCases { #expect(s.label(l) != "kind.\(s.rawValue)") } }
        for s in Channel.allCases { for l in Lang.allCases { #expect(s.label(l) != "channel.\(s.rawValue)") } }
        for s in Role.allCases { for l in Lang.allCases { #expect(s.label(l) != "role.\(s.rawValue)") } }
        for s in ActionName.allCases { for l in Lang.allCases { #expect(s.label(l) != "action.\(s.rawValue)") } }
        for s in RatingReason.allCases { for l in Lang.allCases { #expect(s.label(l) != "reason.\(s.rawValue)") } }
        #expect(CaseStatus.inProgress.label(.vi) == "Đang xử lý")
        #expect(CaseStatus.inProgress.label(.en) == "In progress")
    }

    @Test func labelsAreDistinctWithinAnEnum() {
        // Two statuses with the same label could not be told apart in a menu.
        func distinct(_ keys: [String]) {
            for lang in Lang.allCases {
                let labels = keys.map { L10n.t($0, lang) }
                #expect(Set(labels).count == labels.count, "\(lang): \(labels)")
            }
        }
        distinct(CaseStatus.allCases.map { "status.\($0.rawValue)" })
        distinct(CaseKind.allCases.map { "kind.\($0.rawValue)" })
        distinct(Channel.allCases.map { "channel.\($0.rawValue)" })
        distinct(Role.allCases.map { "role.\($0.rawValue)" })
        distinct(ActionName.allCases.map { "action.\($0.rawValue)" })
        distinct(DueState.allCases.map { "due.\($0.rawValue)" })
        distinct(RatingReason.allCases.map { "reason.\($0.rawValue)" })
        distinct(UnitLevel.allCases.map { "level.\($0.rawValue)" })
    }

    @Test func formatFillsArguments() {
        #expect(L10n.t("deadline.days_left", .vi, 5) == "còn 5 ngày")
        #expect(L10n.t("deadline.days_left", .en, 5) == "5 days left")
        #expect(L10n.t("wf.rating_range", .en, 7).contains("7"))
        // An unknown key comes back as itself, so a missing message is visible, not blank.
        #expect(L10n.t("không.có.khoá", .vi) == "không.có.khoá")
        #expect(!L10n.has("không.có.khoá"))
    }

    @Test
    func argumentsAreNotSubstitutedAgain() {
        // A citizen's text or a rule's basis may contain braces; they must come out verbatim.
        #expect(L10n.t("wf.illegal", .en, "{1}", "x", "y") == "Cannot {1} a case that is x. Allowed from here: y.")
        #expect(Message("wf.extension_cap", "{1}", "Điều 28").text(.vi)
                == "Đã gia hạn tối đa {1} lần theo quy định (Điều 28).")
    }

    @Test func messagesRenderInTheReadersLanguage() {
        let m = Message("deadline.overdue_days", 3)
        #expect(m.text(.vi) == "quá hạn 3 ngày")
        #expect(m.text(.en) == "overdue 3 days")
        #expect(m == Message("deadline.overdue_days", "3"))
    }

    @Test("Every workflow error renders in both languages without leftovers", arguments: [
        WorkflowError.illegalTransition(action: .close, from: .received, allowed: Workflow.allowedActions(from: .received)),
        .illegalTransition(action: .close, from: .merged, allowed: []),
        .extensionCapReached(max: 2, basis: "Điều 28 Luật Khiếu nại 2011"),
        .extensionNotAllowed(ruleId: "lkn-2011"),
        .ratingOutOfRange(9),
        .missingText(field: "reason"), .missingText(field: "reply"), .missingText(field: "note"),
        .missingText(field: "request"),
        .mergeIntoSelf, .sameUnit, .sameAssignee,
    ])
    func workflowErrorTexts(error: WorkflowError) {
        let vi = error.text(.vi), en = error.text(.en)
        #expect(vi != en)
        for t in [vi, en] {
            #expect(!t.isEmpty)
            #expect(Self.placeholders(t).isEmpty, "unfilled: \(t)")
            #expect(!t.hasPrefix("wf.") && !t.contains("field."), "raw key in \(t)")
        }
    }

    @Test("Lang from the environment", arguments: [
        (["LANG": "vi_VN.UTF-8"], Lang.vi),
        (["LANG": "en_US.UTF-8"], .en),
        (["LC_ALL": "vi_VN", "LANG": "en_US"], .vi),
        (["LC_ALL": "", "LC_MESSAGES": "VI", "LANG": "en_US"], .vi),
        (["LC_MESSAGES": "C", "LANG": "en_US"], .vi),
        (["LC_ALL": "C.UTF-8"], .vi),
        (["LANG": "fr_FR.UTF-8"], .vi),
        (["LC_MESSAGES": "en_GB", "LANG": "vi_VN"], .en),
        ([:], .vi),
    ])
    func langFromEnvironment(env: [String: String], lang: Lang) {
        #expect(Lang.from(environment: env) == lang)
    }
}
