import Foundation
import PaknCore
import PaknStore

/// Opens the desk. (Until the terminal desk is wired in, prints the urgency queue.)
func openDesk(db: AppDatabase, official: Official, lang: Lang, fixedNow: Date?, theme: String?) throws -> Int32 {
    let now = fixedNow ?? Date()
    let unit = try db.unit(id: official.unitId)
    let counts = try db.counts(unitSubtree: official.unitId, now: now)
    print(L10n.t("cli.desk.title", lang, official.fullName, unit?.name ?? "", counts.open, counts.dueSoon, counts.overdue))
    let rows = try db.queue(QueueQuery(filter: QueueFilter(openOnly: true, unitSubtree: official.unitId), limit: 20), now: now)
    for r in rows {
        print(TerminalSafe.line("\(r.code)  \(deadlineText(r.deadline, lang))  \(r.status.label(lang))  \(r.title)"))
    }
    return 0
}
