import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PaknServe
import PaknStore
import PaknUI
import Testing

/// `pakn serve` as a portal meets it: the real binary on a free loopback port over a demo
/// database, spoken to over HTTP (docs/open311.md).
@Suite(.serialized) struct ServeCLITests {
    /// A running `pakn serve`; stopped with SIGTERM.
    final class Server {
        let process = Process()
        var port = 0
        let out = Pipe()

        init(_ cli: CLI, extra: [String] = []) throws {
            process.executableURL = URL(fileURLWithPath: CLI.binary)
            process.arguments = ["--db", cli.db, "--lang", "en", "--as", "admin", "serve", "--listen", "127.0.0.1:0"] + extra
            var env = ProcessInfo.processInfo.environment
            env["PAKN_DB"] = nil
            process.environment = env
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            // The first line names the port: "… at http://127.0.0.1:PORT/ …".
            var line = Data()
            while !line.contains(UInt8(ascii: "\n")) {
                let d = out.fileHandleForReading.availableData
                if d.isEmpty { break }
                line.append(d)
            }
            let text = String(decoding: line, as: UTF8.self)
            let port = text.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression).map { String(text[$0].split(separator: ":")[1]) }
            self.port = Int(port ?? "") ?? 0
        }

        func stop() -> Int32 {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            return process.terminationStatus
        }

        struct Reply {
            var status: Int
            var body: Data
            var headers: [String: String] = [:]
            var text: String { String(decoding: body, as: UTF8.self) }
            func json() throws -> [[String: Any]] { try #require(try JSONSerialization.jsonObject(with: body) as? [[String: Any]]) }
        }

        func call(_ method: String, _ path: String, body: Data? = nil, headers: [String: String] = [:]) throws -> Reply {
            var req = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
            req.httpMethod = method
            req.httpBody = body
            for (k, v) in headers { req.setValue(v, forHTTPHeaderField: k) }
            final class Box: @unchecked Sendable { var reply: Reply?; var error: Error? }
            let box = Box(), done = DispatchSemaphore(value: 0)
            URLSession.shared.dataTask(with: req) { data, response, error in
                box.error = error
                if let h = response as? HTTPURLResponse {
                    var fields: [String: String] = [:]
                    for (k, v) in h.allHeaderFields { fields["\(k)"] = "\(v)" }
                    box.reply = Reply(status: h.statusCode, body: data ?? Data(), headers: fields)
                }
                done.signal()
            }.resume()
            done.wait()
            if let e = box.error { throw e }
            return try #require(box.reply)
        }

        func post(_ path: String, json: String, key: String? = nil, headers: [String: String] = [:]) throws -> Reply {
            var h = headers
            h["Content-Type"] = "application/json"
            if let key { h["X-Api-Key"] = key }
            return try call("POST", path, body: Data(json.utf8), headers: h)
        }
    }

