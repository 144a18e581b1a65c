/// Everything an official can do to a case. The same values drive the CLI and the desk.
public enum Action: Equatable, Sendable {
    case route(unitId: Int64)
    case assign(officialId: Int64)
    case start
    /// Pause the clock: ask the citizen for information, or (rules that pause only by a
    /// decision) suspend the handling by decision `suspension`.
    case wait(request: String, suspension: Suspension? = nil)
    case resume(note: String?)
    case reply(text: String)
    case close
    case reject(reason: String)
    case reopen(reason: String)
    case transfer(unitId: Int64, reason: String)
    case escalate(parentUnitId: Int64, reason: String)
    /// Extend the time limit; `late`: a supervisor records an extension decided after the
    /// time limit ran out.
    case extend(reason: String, late: Bool = false)
    /// Accept the case for resolution (thụ lý): the resolution clock starts.
    case accept(note: String?)
    /// Mark how complex the case is (0 ordinary, 1 complex, 2 especially complex).
    case markComplex(level: Int, reason: String)
    case merge(masterId: Int64)
    case rate(Rating)
    case note(text: String)
    /// A notice to the citizen that does not change the status (an acknowledgement of
    /// receipt): recorded in the history with the text sent.
    case notify(text: String, purpose: TemplatePurpose)

    public var name: ActionName {
        switch self {
        case .route: .route
        case .assign: .assign
        case .start: .start
        case .wait: .wait
        case .resume: .resume
        case .reply: .reply
        case .close: .close
        case .reject: .reject
        case .reopen: .reopen
        case .transfer: .transfer
        case .escalate: .escalate
        case let .extend(_, late): late ? .extendLate : .extend
        case .accept: .accept
        case .markComplex: .complex
        case .merge: .merge
        case .rate: .rate
        case .note: .note
        case .notify: .notice
        }
    }
}

/// Action names as stored in events and typed at the CLI.
public enum ActionName: String, Codable, CaseIterable, Sendable {
    case intake, route, assign, start, wait, resume, reply, close, reject, reopen
    case transfer, escalate, extend, merge, rate, note
    case accept, complex
    case extendLate = "extend_late"
    case notice
    /// Not workflow steps, but recorded in the same history.
    case reveal, refused, erase, attach, link
}

/// A suspension decision (quyết định tạm đình chỉ): its number and the rule's ground for it.
public struct Suspension: Equatable, Sendable {
    public var decision: String
    public var ground: String

    public init(decision: String, ground: String) { self.decision = decision; self.ground = ground }
}
