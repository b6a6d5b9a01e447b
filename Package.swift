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
        .library(name: "RegisterStore", targets: ["RegisterStore"]),
        .library(name: "RIPA", targets: ["RIPA"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
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
        .target(
            name: "RegisterStore",
            dependencies: [
                "Ledger", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: settings
        ),
        .target(
            name: "RIPA",
            dependencies: ["Ledger", "RegisterStore", .product(name: "Yams", package: "Yams")],
            swiftSettings: settings
        ),
        .executableTarget(
            name: "ripa",
            dependencies: ["RIPA", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: settings
        ),
        .executableTarget(
            name: "ripa-bench",
            dependencies: [
                "RIPA", "RegisterStore", "Ledger",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: settings
        ),
        .testTarget(name: "LedgerTests", dependencies: ["Ledger", "CSHA256", "CSodium"], resources: [.copy("Vectors")], swiftSettings: settings),
        .testTarget(
            name: "RegisterStoreTests",
            dependencies: ["RegisterStore", "Ledger", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: settings
        ),
        .testTarget(name: "RIPATests", dependencies: ["RIPA", "RegisterStore", "Ledger"], swiftSettings: settings),
        .testTarget(name: "RipaCLITests", dependencies: ["Ledger"], swiftSettings: settings),
    ]
)
