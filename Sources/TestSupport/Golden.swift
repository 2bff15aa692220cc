import Foundation

/// Golden files: compare an output with a file, or re-record the file when `RECORD_SNAPSHOTS=1`.
///
/// A re-record returns `.recorded`, never `.matches`, so a test asserting `.matches` fails on the recording run
/// and a changed golden file cannot slip through as a silent pass.
public enum Golden {
    public enum Outcome: Sendable, Hashable {
        case matches
        case differs
        case recorded
    }

    public static func check(_ output: String, against url: URL) throws -> Outcome {
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(output.utf8).write(to: url)
            return .recorded
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        return output == expected ? .matches : .differs
    }
}
