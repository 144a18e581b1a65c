import Foundation
import PaknCore

/// The OpenAPI 3 document of the service, served at `/openapi.json`. Each route of
/// `Open311Service.routes` has its operation here; a test checks that the router and this
/// document name the same routes.
public enum OpenAPIDocument {
    public static func document(routes: [ServeRoute]) -> Document {
        var paths: [String: [(String, Document)]] = [:]
        var order: [String] = []
        for r in routes {
            if paths[r.path] == nil { order.append(r.path) }
            paths[r.path, default: []].append((r.method.rawValue, operation(r)))
        }
        return .object([
            ("openapi", .string("3.0.3")),
            ("info", .object([
                ("title", .string("pakn Open311 GeoReport v2")),
                ("version", .string("1.0")),
                ("description", .string("Phản ánh, kiến nghị qua Open311 GeoReport v2 (docs/open311.md). / Citizen petitions over Open311 GeoReport v2 (docs/open311.md).")),
            ])),
            ("paths", .object(order.map { ($0, .object(paths[$0]!)) })),
            ("components", .object([
                ("securitySchemes", .object([
                    ("apiKey", .object([("type", .string("apiKey")), ("in", .string("header")), ("name", .string("X-Api-Key"))])),
                ])),
                ("schemas", .object([
                    ("Error", .object([("type", .string("object")), ("properties", .object([
                        ("code", .object([("type", .string("integer"))])),
                        ("description", .object([("type", .string("string"))])),
                    ]))])),
                ])),
            ])),
        ])
    }

    static func param(_ name: String, _ place: String, required: Bool = false, _ description: String) -> Document {
        .object([("name", .string(name)), ("in", .string(place)), ("required", .bool(required)),
                 ("description", .string(description)), ("schema", .object([("type", .string("string"))]))])
    }

    static func operation(_ r: ServeRoute) -> Document {
        let format = r.path.hasSuffix(".xml") ? "text/xml" : "application/json"
        var params: [Document] = []
        var summary = ""
        var codes: [Int] = [200, 429]
        var security = false
        var body = false
        switch r.endpoint {
        case .services: summary = "Service list: the categories with their Vietnamese names and groups"
        case .serviceDefinition:
            summary = "Service definition: the attributes a request may carry (kind, ward, title)"
            params = [param("service_code", "path", required: true, "Category code")]
            codes += [404]
        case .requests:
            summary = "Public requests (no reporter, body, note or denunciation), newest first"
            params = [param("service_request_id", "query", "Case codes, comma-separated"), param("service_code", "query", "Category"),
                      param("start_date", "query", "W3C date: received on or after"), param("end_date", "query", "W3C date: received on or before"),
                      param("status", "query", "open or closed"), param("limit", "query", "1–1000 (extension)")]
            codes += [400]
        case .postRequest:
            summary = "Intake: a case in the key's channel and unit, routed like any other; returns service_request_id and tracking_token"
            params = [param("Idempotency-Key", "header", "A retry with the same key returns the same case")]
            codes = [200, 201, 400, 401, 403, 413, 415, 429]
            security = true
            body = true
        case .request:
            summary = "One public request; with its tracking token (X-Tracking-Token or token), the answer too"
            params = [param("service_request_id", "path", required: true, "Case code"), param("token", "query", "Tracking token")]
            codes += [403, 404]
        case .updates:
            summary = "mySociety extension: the public steps of cases"
            params = [param("service_request_id", "query", "Case codes, comma-separated"), param("start_date", "query", "W3C date"),
                      param("end_date", "query", "W3C date"), param("limit", "query", "1–1000")]
            codes += [400]
        case .rating:
            summary = "Extension: the citizen's rating with the tracking token (token, rating 1–5, reasons, comment); a low rating reopens"
            params = [param("service_request_id", "path", required: true, "Case code")]
            codes = [200, 400, 403, 404, 409, 413, 429]
            body = true
        case .openapi:
            summary = "This document"
            codes = [200]
        }
        var op: [(String, Document)] = [("summary", .string(summary)), ("operationId", .string(r.method.rawValue + r.path))]
        if !params.isEmpty { op.append(("parameters", .list(root: "parameters", item: "parameter", params))) }
        if body {
            let schema = Document.object([("type", .string("object"))])
            op.append(("requestBody", .object([("required", .bool(true)), ("content", .object([
                ("application/x-www-form-urlencoded", .object([("schema", schema)])),
                ("application/json", .object([("schema", schema)])),
                ("application/xml", .object([("schema", schema)])),
            ]))])))
        }
        if security { op.append(("security", .list(root: "security", item: "s", [.object([("apiKey", .list(root: "a", item: "a", []))])]))) }
        op.append(("responses", .object(codes.map { c in
            (String(c), .object([("description", .string(c < 300 ? "OK" : "Error: [{code, description}]")),
                                 ("content", .object([(c < 300 ? format : format, .object([]))]))]))
        })))
        return .object(op)
    }
}
