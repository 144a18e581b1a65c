import Foundation
import PaknCore
import PaknStoreAPI

/// The intake form (`N`, `:intake`): a petition taken in at the desk, field by field, as
/// `pakn intake` takes it from the command line. Pure state: validated as it is typed,
/// sent through `Session.intake` by the runner (`DeskEffect.takeIn`).
public struct IntakeForm: Equatable, Sendable {
    /// The fields, in Tab order.
    public enum Field: String, CaseIterable, Sendable {
        case kind, channel, category, ward, address, title, body
        case name, phone, email, nationalId = "national_id", anonymous, confidential
        case received, attachments

        /// Picked from a list that filters as you type.
        public var isChoice: Bool { self == .kind || self == .channel || self == .category || self == .ward }
        /// A yes/no box (Space, `x`, Left or Right turn it).
        public var isCheck: Bool { self == .anonymous || self == .confidential }
        /// Who sent it: skipped (and not recorded) when the petition is anonymous.
        public var isReporter: Bool { [.name, .phone, .email, .nationalId, .confidential].contains(self) }
        public var isText: Bool { !isChoice && !isCheck }

        public func label(_ lang: Lang) -> String { L10n.t("desk.intake.f.\(rawValue)", lang) }
    }

    /// A field picked from a list: what was typed, the items it matches, the one chosen.
    public struct Choice: Equatable, Sendable {
        public var query = TextEditor("", multiline: false)
        /// The items the query matches (all of them while it is empty).
        public var items: [PickerItem]
        public var selected = 0
        public var value: PickerItem?
        /// Every item, for a list held in the desk (kind, channel, category); nil for the
        /// wards, which the store searches (by name without accents, or by code).
        public var all: [PickerItem]?
        /// The list is shown under the field (once typed in, or moved through with ↑↓).
        public var listOpen = false

        public init(all: [PickerItem]?, value: PickerItem?) {
            self.all = all
            self.items = all ?? []
            self.value = value
            if let value, let i = items.firstIndex(of: value) { selected = i }
        }

        /// The query changed: the matching items, the first of them chosen.
        mutating func filter(_ matches: [PickerItem]) {
            items = matches
            // Open while typing, or to offer the wards when none is chosen yet.
            listOpen = !query.isEmpty || value == nil
            selected = 0
            if !query.isEmpty { value = matches.first }
            if query.isEmpty, let v = value, let i = items.firstIndex(of: v) { selected = i }
        }

        mutating func move(_ by: Int) {
            guard !items.isEmpty else { return }
            listOpen = true
            selected = max(0, min(items.count - 1, selected + by))
            value = items[selected]
        }
    }

    public var kind: Choice
    public var channel: Choice
    public var category: Choice
    public var ward: Choice
    public var texts: [Field: TextEditor]
    public var anonymous = false
    public var confidential = false
    public var focus: Field = .kind
    /// Fields left (or tried to be saved) at least once: their problems are shown.
    public var touched: Set<Field> = []
    /// The session's clock when the form opened: the default time of receipt, and the
    /// latest one accepted.
    public var now: Date
    /// Open cases of the ward that look like this petition (`Session.duplicateCandidates`).
    public var candidates: [DuplicateCandidate] = []
    /// The case this one will be merged into as a duplicate (`M-1`…), if any.
    public var duplicateOf: DuplicateCandidate?
    /// The ward it was found in (another ward chosen since: no longer a duplicate).
    public var duplicateWard: String?
    /// Answers to older requests are dropped.
    public var wardGeneration = 0
    public var duplicatesGeneration = 0
    /// The title and ward the candidates were asked for.
    public var duplicatesAsked: String?
    /// `C-s` was pressed and the store has not answered yet.
    public var saving = false

