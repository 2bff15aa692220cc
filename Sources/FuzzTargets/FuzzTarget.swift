/// The four coverage-guided fuzz targets, by the name `make fuzz` and `fixtures/fuzz/<name>/` use.
///
/// Each target feeds arbitrary bytes to one reader and checks properties that must hold for every input, so a
/// target fails in two ways: the reader traps (libFuzzer reports the crash), or a property does not hold (the
/// target throws ``PropertyViolation``; the libFuzzer driver turns that into a crash, the corpus replay test into a
/// test failure).
package enum FuzzTarget: String, Sendable, CaseIterable, CustomStringConvertible {
    /// `ExportParser.parse` and `Directory.merge` on a cc:Mail export, in every code page.
    case exportParser = "export-parser"
    /// `LDIFReader.read`, then `LDIFWriter` and `read` again.
    case ldifReader = "ldif-reader"
    /// `DistinguishedName(parsing:)`, printing and parsing again.
    case distinguishedName = "dn"
    /// `ConfigurationLoader.load(yaml:file:)`.
    case configLoader = "config-loader"

    package var description: String { rawValue }

    /// Runs one input through the target and checks its properties.
    package func run(_ data: [UInt8]) throws(PropertyViolation) {
        switch self {
        case .exportParser: try ExportParserTarget.run(data)
        case .ldifReader: try LDIFReaderTarget.run(data)
        case .distinguishedName: try DistinguishedNameTarget.run(data)
        case .configLoader: try ConfigLoaderTarget.run(data)
        }
    }
}

/// A property of a target that did not hold for an input.
package struct PropertyViolation: Error, Sendable, CustomStringConvertible {
    /// The target whose property failed.
    package var target: FuzzTarget
    /// Which property, and the values that broke it.
    package var message: String

    package init(_ target: FuzzTarget, _ message: String) {
        self.target = target
        self.message = message
    }

    package var description: String { "\(target): property violated: \(message)" }
}

extension FuzzTarget {
    /// Throws a violation of this target's properties unless `condition` holds.
    func require(
        _ condition: Bool, _ message: @autoclosure () -> String
    ) throws(PropertyViolation) {
        if !condition {
            throw PropertyViolation(self, message())
        }
    }
}
