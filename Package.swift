// swift-tools-version: 6.0
import PackageDescription

/// ccdirsync allocates and frees millions of small values per run (users, names, index entries, changes); glibc's
/// malloc spends much of a plan consolidating and unlinking free chunks on the heap the LDAP read churned, which
/// jemalloc's size classes avoid (figures in docs/BENCHMARKS.md). The executables that run the sync link it (`libjemalloc-dev`, which
/// `make deps` installs); libraries and tests keep the system allocator.
let jemalloc: [LinkerSetting] = [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]

let package = Package(
    name: "ccdirsync",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ccdirsync", targets: ["ccdirsync"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // MARK: - C library
        .systemLibrary(
            name: "CLDAP",
            pkgConfig: "ldap",
            providers: [.apt(["libldap2-dev"])]
        ),

        // MARK: - LDAP
        .target(name: "LDAPModel"),
        .target(
            name: "LDAPClient", dependencies: ["CLDAP", "LDAPModel", .product(name: "Logging", package: "swift-log")]),

        // MARK: - cc:Mail
        .target(name: "CCMail"),

        // MARK: - Configuration (YAML → validated values, of Sync's settings types; Sync never imports Config)
        .target(
            name: "Config", dependencies: ["CCMail", "LDAPModel", "Sync", .product(name: "Yams", package: "Yams")]),

        // MARK: - The engine (never imports LDAPClient: it reads through DirectoryStore)
        .target(
            name: "Sync",
            dependencies: [
                "CCMail", "LDAPModel", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        // MARK: - verify: the lookups clients make, run against the live directory
        .target(name: "Verify", dependencies: ["CCMail", "LDAPModel", "Sync"]),

        // MARK: - The engine's DirectoryStore over libldap
        .target(
            name: "LDAPStore",
            dependencies: ["LDAPClient", "LDAPModel", "Sync", .product(name: "Logging", package: "swift-log")]),

        // MARK: - Reports (pure renderers of a plan)
        .target(name: "Reports", dependencies: ["Sync", "Verify", "CCMail", "LDAPModel"]),

        // MARK: - Command line
        .executableTarget(
            name: "ccdirsync",
            dependencies: [
                "CCMail",
                "Config",
                "LDAPClient",
                "LDAPModel",
                "LDAPStore",
                "Reports",
                "Sync",
                "Verify",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            linkerSettings: jemalloc,
            plugins: ["BuildInfo"]
        ),

        // The commit `ccdirsync --version` prints, written into the build folder before each build.
        .plugin(name: "BuildInfo", capability: .buildTool()),

        // MARK: - Benchmarks (make bench; not part of make test)
        .executableTarget(
            name: "ccdirsync-bench",
            dependencies: ["CCMail", "Config", "LDAPModel", "LDAPStore", "LDAPClient", "Sync", "TestSupport"],
            linkerSettings: jemalloc),
        .executableTarget(name: "ccdirsync-generate", dependencies: ["LDAPModel"]),

        // MARK: - Fault suite (make faults; a small run in make test: FaultTests)
        .executableTarget(name: "ccdirsync-faults", dependencies: ["TestSupport"]),

        // MARK: - Fuzzing (make fuzz builds ccdirsync-fuzz with libFuzzer; make test replays fixtures/fuzz/)
        .target(name: "FuzzTargets", dependencies: ["CCMail", "Config", "LDAPModel"]),
        .executableTarget(name: "ccdirsync-fuzz", dependencies: ["FuzzTargets"]),

        // MARK: - make demo (a throwaway slapd, a real sync, a report)
        .executableTarget(name: "ccdirsync-demo", dependencies: ["TestSupport"]),

        // MARK: - Test support (a real slapd on loopback)
        .target(name: "TestSupport", dependencies: ["CCMail", "Config", "LDAPClient", "LDAPModel", "Sync"]),

        // MARK: - Tests
        .testTarget(name: "LDAPModelTests", dependencies: ["LDAPModel", "TestSupport"]),
        .testTarget(name: "CCMailTests", dependencies: ["CCMail", "TestSupport"]),
        .testTarget(name: "LDAPClientTests", dependencies: ["LDAPClient", "LDAPModel"]),
        .testTarget(name: "ConfigTests", dependencies: ["Config", "Sync", "TestSupport"]),
        .testTarget(
            name: "SyncTests",
            dependencies: [
                "Sync", "Config", "CCMail", "LDAPModel", "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(name: "VerifyTests", dependencies: ["Verify", "Sync", "CCMail", "LDAPModel", "TestSupport"]),
        .testTarget(
            name: "ReportsTests", dependencies: ["Reports", "Sync", "LDAPModel", "TestSupport"], exclude: ["Golden"]),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["CCMail", "LDAPClient", "LDAPModel", "LDAPStore", "Sync", "Config", "TestSupport", "Verify"]),
        .testTarget(name: "TestSupportTests", dependencies: ["TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["CCMail", "TestSupport"]),
        .testTarget(
            name: "SecurityTests", dependencies: ["CCMail", "Config", "LDAPClient", "LDAPModel", "TestSupport"]),
        .testTarget(name: "FuzzCorpusTests", dependencies: ["FuzzTargets", "TestSupport"]),
        .testTarget(name: "FaultTests", dependencies: ["TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

for target in package.targets where target.type != .system && target.type != .plugin {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    target.swiftSettings = settings
}