    public init(now: Date, lang: Lang, categories: [PaknCore.Category], ward: OrgUnit?) {
        self.now = now
        kind = Choice(all: CaseKind.allCases.map { PickerItem(id: $0.rawValue, label: $0.label(lang), detail: $0.rawValue) },
                      value: nil)
        kind.value = kind.items.first { $0.id == CaseKind.feedback.rawValue }
        kind.selected = kind.items.firstIndex { $0.id == CaseKind.feedback.rawValue } ?? 0
        // A hotline operator's form: the channel is the hotline unless changed.
        channel = Choice(all: Channel.allCases.map { PickerItem(id: $0.rawValue, label: $0.label(lang), detail: $0.rawValue) },
                         value: nil)
        channel.value = channel.items.first { $0.id == Channel.hotline.rawValue }
        channel.selected = channel.items.firstIndex { $0.id == Channel.hotline.rawValue } ?? 0
        category = Choice(all: categories.map { PickerItem(id: $0.code, label: $0.name(lang), detail: $0.code) }, value: nil)
        // A ward clerk takes in petitions about their own ward.
        self.ward = Choice(all: nil, value: ward.map(IntakeForm.wardItem))
        if let v = self.ward.value { self.ward.items = [v] }
        texts = [:]
        for f in Field.allCases where f.isText { texts[f] = TextEditor("", multiline: f == .body) }
        texts[.received] = TextEditor(IntakeForm.timeText(now), multiline: false)
    }

    /// A ward as the form lists it: its name, and its code beside it.
    public static func wardItem(_ u: OrgUnit) -> PickerItem { PickerItem(id: String(u.id), label: u.label, detail: u.code) }

