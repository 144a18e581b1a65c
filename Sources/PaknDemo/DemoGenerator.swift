import Foundation
import GRDB
import PaknCore
import PaknStore

/// Options of a training database.
public struct DemoOptions: Sendable {
    public var cases: Int
    public var seed: UInt64
    /// "Today" of the demo; cases are spread over the 90 days before it.
    public var now: Date
    /// The OS account that will open the desk; added as the city's trainer.
    public var login: String
    public var fullName: String
    /// Cases are written in transactions of this many.
    public var batch: Int
    /// Writes each case once in its final state (`BulkCaseWriter`) rather than one
    /// workflow step at a time. The two give the same rows; the first is many times faster.
    var bulk = true
    /// Drop the indexes during the load and build them at the end (default: from 5,000 cases).
    var deferIndexes: Bool?

    public init(cases: Int = 2000, seed: UInt64 = 1, now: Date, login: String, fullName: String? = nil, batch: Int = 5000) {
        self.cases = cases; self.seed = seed; self.now = now; self.login = login
        self.fullName = fullName ?? "Tập huấn viên (\(login))"
        self.batch = max(1, batch)
    }

    /// Cases are spread over the days before `now`: 90 days for a training database,
    /// longer for a large one (about 1,000 cases a day, as a big city receives), so that a
    /// million cases hold years of history and a realistic backlog rather than a million
    /// open cases.
    public var spanDays: Int { max(90, cases / 1000) }
}

/// What the generator reports while it works.
public enum DemoProgress: Sendable {
    /// Cases written so far, of the total.
    case cases(Int, Int)
    /// Indexes and counters rebuilt after the load: steps done, of the total.
    case indexes(Int, Int)
}

/// Timings of a generation, for `pakn bench`.
public struct DemoTimings: Sendable {
    /// Seconds spent writing cases (rows, events, search entries) and rebuilding indexes,
    /// counters and statistics: the bulk load proper, without the simulation.
    public var writeSeconds: Double = 0
    /// Seconds spent in the index rebuild alone (part of `writeSeconds`).
    public var indexSeconds: Double = 0
    /// Seconds of the whole generation.
    public var totalSeconds: Double = 0
    public var events = 0
}

/// Receives the rows of every generated case as they are written (the benchmark's
/// plain-SQLite baseline writes the same rows to a bare table).
public protocol DemoRowSink: AnyObject {
    func write(caseRow: [DatabaseValue], reporterRow: [DatabaseValue]?, eventRows: [[DatabaseValue]]) throws
    func commit() throws
}

/// Builds a realistic training database: Hà Nội with its real wards and departments,
/// about forty officials in every role, and cases in every state and kind whose history
/// was made by the real workflow, so every event, deadline and hash is genuine.
public enum DemoGenerator {
    /// Wards of Hà Nội that get a full staff: short name used in logins, statistics code.
    public static let staffedWards: [(short: String, code: String)] = [
        ("hoankiem", "00070"), ("badinh", "00004"), ("dongda", "00235"),
        ("hoangmai", "00331"), ("caugiay", "00166"), ("tayho", "00103"),
    ]
    public static let cityCode = "01"

    public static func create(path: String, options o: DemoOptions,
                              progress: ((Int, Int) -> Void)? = nil) throws -> AppDatabase {
        try create(path: path, options: o, rowSink: nil) { p in
            if case let .cases(done, total) = p { progress?(done, total) }
        }.db
    }

