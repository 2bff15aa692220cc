import Foundation

/// Golden files: compare an output with a file, or re-record the file when `RECORD_SNAPSHOTS=1`.
///
/// A re-record returns `.recorded`, never `.matches`, so a test asserting `.matches` fails on the recording run
/// and a changed golden file cannot slip through as a silent pass. An output that differs comes back with a line
/// diff, printed with the golden file's path (swift-argument-parser's snapshot helper does the same).
package enum Golden {
    package enum Outcome: Sendable, Hashable, CustomStringConvertible {
        case matches
        /// The output differs; `diff` is `Golden.diff(expected:actual:)` of the golden file and the output.
        case differs(diff: String)
        case recorded

        package var description: String {
            switch self {
            case .matches: "matches"
            case .differs(let diff): "differs (- golden file, + output):\n\(diff)"
            case .recorded: "recorded (RECORD_SNAPSHOTS=1); run again without it"
            }
        }
    }

    package static func check(_ output: String, against url: URL) throws -> Outcome {
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(output.utf8).write(to: url)
            return .recorded
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if output == expected {
            return .matches
        }
        let outcome = Outcome.differs(diff: diff(expected: expected, actual: output))
        // Printed as well: `#expect(try Golden.check(…) == .matches)` does not show the value of a `try` expression.
        print("\(url.path) \(outcome)")
        return outcome
    }

    /// The lines that differ between `expected` and `actual`, each with its line number: `-` marks a line of
    /// `expected` (numbered there), `+` a line of `actual` (numbered there), and up to `context` unchanged lines
    /// (numbered in `expected`) stand around each change; `…` stands for the unchanged lines left out.
    package static func diff(expected: String, actual: String, context: Int = 2) -> String {
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var removals: [Int: Substring] = [:]
        var insertions: [Int: Substring] = [:]
        for change in actualLines.difference(from: expectedLines) {
            switch change {
            case .remove(let offset, let line, _): removals[offset] = line
            case .insert(let offset, let line, _): insertions[offset] = line
            }
        }
        // Both files walked together, as rows of (marker, line number, text).
        var rows: [(marker: Character, number: Int, text: Substring)] = []
        var expectedIndex = 0
        var actualIndex = 0
        while expectedIndex < expectedLines.count || actualIndex < actualLines.count {
            if let removed = removals[expectedIndex] {
                rows.append(("-", expectedIndex + 1, removed))
                expectedIndex += 1
            } else if let inserted = insertions[actualIndex] {
                rows.append(("+", actualIndex + 1, inserted))
                actualIndex += 1
            } else {
                rows.append((" ", expectedIndex + 1, expectedLines[expectedIndex]))
                expectedIndex += 1
                actualIndex += 1
            }
        }
        let changed = rows.indices.filter { rows[$0].marker != " " }
        var shown = Set<Int>()
        for index in changed {
            shown.formUnion(max(0, index - context)...min(rows.count - 1, index + context))
        }
        var text = ""
        var previous: Int?
        for index in shown.sorted() {
            if index > (previous.map { $0 + 1 } ?? 0) {
                text += "…\n"
            }
            let row = rows[index]
            text += "\(row.marker) \(String(row.number).leftPadded(to: 5)) | \(row.text)\n"
            previous = index
        }
        if let previous, previous < rows.count - 1 {
            text += "…\n"
        }
        return text
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: " ", count: max(0, width - count)) + self
    }
}
