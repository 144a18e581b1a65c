import Foundation
import PaknCore
import PaknStoreAPI

/// An error the service answers with: Open311's format, `[{"code": …, "description": …}]`,
/// the description in Vietnamese then English, and the HTTP status that fits.
public struct ServeError: Error, Sendable {
    public var status: Int
    public var message: any Localized
    /// Seconds to wait (429).
    public var retryAfter: Int?

    public init(_ status: Int, _ key: String, _ args: CustomStringConvertible..., retryAfter: Int? = nil) {
        self.status = status
        var m = Message(key)
        m.args = args.map(\.description)
        self.message = m
        self.retryAfter = retryAfter
    }

    public init(_ status: Int, message: any Localized) { self.status = status; self.message = message }

    /// "vi / en": both languages, Vietnamese first (a portal shows either).
    public var description: String { message.text(.vi) + " / " + message.text(.en) }

    public var document: Document {
        .list(root: "errors", item: "error", [.object([("code", .int(status)), ("description", .string(description))])])
    }

    /// What a store refusal becomes on the wire; anything unexpected is a 500 that names no
    /// internals (the server's log has it).
    public static func from(_ error: Error, keyName: String? = nil) -> ServeError {
        if let e = error as? ServeError { return e }
        if let e = error as? ApiKeyError {
            switch e {
            case .unknownKey: return ServeError(401, message: Message("open311.key.unknown"))
            case .badToken: return ServeError(403, message: e.asMessage)
            default: return ServeError(403, message: e.asMessage)
            }
        }
        if let e = error as? StoreError {
            switch e {
            case .unknownCategory(let c): return ServeError(400, "open311.err.unknown_service", c)
            case .unknownUnit(let u): return ServeError(400, "open311.err.invalid_field", "attribute[ward]", u)
            case .unitOutOfScope(_, let unit): return ServeError(403, "open311.err.forbidden_unit", keyName ?? "-", unit)
            case .missingField(let f): return ServeError(400, "open311.err.missing_field", f)
            case .tooLong, .invalidValue: return ServeError(400, message: e.asMessage)
            case .unknownCase(let c), .outOfScope(_, let c): return ServeError(404, "open311.err.unknown_request", c)
            case .permissionDenied, .officialDisabled, .noOfficialForLogin, .adminOutOfScope:
                return ServeError(403, "open311.err.refused", e.text(.vi) + " | " + e.text(.en))
            case .notOnServer: return ServeError(501, message: e.asMessage)
            case .conflict: return ServeError(409, message: e.asMessage)
            default: return ServeError(500, "open311.err.internal")
            }
        }
        if let e = error as? WorkflowError { return ServeError(409, message: e.asMessage) }
        if let e = error as? Message {
            return ServeError(e.key.hasPrefix("robust.route_out_of_scope") ? 403 : 400, message: e)
        }
        return ServeError(500, "open311.err.internal")
    }
}

extension Localized {
    /// A store refusal as it is: its own Vietnamese and English.
    var asMessage: any Localized { self }
}
