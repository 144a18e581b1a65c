import Foundation
import GRDB
import PaknCore

/// Attachments are checked (size, type by content, not by name) and stored by digest
/// beside the database, so the same photo sent twice is kept once.
enum AttachmentFile {
    struct Loaded {
        var name: String
        var mediaType: String
        var bytes: [UInt8]
        var sha256: String
    }

    static func load(_ url: URL, maxMB: Int) throws -> Loaded {
        let name = CitizenText.clean(url.lastPathComponent, multiline: false)
        let data: Data
        do {
            // Checked before a byte is read: a regular file, within the limit, no symlink out
            // of the allowed folders; then read from that very file, never past the limit.
            data = try InputFile.read(url.path, limitMB: maxMB)
        } catch let e as InputFileRefusal where ["robust.file.too_big", "robust.file.grew"].contains(e.reason.key) {
            throw StoreError.attachmentRejected(name: name, reason: Message("store.attachment.too_big", maxMB))
        }
        guard !data.isEmpty else { throw StoreError.attachmentRejected(name: name, reason: Message("store.attachment.empty")) }
        let bytes = [UInt8](data)
        guard let type = sniff(bytes) else {
            throw StoreError.attachmentRejected(name: name, reason: Message("store.attachment.type"))
        }
        return Loaded(name: name, mediaType: type, bytes: bytes, sha256: SHA256.hex(bytes))
    }

    /// The media type from the file's first bytes.
    static func sniff(_ b: [UInt8]) -> String? {
        func starts(_ p: [UInt8]) -> Bool { b.count >= p.count && Array(b.prefix(p.count)) == p }
        if starts([0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if starts(Array("%PDF-".utf8)) { return "application/pdf" }
        if b.count >= 12, starts(Array("RIFF".utf8)), Array(b[8..<12]) == Array("WEBP".utf8) { return "image/webp" }
        if let text = String(validating: b.prefix(65536), as: UTF8.self),
           !text.unicodeScalars.contains(where: { $0.value < 0x09 || ($0.value > 0x0D && $0.value < 0x20) }) {
            return "text/plain"
        }
        return nil
    }

    static func directory(dbPath: String) -> URL {
        URL(fileURLWithPath: dbPath).deletingLastPathComponent()
            .appendingPathComponent(URL(fileURLWithPath: dbPath).lastPathComponent + ".attachments")
    }

    static func store(_ db: Database, _ f: Loaded, caseId: Int64, by actorId: Int64, at now: Date, dbPath: String) throws {
        let dir = directory(dbPath: dbPath).appendingPathComponent(String(f.sha256.prefix(2)))
        let dest = dir.appendingPathComponent(f.sha256)
        let fm = FileManager.default
        if !fm.fileExists(atPath: dest.path) {
            // Owner only, or the shared group (FileModes): a citizen's photo is personal data.
            let modes = FileModes.policy(near: dbPath)
            do {
                for folder in [directory(dbPath: dbPath), dir] where !fm.fileExists(atPath: folder.path) {
                    try fm.createDirectory(at: folder, withIntermediateDirectories: true)
                    modes.set(folder.path, mode: modes.folder)
                }
                let tmp = dir.appendingPathComponent(".\(f.sha256).tmp")
                try? fm.removeItem(at: tmp)
                try modes.createEmpty(tmp.path, mode: modes.file)
                let h = try FileHandle(forWritingTo: tmp)
                try h.write(contentsOf: Data(f.bytes))
                try h.synchronize()
                try h.close()
                try fm.moveItem(at: tmp, to: dest)
            } catch {
                throw StoreError.unreadable(dest.path, error)
            }
        }
        try db.execute(sql: "INSERT INTO attachment(case_id, name, media_type, size, sha256, added_at, added_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       arguments: [caseId, f.name, f.mediaType, f.bytes.count, f.sha256, CaseRow.secs(now), actorId])
        try EventLog.append(db, EventDraft(caseId: caseId, at: now, actorId: actorId, action: .attach, fromStatus: nil,
                                           toStatus: nil, note: f.name,
                                           changes: ["attachment": FieldChange(before: nil, after: f.sha256)]))
    }

    static func list(_ db: Database, caseId: Int64) throws -> [Attachment] {
        // Cached: every case the desk selects asks.
        let stmt = try db.cachedStatement(sql: "SELECT * FROM attachment WHERE case_id = ? ORDER BY id")
        return try Row.fetchAll(stmt, arguments: [caseId]).map {
            Attachment(id: $0["id"], caseId: $0["case_id"], name: $0["name"], mediaType: $0["media_type"],
                       size: $0["size"], sha256: $0["sha256"], addedAt: CaseRow.date($0["added_at"]))
        }
    }
}

extension AppDatabase {
    func attach(_ url: URL, to caseRef: String, by actor: Official, at now: Date) throws -> Attachment {
        let f = try AttachmentFile.load(url, maxMB: attachmentMaxMB())
        return try recordingRefusal(caseRef: caseRef, actor: actor, at: now) {
            try write { db in
                let c = try CaseRow.resolve(db, caseRef)
                try Guard.requireScope(db, actor, c, ref: caseRef)
                try Guard.require(db, actor, .work, unitId: c.unitId)
                try AttachmentFile.store(db, f, caseId: c.id, by: actor.id, at: now, dbPath: path)
                return try AttachmentFile.list(db, caseId: c.id).last!
            }
        }
    }
}
