import ArgumentParser
import Foundation
import PaknCore
import PaknStoreAPI

/// `pakn units history CODE`: a unit's recorded changes and the old codes that lead to it.
struct UnitsHistory: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Lịch sử mã, tên, loại của một đơn vị / A unit's code, name and type history.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Mã đơn vị (mới hoặc cũ) / Unit code (current or old).") var code: String
    @Flag(help: "JSON") var json = false

    func run() throws {
        try runCommand(global) { ctx in
            let session = try ctx.open()
            guard let u = try session.unit(code: code) else { throw StoreError.unknownUnit(code) }
            let rows = try session.unitHistory(code: u.code)
            if json {
                return try JSONOut.print(UnitHistoryJSON(
                    code: u.code, name: u.label, asked: u.code == code ? nil : code,
                    changes: rows.map { h in
                        .init(unit_code: h.unitCode, old_code: h.oldCode, new_code: h.newCode, old_name: h.oldName, new_name: h.newName,
                              old_type: h.oldType, new_type: h.newType, effective: h.effective, date_basis: h.dateBasis, document: h.document)
                    },
                    aliases: try session.unitAliases(code: u.code).map { .init(code: $0.code, kind: $0.kind) }))
            }
            if u.code != code { ctx.say("cli.units.alias", code, u.code, u.label) }
            if rows.isEmpty { ctx.say("cli.units.history.none", u.code, u.label) }
            for h in rows {
                var parts: [String] = []
                if let o = h.oldCode, let n = h.newCode { parts.append("\(o) → \(n)") }
                if let o = h.oldName, let n = h.newName, o != n { parts.append("\(o) → \(n)") }
                if let o = h.oldType, let n = h.newType, o != n { parts.append("\(o) → \(n)") }
                let basis = L10n.t("units.basis.\(h.dateBasis)", ctx.lang)
                print(TerminalSafe.line("\(h.unitCode)\t\(parts.joined(separator: "; "))\t\(basis) \(h.effective)\t\(h.document)"))
            }
            let aliases = try session.unitAliases(code: u.code)
            if !aliases.isEmpty {
                ctx.say("cli.units.history.aliases", aliases.map { "\($0.code) (\($0.kind ?? "-"))" }.joined(separator: ", "))
            }
        }
    }
}

/// `pakn units remote set|unset|import|list`: remote and especially difficult areas.
struct UnitsRemote: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote",
        abstract: "Vùng sâu, vùng xa / Remote and especially difficult areas (longer complaint limits).",
        subcommands: [List.self, Set.self, Unset.self, Import.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Liệt kê đơn vị vùng sâu, vùng xa / List the units flagged remote.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Chỉ trong đơn vị này (mã) / Only under this unit (code).") var within: String?
        @Flag(help: "JSON") var json = false
        func run() throws {
            try runCommand(global) { ctx in
                let session = try ctx.open()
                var ancestor: Int64?
                if let w = within {
                    guard let u = try session.unit(code: w) else { throw StoreError.unknownUnit(w) }
                    ancestor = u.id
                }
                let units = try session.remoteUnits(within: ancestor)
                if json {
                    try JSONOut.print(units.map { ["code": $0.code, "name": $0.name] })
                } else if units.isEmpty {
                    ctx.say("cli.units.remote.none")
                } else {
                    for u in units { print(TerminalSafe.line("\(u.code)\t\(u.label)")) }
                }
            }
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Đánh dấu vùng sâu, vùng xa (quản trị) / Flag units as remote (manage_rules).")
        @OptionGroup var change: RemoteChange
        func run() throws { try change.apply(remote: true, saying: "cli.units.remote.set") }
    }

    struct Unset: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Bỏ đánh dấu vùng sâu, vùng xa (quản trị) / Unflag units (manage_rules).")
        @OptionGroup var change: RemoteChange
        func run() throws { try change.apply(remote: false, saying: "cli.units.remote.unset") }
    }

    /// What `set` and `unset` take, and how they run.
    struct RemoteChange: ParsableArguments {
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Mã xã, phường, đặc khu / Commune codes.") var codes: [String]
        @Option(help: "Lý do, văn bản căn cứ / Reason, the document it rests on.") var reason: String

        func apply(remote: Bool, saying key: String) throws {
            try runCommand(global) { ctx in
                let session = try ctx.open()
                let s = try session.setRemote(codes: codes, remote: remote, reason: reason)
                ctx.say(key, s.changed.count, s.unchanged.count)
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Đánh dấu vùng sâu, vùng xa từ tệp (mỗi dòng một mã) / Flag the units listed in a file (one code a line).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Tệp / File") var file: String
        @Option(help: "Lý do, văn bản căn cứ / Reason, the document it rests on.") var reason: String
        func run() throws {
            try runCommand(global) { ctx in
                let session = try ctx.open()
                let url = URL(fileURLWithPath: file)
                let rows = try RemoteFile.read(url)
                let s = try session.setRemote(codes: rows.map(\.code), remote: true, reason: reason, file: url.lastPathComponent, lines: rows.map(\.line))
                ctx.say("cli.units.remote.set", s.changed.count, s.unchanged.count)
            }
        }
    }
}