    /// "2026-11-23 09:00", Vietnam time.
    public static func timeText(_ d: Date) -> String {
        let iso = ISO8601.format(d)
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5))
    }

    public func text(_ f: Field) -> String { texts[f]?.text ?? "" }

    public func choice(_ f: Field) -> Choice? {
        switch f {
        case .kind: kind
        case .channel: channel
        case .category: category
        case .ward: ward
        default: nil
        }
    }

    mutating func setChoice(_ f: Field, _ c: Choice) {
        switch f {
        case .kind: kind = c
        case .channel: channel = c
        case .category: category = c
        case .ward: ward = c
        default: break
        }
    }

    /// The fields Tab visits: the reporter's are skipped for an anonymous petition.
    public var order: [Field] { Field.allCases.filter { !(anonymous && $0.isReporter) } }

    /// Whether the reporter is protected: as ticked, and always for a kind the law protects
    /// (a denunciation), as the store decides.
    public var protected: Bool {
        confidential || (kind.value.flatMap { CaseKind(rawValue: $0.id) }?.alwaysConfidential ?? false)
    }

    /// Whether anything was typed or chosen beyond the defaults (Esc asks before it is lost).
    public var hasInput: Bool {
        Field.allCases.contains { f in f.isText && f != .received && !text(f).trimmingCharacters(in: .whitespaces).isEmpty }
            || category.value != nil || anonymous || confidential || duplicateOf != nil
    }

    // MARK: Validation

    /// Why a field cannot be taken as it is, or nil.
    public func problem(_ f: Field) -> Message? {
        let t = text(f).trimmingCharacters(in: .whitespacesAndNewlines)
        switch f {
        case .kind, .channel:
            return choice(f)?.value == nil ? Message("desk.intake.err.choice") : nil
        case .category:
            if category.value == nil {
                return category.query.isEmpty ? Message("desk.intake.err.category") : Message("desk.intake.err.no_match", category.query.text)
            }
        case .ward:
            if ward.value == nil && !ward.query.isEmpty { return Message("desk.intake.err.no_match", ward.query.text) }
        case .title:
            if t.isEmpty { return Message("desk.intake.err.required") }
            if t.count > CitizenText.maxLineFieldLength { return Message("desk.intake.err.too_long", CitizenText.maxLineFieldLength, t.count) }
        case .body:
            if t.isEmpty { return Message("desk.intake.err.required") }
            if t.count > CitizenText.maxBodyLength { return Message("desk.intake.err.too_long", CitizenText.maxBodyLength, t.count) }
        case .address, .name:
            if t.count > CitizenText.maxLineFieldLength { return Message("desk.intake.err.too_long", CitizenText.maxLineFieldLength, t.count) }
        case .phone:
            guard !t.isEmpty, !anonymous else { return nil }
            let digits = t.filter(\.isASCII).filter(\.isNumber).count
            let allowed = t.allSatisfy { ($0.isASCII && $0.isNumber) || " +.-()".contains($0) }
            if !allowed || !(8...15).contains(digits) { return Message("desk.intake.err.phone") }
        case .email:
            guard !t.isEmpty, !anonymous else { return nil }
            let parts = t.split(separator: "@", omittingEmptySubsequences: false)
            if parts.count != 2 || parts[0].isEmpty || !parts[1].contains(".") || parts[1].hasPrefix(".") || parts[1].hasSuffix(".")
                || t.contains(" ") {
                return Message("desk.intake.err.email")
            }
        case .nationalId:
            guard !t.isEmpty, !anonymous else { return nil }
            if !(t.allSatisfy { $0.isASCII && $0.isNumber } && (t.count == 9 || t.count == 12)) {
                return Message("desk.intake.err.national_id")
            }
        case .received:
            guard let d = receivedAt else { return Message("desk.intake.err.received") }
            if d > now { return Message("desk.intake.err.received_future", IntakeForm.timeText(now)) }
        case .anonymous, .confidential, .attachments:
            return nil
        }
        return nil
    }

    /// The time of receipt typed ("2026-11-23 09:00", or ISO 8601), Vietnam time.
    public var receivedAt: Date? {
        let t = text(.received).trimmingCharacters(in: .whitespaces)
        let parts = t.split(separator: " ", omittingEmptySubsequences: true)
        if parts.count == 2 { return ISO8601.parse(parts[0] + "T" + parts[1]) }
        return ISO8601.parse(t)
    }

    /// The fields with a problem, in Tab order.
    public var problems: [Field] { order.filter { problem($0) != nil } }

    /// The attachments typed, one path after another, separated by `;`.
    public var attachmentPaths: [String] {
        text(.attachments).split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// What the store is asked to take in (nil while a field has a problem).
    public var request: IntakeDraft? {
        guard problems.isEmpty, let kind = kind.value.flatMap({ CaseKind(rawValue: $0.id) }),
              let channel = channel.value.flatMap({ Channel(rawValue: $0.id) }), let category = category.value?.id else { return nil }
        func opt(_ f: Field) -> String? {
            let t = text(f).trimmingCharacters(in: .whitespacesAndNewlines)
            return t.isEmpty || anonymous ? nil : t
        }
        let reporter = Reporter(name: opt(.name), phone: opt(.phone), email: opt(.email), nationalId: opt(.nationalId),
                                anonymous: anonymous, confidential: protected && !anonymous)
        let address = text(.address).trimmingCharacters(in: .whitespaces)
        return IntakeDraft(title: text(.title).trimmingCharacters(in: .whitespaces), body: text(.body), kind: kind,
                           category: category, channel: channel, wardCode: ward.value?.detail,
                           address: address.isEmpty ? nil : address, reporter: reporter, receivedAt: receivedAt,
                           attachments: attachmentPaths.map { URL(fileURLWithPath: $0) }, duplicateOf: duplicateOf?.code)
    }
}

/// What became of a case taken in at the desk.
public struct IntakeOutcome: Equatable, Sendable {
    public var id: Int64
    public var code: String
    public var status: CaseStatus
    /// The unit it was routed to (nil: left for triage).
    public var routedTo: String?
    /// The case it was merged into.
    public var mergedInto: String?
    public init(id: Int64, code: String, status: CaseStatus, routedTo: String?, mergedInto: String?) {
        self.id = id; self.code = code; self.status = status; self.routedTo = routedTo; self.mergedInto = mergedInto
    }
}