    /// Builds the database, reporting progress and how long the writes took.
    public static func create(path: String, options o: DemoOptions, rowSink: DemoRowSink?,
                              progress: ((DemoProgress) -> Void)?) throws -> (db: AppDatabase, timings: DemoTimings) {
        if FileManager.default.fileExists(atPath: path) {
            throw StoreError.invalidValue(field: "--db", value: path + " (exists)")
        }
        let start = Date()
        var timings = DemoTimings()
        let corpus = try DemoCorpus.load()
        // Built under a temporary name, named only when complete (`FreshFile`).
        let staging = FreshFile.staging(for: path)
        let db = try AppDatabase(path: staging, create: true)
        do {
            var staff = try db.write { d in try setUp(d, options: o) }
            let ref = try db.reference()
            var rng = SeededRandom(seed: o.seed)
            let span = TimeInterval(o.spanDays) * 86400
            let times = (0..<o.cases).map { _ in o.now.addingTimeInterval(-Double.random(in: 600..<span, using: &rng)) }.sorted()
            // A large load into this new database: bigger cache, no fsync until the end
            // (a failure deletes the file), indexes built once at the end.
            let large = o.bulk && (o.deferIndexes ?? (o.cases >= 5_000))
            try db.pool.writeWithoutTransaction { d in
                try d.execute(sql: "PRAGMA synchronous = OFF; PRAGMA cache_size = -131072")
                if large {
                    try BulkCaseWriter.dropIndexes(d)
                    try BulkCaseWriter.searchBuffer(d, large: true)
                }
            }
            let writer = try db.read { d in try BulkCaseWriter(d, ref: ref) }
            var done = 0
            while done < o.cases {
                let batch = min(o.batch, o.cases - done)
                try db.write { d in
                    var sink: DemoCaseSink = o.bulk
                        ? BulkSink(db: d, writer: writer, rows: rowSink, timings: timings)
                        : StepSink(db: d, ref: ref)
                    for i in done..<(done + batch) {
                        try makeCase(d, sink: &sink, at: times[i], corpus: corpus, staff: &staff, ref: ref, now: o.now, rng: &rng)
                    }
                    if let bulk = sink as? BulkSink {
                        try bulk.flush()
                        let t0 = Date()
                        try writer.finish(d)
                        timings = bulk.timings
                        timings.writeSeconds += Date().timeIntervalSince(t0)
                    }
                }
                try rowSink?.commit()
                done += batch
                progress?(.cases(done, o.cases))
            }
            try db.pool.writeWithoutTransaction { d in
                if large {
                    let t0 = Date()
                    try d.inTransaction {
                        try BulkCaseWriter.rebuildIndexes(d) { progress?(.indexes($0, $1)) }
                        try BulkCaseWriter.searchBuffer(d, large: false)
                        return .commit
                    }
                    timings.indexSeconds = Date().timeIntervalSince(t0)
                    timings.writeSeconds += timings.indexSeconds
                } else if o.cases >= 1000 {
                    try BulkCaseWriter.analyze(d)
                }
                try d.execute(sql: "PRAGMA synchronous = FULL; PRAGMA cache_size = -2000")
                try d.checkpoint(.truncate)
            }
            timings.events = writer.eventsWritten
        } catch {
            try? db.pool.close()
            FreshFile.remove(staging)
            throw error
        }
        let named = try FreshFile.publish(db, staging: staging, to: path)
        timings.totalSeconds = Date().timeIntervalSince(start)
        return (named, timings)
    }

    /// The people and places cases are made with.
    struct Staff {
        var trainer: Official
        var cityHandlers: [Official]
        var wards: [(ward: OrgUnit, clerk: Official, supervisor: Official, handlers: [Official])]
        var otherWards: [OrgUnit]
        /// Earlier cases by (ward, category), for merging duplicates.
        var recent: [String: [Int64]] = [:]
        /// Looked up once: the office owning a unit, the officials of an office, the reply
        /// templates of a category.
        var offices: [Int64: OrgUnit] = [:]
        var officials: [Int64: [Official]] = [:]
        var replies: [String: [String]] = [:]

        mutating func office(_ d: Database, _ unitId: Int64) throws -> OrgUnit {
            if let o = offices[unitId] { return o }
            let o = try CaseService.owningOffice(d, unitId)
            offices[unitId] = o
            return o
        }

