import Foundation

/// Where the repository's schemas and fixtures are.
///
/// Tests, the demo and the benchmark run from different working directories, so the path is
/// derived from this source file (`#filePath`), the one fixed point. Symlinks are resolved: a
/// scratch package that links `Sources/TestSupport` in from the repository (or a repository
/// that is itself reached through a symlink) still finds the real schemas and fixtures.
package enum ProjectPaths {
    /// The repository root: the directory that holds `Package.swift`, `schemas/`, `fixtures/`.
    package static var root: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent()  // Sources/TestSupport
            .deletingLastPathComponent()  // Sources
            .deletingLastPathComponent()
    }

    /// `schemas/`: the OpenLDAP schema of each flavour.
    package static var schemas: URL { root.appendingPathComponent("schemas", isDirectory: true) }

    /// `schemas/exchange2000-ad.ldif`: the Exchange schema extension for Active Directory (see `SambaADTemplate`).
    package static var adSchemaExtension: URL { schemas.appendingPathComponent("exchange2000-ad.ldif") }

    /// `fixtures/`: seed directories and cc:Mail exports.
    package static var fixtures: URL { root.appendingPathComponent("fixtures", isDirectory: true) }

    /// `schemas/<flavour>.schema`.
    package static func schema(_ flavour: SchemaFlavour) -> URL {
        schemas.appendingPathComponent("\(flavour.rawValue).schema")
    }

    /// `fixtures/<flavour>/seed.ldif`: the fixture organisation (see `fixtures/README.md`).
    package static func seedLDIF(_ flavour: SchemaFlavour) -> URL {
        fixtures.appendingPathComponent(flavour.rawValue, isDirectory: true).appendingPathComponent("seed.ldif")
    }
}
