import Foundation
import PaknCore
@testable import PaknStore
@testable import PaknUI

/// In-memory data for pure update and view tests: no database.
enum DeskFixtures {
    static let now = ISO8601.parse("2026-11-23T09:00:00+07:00")!
    static let today = Day(now)

    /// The desk's official in most tests: a supervisor, who holds every workflow permission.
    static let me = Official(id: 7, login: "canbo.hoankiem.kt", fullName: "Nguyễn Văn Bình", unitId: 100, role: .supervisor)
    /// The same person as a handler (no route, assign, merge, rate, reopen).
    static let handler = Official(id: 7, login: "canbo.hoankiem.kt", fullName: "Nguyễn Văn Bình", unitId: 100, role: .handler)
    static let clerk = Official(id: 8, login: "vanthu.hoankiem", fullName: "Lê Thị Hoa", unitId: 10, role: .clerk)
    static let ward = OrgUnit(id: 10, code: "00070", name: "Phường Hoàn Kiếm", level: .commune, divisionType: "phường", parentId: 1)
    static let wards = [ward, OrgUnit(id: 11, code: "00073", name: "Phường Hoàn Kiếm Bắc", level: .commune, divisionType: "phường", parentId: 1),
                        OrgUnit(id: 12, code: "00082", name: "Phường Cửa Nam", level: .commune, divisionType: "phường", parentId: 1)]
    static let dept = OrgUnit(id: 100, code: "00070-KT", name: "Phòng Kinh tế, Hạ tầng và Đô thị", level: .department,
                              divisionType: "phòng", parentId: 10)

    /// Titles that stress width and safety: NFC and NFD Vietnamese, CJK, emoji, a control
    /// character and an escape sequence.
    static let titles = [
        "Rác thải tập kết sai nơi quy định trên phố Huế",
        "Đường Nguyễn Trãi ngập nước sau mưa".decomposedStringWithCanonicalMapping,
        "Hà Nội: đèn đường hỏng 路灯坏了 ở ngõ 12",
        "Tiếng ồn karaoke 🎤🎶 quá 22 giờ",
        "Bell\u{07} and \u{1B}[31mred\u{1B}[0m in a title",
        "Lấn chiếm vỉa hè làm nơi để xe",
    ]

    static func deadline(_ state: DueState, _ left: Int) -> DeadlineStatus {
        DeadlineStatus(state: state, dueDay: today.adding(left), daysLeft: left)
    }

    /// Row `i` of a synthetic queue, ordered by its cursor (urgency order: key grows with i).
    static func row(_ i: Int, state: DueState? = nil, status: CaseStatus = .inProgress) -> QueueRow {
        let states: [(DueState, Int)] = [(.overdue, -3), (.overdue, -1), (.dueSoon, 1), (.dueSoon, 2), (.ok, 5), (.ok, 9), (.paused, 4)]
        let (st, left) = state.map { s in states.first { $0.0 == s }! } ?? states[i % states.count]
        return QueueRow(id: Int64(i + 1), code: String(format: "HN-2026-%06d", i + 1), title: titles[i % titles.count],
                        kind: CaseKind.allCases[i % CaseKind.allCases.count], category: ["environment", "traffic", "land"][i % 3],
                        status: st == .paused ? .awaitingInfo : status,
                        unitName: dept.name, wardName: i % 4 == 0 ? nil : ward.name,
                        assigneeName: i % 5 == 0 ? nil : "Trần Văn Cường", receivedAt: now.addingTimeInterval(-Double(i) * 3600),
                        dueAt: now.addingTimeInterval(Double(i) * 60), deadline: deadline(st, left),
                        cursor: QueueCursor(key: Double(1000 + i), id: Int64(i + 1)))
    }

    static func rows(_ n: Int) -> [QueueRow] { (0..<n).map { row($0) } }