        mutating func officials(_ d: Database, within office: Int64) throws -> [Official] {
            if let list = officials[office] { return list }
            let list = try OfficialStore.search(d, text: "", withinUnit: office, limit: 100)
            officials[office] = list
            return list
        }

        mutating func replies(_ d: Database, category: String) throws -> [String] {
            if let list = replies[category] { return list }
            let list = try Row.fetchAll(d, sql: """
                SELECT body FROM reply_template WHERE lang = 'vi' AND (category = ? OR id = 'closed') AND (id LIKE '%-reply' OR id = 'closed')
                """, arguments: [category]).map { $0["body"] as String }
            replies[category] = list
            return list
        }
    }

    static func setUp(_ d: Database, options o: DemoOptions) throws -> Staff {
        try Setup.installReference(d, at: o.now)
        try AppDatabase.setSetting(d, "training", "1")
        // The class's "today": every session runs at it unless `--now` says otherwise.
        try AppDatabase.setSetting(d, AppDatabase.trainingClockKey, ISO8601.format(o.now))
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
        try Facts.baseline(d, login: Facts.initLogin, at: o.now, note: "demo \(cityCode)")
        return Staff(trainer: trainer, cityHandlers: cityHandlers, wards: wards, otherWards: others)
    }

    static let kinds: [(CaseKind, Double)] = [(.feedback, 70), (.complaint, 10), (.complaint2, 3), (.denunciation, 5), (.voterPetition, 12)]
    static let channels: [(Channel, Double)] = [(.hotline, 25), (.web, 20), (.app, 25), (.walkIn, 10), (.letter, 6),
                                                 (.voterMeeting, 5), (.email, 5), (.social, 4)]
    static let channelsAfterHours: [(Channel, Double)] = channels.filter { ![.walkIn, .letter, .voterMeeting].contains($0.0) }
    enum Target { case received, routed, assigned, inProgress, awaiting, resolved, closed, rejected, merged }

    /// 7:30–17:00 Vietnam time on a working day.
    static func officeHours(_ at: Date, _ calendar: WorkingCalendar) -> Bool {
        let secondsIntoDay = Int((at.timeIntervalSince1970 + 7 * 3600).truncatingRemainder(dividingBy: 86400))
        return calendar.isWorkingDay(Day(at)) && (27_000..<61_200).contains(secondsIntoDay)
    }

    static func makeCase(_ d: Database, sink: inout DemoCaseSink, at received: Date, corpus: DemoCorpus, staff: inout Staff,
                         ref: ReferenceData, now: Date, rng: inout SeededRandom) throws {
        try simulate(d, sink: &sink, at: received, corpus: corpus, staff: &staff, ref: ref, now: now, rng: &rng)
        try sink.finishCase()
    }

