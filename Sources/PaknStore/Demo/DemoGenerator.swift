import Foundation
import GRDB
import PaknCore

/// Options of a training database.
public struct DemoOptions: Sendable {
    public var cases: Int
    public var seed: UInt64
    /// "Today" of the demo; cases are spread over the 90 days before it.
    public var now: Date
    /// The OS account that will open the desk; added as the city's trainer.
    public var login: String
    public var fullName: String

    public init(cases: Int = 2000, seed: UInt64 = 1, now: Date, login: String, fullName: String? = nil) {
        self.cases = cases; self.seed = seed; self.now = now; self.login = login
        self.fullName = fullName ?? "Tập huấn viên (\(login))"
    }
}

/// Builds a realistic training database: Hà Nội with its real wards and departments,
/// about forty officials in every role, and cases in every state and kind whose history
/// was made by the real workflow, so every event, deadline and hash is genuine.
public enum DemoGenerator {
    /// Wards of Hà Nội that get a full staff: short name used in logins, statistics code.
    public static let staffedWards: [(short: String, code: String)] = [
        ("hoankiem", "00070"), ("badinh", "00004"), ("dongda", "00235"),
        ("hoangmai", "00319"), ("caugiay", "00167"), ("tayho", "00103"),
    ]
    public static let cityCode = "01"

    public static func create(path: String, options o: DemoOptions,
                              progress: ((Int, Int) -> Void)? = nil) throws -> AppDatabase {
        if FileManager.default.fileExists(atPath: path) {
            throw StoreError.invalidValue(field: "--db", value: path + " (exists)")
        }
        let corpus = try DemoCorpus.load()
        let db = try AppDatabase(path: path, create: true)
        do {
            var staff = try db.write { d in try setUp(d, options: o) }
            let ref = try db.reference()
            var rng = SeededRandom(seed: o.seed)
            let span: TimeInterval = 90 * 86400
            let times = (0..<o.cases).map { _ in o.now.addingTimeInterval(-Double.random(in: 600..<span, using: &rng)) }.sorted()
            var done = 0
            while done < o.cases {
                let batch = min(2000, o.cases - done)
                try db.write { d in
                    for i in done..<(done + batch) {
                        try makeCase(d, at: times[i], corpus: corpus, staff: &staff, ref: ref, now: o.now, rng: &rng)
                    }
                }
                done += batch
                progress?(done, o.cases)
            }
        } catch {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            throw error
        }
        return db
    }

    /// The people and places cases are made with.
    struct Staff {
        var trainer: Official
        var cityHandlers: [Official]
        var wards: [(ward: OrgUnit, clerk: Official, supervisor: Official, handlers: [Official])]
        var otherWards: [OrgUnit]
        /// Earlier cases by (ward, category), for merging duplicates.
        var recent: [String: [Int64]] = [:]
    }

    static func setUp(_ d: Database, options o: DemoOptions) throws -> Staff {
        try Setup.installReference(d)
        try AppDatabase.setSetting(d, "training", "1")
        try AppDatabase.setSetting(d, "case_prefix", "HN")
        try AppDatabase.setSetting(d, "home_unit", cityCode)
        guard let city = try UnitQueries.unit(d, code: cityCode) else { throw StoreError.unknownUnit(cityCode) }
        var rng = SeededRandom(seed: o.seed ^ 0xDE40)
        let corpus = try DemoCorpus.load()
        func add(_ login: String, _ unitCode: String, _ role: Role, _ name: String? = nil) throws -> Official {
            guard let u = try UnitQueries.unit(d, code: unitCode) else { throw StoreError.unknownUnit(unitCode) }
            return try OfficialStore.insert(d, login: login, fullName: name ?? corpus.personName(&rng), unitId: u.id, role: role)
        }
        let trainer = try add(o.login, cityCode, .trainer, o.fullName)
        if o.login != "taphuan" { _ = try add("taphuan", cityCode, .trainer) }
        _ = try add("admin", cityCode, .admin)
        _ = try add("lanhdao.hanoi", cityCode, .supervisor)
        _ = try add("xem.hanoi", cityCode, .viewer)
        let cityHandlers = [
            try add("thanhtra.hanoi", "\(cityCode)-TT", .handler),
            try add("congan.hanoi", "\(cityCode)-CA", .handler),
            try add("xaydung.hanoi", "\(cityCode)-SXD", .handler),
            try add("tiepdan.hanoi", "\(cityCode)-BTCD", .clerk),
        ]
        var wards: [(OrgUnit, Official, Official, [Official])] = []
        for (short, code) in staffedWards {
            guard let ward = try UnitQueries.unit(d, code: code) else { throw StoreError.unknownUnit(code) }
            let clerk = try add("vanthu.\(short)", code, .clerk)
            let sup = try add("lanhdao.\(short)", code, .supervisor)
            let handlers = try ["kt", "vhxh", "ca", "vp"].map { try add("canbo.\(short).\($0)", "\(code)-\($0.uppercased())", .handler) }
            wards.append((ward, clerk, sup, handlers))
        }
        let others = try Row.fetchAll(d, sql: "SELECT \(UnitQueries.columns) FROM unit WHERE parent_id = ? AND level = 'commune' ORDER BY code",
                                      arguments: [city.id]).map(UnitQueries.unit(from:))
            .filter { u in !staffedWards.contains { $0.code == u.code } }
        return Staff(trainer: trainer, cityHandlers: cityHandlers, wards: wards, otherWards: others)
    }

