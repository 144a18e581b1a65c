import Foundation
import GRDB
import PaknCore

extension AppDatabase {
    /// Runs one action on a case for `actor`, in one IMMEDIATE transaction.
    ///
    /// - Parameter expectedVersion: the version the official was looking at. If someone else
    ///   changed the case since, the action is refused with `StoreError.conflict` rather than
    ///   silently overwriting their change.
    @discardableResult
    func perform(_ action: Action, on caseRef: String, expectedVersion: Int? = nil,
                        by actor: Official, at now: Date) throws -> Case {
        try perform(action, on: caseRef, expectedVersion: expectedVersion, reference: try reference(), by: actor, at: now)
    }

    /// The same, with reference data the caller already holds (the desk, a batch of
    /// actions): loading it is a quarter of an action's cost.
    @discardableResult
    package func perform(_ action: Action, on caseRef: String, expectedVersion: Int? = nil, reference ref: ReferenceData,
                        by actor: Official, at now: Date) throws -> Case {
        let action = try ActionText.clean(action)
        return try recordingRefusal(caseRef: caseRef, actor: actor, at: now) {
            try write { db in
                let c = try CaseRow.resolve(db, caseRef)
                // Scope first: outside one's units a case looks unknown (no permission name, no
                // version number, nothing that says it exists); the refusal is still recorded.
                try Guard.requireScope(db, actor, c, ref: caseRef)
                try Guard.require(db, actor, Permission.required(for: action.name), unitId: c.unitId)
                if let v = expectedVersion, v != c.version {
                    throw StoreError.conflict(code: c.code, expected: v, found: c.version)
                }
                let resolved = try CaseService.validate(db, action, for: c, by: actor)
                let updated = try CaseWriter.apply(db, resolved, to: c, ref: ref, by: actor, at: now)
                if case let .merge(masterId) = resolved {
                    try MergedCases.link(db, master: masterId, duplicate: c.id)
                    try MergedCases.passAnswerGiven(db, master: masterId, to: updated, by: actor, at: now)
                    return try CaseRow.fetch(db, id: updated.id) ?? updated
                }
                // The reporters of the cases merged into this one get its answer too.
                if case .reply = resolved { try MergedCases.passReply(db, from: updated, by: actor, at: now) }
                return updated
            }
        }
    }

    /// A case for an official: outside their units it is as unknown as a code that does
    /// not exist, and the attempt is recorded in its history. For the desk's "go to" and
    /// pickers (a merge master), which must not learn a case's title, or that it exists,
    /// from another unit.
    func resolveCase(_ ref: String, viewer: Official, at now: Date) throws -> Case {
        try recordingRefusal(caseRef: ref, actor: viewer, at: now) {
            try read { db in
                let c = try CaseRow.resolve(db, ref)
                try Guard.requireRead(db, viewer, c, ref: ref)
                return c
            }
        }
    }

    /// Runs `body`; a refusal for scope, permission or a disabled account is recorded in
    /// the case's history (in its own small transaction) before it is thrown.
    func recordingRefusal<T>(caseRef: String, actor: Official, at now: Date, recording: Bool = true,
                             _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            switch error {
            case .permissionDenied, .outOfScope, .officialDisabled:
                if recording { try? recordRefusal(error, caseRef: caseRef, actor: actor, at: now) }
            default: break
            }
            throw error
        }
    }

    /// A refusal is itself part of the record: who tried what, and why it was refused.
    func recordRefusal(_ error: StoreError, caseRef: String, actor: Official, at now: Date) throws {
        try write { db in
            let c = try CaseRow.resolve(db, caseRef)
            try EventLog.append(db, EventDraft(caseId: c.id, at: now, actorId: actor.id, action: .refused,
                                               fromStatus: c.status, toStatus: c.status, note: error.recordedNote))
        }
    }
}