    /// One case's life: intake, then the steps that bring it to a state fitting its age.
    static func simulate(_ d: Database, sink: inout DemoCaseSink, at received: Date, corpus: DemoCorpus, staff: inout Staff,
                         ref: ReferenceData, now: Date, rng: inout SeededRandom) throws {
        let staffed = rng.chance(0.93)
        let wardIndex = staffed ? rng.int(0...(staff.wards.count - 1)) : nil
        let ward = wardIndex.map { staff.wards[$0].ward } ?? rng.pick(staff.otherWards)
        var kind = rng.weighted(kinds)
        let categories = ref.categories.map(\.code).filter { corpus.cases[$0] != nil }
        let category = rng.pick(categories.isEmpty ? ref.categories.map(\.code) : categories)
        if kind == .voterPetition && rng.chance(0.5) { kind = .feedback }
        // Walk-ins, letters and voter meetings reach the ward in office hours on working days;
        // at night and on days off cases come by phone, web, app, e-mail or social media.
        let inOffice = officeHours(received, ref.calendar)
        if kind == .voterPetition && !inOffice { kind = .feedback }
        let channel = kind == .voterPetition ? .voterMeeting : rng.weighted(inOffice ? channels : channelsAfterHours)
        let template = rng.pick(corpus.cases[category] ?? corpus.cases.values.first ?? [])
        let anonymous = kind == .feedback && rng.chance(0.15)
        let reporter = anonymous ? Reporter(anonymous: true)
            : Reporter(name: corpus.personName(&rng), phone: "09" + String(format: "%08d", rng.int(0...99_999_999)),
                       address: "\(rng.int(1...200)) \(rng.pick(corpus.streets))", confidential: kind == .denunciation)
        let age = now.timeIntervalSince(received) / 86400
        let target = pickTarget(age: age, staffed: wardIndex != nil, rng: &rng)
        let clerk = wardIndex.map { staff.wards[$0].clerk } ?? staff.trainer
        let draft = IntakeDraft(
            title: corpus.fill(template.title, ward: ward.code, &rng), body: corpus.fill(template.body, ward: ward.code, &rng),
            kind: kind, category: category,
            channel: channel, wardCode: ward.code, address: "\(rng.int(1...300)) \(corpus.street(inWard: ward.code, &rng))",
            reporter: reporter, complex: rng.chance(0.1), receivedAt: received,
            routing: target == .received || (target == .rejected && rng.chance(0.5)) ? .none : .auto)
        var c = try sink.intake(draft, by: clerk, at: received)
        var t = received
        func step(_ a: Action, by who: Official) throws {
            t = min(now.addingTimeInterval(-60), t.addingTimeInterval(Double(rng.int(1800...(2 * 86400)))))
            c = try sink.apply(a, to: c, by: who, at: t)
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
                try sink.link(master: master, duplicate: c.id)
            }
            return
        default: break
        }
        guard c.status == .routed, let unitId = c.unitId else { return }
        if target == .routed { return }
        let office = try staff.office(d, unitId)
        let candidates = try staff.officials(d, within: office.id).filter { $0.role == .handler }
        let sameUnit = candidates.filter { $0.unitId == unitId }
        guard let handler = sameUnit.first ?? candidates.first.map({ _ in rng.pick(candidates) }) else { return }
        let assigner = office.level == .province ? staff.trainer : clerk
        try step(.assign(officialId: handler.id), by: assigner)
        if target == .assigned { return }
        // Complaints and denunciations are accepted (thụ lý) before they are worked on.
        if c.deadline.awaitingAcceptance { try step(.accept(note: nil), by: handler) }
        try step(.start, by: handler)
        if kind == .denunciation && rng.chance(0.4) {
            // The law extends only a case found complex (Law on Denunciations art. 30).
            if c.complexity == 0 { try step(.markComplex(level: 1, reason: "Vụ việc phức tạp, cần xác minh tại nhiều nơi."), by: handler) }
            try step(.extend(reason: "Vụ việc phức tạp, cần xác minh thêm."), by: handler)
        }
        let pause = ref.rulebook.rule(id: c.deadline.ruleId)?.pause ?? .awaitingInfo
        if pause != .none, target == .awaiting || rng.chance(0.15) {
            if pause == .suspension, let ground = ref.rulebook.rule(id: c.deadline.ruleId)?.suspensionGrounds.first {
                try step(.wait(request: "", suspension: Suspension(decision: "\(rng.int(10...99))/QĐ-TĐC", ground: ground.code)), by: handler)
            } else {
                try step(.wait(request: "Đề nghị công dân bổ sung hình ảnh, giấy tờ liên quan."), by: handler)
            }
            if target == .awaiting { return }
            try step(.resume(note: "Công dân đã bổ sung thông tin."), by: handler)
        }
        if target == .inProgress { return }
        let templates = try staff.replies(d, category: category)
        let reply = (templates.isEmpty ? "Đơn vị đã kiểm tra và xử lý nội dung phản ánh." : rng.pick(templates))
            .replacingOccurrences(of: "{code}", with: c.code).replacingOccurrences(of: "{title}", with: c.title)
            .replacingOccurrences(of: "{unit}", with: office.name).replacingOccurrences(of: "{ward}", with: ward.name)
            .replacingOccurrences(of: "{date}", with: Day(c.receivedAt).vietnamese)
        // Not every answer is on time: HCMC's 1022 reports 97.4% answered within the
        // deadline, and a supervisor's figures need the late few to mean anything. About one
        // case in twenty (one complaint or denunciation in eight) is answered after its due
        // day, when that day has passed. Picked from the case's id, so the generator's random
        // sequence, and every other case, stay as they were.
        let latePercent: UInt64 = kind == .complaint || kind == .denunciation ? 12 : 5
        if ((UInt64(bitPattern: c.id) &* 0x9E37_79B9_7F4A_7C15) >> 40) % 100 < latePercent {
            let late = c.dueAt.addingTimeInterval(Double(3600 + (c.id % 9) * 86400))
            if late < now.addingTimeInterval(-3 * 86400) { t = max(t, late) }
        }
        try step(.reply(text: reply), by: handler)
        if target == .resolved { return }
        try step(.close, by: assigner)
        if rng.chance(0.7) {
            let score = rng.weighted([(5, 40.0), (4, 30), (3, 15), (2, 10), (1, 5)])
            let reasons: [RatingReason] = score >= 4 ? [.satisfied] : [rng.pick([.vagueAnswer, .noProofOfWork, .late, .notResolved])]
            try step(.rate(Rating(score: score, reasons: reasons)), by: clerk)
            // A low rating reopened it; an older case has long since had its second answer.
            if c.status == .inProgress && age > 15 {
                try step(.reply(text: reply + "\n\nBổ sung: đơn vị đã kiểm tra lại tại hiện trường và gửi kèm hình ảnh kết quả xử lý."),
                         by: handler)
                try step(.close, by: assigner)
            }
        }
    }

    /// Older cases are more likely finished; recent ones are mostly still open.
    static func pickTarget(age: Double, staffed: Bool, rng: inout SeededRandom) -> Target {
        if !staffed {
            if age > 90 { return rng.weighted([(.received, 2), (.routed, 3), (.rejected, 95)]) }
            return rng.weighted([(.received, 40), (.routed, 55), (.rejected, 5)])
        }
        // A ward triages within a day or two: new cases wait in triage, old ones rarely do.
        if age < 3 {
            return rng.weighted([(.received, 40), (.routed, 20), (.assigned, 18), (.inProgress, 17), (.rejected, 3), (.merged, 2)])
        }
        // The older a case, the likelier it is finished: a ward's open backlog is mostly young,
        // with a tail of overdue cases for supervisors to chase (not most of the queue).
        // Beyond a quarter, nearly everything is finished (only large databases span that long).
        let doneWeight = age > 90 ? 1500.0 : (age > 30 ? 75.0 : (age > 12 ? 60.0 : 30.0))
        let open = age > 30 ? 0.03 : (age > 12 ? 0.1 : 1.0)
        return rng.weighted([(.received, 1 * open), (.routed, 6 * open), (.assigned, 8 * open), (.inProgress, 12 * open),
                             (.awaiting, 6 * open),
                             (.resolved, doneWeight * 0.25), (.closed, doneWeight * 0.6), (.rejected, doneWeight * 0.08),
                             (.merged, doneWeight * 0.07)])
    }
}

