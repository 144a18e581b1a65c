import Foundation
import PaknCore

// Cases: what a clerk records, counts, reply templates and the keys scripts need. Moved from PaknStore (issue 13): values the
// sessions of every engine speak.

/// What a clerk records when a petition comes in.
public struct IntakeDraft: Equatable, Sendable {
    public enum Routing: Sendable, Equatable {
        /// By the routing table (the default).
        case auto
        /// Leave it for triage.
        case none
        /// To this unit code.
        case unit(String)
    }

    public var title: String
    public var body: String
    public var kind: CaseKind
    public var category: String
    public var channel: Channel
    public var wardCode: String?
    public var address: String?
    public var latitude: Double?
    public var longitude: Double?
    public var reporter: Reporter
    public var complex: Bool
    /// When the petition was received, if not now (a letter stamped earlier).
    public var receivedAt: Date?
    public var attachments: [URL]
    public var routing: Routing
    /// The code (or id) of an open case this petition duplicates: the new case is merged
    /// into it in the intake's own transaction (the desk's intake form, `M-1`…).
    public var duplicateOf: String?

    public init(title: String, body: String, kind: CaseKind, category: String, channel: Channel,
                wardCode: String? = nil, address: String? = nil, latitude: Double? = nil, longitude: Double? = nil,
                reporter: Reporter = Reporter(), complex: Bool = false, receivedAt: Date? = nil,
                attachments: [URL] = [], routing: Routing = .auto, duplicateOf: String? = nil) {
        self.title = title; self.body = body; self.kind = kind; self.category = category; self.channel = channel
        self.wardCode = wardCode; self.address = address; self.latitude = latitude; self.longitude = longitude
        self.reporter = reporter; self.complex = complex; self.receivedAt = receivedAt
        self.attachments = attachments; self.routing = routing; self.duplicateOf = duplicateOf
    }
}

/// A count that stops at a cap: the queue header says "18/100000+" rather than make a
/// desk read a whole province's index (or a common word's whole list) to say it exactly.
public struct CappedCount: Equatable, Sendable {
    public var count: Int
    /// The count reached the cap: there are at least `count`.
    public var capped: Bool
    public init(count: Int, capped: Bool) { self.count = count; self.capped = capped }
}

/// What a queue row leaves out and scripts need beside its names (`pakn list --json`,
/// `--csv`): the codes and the login that other commands take, the version that
/// `--expect-version` takes, the channel.
public struct CaseKeys: Equatable, Sendable {
    public var channel: Channel
    public var version: Int
    public var complex: Bool
    public var unitCode: String?
    public var wardCode: String?
    public var assigneeLogin: String?

    package init(channel: Channel, version: Int, complex: Bool, unitCode: String?, wardCode: String?, assigneeLogin: String?) {
        self.channel = channel; self.version = version; self.complex = complex; self.unitCode = unitCode; self.wardCode = wardCode; self.assigneeLogin = assigneeLogin
    }
}

/// A reply template, with its placeholders still in place.
public struct ReplyTemplate: Equatable, Sendable {
    public var id: String
    public var lang: Lang
    public var category: String?
    public var kind: CaseKind?
    public var title: String
    public var body: String
    /// What the text is for: which actions may send it.
    public var purpose: TemplatePurpose
    /// The one action it is for when its purpose serves several (a notice of transfer).
    public var action: ActionName?

    public init(id: String, lang: Lang, category: String?, kind: CaseKind?, title: String, body: String,
                purpose: TemplatePurpose = .answer, action: ActionName? = nil) {
        self.id = id; self.lang = lang; self.category = category; self.kind = kind; self.title = title
        self.body = body; self.purpose = purpose; self.action = action
    }

    /// The actions that may send this template.
    public var actions: [ActionName] { action.map { [$0] } ?? purpose.actions }

    /// Whether `action` may send it.
    public func fits(_ action: ActionName) -> Bool { actions.contains(action) }

    /// The refusal when `action` may not send it, naming the actions that may.
    public func refusal(for action: ActionName) -> Message? {
        guard !fits(action) else { return nil }
        return Message("tpl.wrong_action", id, purpose.rawValue,
                       actions.map { "pakn \(TemplateLetter.command(for: $0))" }.joined(separator: ", "),
                       "pakn \(TemplateLetter.command(for: action))")
    }

    public var needsAuthority: Bool { body.contains("{authority}") }
    public var needsReason: Bool { body.contains("{reason}") }

