// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "ccdirsync",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ccdirsync", targets: ["ccdirsync"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
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
        .target(name: "LDAPClient", dependencies: ["CLDAP", "LDAPModel"]),

        // MARK: - cc:Mail
        .target(name: "CCMail"),

        // MARK: - Command line
        .executableTarget(
            name: "ccdirsync",
            dependencies: [
                "CCMail",
                "LDAPClient",
                "LDAPModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Benchmarks (make bench; not part of make test)
        .executableTarget(name: "ccdirsync-bench", dependencies: ["CCMail"]),

        // MARK: - Test support (a real slapd on loopback)
        .target(name: "TestSupport"),

        // MARK: - Tests
        .testTarget(name: "LDAPModelTests", dependencies: ["LDAPModel", "TestSupport"]),
        .testTarget(name: "CCMailTests", dependencies: ["CCMail", "TestSupport"]),
        .testTarget(name: "LDAPClientTests", dependencies: ["LDAPClient", "LDAPModel"]),
        .testTarget(name: "IntegrationTests", dependencies: ["LDAPClient", "LDAPModel", "TestSupport"]),
        .testTarget(name: "TestSupportTests", dependencies: ["TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    target.swiftSettings = settings
}