package enum CaseService {
    /// Checks what the pure workflow cannot know (units exist, the assignee belongs to the
    /// unit, the master case is mergeable) and fills in derived targets.
    static func validate(_ db: Database, _ action: Action, for c: Case, by actor: Official) throws -> Action {
        switch action {
        case let .route(unitId), let .transfer(unitId, _):
            guard try UnitQueries.unit(db, id: unitId) != nil else { throw StoreError.unknownUnit(String(unitId)) }
            return action
        case let .assign(officialId):
            guard let o = try OfficialStore.byId(db, officialId), o.active else {
                throw StoreError.unknownOfficial(String(officialId))
            }
            if let unitId = c.unitId {
                let office = try owningOffice(db, unitId)
                guard try UnitQueries.isWithin(db, unit: o.unitId, ancestor: office.id) else {
                    throw StoreError.assigneeNotInUnit(login: o.login, unit: office.name)
                }
            }
            return action
        case let .escalate(_, reason):
            guard let unitId = c.unitId else { throw StoreError.noParentUnit(c.code) }
            let office = try owningOffice(db, unitId)
            guard let parentId = office.parentId, let parent = try UnitQueries.unit(db, id: parentId),
                  parent.level != .centre else {
                throw StoreError.noParentUnit(office.name)
            }
            return .escalate(parentUnitId: parent.id, reason: reason)
        case let .merge(masterId):
            guard let master = try CaseRow.fetch(db, id: masterId) else { throw StoreError.unknownCase(String(masterId)) }
            // A master outside one's units is as unknown as the case itself would be.
            try Guard.requireScope(db, actor, master, ref: String(masterId))
            if master.status == .merged { throw StoreError.notMergeable(master.code) }
            return action
        default:
            return action
        }
    }

    /// The office a unit belongs to: a department's parent, or the unit itself.
    package static func owningOffice(_ db: Database, _ unitId: Int64) throws -> OrgUnit {
        guard let u = try UnitQueries.unit(db, id: unitId) else { throw StoreError.unknownUnit(String(unitId)) }
        if u.level == .department, let p = u.parentId, let parent = try UnitQueries.unit(db, id: p) { return parent }
        return u
    }
}

/// Cases merged into a master as duplicates (`case_link`, kind `duplicate`).
enum MergedCases {
    static func link(_ db: Database, master: Int64, duplicate: Int64) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO case_link(case_id, other_id, kind) VALUES (?, ?, 'duplicate')")
            .execute(arguments: [master, duplicate])
    }

    /// The duplicates merged into `master`.
    static func duplicates(_ db: Database, of master: Int64) throws -> [Int64] {
        try Int64.fetchAll(db.cachedStatement(sql: "SELECT other_id FROM case_link WHERE case_id = ? AND kind = 'duplicate' ORDER BY other_id"),
                           arguments: [master])
    }

    /// The master's reply, recorded on each case merged into it, in the transaction of the
    /// master's reply: a `reply` event on the duplicate (chained like any other, its note
    /// naming the master), and the duplicate's current reply set to the master's. Each
    /// citizen whose petition was merged finds the answer on their own case.
    static func passReply(_ db: Database, from master: Case, by actor: Official, at now: Date) throws {
        guard master.reply != nil else { return }
        for id in try duplicates(db, of: master.id) {
            guard let d = try CaseRow.fetch(db, id: id) else { continue }
            try record(db, master, on: d, by: actor, at: now)
        }
    }

    /// A case merged into a master already answered (resolved or closed) gets that answer
    /// as it is merged, as if it had been merged before the reply.
    static func passAnswerGiven(_ db: Database, master id: Int64, to d: Case, by actor: Official, at now: Date) throws {
        guard let master = try CaseRow.fetch(db, id: id), master.reply != nil,
              master.status == .resolved || master.status == .closed else { return }
        try record(db, master, on: d, by: actor, at: now)
    }

    /// The master's current answer as duplicate `d`'s, with its own `reply` event.
    static func record(_ db: Database, _ master: Case, on d: Case, by actor: Official, at now: Date) throws {
        guard let text = master.reply, d.status == .merged, d.masterId == master.id, d.reply != text else { return }
        var d = d
        let before = CaseSnapshot.of(d)
        d.reply = text
        d.version += 1
        d.updatedAt = now
        var changes = CaseSnapshot.diff(before, CaseSnapshot.of(d))
        changes["master"] = FieldChange(before: nil, after: master.code)
        try CaseRow.update(db, d, scope: DatabaseUnits(db).scope(of: d.unitId), replyRecorded: true)
        try EventLog.append(db, EventDraft(caseId: d.id, at: now, actorId: actor.id, action: .reply, fromStatus: .merged,
                                           toStatus: .merged, note: L10n.t("intake.master_reply", .vi, master.code),
                                           changes: changes))
    }
}
