import Foundation
import GRDB
import PaknCore

extension AppDatabase {
    /// The reporter of a case in full — for a denunciation, the sealed identity — for an
    /// official who holds `reveal_reporter` and whose units cover the case. Every reveal
    /// needs a reason and leaves a `reveal` event (who, when, why) in the case's history,
    /// in the same transaction; a refused reveal leaves a `refused` event.
    ///
    /// An anonymous case has no one to reveal; an erased reporter comes back with every
    /// field empty.
    func revealReporter(caseRef: String, reason: String, by actor: Official, at now: Date) throws -> Reporter {
        let why = try ActionText.reason(reason)
        return try recordingRefusal(caseRef: caseRef, actor: actor, at: now) {
            try write { db in
                let c = try CaseRow.resolve(db, caseRef)
                try Guard.requireScope(db, actor, c, ref: caseRef)
                // The permission at the unit that handles the case: scope over the ward the
                // case is about does not unseal a denouncer whose case the city handles.
                try Guard.require(db, actor, .revealReporter, unitId: c.unitId)
                try Guard.requireHandling(db, actor, .revealReporter, c)
                if c.anonymous || c.reporterId == nil { throw Message("trust.reveal.anonymous", c.code) }
                var r = try c.reporterId.flatMap { try ReporterStore.fetch(db, $0) } ?? Reporter()
                r.confidential = c.confidential
                try EventLog.append(db, EventDraft(caseId: c.id, at: now, actorId: actor.id, action: .reveal,
                                                   fromStatus: c.status, toStatus: c.status, note: why))
                return r
            }
        }
    }

    /// When a reporter's data was erased (`pakn citizen erase`), if it was.
    func reporterErasedAt(caseRef: String) throws -> Date? {
        try read { db in
            let c = try CaseRow.resolve(db, caseRef)
            guard let rid = c.reporterId else { return nil }
            return try Int64.fetchOne(db, sql: "SELECT erased_at FROM reporter WHERE id = ?", arguments: [rid]).map(CaseRow.date)
        }
    }
}
