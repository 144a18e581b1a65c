import ArgumentParser
import Foundation
import PaknCore
import PaknServe
import PaknStoreAPI

/// `pakn serve`: the Open311 GeoReport v2 service over the database (docs/open311.md).
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Dịch vụ Open311 GeoReport v2 cho cổng thông tin, ứng dụng / The Open311 GeoReport v2 service for portals and apps (docs/open311.md).")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Địa chỉ:cổng nghe / Address:port to listen on.") var listen = "127.0.0.1:8311"
    @Option(help: "Cỡ nội dung tối đa (byte) / Largest request body (bytes).") var maxBody = 64 * 1024
    @Option(help: "Số yêu cầu mỗi giây cho một địa chỉ (0: không giới hạn) / Requests per second per address (0: no limit).")
    var ratePerAddress: Double = 20
    @Option(help: "Số yêu cầu ghi mỗi giây cho một khóa (0: không giới hạn) / Writes per second per key (0: no limit).")
    var ratePerKey: Double = 100

    func run() throws {
        Open311Service.runTasksOnEventLoops()
        try runCommand(global) { ctx in
            guard let (host, port) = ServeConfig.listen(listen) else { throw CLIError.message(Message("open311.serve.listen_bad", listen)) }
            guard (1024...64 * 1024 * 1024).contains(maxBody) else { throw StoreError.invalidValue(field: "--max-body", value: "\(maxBody)") }
            guard ratePerAddress >= 0, ratePerKey >= 0 else { throw StoreError.invalidValue(field: "--rate-per-address", value: "\(ratePerAddress)") }
            let engine = try Engines.open(ctx.location)
            // Whoever runs the service must be an official of this database.
            _ = try ctx.session(engine)
            let config = ServeConfig(host: host, port: port, maxBody: maxBody,
                                     perAddress: RateLimit(perSecond: ratePerAddress, burst: max(1, ratePerAddress * 5)),
                                     perKey: RateLimit(perSecond: ratePerKey, burst: max(1, ratePerKey * 4)))
            let service = Open311Service(engine: engine, config: config)
            let lang = ctx.lang, display = ctx.location.display
            try blockingAsync {
                try await service.run { port in
                    FileHandle.standardOutput.write(Data((L10n.t("open311.serve.listening", lang, "\(host):\(port)", display) + "\n").utf8))
                }
            }
            ctx.say("open311.serve.stopped")
        }
    }
}

/// Runs async work from a synchronous command, waiting for it.
func blockingAsync(_ body: @escaping @Sendable () async throws -> Void) throws {
    final class Box: @unchecked Sendable { var error: Error? }
    let box = Box(), done = DispatchSemaphore(value: 0)
    Task {
        do { try await body() } catch { box.error = error }
        done.signal()
    }
    done.wait()
    if let e = box.error { throw e }
}

/// `pakn apikeys`: the keys portals and kiosks use (admin only, recorded).
struct ApiKeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikeys", abstract: "Khóa API của dịch vụ Open311 / API keys of the Open311 service.",
        subcommands: [Add.self, List.self, Revoke.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Tạo khóa cho một kênh và một đơn vị (quản trị) / Make a key for a channel and a unit (admin only).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Tên khóa (a-z, 0-9, -) / Key name (a-z, 0-9, -)") var name: String
        @Option(help: "Kênh / Channel: \(Channel.allCases.map(\.rawValue).joined(separator: "|"))") var channel = "web"
        @Option(help: "Mã đơn vị của khóa / The key's unit code") var unit: String
        @Flag(help: "JSON") var json = false
        func run() throws {
            try runCommand(global) { ctx in
                let ch: Channel = try parsed(channel, option: "--channel")
                let made = try ctx.open().addApiKey(name: name, channel: ch, unitCode: unit)
                if json {
                    print(try SafeText.json(ApiKeyJSON(made.key, secret: made.secret), pretty: true))
                } else {
                    ctx.say("open311.apikeys.added", made.key.name, made.key.channel.rawValue, made.key.unitCode, made.key.officialLogin)
                    print(made.secret)
                }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Liệt kê khóa trong đơn vị mình (quản trị) / List the keys within one's units (admin only).")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "JSON") var json = false
        func run() throws {
            try runCommand(global) { ctx in
                let keys = try ctx.open().apiKeys()
                if json { return print(try SafeText.json(keys.map { ApiKeyJSON($0) }, pretty: true)) }
                if keys.isEmpty { return ctx.say("open311.apikeys.none") }
                for k in keys {
                    let state = k.revokedAt.map { L10n.t("open311.apikeys.revoked_at", ctx.lang, ISO8601.format($0)) }
                        ?? L10n.t("open311.apikeys.active", ctx.lang)
                    print(TerminalSafe.line([k.name, k.channel.rawValue, k.unitCode, k.officialLogin, ISO8601.format(k.createdAt), state]
                        .joined(separator: "  ")))
                }
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Thu hồi khóa (quản trị) / Revoke a key (admin only).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Tên khóa / Key name") var name: String
        func run() throws {
            try runCommand(global) { ctx in
                let k = try ctx.open().revokeApiKey(name: name)
                ctx.say("open311.apikeys.revoked", k.name, k.officialLogin)
            }
        }
    }
}

struct ApiKeyJSON: Encodable {
    var name: String, channel: String, unit: String, official: String, created_at: String
    var revoked_at: String?
    var secret: String?
    init(_ k: ApiKey, secret: String? = nil) {
        name = k.name; channel = k.channel.rawValue; unit = k.unitCode; official = k.officialLogin
        created_at = ISO8601.format(k.createdAt); revoked_at = k.revokedAt.map(ISO8601.format); self.secret = secret
    }
}
