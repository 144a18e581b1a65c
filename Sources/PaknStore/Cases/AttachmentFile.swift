import Foundation
import GRDB
import PaknCore

/// Attachments are checked (size, type by content, not by name: `AttachmentContent`, the
/// same for every engine) and stored by digest beside the database, so the same photo sent
/// twice is kept once.
enum AttachmentFile {
    typealias Loaded = AttachmentContent.Loaded

    static func load(_ url: URL, maxMB: Int) throws -> Loaded { try AttachmentContent.load(url, maxMB: maxMB) }

    static func directory(dbPath: String) -> URL { AttachmentContent.directory(dbPath: dbPath) }

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

    /// An attachment's bytes, from its file beside the database, for a case the official may
    /// read (as the detail lists it).
    func attachmentData(caseRef: String, attachmentId: Int64, by actor: Official, at now: Date) throws -> Data {
        let a = try recordingRefusal(caseRef: caseRef, actor: actor, at: now) {
            try read { db -> Attachment in
                let c = try CaseRow.resolve(db, caseRef)
                try Guard.requireRead(db, actor, c, ref: caseRef)
                guard let a = try AttachmentFile.list(db, caseId: c.id).first(where: { $0.id == attachmentId }) else {
                    throw Message("store.attachment.unknown", c.code, attachmentId)
                }
                return a
            }
        }
        let file = AttachmentFile.directory(dbPath: path).appendingPathComponent(String(a.sha256.prefix(2)))
            .appendingPathComponent(a.sha256)
        do { return try Data(contentsOf: file) } catch { throw StoreError.unreadable(file.path, error) }
    }
}
