import CCMail
import Foundation
import TestSupport

/// Builds export bytes and parses them, so tests read like the exports they describe.
enum Export {
    /// `lines` joined with `lineEnd`, encoded as Latin-1 code units (tests write non-ASCII bytes as `\u{XX}`).
    static func bytes(_ lines: [String], lineEnd: String = "\r\n", controlZ: Bool = false) -> [UInt8] {
        let text = lines.map { $0 + lineEnd }.joined()
        var bytes = text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
        if controlZ {
            bytes.append(0x1A)
        }
        return bytes
    }

    /// Parses `bytes` as the export of `postOffice` named `file`.
    static func parse(
        _ bytes: [UInt8], postOffice: String = "PO1", file: String = "po1.exp", codePage: CodePage = .cp437,
        limits: ExportLimits = .default
    ) -> ParsedExport {
        ExportParser.parse(
            bytes, source: ExportSource(postOffice: CCMailName(postOffice), file: file, codePage: codePage),
            limits: limits)
    }

    /// Parses `lines` (CRLF, no Ctrl-Z).
    static func parse(
        lines: [String], postOffice: String = "PO1", file: String = "po1.exp", codePage: CodePage = .cp437
    ) -> ParsedExport {
        parse(bytes(lines), postOffice: postOffice, file: file, codePage: codePage)
    }
}

/// The repository's `fixtures/ccmail` directory, found from this file (symlinks resolved).
enum CCMailFixtures {
    static var directory: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent()  // CCMailTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()
            .appendingPathComponent("fixtures/ccmail")
    }

    /// The bytes of a fixture file.
    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// The three exports of the sample organisation, parsed as CP850.
    static func organisation() throws -> [ParsedExport] {
        try [("LONDON", "london.exp"), ("PARIS", "paris.exp"), ("ZURICH", "zurich.exp")].map { postOffice, file in
            Export.parse(try bytes(file), postOffice: postOffice, file: file, codePage: .cp850)
        }
    }
}

extension ParsedExport {
    /// The users among the entries.
    var users: [UserEntry] {
        entries.compactMap {
            if case .user(let user) = $0 {
                return user
            }
            return nil
        }
    }
}
