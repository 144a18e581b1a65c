import Foundation
import PaknCore

/// A deadline rules file for `pakn rules import`: a JSON array of rules shaped like the
/// shipped deadline-rules.json. Read whole and checked before anything is written, on
/// either engine; whether a local rule's issuer exists is the engine's to check.
public enum RuleFile {
    /// What is wrong with a rule from a file, as a catalog key, or nil.
    public static func problem(_ r: DeadlineRule) -> String? {
        if r.id.trimmingCharacters(in: .whitespaces).isEmpty || r.id.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "rules.bad.id"
        }
        let limits = [r.days, r.complexDays, r.remoteDays, r.remoteComplexDays, r.acceptanceDays, r.acceptanceMaxDays].compactMap { $0 }
        if limits.contains(where: { !(1...3650).contains($0) }) { return "rules.bad.days" }
        if let to = r.effectiveTo, to <= r.effectiveFrom { return "rules.bad.dates" }
        if r.extensionDays < 0 || r.maxExtensions < 0 { return "rules.bad.extensions" }
        if r.pause == .suspension && r.suspensionGrounds.isEmpty { return "rules.bad.suspension" }
        return nil
    }

    /// The rules of the file at `url`, in file order, each checked (`problem`); the first
    /// bad one is refused naming it.
    public static func read(_ url: URL) throws -> [DeadlineRule] {
        let rules: [DeadlineRule]
        do { rules = try JSONDecoder().decode([DeadlineRule].self, from: Data(contentsOf: url)) } catch {
            throw StoreError.badData(file: url.path, line: 0, reason: Message("store.data.json", SafeText.clean(String("\(error)".prefix(300)))))
        }
        guard !rules.isEmpty else { throw StoreError.badData(file: url.path, line: 0, reason: Message("rules.bad.empty")) }
        for r in rules {
            if let problem = problem(r) {
                throw StoreError.badData(file: url.path, line: 0, reason: Message(problem, SafeText.clean(r.id)))
            }
        }
        return rules
    }

    /// A rule's text as both engines store it and digest it (sorted keys).
    public static func text(_ r: DeadlineRule) throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        return String(decoding: try enc.encode(r), as: UTF8.self)
    }
}
