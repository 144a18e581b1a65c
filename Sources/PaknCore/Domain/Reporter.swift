/// The person who sent the case. Kept apart from the case and its events so that
/// erasing a citizen's data never touches the case's facts or the audit chain.
public struct Reporter: Codable, Equatable, Sendable {
    public var id: Int64?
    public var name: String?
    public var phone: String?
    public var email: String?
    public var address: String?
    public var nationalId: String?
    public var anonymous: Bool
    public var confidential: Bool

    public init(id: Int64? = nil, name: String? = nil, phone: String? = nil, email: String? = nil,
                address: String? = nil, nationalId: String? = nil,
                anonymous: Bool = false, confidential: Bool = false) {
        self.id = id; self.name = name; self.phone = phone; self.email = email
        self.address = address; self.nationalId = nationalId
        self.anonymous = anonymous; self.confidential = confidential
    }

    /// What an official without the reveal permission sees.
    public func masked() -> Reporter {
        if anonymous || confidential {
            return Reporter(id: id, anonymous: anonymous, confidential: confidential)
        }
        return Reporter(id: id, name: name.map(Mask.name), phone: phone.map(Mask.phone),
                        email: email.map(Mask.email), address: address.map { _ in "***" },
                        nationalId: nationalId.map(Mask.phone), anonymous: anonymous, confidential: confidential)
    }
}

/// Masking keeps just enough to tell two people apart on the phone.
public enum Mask {
    public static func name(_ s: String) -> String {
        let parts = s.split(separator: " ")
        guard let last = parts.last else { return "***" }
        return parts.dropLast().map { String($0.prefix(1)) + "." }.joined(separator: " ")
            + (parts.count > 1 ? " " : "") + String(last.prefix(1)) + "***"
    }

    public static func phone(_ s: String) -> String {
        let chars = Array(s)
        guard chars.count > 3 else { return "***" }
        return String(repeating: "*", count: chars.count - 3) + String(chars.suffix(3))
    }

    public static func email(_ s: String) -> String {
        guard let at = s.firstIndex(of: "@") else { return "***" }
        return String(s.prefix(1)) + "***" + String(s[at...])
    }
}
