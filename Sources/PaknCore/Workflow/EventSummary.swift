import Foundation

extension Event {
    /// What a history line should say beyond the action and the status change, from the
    /// recorded values: the score and reasons of a rating, the days of an extension. Only
    /// values the event itself carries, so a history reads the same after an erasure.
    public func summary(_ lang: Lang) -> String? {
        switch action {
        case .rate:
            guard let score = changes["rating"]?.after.flatMap({ Int($0) }) else { return nil }
            let reasons = (changes["rating_reasons"]?.after ?? "")
                .split(separator: ",").compactMap { RatingReason(rawValue: String($0)) }
            return Rating.line(score: score, reasons: reasons, lang)
        case .notice:
            // Which notice: an acknowledgement of receipt, a notice of acceptance…
            return changes["purpose"]?.after.flatMap(TemplatePurpose.init(rawValue:)).map { L10n.t("purpose.\($0.rawValue)", lang) }
        default:
            return nil
        }
    }
}
