import Foundation
import PaknCore

/// The guided tour for trainers (`pakn tour`, `:tour`): one case walked through its life on
/// a training database — intake, routing, assignment, a pause for information, the reply,
/// the citizen's rating, reopening — one step a screen. A step is done when the desk sees
/// it done (the case appearing, the events in its history, the actions the desk performed
/// on it), never after a time.
public struct Tour: Equatable, Sendable {
    public enum Step: Int, CaseIterable, Sendable {
        case intake, routing, assignment, pause, reply, rating, reopen, finished

        /// The keys the step's notice names, in the order of its placeholders.
        var noticeKeys: [ActionID] {
            switch self {
            case .assignment: [.viewUnassigned, .viewMine]
            case .pause: [.viewAwaiting]
            default: []
            }
        }

        /// The keys the step's text names, in the order of its `{0}`, `{1}`… placeholders.
        var keys: [ActionID] {
            switch self {
            case .intake: [.viewTriage, .viewAll]
            case .routing: [.open, .route]
            case .assignment: [.assign]
            case .pause: [.requestInfo]
            case .reply: [.resume, .reply, .insertTemplate, .send]
            case .rating: [.rate, .toggle, .accept]
            case .reopen: [.reopen]
            case .finished: [.tourQuit, .tourBack]
            }
        }

        /// The steps a class does (the last screen only says it is over).
        static let work: [Step] = allCases.filter { $0 != .finished }
    }

    /// The newest case when the tour began: the case the class takes in is newer.
    public var baseline: Int64
    /// The case the tour follows, once it has appeared.
    public var caseId: Int64?
    public var code: String?
    /// The step on screen (`<` and `>` move it; a step done moves it on).
    public var shown: Step = .intake
    public var done: Set<Step> = []
    /// Whether the official has read the case's detail (the routing step asks them to).
    var readDetail = false

    public init(baseline: Int64) { self.baseline = baseline }

    /// The first step not yet done after `step`, or the last screen.
    func next(after step: Step) -> Step {
        Step.work.first { $0.rawValue > step.rawValue && !done.contains($0) } ?? .finished
    }
}

extension DeskUpdate {
    /// `:tour` (and `pakn tour`): asks the runner to start it (refused on a database that is
    /// not a training one); `:tour quit` ends it.
    static func tourCommand(_ s: inout DeskState, _ arg: String?) -> [DeskEffect] {
        if let a = arg?.lowercased(), ["quit", "stop", "end", "thoat", "thoát"].contains(a) {
            return tourKey(&s, .tourQuit)
        }
        return [.startTour]
    }

    static func tourStarted(_ s: inout DeskState, baseline: Int64) -> [DeskEffect] {
        s.tour = Tour(baseline: baseline)
        s.notice = .info("tour.started")
        return []
    }

    /// The case taken in since the tour began (from the command line, another desk, the form).
    static func tourCaseFound(_ s: inout DeskState, _ c: CaseRef) -> [DeskEffect] {
        guard var tour = s.tour, tour.caseId == nil, c.id > tour.baseline else { return [] }
        tour.caseId = c.id
        tour.code = c.code
        s.tour = tour
        return []
    }

    /// Back, skip, quit.
    static func tourKey(_ s: inout DeskState, _ id: ActionID) -> [DeskEffect] {
        guard var tour = s.tour else {
            s.notice = .error("tour.none", DeskView.keyName(s, .tour))
            return []
        }
        switch id {
        case .tourBack:
            tour.shown = Tour.Step(rawValue: max(0, tour.shown.rawValue - 1))!
        case .tourSkip:
            tour.shown = Tour.Step(rawValue: min(Tour.Step.finished.rawValue, tour.shown.rawValue + 1))!
        default:
            s.tour = nil
            s.notice = .info("tour.ended")
            return []
        }
        s.tour = tour
        return []
    }

    /// What the message tells the tour: the case appearing, its history, actions on it.
    /// Until the case has appeared, every reload of the counts (which follows any change the
    /// desk sees, its own or another's) asks whether a newer case exists.
    static func observeTour(_ s: inout DeskState, _ msg: DeskMessage) -> [DeskEffect] {
        guard var tour = s.tour else { return [] }
        var fx: [DeskEffect] = []
        if tour.caseId == nil {
            switch msg {
            case .countsLoaded, .tourStarted: fx.append(.tourLook(baseline: tour.baseline))
            default: break
            }
        }
        let before = tour.done
        func adopt(_ id: Int64, _ code: String) {
            guard tour.caseId == nil, id > tour.baseline else { return }
            tour.caseId = id
            tour.code = code
            tour.done.insert(.intake)
        }
        switch msg {
        case let .tourCaseFound(c):
            adopt(c.id, c.code)
        case let .queueLoaded(page):
            if let r = (page.before + page.rows).filter({ $0.id > tour.baseline }).min(by: { $0.id < $1.id }) { adopt(r.id, r.code) }
        case let .detailLoaded(d, _):
            adopt(d.case.id, d.case.code)
            if d.case.id == tour.caseId { see(&tour, d.history.map(\.event.action), status: d.case.status) }
        case let .performed(outcomes, _):
            for o in outcomes where o.error == nil && o.caseId == tour.caseId {
                see(&tour, [o.action], status: o.updated?.status)
            }
        default:
            break
        }
        // Routing is automatic at intake: the step asks the class to read where it went.
        if s.focus == .detail, let d = s.selectedDetail, d.case.id == tour.caseId {
            tour.readDetail = true
            if d.case.status != .received { tour.done.insert(.routing) }
        }
        if tour.done != before {
            if tour.done.contains(tour.shown) { tour.shown = tour.next(after: tour.shown) }
            let new = tour.done.subtracting(before).sorted { $0.rawValue < $1.rawValue }
            if let last = new.last {
                s.notice = Notice(vi: L10n.t("tour.step_done", .vi, L10n.t("tour.\(last.name).title", .vi)),
                                  en: L10n.t("tour.step_done", .en, L10n.t("tour.\(last.name).title", .en)), isError: false)
            }
        }
        s.tour = tour
        return fx
    }

    /// Steps the case's events (or actions just done) show.
    static func see(_ tour: inout Tour, _ actions: [ActionName], status: CaseStatus?) {
        for a in actions {
            switch a {
            case .route, .transfer, .escalate: if tour.readDetail { tour.done.insert(.routing) }
            case .assign: tour.done.insert(.assignment)
            case .wait: tour.done.insert(.pause)
            case .reply: tour.done.insert(.reply)
            case .rate:
                tour.done.insert(.rating)
                // A low score reopens the case by itself.
                if let st = status, st.isOpen { tour.done.insert(.reopen) }
            case .reopen: tour.done.insert(.reopen)
            default: break
            }
        }
    }
}

extension Tour.Step {
    /// The catalog's name of the step (`tour.<name>.title`, `.do`, `.notice`).
    public var name: String {
        switch self {
        case .intake: "intake"
        case .routing: "routing"
        case .assignment: "assignment"
        case .pause: "pause"
        case .reply: "reply"
        case .rating: "rating"
        case .reopen: "reopen"
        case .finished: "finished"
        }
    }
}