/// Where generated cases go: written step by step as clerks would, or built in memory and
/// written once (`BulkCaseWriter`).
protocol DemoCaseSink {
    mutating func intake(_ draft: IntakeDraft, by actor: Official, at now: Date) throws -> Case
    mutating func apply(_ action: Action, to c: Case, by actor: Official, at now: Date) throws -> Case
    mutating func link(master: Int64, duplicate: Int64) throws
    /// The current case is complete.
    mutating func finishCase() throws
}

/// The one-step-at-a-time path: exactly what `pakn intake` and the workflow commands do.
struct StepSink: DemoCaseSink {
    let db: Database
    let ref: ReferenceData

    func intake(_ draft: IntakeDraft, by actor: Official, at now: Date) throws -> Case {
        try CaseWriter.intake(db, draft, ref: ref, by: actor, at: now)
    }

    func apply(_ action: Action, to c: Case, by actor: Official, at now: Date) throws -> Case {
        try CaseWriter.apply(db, action, to: c, ref: ref, by: actor, at: now)
    }

    func link(master: Int64, duplicate: Int64) throws {
        try db.execute(sql: "INSERT OR IGNORE INTO case_link(case_id, other_id, kind) VALUES (?, ?, 'duplicate')",
                       arguments: [master, duplicate])
    }

