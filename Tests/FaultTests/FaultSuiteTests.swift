import Foundation
import TestSupport
import Testing

/// The small version of `make faults`: the fault suite's binary on 1,000 users, three scenarios.
@Suite struct FaultSuiteTests {
    struct Row: Decodable {
        var scenario: String
        var interruptedExit: Int32
        var cleanStop: Bool
        var rerunExit: Int32
        var converged: Bool
        var undoExact: Bool
        var foreignKept: Bool
        var notes: [String]
    }

    /// `ccdirsync-faults` sits beside the test bundle in SwiftPM's build folder, with `ccdirsync` and
    /// `ccdirsync-generate` (`swift build --build-tests` builds every executable).
    static func binary() throws -> URL {
        var candidates: [URL] = []
        if let bundle = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            var directory = bundle.deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(directory.appendingPathComponent("ccdirsync-faults"))
                directory = directory.deletingLastPathComponent()
            }
        }
        candidates.append(ProjectPaths.root.appendingPathComponent(".build/debug/ccdirsync-faults"))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw SlapdError("ccdirsync-faults not found; looked in \(candidates.map(\.path))")
        }
        return found
    }

    /// Each re-run converges, undo restores the original, no foreign value is lost.
    @Test("1,000 users: kill -9 of sync in the modifies phase and of apply in the creates phase, answers lost")
    func smallSuite() throws {
        let figures = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ccdirsync-faults-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: figures) }
        let binary = try Self.binary()
        let pid = try Spawn.start(
            binary.path,
            [
                "--users", "1000", "--scenarios", "kill-modifies,kill-apply,proxy-lost-answers", "--figures",
                figures.path,
            ], stdin: 0, stdout: 2, stderr: 2)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let rows = try JSONDecoder().decode([Row].self, from: Data(contentsOf: figures))
        #expect(rows.map(\.scenario) == ["kill-modifies", "kill-apply", "proxy-lost-answers"])
        for row in rows {
            let context = Comment(rawValue: "\(row.scenario): \(row.notes.joined(separator: "; "))")
            #expect(row.cleanStop, context)
            #expect(row.rerunExit == 0, context)
            #expect(row.converged, context)
            #expect(row.undoExact, context)
            #expect(row.foreignKept, context)
        }
    }
}