    static func detail(for r: QueueRow, status: CaseStatus? = nil, version: Int = 3, rule custom: DeadlineRule? = nil) -> CaseDetail {
        let st = status ?? r.status
        let c = Case(id: r.id, code: r.code, title: r.title,
                     body: "Kính gửi UBND phường.\nNgười dân phản ánh: \(r.title). Đề nghị xử lý dứt điểm.\n\u{1B}[2J xoá màn hình?",
                     kind: r.kind, category: r.category, channel: .hotline, wardId: ward.id, address: "45 phố Huế",
                     reporterId: 1, unitId: dept.id, assigneeId: me.id, status: st, receivedAt: r.receivedAt,
                     deadline: Deadline(ruleId: "feedback-2026", counting: .working, start: today.adding(-10), days: 15,
                                        extendedDays: 5, extensions: 1, pausedDays: 2),
                     dueAt: r.dueAt, version: version, updatedAt: now)
        let rule = DeadlineRule(id: "feedback-2026", kind: .feedback, effectiveFrom: Day(year: 2025, month: 7, day: 1)!,
                                counting: .working, days: 15, extensionDays: 5, maxExtensions: 1,
                                basis: "Quy chế tiếp nhận, xử lý phản ánh, kiến nghị của UBND Thành phố")
        let ev = Event(id: 1, draft: EventDraft(caseId: r.id, at: r.receivedAt, actorId: clerk.id, action: .intake,
                                                fromStatus: nil, toStatus: .received, note: nil), hash: "h1")
        let ev2 = Event(id: 2, draft: EventDraft(caseId: r.id, at: r.receivedAt.addingTimeInterval(600), actorId: clerk.id,
                                                 action: .route, fromStatus: .received, toStatus: .routed,
                                                 note: "Tự động chuyển theo bảng phân công"), hash: "h2")
        var d = CaseDetail(case: c, reporter: Reporter(id: 1, name: "T. T. B***", phone: "*******321"), reporterMasked: true,
                          ward: ward, unit: dept, assignee: me, rule: custom ?? rule, deadline: r.deadline,
                          attachments: [Attachment(id: 1, caseId: r.id, name: "anh-hien-truong.jpg", mediaType: "image/jpeg",
                                                   size: 245_000, sha256: "ab", addedAt: r.receivedAt)],
                          duplicates: [CaseRef(id: 99, code: "HN-2026-000099", title: "Rác phố Huế (trùng)", status: .merged)],
                          master: nil, history: [HistoryEntry(event: ev, actorName: clerk.fullName),
                                                 HistoryEntry(event: ev2, actorName: clerk.fullName)],
                          allowedActions: Workflow.offered(from: st))
        d.calendarWarning = r.calendarWarning
        return d
    }

    static let templates = [
        ReplyTemplate(id: "ack", lang: .vi, category: nil, kind: nil, title: "Thông báo tiếp nhận",
                      body: "UBND {ward} đã tiếp nhận phản ánh về việc: {title} (mã {code}) ngày {date}; giao {unit}."),
        ReplyTemplate(id: "env-reply", lang: .vi, category: "environment", kind: nil, title: "Trả lời về môi trường",
                      body: "Đã thu gom rác tại địa điểm phản ánh ({code})."),
        ReplyTemplate(id: "notice-ack", lang: .vi, category: nil, kind: nil, title: "Thông báo đã tiếp nhận",
                      body: "Ủy ban nhân dân {ward} đã tiếp nhận phản ánh mã {code}.", purpose: .acknowledgement),
        ReplyTemplate(id: "notice-ack", lang: .en, category: nil, kind: nil, title: "Acknowledgement",
                      body: "The People's Committee of {ward} has received report {code}.", purpose: .acknowledgement),
        ReplyTemplate(id: "ask", lang: .vi, category: nil, kind: nil, title: "Đề nghị bổ sung",
                      body: "Đề nghị ông/bà bổ sung ảnh hiện trường ({code}).", purpose: .requestInfo),
    ]