    static func key(_ cli: CLI, _ name: String, unit: String) throws -> String {
        let r = try cli.run(["--as", "admin", "apikeys", "add", name, "--unit", unit, "--channel", "app", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(try r.object()["secret"] as? String)
    }

    static let ward = "00004"

    /// A desk open on the database when a portal posts: its next poll of the database's
    /// data version (the terminal loop polls once a second) sees the change, reloads, and
    /// the posted case is on it.
    @Test func aDeskOpenOnTheDatabaseShowsAPostedCaseAtItsNextPoll() throws {
        let cli = try CLI.demo()
        let key = try Self.key(cli, "desk-kiosk", unit: Self.ward)
        let s = try Server(cli)
        defer { _ = s.stop() }
        let session = try AppDatabase(path: cli.db, create: false).session(login: "admin")
        let desk = try DeskRunner(session: session, lang: .en, width: 160, height: 40, view: .all)
        desk.start()
        #expect(!desk.pollForChanges())
        let body = #"{"service_code":"traffic","description":"Cây đổ chắn ngang đường sau mưa","attributes":{"ward":"\#(Self.ward)"}}"#
        let made = try s.post("/requests.json", json: body, key: key, headers: ["Idempotency-Key": "desk-1"])
        #expect(made.status == 201, "\(made.text)")
        let code = try #require(try made.json().first?["service_request_id"] as? String)
        #expect(desk.pollForChanges())
        #expect(desk.walkFinds(code), "\(code) not on the desk after its poll")
    }

    @Test func portalFlowEveryEndpointAndADeskSeesTheCase() throws {
        let cli = try CLI.demo()
        let key = try Self.key(cli, "kiosk", unit: Self.ward)
        let s = try Server(cli)
        #expect(s.port > 0)
        defer { _ = s.stop() }

        let services = try s.call("GET", "/services.json")
        #expect(services.status == 200)
        let list = try services.json()
        #expect(list.contains { $0["service_code"] as? String == "traffic" && ($0["service_name"] as? String) == "Giao thông" })
        #expect(try s.call("GET", "/services.xml").text.contains("<services><service><service_code>"))
        let def = try s.call("GET", "/services/traffic.json")
        #expect(def.status == 200 && def.text.contains("\"attributes\"") && def.text.contains("\"denunciation\""))
        #expect(try s.call("GET", "/services/nope.json").status == 404)

        let before = try cli.run(["--as", "admin", "list", "--json"]).stdout
        let body = #"{"service_code":"traffic","description":"Đèn tín hiệu hỏng ở ngã tư","first_name":"Lan","phone":"0912000111","attributes":{"ward":"\#(Self.ward)"}}"#
        let made = try s.post("/requests.json", json: body, key: key, headers: ["Idempotency-Key": "t-1"])
        #expect(made.status == 201, "\(made.text)")
        let first = try #require(try made.json().first)
        let code = try #require(first["service_request_id"] as? String)
        let token = try #require(first["tracking_token"] as? String)
        // A retry with the same idempotency key: the same case, no second one.
        let again = try s.post("/requests.json", json: body, key: key, headers: ["Idempotency-Key": "t-1"])
        #expect(again.status == 200)
        #expect(try again.json().first?["service_request_id"] as? String == code)
        #expect(try again.json().first?["tracking_token"] as? String == token)

        // The desk's session sees it: in the list, with the key's channel and its service official.
        let after = try cli.run(["--as", "admin", "list", "--json"]).stdout
        #expect(!before.contains(code) && after.contains(code))
        let history = try cli.run(["--as", "admin", "history", code]).stdout
        #expect(history.contains("Open311 kiosk"))

        // Public reads: no reporter anywhere.
        let one = try s.call("GET", "/requests/\(code).json")
        #expect(one.status == 200)
        #expect(!one.text.contains("Lan") && !one.text.contains("0912000111"))
        let r = try #require(try one.json().first)
        #expect(r["status"] as? String == "open")
        #expect((r["requested_datetime"] as? String)?.hasSuffix("+07:00") == true)
        #expect(r["answer"] == nil)
        #expect(try s.call("GET", "/requests/\(code).xml").text.contains("<service_request_id>\(code)</service_request_id>"))
        #expect(try s.call("GET", "/requests/\(code).json?token=wrong").status == 403)
        #expect(try s.call("GET", "/requests/NOPE-1.json").status == 404)
        let filtered = try s.call("GET", "/requests.json?service_code=traffic&status=open&service_request_id=\(code)")
        #expect(try filtered.json().map { $0["service_request_id"] as? String } == [code])
        #expect(try s.call("GET", "/requests.json?status=closed&service_request_id=\(code)").json().isEmpty)
        #expect(try s.call("GET", "/requests.json?start_date=2001-01-01&end_date=2001-01-02").json().isEmpty)
        #expect(try s.call("GET", "/requests.json?start_date=yesterday").status == 400)
        let steps = try s.call("GET", "/servicerequestupdates.json?service_request_id=\(code)")
        #expect(try steps.json().contains { $0["description"] as? String == "Tiếp nhận phản ánh." })

        // No denunciation is ever public.
        let all = try s.call("GET", "/requests.json?limit=1000").json().compactMap { $0["service_request_id"] as? String }
        let denunciations = try cli.run(["--as", "admin", "list", "--kind", "denunciation", "--json"]).stdout
        for c in all { #expect(!denunciations.contains("\"\(c)\"")) }

        // Rating: refused while open; after the answer, with the token; a low rating reopens.
        #expect(try s.post("/requests/\(code)/rating.json", json: #"{"token":"\#(token)","rating":2}"#).status == 409)
        // The case went to the ward's economy office (the routing table): its handler answers.
        #expect(try cli.run(["--as", "admin", "assign", code, "canbo.badinh.kt"]).status == 0)
        #expect(try cli.run(["--as", "canbo.badinh.kt", "start", code]).status == 0)
        #expect(try cli.run(["--as", "canbo.badinh.kt", "reply", code, "--message", "Đã sửa đèn."]).status == 0)
        #expect(try s.post("/requests/\(code)/rating.json", json: #"{"token":"bad","rating":5}"#).status == 403)
        #expect(try s.post("/requests/\(code)/rating.json", json: #"{"token":"\#(token)","rating":9}"#).status == 400)
        let rated = try s.post("/requests/\(code)/rating.json", json: #"{"token":"\#(token)","rating":1,"reasons":["late"]}"#)
        #expect(rated.status == 200, "\(rated.text)")
        #expect(try rated.json().first?["status"] as? String == "open")
        let answered = try s.call("GET", "/requests/\(code).json", headers: ["X-Tracking-Token": token])
        #expect(try answered.json().first?["answer"] as? String == "Đã sửa đèn.")

        // The OpenAPI document names exactly the router's routes.
        let doc = try #require(try JSONSerialization.jsonObject(with: s.call("GET", "/openapi.json").body) as? [String: Any])
        let paths = try #require(doc["paths"] as? [String: [String: Any]])
        var documented = Set<String>()
        for (p, ops) in paths { for m in ops.keys { documented.insert("\(m.uppercased()) \(p)") } }
        let routes = ServeRoutesForTest.all
        #expect(documented == routes)
        for route in routes {
            let parts = route.split(separator: " ")
            let path = parts[1].replacingOccurrences(of: "{service_code}", with: "traffic").replacingOccurrences(of: "{service_request_id}", with: code)
            // Every documented route is served: the router answers, never "no such route".
            let reply = try s.call(String(parts[0]), path, body: parts[0] == "POST" ? Data("{}".utf8) : nil,
                                   headers: ["Content-Type": "application/json"])
            #expect(!reply.text.contains("was not found") || reply.text.contains("no public request"), "\(route): \(reply.text)")
        }
        #expect(try cli.run(["--as", "admin", "audit", "verify"]).status == 0)
    }

    @Test func badInputIsRefusedInTheStandardFormatAndNothingIsWritten() throws {
        let cli = try CLI.demo()
        let key = try Self.key(cli, "kiosk", unit: Self.ward)
        let other = try Self.key(cli, "gone", unit: Self.ward)
        #expect(try cli.run(["--as", "admin", "apikeys", "revoke", "gone"]).status == 0)
        let s = try Server(cli, extra: ["--max-body", "2048"])
        defer { _ = s.stop() }
        let count = try cli.run(["--as", "admin", "list", "--json"]).stdout
        let ok = #"{"service_code":"traffic","description":"x","attributes":{"ward":"\#(Self.ward)"}}"#
        func refused(_ r: Server.Reply, _ status: Int, _ line: SourceLocation = #_sourceLocation) throws {
            #expect(r.status == status, "\(r.text)", sourceLocation: line)
            let e = try r.json().first
            #expect(e?["code"] as? Int == status, sourceLocation: line)
            // Vietnamese, then English.
            #expect((e?["description"] as? String)?.contains(" / ") == true, sourceLocation: line)
        }
        try refused(s.post("/requests.json", json: ok), 401)
        try refused(s.post("/requests.json", json: ok, key: "pakn_wrong"), 401)
        try refused(s.post("/requests.json", json: ok, key: other), 403)
        try refused(s.post("/requests.json", json: "{\"service_code\":", key: key), 400)
        try refused(s.post("/requests.json", json: #"{"service_code":"nope","description":"x"}"#, key: key), 400)
        try refused(s.post("/requests.json", json: #"{"service_code":"traffic"}"#, key: key), 400)
        try refused(s.post("/requests.json", json: #"{"service_code":"traffic","description":"a\u202Eb"}"#, key: key), 400)
        try refused(s.post("/requests.json", json: #"{"service_code":"traffic","description":"a\u0007b"}"#, key: key), 400)
        try refused(s.post("/requests.json", json: #"{"service_code":"traffic","description":"x","attributes":{"ward":"00070"}}"#, key: key), 403)
        try refused(s.post("/requests.json", json: String(repeating: "x", count: 5000), key: key), 413)
        var bad = Data(#"{"service_code":"traffic","description":""#.utf8)
        bad.append(contentsOf: [0xC3, 0x28])
        bad.append(Data("\"}".utf8))
        try refused(s.call("POST", "/requests.json", body: bad, headers: ["X-Api-Key": key, "Content-Type": "application/json"]), 400)
        let xml = try s.call("POST", "/requests.xml", body: Data("<service_request><service_code>traffic".utf8),
                             headers: ["X-Api-Key": key, "Content-Type": "application/xml"])
        #expect(xml.status == 400 && xml.text.contains("<errors><error><code>400</code>"))
        try refused(s.call("GET", "/nothing.json"), 404)
        #expect(try cli.run(["--as", "admin", "list", "--json"]).stdout == count)
        // Still up.
        #expect(try s.call("GET", "/services.json").status == 200)
    }

    @Test func aFloodFromOneAddressIsSlowedAndSIGTERMStopsCleanly() throws {
        let cli = try CLI.demo()
        let key = try Self.key(cli, "kiosk", unit: Self.ward)
        let s = try Server(cli, extra: ["--rate-per-address", "1"])
        var statuses: [Int] = []
        for _ in 0..<12 { statuses.append(try s.call("GET", "/services.json").status) }
        #expect(statuses.contains(200) && statuses.contains(429))
        #expect(s.stop() == 0)
        // A fresh server, a case posted, then SIGTERM: the case is there.
        let t = try Server(cli, extra: ["--rate-per-address", "0"])
        let made = try t.post("/requests.json", json: #"{"service_code":"traffic","description":"Ổ gà","attributes":{"ward":"\#(Self.ward)"}}"#, key: key)
        #expect(made.status == 201)
        #expect(t.stop() == 0)
        let code = try #require(try made.json().first?["service_request_id"] as? String)
        #expect(try cli.run(["--as", "admin", "show", code]).status == 0)
    }

    /// A key that posts faster than its limit is told to wait (429 with Retry-After, in
    /// both languages) and nothing more is written; another body type than JSON, XML or a
    /// form is refused with 415.
    @Test func aKeyPastItsRateAndABodyOfAnotherTypeAreRefused() throws {
        let cli = try CLI.demo()
        let key = try Self.key(cli, "kiosk", unit: Self.ward)
        let s = try Server(cli, extra: ["--rate-per-address", "0", "--rate-per-key", "1"])
        defer { _ = s.stop() }
        let body = #"{"service_code":"traffic","description":"Rác thải ùn ứ","attributes":{"ward":"\#(Self.ward)"}}"#
        var replies: [Server.Reply] = []
        for i in 0..<10 { replies.append(try s.post("/requests.json", json: body, key: key, headers: ["Idempotency-Key": "r-\(i)"])) }
        let made = replies.filter { $0.status == 201 }.count
        let slowed = try #require(replies.first { $0.status == 429 }, "\(replies.map(\.status))")
        #expect(made >= 1 && made < 10)
        #expect(slowed.text.contains("\"code\":429") && slowed.text.contains(" / "), "\(slowed.text)")
        #expect(slowed.headers["Retry-After"].flatMap(Int.init).map { $0 >= 1 } == true, "\(slowed.headers)")
        // Exactly the cases answered 201 were made.
        let listed = try cli.run(["--as", "admin", "list", "--json"]).stdout
        #expect(listed.components(separatedBy: "Rác thải ùn ứ").count - 1 == made)

        let plain = try s.call("POST", "/requests.json", body: Data("service_code=traffic".utf8),
                               headers: ["Content-Type": "text/plain", "X-Api-Key": key])
        #expect(plain.status == 415, "\(plain.text)")
        #expect(plain.text.contains("text/plain"), "\(plain.text)")
    }
}

/// The router's routes: it is built from `Open311Service.routes` and nothing else.
enum ServeRoutesForTest {
    static var all: Set<String> { Set(Open311Service.routes.map { "\($0.method.rawValue.uppercased()) \($0.path)" }) }
}