    static let kinds: [(CaseKind, Double)] = [(.feedback, 70), (.complaint, 10), (.complaint2, 3), (.denunciation, 5), (.voterPetition, 12)]
    static let channels: [(Channel, Double)] = [(.hotline, 25), (.web, 20), (.app, 25), (.walkIn, 10), (.letter, 6),
                                                 (.voterMeeting, 5), (.email, 5), (.social, 4)]
    enum Target { case received, routed, assigned, inProgress, awaiting, resolved, closed, rejected, merged }

    static func makeCase(_ d: Database, at received: Date, corpus: DemoCorpus, staff: inout Staff, ref: ReferenceData,
                         now: Date, rng: inout SeededRandom) throws {
        let staffed = rng.chance(0.8)
        let wardIndex = staffed ? rng.int(0...(staff.wards.count - 1)) : nil
        let ward = wardIndex.map { staff.wards[$0].ward } ?? rng.pick(staff.otherWards)
        var kind = rng.weighted(kinds)
        let categories = ref.categories.map(\.code).filter { corpus.cases[$0] != nil }
        let category = rng.pick(categories.isEmpty ? ref.categories.map(\.code) : categories)
        if kind == .voterPetition && rng.chance(0.5) { kind = .feedback }
        let channel = kind == .voterPetition ? .voterMeeting : rng.weighted(channels)
        let template = rng.pick(corpus.cases[category] ?? corpus.cases.values.first ?? [])
        let anonymous = kind == .feedback && rng.chance(0.15)
        let reporter = anonymous ? Reporter(anonymous: true)
            : Reporter(name: corpus.personName(&rng), phone: "09" + String(format: "%08d", rng.int(0...99_999_999)),
                       address: "\(rng.int(1...200)) \(rng.pick(corpus.streets))", confidential: kind == .denunciation)
        let age = now.timeIntervalSince(received) / 86400
        let target = pickTarget(age: age, staffed: wardIndex != nil, rng: &rng)
        let clerk = wardIndex.map { staff.wards[$0].clerk } ?? staff.trainer
        let draft = IntakeDraft(
            title: corpus.fill(template.title, &rng), body: corpus.fill(template.body, &rng), kind: kind, category: category,
            channel: channel, wardCode: ward.code, address: "\(rng.int(1...300)) \(rng.pick(corpus.streets))",
            reporter: reporter, complex: rng.chance(0.1), receivedAt: received,
            routing: target == .received || (target == .rejected && rng.chance(0.5)) ? .none : .auto)
        var c = try CaseWriter.intake(d, draft, ref: ref, by: clerk, at: received)
        var t = received
        func step(_ a: Action, by who: Official) throws {
            t = min(now.addingTimeInterval(-60), t.addingTimeInterval(Double(rng.int(1800...(2 * 86400)))))
            c = try CaseWriter.apply(d, a, to: c, ref: ref, by: who, at: t)
        }
        let key = "\(ward.id)/\(category)"
        defer { staff.recent[key, default: []].append(c.id); if staff.recent[key]!.count > 5 { staff.recent[key]!.removeFirst() } }

        switch target {
        case .received: return
        case .rejected:
            try step(.reject(reason: rng.pick(["Không thuộc thẩm quyền giải quyết của đơn vị.",
                                               "Nội dung đã được giải quyết tại hồ sơ trước.",
                                               "Đơn không ký tên, không rõ nội dung."])), by: clerk)
            return
        case .merged:
            if let master = staff.recent[key]?.last {
                try step(.merge(masterId: master), by: clerk)
                try d.execute(sql: "INSERT OR IGNORE INTO case_link(case_id, other_id, kind) VALUES (?, ?, 'duplicate')", arguments: [master, c.id])
            }
            return
        default: break
        }
        guard c.status == .routed, let unitId = c.unitId else { return }
        if target == .routed { return }
        let office = try CaseService.owningOffice(d, unitId)
        let candidates = try OfficialStore.search(d, text: "", withinUnit: office.id, limit: 100).filter { $0.role == .handler }
        let sameUnit = candidates.filter { $0.unitId == unitId }
        guard let handler = sameUnit.first ?? candidates.first.map({ _ in rng.pick(candidates) }) else { return }
        let assigner = office.level == .province ? staff.trainer : clerk
        try step(.assign(officialId: handler.id), by: assigner)
        if target == .assigned { return }
        try step(.start, by: handler)
        if kind == .denunciation && rng.chance(0.4) { try step(.extend(reason: "Vụ việc phức tạp, cần xác minh thêm."), by: handler) }
        if target == .awaiting || rng.chance(0.15) {
            try step(.wait(request: "Đề nghị công dân bổ sung hình ảnh, giấy tờ liên quan."), by: handler)
            if target == .awaiting { return }
            try step(.resume(note: "Công dân đã bổ sung thông tin."), by: handler)
        }
        if target == .inProgress { return }
        let templates = try Row.fetchAll(d, sql: "SELECT body FROM reply_template WHERE lang = 'vi' AND (category = ? OR id = 'closed') AND (id LIKE '%-reply' OR id = 'closed')",
                                         arguments: [category]).map { $0["body"] as String }
        let reply = (templates.isEmpty ? "Đơn vị đã kiểm tra và xử lý nội dung phản ánh." : rng.pick(templates))
            .replacingOccurrences(of: "{code}", with: c.code).replacingOccurrences(of: "{title}", with: c.title)
            .replacingOccurrences(of: "{unit}", with: office.name).replacingOccurrences(of: "{ward}", with: ward.name)
            .replacingOccurrences(of: "{date}", with: Day(c.receivedAt).vietnamese)
        try step(.reply(text: reply), by: handler)
        if target == .resolved { return }
        try step(.close, by: assigner)
        if rng.chance(0.7) {
            let score = rng.weighted([(5, 40.0), (4, 30), (3, 15), (2, 10), (1, 5)])
            let reasons: [RatingReason] = score >= 4 ? [.satisfied] : [rng.pick([.vagueAnswer, .noProofOfWork, .late, .notResolved])]
            try step(.rate(Rating(score: score, reasons: reasons)), by: clerk)
        }
    }

    /// Older cases are more likely finished; recent ones are mostly still open.
    static func pickTarget(age: Double, staffed: Bool, rng: inout SeededRandom) -> Target {
        if !staffed { return rng.weighted([(.received, 40), (.routed, 55), (.rejected, 5)]) }
        if age < 3 {
            return rng.weighted([(.received, 30), (.routed, 25), (.assigned, 20), (.inProgress, 20), (.rejected, 3), (.merged, 2)])
        }
        let doneWeight = age > 20 ? 75.0 : 35.0
        return rng.weighted([(.received, 4), (.routed, 6), (.assigned, 8), (.inProgress, 12), (.awaiting, 6),
                             (.resolved, doneWeight * 0.25), (.closed, doneWeight * 0.6), (.rejected, doneWeight * 0.08),
                             (.merged, doneWeight * 0.07)])
    }
}