    /// The body with its placeholders filled in the template's own language.
    public func filled(_ f: TemplateFill) -> String {
        body.replacingOccurrences(of: "{code}", with: f.code)
            .replacingOccurrences(of: "{title}", with: f.title)
            .replacingOccurrences(of: "{unit}", with: f.unit)
            .replacingOccurrences(of: "{ward}", with: f.ward)
            .replacingOccurrences(of: "{date}", with: f.date)
            .replacingOccurrences(of: "{status}", with: f.status)
            .replacingOccurrences(of: "{authority}", with: f.authority ?? "…")
            .replacingOccurrences(of: "{reason}", with: f.reason ?? "…")
    }

}

/// What a template's placeholders become for one case, in the citizen's language:
/// `{ward}` "phường Hoàn Kiếm" (so "Ủy ban nhân dân {ward}" reads as Decree 30 writes it),
/// `{unit}` the body handling the case, `{date}` the day of receipt ("05 tháng 12 năm 2026").
public struct TemplateFill: Equatable, Sendable {
    public var code: String
    public var title: String
    public var unit: String
    public var ward: String
    public var date: String
    public var status: String
    public var authority: String?
    public var reason: String?

    public init(code: String, title: String, unit: String, ward: String, date: String, status: String,
                authority: String? = nil, reason: String? = nil) {
        self.code = code; self.title = title; self.unit = unit; self.ward = ward; self.date = date
        self.status = status; self.authority = authority; self.reason = reason
    }

    /// The fill-ins of case `c`, whose ward is `ward` and responsible unit `unit`, in `lang`.
    /// Without a ward, the office the case is with stands in (`office`).
    public static func of(_ c: Case, ward: OrgUnit?, unit: OrgUnit?, office: OrgUnit? = nil, lang: Lang,
                          authority: String? = nil, reason: String? = nil) -> TemplateFill {
        let place = ward ?? office ?? unit.flatMap { $0.level == .department ? nil : $0 }
        return TemplateFill(code: c.code, title: c.title,
                            unit: unit.map { body($0, lang) } ?? "",
                            ward: place.map { OfficialStyle.unitName($0.name, lang) } ?? "",
                            date: OfficialStyle.date(Day(c.receivedAt), lang),
                            status: c.status.label(lang), authority: authority, reason: reason)
    }

    /// The body that acts for a unit: "Ủy ban nhân dân phường Hoàn Kiếm", or a department.
    public static func body(_ u: OrgUnit, _ lang: Lang) -> String {
        OfficialStyle.bodyName(u.name, isAdministrative: u.level == .commune || u.level == .province, lang)
    }
}

/// A text for the citizen made from a template, checked against the action that sends it.
public struct TemplateLetter: Equatable, Sendable {
    public var text: String
    public var purpose: TemplatePurpose

    /// The CLI command that performs an action.
    public static func command(for action: ActionName) -> String {
        action == .notice ? "notify" : action.rawValue
    }

    package init(text: String, purpose: TemplatePurpose) {
        self.text = text; self.purpose = purpose
    }
}

/// An open case that looks like the petition being taken in: same ward, similar words in
/// its title (`Session.duplicateCandidates`).
public struct DuplicateCandidate: Equatable, Sendable {
    public var id: Int64
    public var code: String
    public var title: String
    public var status: CaseStatus
    public var receivedAt: Date
    /// Words of the new title found in this one (syllables and pairs of syllables).
    public var shared: Int

    public init(id: Int64, code: String, title: String, status: CaseStatus, receivedAt: Date, shared: Int) {
        self.id = id; self.code = code; self.title = title; self.status = status; self.receivedAt = receivedAt
        self.shared = shared
    }
}

/// The words that make two petitions' titles alike (the intake form's duplicates, on every
/// engine): folded syllables, common ones left out, and each pair of neighbouring syllables
/// ("den duong"), which Vietnamese words mostly are.
public enum DuplicateTerms {
    /// Syllables too common to say two petitions are alike.
    public static let common: Set<String> = [
        "bi", "o", "va", "cua", "la", "cac", "nhung", "tai", "tren", "trong", "cho", "de", "da", "co", "khong",
        "mot", "nhieu", "rat", "voi", "ve", "tu", "den", "sau", "khi", "nay", "do", "duoc", "gay", "lam", "so",
        "the", "a", "an", "and", "of", "in", "on", "at", "to", "is", "for",
    ]

    public static func of(_ title: String) -> Set<String> {
        let words = VietnameseFold.words(title)
        var out = Set(words.filter { !common.contains($0) && ($0.count >= 2 || $0.allSatisfy(\.isNumber)) })
        for i in words.indices.dropLast() { out.insert(words[i] + " " + words[i + 1]) }
        return out
    }

    /// Whether a title sharing `shared` terms with one of `wanted` terms is a candidate: at
    /// least two words in common, and a quarter of the new title's.
    public static func alike(shared: Int, wanted: Int) -> Bool { shared >= 2 && shared * 4 >= wanted }
}
