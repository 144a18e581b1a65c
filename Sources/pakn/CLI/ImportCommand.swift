import ArgumentParser
import Foundation
import PaknCore
import PaknStoreAPI

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Nhập hồ sơ từ tệp CSV / Import cases from a CSV file (docs/cli.md, Import).",
        discussion: """
            Mặc định: nhập tất cả hoặc không nhập gì. / By default all or nothing.
            --skip-bad: nhập dòng tốt, ghi dòng lỗi ra tệp. / Import the good rows, write the bad ones to a reject file.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Tệp CSV có dòng tiêu đề: UTF-8 hoặc UTF-16 (có hoặc không BOM); dấu phẩy, chấm phẩy hoặc tab / The CSV file, with a header line: UTF-8 or UTF-16 (BOM or not); commas, semicolons or tabs.") var file: String
    @Flag(help: "Nhập các dòng tốt, bỏ qua dòng lỗi / Import the good rows, skip the bad ones.") var skipBad = false
    @Option(help: "Ghi dòng lỗi vào tệp này (mặc định với --skip-bad: FILE.rejects.csv) / Write bad rows here (default with --skip-bad: FILE.rejects.csv).")
    var rejects: String?
    @Option(help: "Số dòng mỗi lô / Rows per batch.") var batch: Int = 2000
    @Option(help: "Dấu phân cách: , ; hoặc tab (mặc định: theo dòng tiêu đề) / The delimiter: , ; or tab (default: the header's).")
    var delimiter: String?

    /// Bad rows shown on stderr; the reject file has them all.
    static let shownProblems = 20

    func run() throws {
        try runCommand(global) { ctx in
            guard (1...100_000).contains(batch) else { throw StoreError.invalidValue(field: "--batch", value: "\(batch)") }
            let fixed = try delimiter.map { UInt8(ascii: try CSVOut($0).delimiter.unicodeScalars.first!) }
            let url = URL(fileURLWithPath: file)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDir) else {
                throw StoreError.unreadableFile(path: file, reason: "store.file.missing")
            }
            guard !isDir.boolValue else { throw StoreError.unreadableFile(path: file, reason: "store.file.folder") }
            let session = try ctx.open()
            let rejectPath = rejects ?? (skipBad ? file + ".rejects.csv" : nil)
            var rejectFile: RejectFile?
            if let p = rejectPath {
                if p == file { throw StoreError.invalidValue(field: "--rejects", value: p) }
                rejectFile = try RejectFile(path: p)
            }
            let total = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            let label = L10n.t("import.progress", ctx.lang)
            let tty = isatty(2) != 0
            var shown = 0
            let summary = try session.importCases(
                from: url, options: CaseImportOptions(skipBad: skipBad, batch: batch, delimiter: fixed),
                onProblem: { p in
                    try rejectFile?.write(p, lang: ctx.lang)
                    if shown < Self.shownProblems {
                        Progress.finish()
                        FileHandle.standardError.write(Data(("pakn: " + TerminalSafe.line(url.lastPathComponent + ", " + p.text(ctx.lang)) + "\n").utf8))
                    }
                    shown += 1
                },
                progress: { rows, bytes in
                    if tty {
                        Progress.show(bytes, max(total, bytes), label: label)
                    } else {
                        let pct = total > 0 ? min(100, bytes * 100 / total) : 100
                        FileHandle.standardError.write(Data("pakn: \(L10n.t("import.progress_line", ctx.lang, rows, pct))\n".utf8))
                    }
                })
            Progress.finish()
            try rejectFile?.close()
            // What the file was read as (Excel saves several ways).
            FileHandle.standardError.write(Data("pakn: \(Self.dialectText(summary.dialect, file: url.lastPathComponent, ctx.lang))\n".utf8))
            if shown > Self.shownProblems {
                FileHandle.standardError.write(Data("pakn: \(L10n.t("import.more_problems", ctx.lang, shown - Self.shownProblems))\n".utf8))
            }
            if summary.rejected > 0 && !skipBad {
                fail(L10n.t("import.nothing", ctx.lang, summary.rejected, summary.rows), code: Exit.refused)
            }
            if let first = summary.firstCode, let last = summary.lastCode {
                if summary.imported == 1 { ctx.say("import.done_one", first) } else { ctx.say("import.done", summary.imported, first, last) }
            } else {
                ctx.say("import.done_none")
            }
            if summary.rejected > 0 {
                let text = rejectPath.map { L10n.t("import.rejected", ctx.lang, summary.rejected, $0) }
                    ?? L10n.t("import.rejected_nofile", ctx.lang, summary.rejected)
                FileHandle.standardError.write(Data("pakn: \(text)\n".utf8))
            }
        }
    }
}

extension ImportCommand {
    /// "cases.csv: UTF-16 LE (Excel's Unicode text), tab-separated."
    static func dialectText(_ d: CSVDialect, file: String, _ lang: Lang) -> String {
        let delimiter = d.delimiter == 0x3B ? "semicolon" : d.delimiter == 0x09 ? "tab" : "comma"
        return L10n.t("import.dialect", lang, TerminalSafe.line(file), L10n.t("import.encoding.\(d.encoding.rawValue)", lang),
                      L10n.t("import.delimiter.\(delimiter)", lang))
    }
}

/// The bad rows of an import: `line,reason,raw` (the record's text exactly as it was in the
/// file), every field made safe for a spreadsheet.
final class RejectFile {
    private let handle: FileHandle
    private let path: String

    init(path: String) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: Data("line,reason,raw\n".utf8)),
              let h = FileHandle(forWritingAtPath: path) else {
            throw StoreError.unreadableFile(path: path, reason: "store.file.cannot_create")
        }
        h.seekToEndOfFile()
        handle = h
    }

    func write(_ p: CaseImportProblem, lang: Lang) throws {
        let raw = String(decoding: p.raw, as: UTF8.self)
        let line = [String(p.line), SafeText.csv(p.reason.text(lang)), SafeText.csv(raw)].joined(separator: ",") + "\n"
        do { try handle.write(contentsOf: Data(line.utf8)) } catch {
            throw StoreError.unreadable(path, error)
        }
    }

    func close() throws { try handle.close() }
}
