import Foundation

/// The Exchange directory flavour a test server models (see `schemas/`).
public enum SchemaFlavour: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Exchange 5.5's LDAP directory.
    case exchange55
    /// Exchange 2000 and later: Active Directory.
    case exchange2000

    /// The suffix the fixture organisation of this flavour lives under.
    public var defaultSuffix: String {
        switch self {
        case .exchange55: "o=Org"
        case .exchange2000: "dc=example,dc=org"
        }
    }

    public var description: String { rawValue }
}

/// Where the repository's schemas and fixtures are, found from this source file's location.
///
/// Tests, the demo and the benchmark run from different working directories; the source
/// tree is the one fixed point. Symlinks are resolved so a package that links these sources
/// in from elsewhere still finds the real repository.
public enum ProjectPaths {
    /// The repository root (the directory holding `Package.swift`).
    public static var root: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent()  // TestSupport
            .deletingLastPathComponent()  // Sources
            .deletingLastPathComponent()
    }

    public static var schemas: URL { root.appendingPathComponent("schemas") }
    public static var fixtures: URL { root.appendingPathComponent("fixtures") }

    /// The OpenLDAP schema file of a flavour.
    public static func schema(_ flavour: SchemaFlavour) -> URL {
        schemas.appendingPathComponent("\(flavour.rawValue).schema")
    }

    /// The seed LDIF of a flavour's fixture organisation.
    public static func seedLDIF(_ flavour: SchemaFlavour) -> URL {
        fixtures.appendingPathComponent(flavour.rawValue).appendingPathComponent("seed.ldif")
    }
}
