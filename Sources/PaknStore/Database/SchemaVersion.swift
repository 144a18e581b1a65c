import Foundation

/// The database schema this build writes, for `pakn --version`: the migrations of
/// `Schema.migrator`, oldest first; the last one names the schema version.
public enum SchemaVersion {
    public static var migrations: [String] { Schema.migrator.migrations }
    /// The last migration's name ("v6-plain-text").
    public static var name: String { migrations.last ?? "-" }
    public static var count: Int { migrations.count }
}
