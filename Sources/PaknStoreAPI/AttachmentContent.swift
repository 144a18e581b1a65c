import Foundation
import PaknCore

/// What an attachment is, checked the same way by every engine before it is kept: within
/// the `attachment_max_mb` limit, not empty, and of a type told by its first bytes, never
/// by its name (moved from PaknStore's AttachmentFile). The SQLite store keeps the bytes
/// beside the database (`directory`), by digest; the server keeps them in the database.
package enum AttachmentContent {
    /// The limit when the `attachment_max_mb` setting says none.
    package static let defaultMaxMB = 10

    package struct Loaded {
        package var name: String
        package var mediaType: String
        package var bytes: [UInt8]
        package var sha256: String
    }

    package static func load(_ url: URL, maxMB: Int) throws -> Loaded {
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
    package static func sniff(_ b: [UInt8]) -> String? {
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

    package static func directory(dbPath: String) -> URL {
        URL(fileURLWithPath: dbPath).deletingLastPathComponent()
            .appendingPathComponent(URL(fileURLWithPath: dbPath).lastPathComponent + ".attachments")
    }
}
