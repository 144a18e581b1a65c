import Foundation
import GRDB
import PaknStoreAPI

/// The database schema this build writes, for `pakn --version`: the migrations of
/// `Schema.migrator`, oldest first; the last one names the schema version.
public enum SchemaVersion {
    public static var migrations: [String] { Schema.migrator.migrations }
    /// The last migration's name ("v6-plain-text").
    public static var name: String { migrations.last ?? "-" }
    public static var count: Int { migrations.count }
}

extension SchemaVersion {
    /// The migrations the file at `path` does not have yet, oldest first, read through a
    /// read-only connection that writes nothing (`pakn upgrade` names what opening the file
    /// then applies). A file a newer pakn wrote, or one that is not a pakn database, is refused.
    public static func pending(at path: String) throws -> [String] {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.databaseMissing(path: path) }
        do {
            if try AppDatabase.writtenByANewerPakn(path) { throw StoreError.databaseUnusable(path: path, reason: "robust.db.newer") }
            var config = Configuration()
            config.readonly = true
            let q = try DatabaseQueue(path: path, configuration: config)
            defer { try? q.close() }
            let applied = try q.read { try Schema.migrator.appliedIdentifiers($0) }
            return migrations.filter { !applied.contains($0) }
        } catch let error as DatabaseError {
            throw StoreError.databaseUnusable(path: path, reason: AppDatabase.reason(error))
        }
    }
}
