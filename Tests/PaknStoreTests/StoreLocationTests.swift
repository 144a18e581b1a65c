import PaknStore
import Testing

/// How a `--db` value is read: the one rule every front end shares (PaknStoreAPI).
@Suite struct StoreLocationTests {
    @Test func serverSchemesMakeAServer() {
        for v in ["postgres://h/db", "postgresql://u@h:5432/db", "POSTGRES://h/db", "PostgreSQL:///db?host=/run/postgresql"] {
            #expect(StoreLocation(v) == .server(url: v), "\(v)")
        }
    }

    @Test func everythingElseIsAFile() {
        for v in ["/var/lib/pakn/pakn.sqlite", "pakn.sqlite", "postgres.sqlite", "postgres:db", "./postgres://x",
                  "sqlite://x", "mysql://h/db", ""] {
            #expect(StoreLocation(v) == .file(path: v), "\(v)")
        }
    }

    @Test func displayNeverShowsAPassword() {
        #expect(StoreLocation("postgres://nva:secret@h:5432/pakn").display == "postgres://nva@h:5432/pakn")
        #expect(StoreLocation("postgres://nva@h/pakn").display == "postgres://nva@h/pakn")
        #expect(StoreLocation("/a/b.sqlite").display == "/a/b.sqlite")
        #expect(!StoreLocation("postgres://nva:secret@h:bad port/x").display.contains("secret"))
    }
}
