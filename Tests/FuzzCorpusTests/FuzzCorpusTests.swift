import Foundation
import FuzzTargets
import TestSupport
import Testing

/// Replays the fuzzing corpus (`fixtures/fuzz/<target>/`) and every crash the fuzzers found
/// (`fixtures/fuzz/crashes/<target>-<name>`) through the same entry points libFuzzer drives (`make fuzz`), so
/// `make test` checks every property on every input the fuzzers kept, and a fixed crash stays fixed.
@Suite struct FuzzCorpusTests {
    static let fuzzFolder = ProjectPaths.fixtures.appendingPathComponent("fuzz", isDirectory: true)
    static let crashesFolder = fuzzFolder.appendingPathComponent("crashes", isDirectory: true)

    /// The regular files of `folder`, sorted; throws when the folder cannot be listed.
    static func files(in folder: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(
            at: folder, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]
        )
        .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
        .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    static func replay(_ files: [URL], through target: FuzzTarget) throws -> [String] {
        var failures: [String] = []
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: file))
            do {
                try target.run(bytes)
            } catch {
                failures.append("\(file.lastPathComponent): \(error)")
            }
        }
        return failures
    }

    @Test(arguments: FuzzTarget.allCases)
    func corpusHoldsEveryProperty(_ target: FuzzTarget) throws {
        let folder = Self.fuzzFolder.appendingPathComponent(target.rawValue, isDirectory: true)
        let files = try Self.files(in: folder)
        try #require(!files.isEmpty, "fixtures/fuzz/\(target.rawValue)/ holds \(files.count) inputs; run make fuzz")
        let failures = try Self.replay(files, through: target)
        #expect(failures.isEmpty, "\(failures.count) of \(files.count) inputs:\n\(failures.joined(separator: "\n"))")
    }

    @Test func everyCrashIsFixed() throws {
        let files = try Self.files(in: Self.crashesFolder).filter { $0.lastPathComponent != "README.md" }
        var byTarget: [FuzzTarget: [URL]] = [:]
        for file in files {
            let target = FuzzTarget.allCases.first { file.lastPathComponent.hasPrefix("\($0.rawValue)-") }
            try #require(target != nil, "\(file.lastPathComponent) does not start with a target name and '-'")
            if let target {
                byTarget[target, default: []].append(file)
            }
        }
        for (target, files) in byTarget {
            let failures = try Self.replay(files, through: target)
            #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        }
    }
}