    static let categories = [
        PaknCore.Category(code: "environment", nameVi: "Môi trường, vệ sinh", nameEn: "Environment and sanitation"),
        PaknCore.Category(code: "traffic", nameVi: "Giao thông", nameEn: "Traffic and roads"),
        PaknCore.Category(code: "land", nameVi: "Đất đai", nameEn: "Land"),
        PaknCore.Category(code: "urban_order", nameVi: "Trật tự đô thị", nameEn: "Urban order"),
    ]
}

/// A pure stand-in for the store: answers effects from an in-memory, sorted list of rows,
/// with the same keyset semantics as `AppDatabase.queue`. Records what was asked.
final class FakeDesk {
    var state: DeskState
    var all: [QueueRow]
    var effects: [DeskEffect] = []
    var performed: [PerformRequest] = []
    /// Reveals asked for: the case and the reason given.
    var reveals: [(caseId: Int64, reason: String)] = []
    /// Make `perform` fail with this notice.
    var failWith: Notice?
    /// What the statistics screen's requests are answered with (by the request).
    var statsAnswer: ((StatsRequest) -> DeskMessage)?
    /// Make `perform` fail for these cases only, each with its notice.
    var failFor: [Int64: Notice] = [:]
    /// Drafts "on disk": what `loadDrafts` finds, kept up to date by `saveDrafts`/`deleteDrafts`.
    var disk: [DraftKey: SavedDraft] = [:]
    /// What the official's editor does to a draft (nil: no editor here).
    var editor: ((String) -> String)?
    /// What was put on the terminal's clipboard; nil: the terminal takes no copy.
    var clipboard: [String]? = []
    var detailStatus: [Int64: CaseStatus] = [:]
    /// The rule the loaded details carry (else the fixture's feedback rule).
    var detailRule: DeadlineRule?
    var versions: [Int64: Int] = [:]
    /// Cases taken in through the intake form.
    var takenIn: [IntakeDraft] = []

    /// Open rows of the ward whose titles share two words with `title` (as the store's
    /// `duplicateCandidates` decides, on the fixture's rows).
    func duplicates(_ title: String, _ wardId: Int64) -> [DuplicateCandidate] {
        guard wardId == DeskFixtures.ward.id else { return [] }
        let words = Set(VietnameseFold.words(title).filter { $0.count >= 2 })
        return all.filter { $0.wardName != nil && $0.status.isOpen }.compactMap { r -> DuplicateCandidate? in
            let shared = words.intersection(VietnameseFold.words(r.title)).count
            return shared >= 2 ? DuplicateCandidate(id: r.id, code: r.code, title: r.title, status: r.status, receivedAt: r.receivedAt,
                                                    shared: shared) : nil
        }.sorted { ($0.shared, $0.id) > ($1.shared, $1.id) }.prefix(5).map { $0 }
    }
    /// Whether the database is a training one (the tour may start), and the newest case then.
    var training = true
    var tourBaseline: Int64 = 0

    init(rows: [QueueRow], width: Int = 120, height: Int = 40, me: Official = DeskFixtures.me, view: QueueView = .mine,
         keyMap: KeyMap = .standard, lang: Lang = .vi, disk: [SavedDraft] = []) {
        all = rows
        for d in disk { self.disk[d.key] = d }
        state = DeskState(me: me, lang: lang, keyMap: keyMap, width: width, height: height, view: view)
        run(DeskUpdate.start(&state))
    }

    func send(_ k: Key) { handle(.key(k)) }
    func send(_ ks: [Key]) { ks.forEach(send) }
    func type(_ s: String) { s.forEach { send(.char($0)) } }

    func handle(_ m: DeskMessage) {
        let fx = DeskUpdate.update(&state, m)
        run(fx)
    }

    func run(_ fx: [DeskEffect]) {
        var pending = fx
        while !pending.isEmpty {
            let e = pending.removeFirst()
            effects.append(e)
            for m in answer(e) { pending += DeskUpdate.update(&state, m) }
        }
    }

