// swift-tools-version:6.1
import PackageDescription

// One direction of dependency: pakn → PaknTerminal → PaknUI → PaknStoreAPI → PaknCore, and
// pakn → PaknStore (the SQLite engine) → PaknStoreAPI. PaknCore is pure Swift (no I/O);
// PaknStoreAPI knows no GRDB and no SQL; PaknUI never touches ncurses or an engine.
let package = Package(
    name: "pakn",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "pakn", targets: ["pakn"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Hummingbird's own dependencies, named for the modules PaknServe imports.
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .target(name: "PaknCore"),
        // The interface the front ends use (`StoreSession`, `StoreEngine`) and the values it
        // speaks: no GRDB, no SQL. Every engine implements it (docs/architecture.md §1).
        .target(name: "PaknStoreAPI", dependencies: ["PaknCore"]),
        .target(
            name: "PaknStore",
            dependencies: ["PaknCore", "PaknStoreAPI", "CZlib", "CPaknHash", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "GRDBSQLite", package: "GRDB.swift")],
            // Resources/ is built into the binary (Reference/BundledResources.swift, made by
            // mk/embed-resources.sh): an installed pakn has no resource bundle to lose.
            exclude: ["Resources"]
        ),
        .target(
            name: "PaknUI",
            dependencies: ["PaknCore", "PaknStoreAPI", "TOMLKit"]
        ),
        // Not shipped modules: training databases and the stress driver (`pakn demo`,
        // `pakn stress`), and the desk benchmark (`pakn bench`). They reach store internals
        // through `package` access, never through public API made for them.
        .target(
            name: "PaknDemo",
            dependencies: ["PaknCore", "PaknStore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "PaknBench",
            dependencies: ["PaknCore", "PaknStore", "PaknUI", "PaknDemo", "PaknServe", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // SHA-256 with the CPU's SHA instructions, for the hash chain (PaknStore.ChainHash).
        .target(name: "CPaknHash"),
        // Test support: each test process's scratch folders, removed when it exits.
        .target(name: "PaknTestSupport"),
        // The build's git commit for `pakn --version` (build_commit.h, written by mk/buildinfo.sh).
        .target(name: "CPaknBuild"),
        // zlib: stored text is raw deflate (docs/data-model.md, "Stored text").
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CNcursesw",
            providers: [.apt(["libncurses-dev"])]
        ),
        .target(name: "PaknTerminal", dependencies: ["PaknUI", "CNcursesw"]),
        // PostgreSQL as the shared engine (issue 13, docs/deployment.md): connecting, the
        // schema as versioned migrations, roles and row-level security. Knows no GRDB.
        .target(
            name: "PaknPostgres",
            dependencies: ["PaknCore", "PaknStoreAPI", .product(name: "PostgresNIO", package: "postgres-nio")]
        ),
        // `pakn migrate` / `pakn init --db postgres://…`: reads a SQLite file (GRDB) and
        // copies its rows into PostgreSQL (PaknPostgres). Glue only; the store is not in it.
        .target(
            name: "PaknMove",
            dependencies: ["PaknCore", "PaknPostgres", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "PostgresNIO", package: "postgres-nio")]
        ),
        // `pakn serve`: the Open311 GeoReport v2 service (issue 16, docs/open311.md). It opens
        // sessions through `StoreSession` like the desk, so it serves both engines; no GRDB here.
        .target(
            name: "PaknServe",
            dependencies: ["PaknCore", "PaknStoreAPI", .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "Logging", package: "swift-log"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")]
        ),
        .executableTarget(
            name: "pakn",
            dependencies: [
                "PaknCore", "PaknStoreAPI", "PaknStore", "PaknUI", "PaknTerminal", "PaknDemo", "PaknBench", "CPaknBuild", "PaknPostgres", "PaknMove", "PaknServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "PaknCoreTests", dependencies: ["PaknCore"]),
        // SharedData/: copies of ../shared/data for clones without it (UnitsTests).
        .testTarget(name: "PaknStoreTests", dependencies: ["PaknStore", "PaknDemo", "PaknPostgres", "PaknMove", "PaknTestSupport"], exclude: ["SharedData"]),
        .testTarget(name: "PaknUITests", dependencies: ["PaknUI", "PaknDemo", "PaknTestSupport"]),
        .testTarget(name: "PaknCLITests", dependencies: ["PaknCore", "PaknStore", "PaknDemo", "pakn", "PaknPostgres", "PaknMove", "PaknUI", "PaknServe", "PaknBench", "PaknTestSupport"]),
        // Against a live server: `make test` starts a throwaway cluster (mk/postgres.mk).
        .testTarget(name: "PaknPostgresTests", dependencies: ["PaknCore", "PaknPostgres", .product(name: "PostgresNIO", package: "postgres-nio")]),
    ]
)
