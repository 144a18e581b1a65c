import Foundation
import PaknCore
import Testing
@testable import PaknStore

/// The shipped data files are built into the binary (Reference/BundledResources.swift, made
/// by mk/embed-resources.sh): the embedded copy must be the files under Resources/, byte for
/// byte, with none missing and none extra. Run `make resources` after changing one.
@Suite struct BundledResourcesTests {
    static let resources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/PaknStore/Resources")

    /// Every regular file under Resources/, by its path there.
    static func filesOnDisk() throws -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        let base = resources.standardizedFileURL.path + "/"
        let e = try #require(FileManager.default.enumerator(at: resources, includingPropertiesForKeys: [.isRegularFileKey]))
        for case let u as URL in e where try u.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true {
            let path = u.standardizedFileURL.path
            #expect(path.hasPrefix(base))
            out[String(path.dropFirst(base.count))] = [UInt8](try Data(contentsOf: u))
        }
        return out
    }

    @Test func theEmbeddedFilesAreTheResourcesByteForByte() throws {
        let disk = try Self.filesOnDisk()
        #expect(disk.count >= 14, "Resources/ found at \(Self.resources.path)")
        #expect(Set(BundledData.names) == Set(disk.keys), "run `make resources`")
        for (name, bytes) in disk {
            let embedded = [UInt8](try BundledData.data(name))
            #expect(embedded == bytes, "\(name): embedded \(embedded.count) bytes, file \(bytes.count) — run `make resources`")
        }
    }

    @Test func theDictionaryKeepsItsPinnedHashWhenEmbedded() throws {
        // The one file without a final line break, and the one whose bytes must never move.
        let bytes = [UInt8](try BundledData.data(PackedText.dictionaryV1Name))
        #expect(bytes.last != 0x0A)
        #expect(SHA256.hex(bytes) == PackedText.dictionaryV1SHA256)
    }

    @Test func aTemporaryCopyHasTheSameBytes() throws {
        let name = "calendar/ngay-van-hoa-viet-nam.json"
        let u = BundledData.url(name)
        #expect(u.lastPathComponent == "ngay-van-hoa-viet-nam.json")
        #expect([UInt8](try Data(contentsOf: u)) == [UInt8](try BundledData.data(name)))
    }

    @Test func anUnknownNameIsRefused() {
        #expect(throws: StoreError.self) { try BundledData.data("no-such-file.json") }
    }
}