    func filtered(_ spec: QueueSpec) -> [QueueRow] {
        let words = VietnameseFold.words(spec.text)
        if let one = spec.single { return all.filter { $0.id == one.id } }
        return all.filter { r in
            (spec.kind == nil || r.kind == spec.kind) && (spec.category == nil || r.category == spec.category)
                && words.allSatisfy { w in VietnameseFold.words(r.title + " " + r.code).contains { $0.hasPrefix(w) } }
        }
    }

    func answer(_ e: DeskEffect) -> [DeskMessage] {
        switch e {
        case .loadReference:
            // What a session would grant this official's role.
            let grants = Set(Permission.allCases.filter { Session.permissions.allows(state.me.role, $0) })
            // A ward clerk works in the ward; the others in its department.
            let unit = state.me.unitId == DeskFixtures.ward.id ? DeskFixtures.ward : DeskFixtures.dept
            return [.referenceLoaded(categories: DeskFixtures.categories, unit: unit, grants: grants)]
        case let .loadQueue(req):
            let rows = filtered(req.spec)
            func after(_ c: QueueCursor?) -> [QueueRow] {
                guard let c else { return Array(rows.prefix(req.limit)) }
                return Array(rows.filter { ($0.cursor.key, $0.cursor.id) > (c.key, c.id) }.prefix(req.limit))
            }
            func before(_ c: QueueCursor?, _ limit: Int) -> [QueueRow] {
                guard let c else { return Array(rows.suffix(limit)) }
                return Array(rows.filter { ($0.cursor.key, $0.cursor.id) < (c.key, c.id) }.suffix(limit))
            }
            switch req.placement {
            case .first: return [.queueLoaded(QueuePage(request: req, before: [], rows: after(nil), found: true))]
            case .last: return [.queueLoaded(QueuePage(request: req, before: before(nil, req.limit), rows: [], found: true))]
            case let .append(c): return [.queueLoaded(QueuePage(request: req, before: [], rows: after(c), found: true))]
            case let .prepend(c): return [.queueLoaded(QueuePage(request: req, before: before(c, req.limit), rows: [], found: true))]
            case let .around(id, anchor):
                let lim = DeskUpdate.aroundBefore(req.limit)
                if let r = rows.first(where: { $0.id == id }) {
                    let from = QueueCursor(key: r.cursor.key, id: r.cursor.id - 1)
                    return [.queueLoaded(QueuePage(request: req, before: before(r.cursor, lim), rows: after(from), found: true))]
                }
                guard let anchor else { return [.queueLoaded(QueuePage(request: req, before: [], rows: after(nil), found: false))] }
                let b = before(QueueCursor(key: anchor.key, id: anchor.id + 1), lim)
                return [.queueLoaded(QueuePage(request: req, before: b, rows: after(anchor), found: false))]
            }
        case .loadCounts:
            return [.countsLoaded(QueueCounts(open: all.count, dueSoon: 2, overdue: 3))]
        case let .countQueue(req):
            let rows = filtered(req.spec)
            let before = req.before.map { c in rows.filter { ($0.cursor.key, $0.cursor.id) < (c.key, c.id) }.count }
            return [.queueCounted(QueueCount(request: req, total: rows.count, before: before))]
        case .loadGroups:
            return [.groupsLoaded([UnitCount(unit: DeskFixtures.dept, count: 3), UnitCount(unit: DeskFixtures.ward, count: 1)])]
        case let .loadDetail(id):
            guard let r = all.first(where: { $0.id == id }) else { return [] }
            var d = DeskFixtures.detail(for: r, status: detailStatus[id], version: versions[id] ?? 3, rule: detailRule)
            // As a session answers: what the state allows that the official's role permits.
            d.allowedActions = d.allowedActions.filter { Session.permissions.allows(state.me.role, Permission.required(for: $0)) }
            return [.detailLoaded(d, templates: DeskFixtures.templates)]
        case let .searchOfficials(text, _, gen):
            let people = [("1", "Nguyễn Văn An"), ("2", "Trần Thị Đường"), ("3", "Phạm Hà Nội"), ("4", "Lê Minh")]
            let items = people.map { PickerItem(id: $0.0, label: $0.1) }
            return [.pickerLoaded(generation: gen, items: DeskUpdate.filterLocal(items, text))]
        case let .searchUnits(text, _, _, gen):
            let units = [("100", "Phòng Kinh tế, Hạ tầng và Đô thị"), ("101", "Phòng Văn hóa - Xã hội"), ("10", "Phường Hoàn Kiếm")]
            let items = units.map { PickerItem(id: $0.0, label: $0.1) }
            return [.pickerLoaded(generation: gen, items: DeskUpdate.filterLocal(items, text))]
        case let .resolveCase(code, purpose):
            guard let r = all.first(where: { $0.code == code.uppercased() }) else {
                return [.failed(Notice(StoreError.unknownCase(code)))]
            }
            return [.caseResolved(DeskFixtures.detail(for: r).case, purpose: purpose)]
        case let .perform(reqs, draft):
            performed += reqs
            return [.performed(reqs.map { r in
                let error = failWith ?? failFor[r.caseId]
                return PerformOutcome(caseId: r.caseId, code: r.code, action: r.action.name,
                                      updated: error == nil ? DeskFixtures.detail(for: all.first { $0.id == r.caseId }!).case : nil,
                                      error: error)
            }, draft: draft)]
        case let .reveal(caseId, _, reason):
            reveals.append((caseId, reason))
            if let failWith { return [.failed(failWith)] }
            return [.revealed(caseId: caseId, Reporter(id: 1, name: "Trần Thị Bình", phone: "0987654321"))]
        case let .loadStats(req):
            return statsAnswer.map { [$0(req)] } ?? []
        case .loadDrafts:
            return disk.isEmpty ? [] : [.draftsRestored(disk.values.sorted { $0.caseId < $1.caseId })]
        case let .saveDrafts(list):
            for d in list { disk[d.key] = d }
            return []
        case let .deleteDrafts(keys):
            for k in keys { disk[k] = nil }
            return []
        case let .editExternally(key, text):
            guard let editor else { return [.failed(.error("desk.editor.none"))] }
            return [.editedExternally(key, text: editor(text))]
        case let .copy(text, code, summary):
            clipboard?.append(text)
            return [.copied(code: code, summary: summary, ok: clipboard != nil)]
        case .beginIntake:
            return [.intakeOpened(now: DeskFixtures.now)]
        case let .intakeWards(text, _, gen):
            let items = DeskFixtures.wards.map(IntakeForm.wardItem)
            return [.intakeWardsLoaded(generation: gen, items: DeskUpdate.filterLocal(items, text))]
        case let .intakeDuplicates(title, wardId, gen):
            return [.intakeDuplicatesLoaded(generation: gen, duplicates(title, wardId))]
        case let .takeIn(req):
            takenIn.append(req)
            if let failWith { return [.intakeFailed(failWith)] }
            let code = String(format: "HN-2026-%06d", 900 + takenIn.count)
            return [.takenIn(IntakeOutcome(id: Int64(900 + takenIn.count), code: code, status: req.duplicateOf == nil ? .routed : .merged,
                                           routedTo: req.duplicateOf == nil ? DeskFixtures.dept.label : nil,
                                           mergedInto: req.duplicateOf))]
        case .startTour:
            return training ? [.tourStarted(baseline: tourBaseline)] : [.failed(.error("tour.not_training"))]
        case let .tourLook(baseline):
            guard let r = all.filter({ $0.id > baseline }).min(by: { $0.id < $1.id }) else { return [] }
            return [.tourCaseFound(CaseRef(id: r.id, code: r.code, title: r.title, status: r.status))]
        case .quit:
            return []
        }
    }

    var grid: Grid { DeskView.render(state) }
    var screen: String { grid.text }
}
