import Foundation
import Testing

/// Runs the built `ccdirsync` binary, as an administrator would.
struct CCDirSyncBinary {
    let url: URL

    /// The executable sits next to the test bundle in SwiftPM's build directory.
    static func locate() throws -> CCDirSyncBinary {
        var candidates: [URL] = []
        if let bundle = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            var directory = bundle.deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(directory.appendingPathComponent("ccdirsync"))
                directory = directory.deletingLastPathComponent()
            }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/ccdirsync"))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw CLITestError("ccdirsync binary not found; looked in \(candidates.map(\.path))")
        }
        return CCDirSyncBinary(url: found)
    }

    func run(
        _ arguments: [String], environment: [String: String]? = nil
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self)
        )
    }
}

struct CLITestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

@Suite struct VersionAndHelpTests {
    /// `0.1.0 (commit 1a2b3c4d5e6f)`, `0.1.0 (commit 1a2b3c4d5e6f-dirty)` or `0.1.0 (unknown commit)`.
    @Test func versionPrintsASemanticVersionAndTheCommit() throws {
        let result = try CCDirSyncBinary.locate().run(["--version"])
        #expect(result.status == 0)
        let line = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let version = line.prefix { $0 != " " }
        #expect(version.split(separator: ".").count == 3, "\(line)")
        #expect(version.split(separator: ".").allSatisfy { Int($0) != nil }, "\(line)")
        let commit = line.dropFirst(version.count)
        let hash = commit.dropFirst(" (commit ".count).prefix { $0.isHexDigit }
        #expect(
            commit == " (unknown commit)"
                || (commit.hasPrefix(" (commit ") && commit.hasSuffix(")") && hash.count >= 7),
            "\(line)")
    }

    @Test func helpDescribesTheTool() throws {
        let result = try CCDirSyncBinary.locate().run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: ccdirsync"))
        #expect(result.stdout.contains("MIGRATE:CCMAIL"))
    }

    @Test func unknownOptionIsAUsageError() throws {
        let result = try CCDirSyncBinary.locate().run(["--no-such-option"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--no-such-option"))
    }
}
