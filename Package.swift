// swift-tools-version:6.1
import PackageDescription

/// One settings array for every target: Swift 6 language mode plus the upcoming features
/// CONVENTIONS.md asks for.
let settings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "ripa-register",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ripa", targets: ["ripa"]),
        .executable(name: "ripa-bench", targets: ["ripa-bench"]),
        .library(name: "Ledger", targets: ["Ledger"]),
        .library(name: "RegisterStorage", targets: ["RegisterStorage"]),
        .library(name: "RIPA", targets: ["RIPA"]),
        .library(name: "RegisterFiles", targets: ["RegisterFiles"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]
        ),
        // SHA-256 with the x86 SHA extensions where present: libsodium's is portable C only.
        .target(name: "CSHA256"),
        .target(name: "Ledger", dependencies: ["CSodium", "CSHA256"], swiftSettings: settings),
        // The storage port: protocols and the backend-neutral log steps; no database library.
        .target(name: "RegisterStorage", dependencies: ["Ledger"], swiftSettings: settings),
        // The backends.
        .target(
            name: "SQLiteStorage",
            dependencies: [
                "Ledger", "RegisterStorage",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: settings
        ),
        .target(name: "MemoryStorage", dependencies: ["Ledger", "RegisterStorage"], swiftSettings: settings),
        // The domain and its application services: reach storage only through the port.
        .target(
            name: "RIPA",
            dependencies: ["Ledger", "RegisterStorage", .product(name: "Yams", package: "Yams")],
            swiftSettings: settings
        ),
        // Composition: a register kept in files (SQLite database + register key file).
        // Export bundles are checked in a memory store (MemoryStorage), with no database.
        .target(name: "RegisterFiles", dependencies: ["RIPA", "Ledger", "RegisterStorage", "SQLiteStorage", "MemoryStorage"], swiftSettings: settings),
        // A C2SP tlog-witness (`ripa witness serve`): its checks, its key and its own small state
        // store (GRDB), so a front end serves it without importing a storage module.
        .target(
            name: "Witness",
            dependencies: ["Ledger", "RIPA", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: settings
        ),
        // Front ends: they depend on the services and the composition, never on a storage module.
        // The web application and JSON API (`ripa serve`): a front end like `ripa`, beside it.
        .target(
            name: "RegisterServer",
            dependencies: [
                "RIPA", "Ledger", "RegisterFiles", "Witness",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [.copy("Templates"), .copy("Assets")],
            swiftSettings: settings
        ),
        .executableTarget(
            name: "ripa",
            dependencies: [
                "RIPA", "Ledger", "RegisterFiles", "RegisterServer", "Witness",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: settings
        ),
        .executableTarget(
            name: "ripa-bench",
            dependencies: [
                "RIPA", "RegisterFiles", "RegisterStorage", "SQLiteStorage", "Ledger", "RegisterServer",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: settings
        ),
        .testTarget(name: "LedgerTests", dependencies: ["Ledger", "CSHA256", "CSodium"], resources: [.copy("Vectors")], swiftSettings: settings),
        .testTarget(
            name: "StorageContractTests",
            dependencies: ["RegisterStorage", "SQLiteStorage", "MemoryStorage", "Ledger", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: settings
        ),
        .testTarget(name: "RIPATests", dependencies: ["RIPA", "RegisterStorage", "MemoryStorage", "RegisterFiles", "Ledger"], swiftSettings: settings),
        .testTarget(name: "RipaCLITests", dependencies: ["Ledger"], swiftSettings: settings),
        .testTarget(name: "WitnessTests", dependencies: ["Witness", "Ledger", "RIPA"], swiftSettings: settings),
        .testTarget(
            name: "RegisterServerTests",
            dependencies: [
                "RegisterServer", "RIPA", "RegisterFiles", "MemoryStorage", "RegisterStorage", "Ledger",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: settings
        ),
    ]
)
