import Foundation
import Testing

@testable import TestSupport

@Suite("Golden files")
struct GoldenTests {
    @Test("a line that differs shows in the diff with its number, the golden file's as - and the output's as +")
    func diffNamesTheDifferingLine() {
        let expected = (1...20).map { "line \($0)" }.joined(separator: "\n") + "\n"
        let actual = expected.replacingOccurrences(of: "line 12\n", with: "line twelve\n")
        let diff = Golden.diff(expected: expected, actual: actual)
        #expect(
            diff == """
                …
                     10 | line 10
                     11 | line 11
                -    12 | line 12
                +    12 | line twelve
                     13 | line 13
                     14 | line 14
                …

                """)
    }

    @Test("lines only in the output, or only in the golden file, are numbered where they are")
    func insertedAndRemovedLines() {
        let diff = Golden.diff(expected: "a\nb\nc", actual: "a\nc\nd", context: 0)
        #expect(diff == "…\n-     2 | b\n…\n+     3 | d\n")
    }

    @Test("check reports a differing output with the diff, which its description prints")
    func checkCarriesTheDiff() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("golden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("expected.txt")
        try Data("one\ntwo\nthree\n".utf8).write(to: url)
        #expect(try Golden.check("one\ntwo\nthree\n", against: url) == .matches)
        let outcome = try Golden.check("one\n2\nthree\n", against: url)
        #expect(outcome == .differs(diff: "      1 | one\n-     2 | two\n+     2 | 2\n      3 | three\n      4 | \n"))
        #expect(outcome.description.contains("-     2 | two\n+     2 | 2\n"))
    }
}
