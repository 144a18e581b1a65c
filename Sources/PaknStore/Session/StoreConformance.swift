@_exported import PaknStoreAPI
import Foundation
import PaknCore

// The SQLite store is one engine behind the interface the front ends use (PaknStoreAPI):
// `AppDatabase` opens sessions, `Session` answers them. A client that imports PaknStore
// (the `pakn` executable, the tests) sees the interface and its values through it.

extension Session: StoreSession {
    /// The store's permission table (`Session.permissions`), for a caller that holds any session.
    public var permissions: PermissionTable { Self.permissions }
}

extension AppDatabase: StoreEngine {
    public func openSession(login: String, actingAs: String?, now: Date?) throws -> any StoreSession {
        try session(login: login, actingAs: actingAs, now: now)
    }
}

extension AppDatabase {
    public var engineDisplay: String { path }
    public var publicReadConcurrency: Int { Self.readerCount }
}
