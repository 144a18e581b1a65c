/// The citizen's satisfaction score (1–5) with reason codes, as iHanoi and 1022 collect.
public struct Rating: Codable, Equatable, Sendable {
    public var score: Int
    public var reasons: [RatingReason]
    public var comment: String?

    public init(score: Int, reasons: [RatingReason] = [], comment: String? = nil) {
        self.score = score; self.reasons = reasons; self.comment = comment
    }

    /// "2/5 · Vague answer, Late": how a rating reads in a case's detail and history.
    public static func line(score: Int, reasons: [RatingReason], _ lang: Lang) -> String {
        "\(score)/5" + (reasons.isEmpty ? "" : " · " + reasons.map { $0.label(lang) }.joined(separator: ", "))
    }
}

public enum RatingReason: String, Codable, CaseIterable, Sendable {
    case vagueAnswer = "vague_answer"
    case noProofOfWork = "no_proof_of_work"
    case late
    case notResolved = "not_resolved"
    case impolite
    case wrongUnit = "wrong_unit"
    case satisfied
}