    func finishCase() throws {}
}

/// The bulk path: the case lives in memory until it is complete, then is written once.
final class BulkSink: DemoCaseSink {
    let db: Database
    let writer: BulkCaseWriter
    let rows: DemoRowSink?
    var timings: DemoTimings
    private var pending: BulkCaseWriter.Pending?

    init(db: Database, writer: BulkCaseWriter, rows: DemoRowSink?, timings: DemoTimings) {
        self.db = db; self.writer = writer; self.rows = rows; self.timings = timings
    }

    func intake(_ draft: IntakeDraft, by actor: Official, at now: Date) throws -> Case {
        let p = try writer.intake(draft, by: actor, at: now)
        pending = p
        return p.c
    }

    func apply(_ action: Action, to c: Case, by actor: Official, at now: Date) throws -> Case {
        guard var p = pending, p.c.id == c.id else { throw StoreError.unknownCase(String(c.id)) }
        try writer.step(&p, action, by: actor, at: now)
        pending = p
        return p.c
    }

    func link(master: Int64, duplicate: Int64) throws { pending?.links.append((master, duplicate)) }

    /// Cases complete but not yet written: a batch is built in memory, then written in one
    /// tight loop (`flush`), which keeps SQLite's pages and the CPU's caches warm.
    private var done: [BulkCaseWriter.Pending] = []

    func finishCase() throws {
        guard let p = pending else { return }
        pending = nil
        done.append(p)
    }

    /// Writes the cases of the batch.
    func flush() throws {
        let t0 = DispatchTime.now().uptimeNanoseconds
        for p in done { try writer.write(db, p) }
        timings.writeSeconds += Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        if let rows {
            for p in done {
                try rows.write(caseRow: BaselineRows.caseRow(p, units: writer.units),
                               reporterRow: BaselineRows.reporterRow(p), eventRows: BaselineRows.eventRows(p))
            }
        }
        done.removeAll()
    }
}

/// The values of a generated case's rows, for the benchmark's baseline.
enum BaselineRows {
    static func caseRow(_ p: BulkCaseWriter.Pending, units: UnitMap) -> [DatabaseValue] {
        let scope = p.c.unitId.map { units.scope(of: $0) } ?? .none
        return (CaseRow.values(p.c, scope: scope, includeText: true, logical: true) + [p.c.id]).map { $0?.databaseValue ?? .null }
    }

    static func reporterRow(_ p: BulkCaseWriter.Pending) -> [DatabaseValue]? {
        guard let r = p.reporter else { return nil }
        return ([p.c.reporterId, r.name, r.phone, r.email, r.address, r.nationalId, false, r.confidential] as [DatabaseValueConvertible?])
            .map { $0?.databaseValue ?? .null }
    }

    static func eventRows(_ p: BulkCaseWriter.Pending) -> [[DatabaseValue]] {
        p.events.map { e in
            ([e.caseId, CaseRow.secs(e.at), e.actorId, e.action.rawValue, e.fromStatus?.rawValue, e.toStatus?.rawValue,
              e.note, EventLog.changesJSON(e.changes), Data(count: 32)] as [DatabaseValueConvertible?]).map { $0?.databaseValue ?? .null }
        }
    }
}
