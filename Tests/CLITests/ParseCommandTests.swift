import Foundation
import TestSupport
import Testing

/// Where `parse`'s fixtures and golden outputs live, found from this file (symlinks resolved).
enum ParseFixtures {
    static var directory: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent()  // CLITests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()
            .appendingPathComponent("fixtures/ccmail")
    }

    static var bad: URL { directory.appendingPathComponent("bad") }

    /// The sample organisation's three exports as `PO=path` arguments.
    static var organisation: [String] {
        [("LONDON", "london.exp"), ("PARIS", "paris.exp"), ("ZURICH", "zurich.exp")].map { postOffice, file in
            "\(postOffice)=\(directory.appendingPathComponent(file).path)"
        }
    }

    /// Runs `ccdirsync parse` and measures how long it took.
    static func parse(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String, seconds: Double)
    {
        let binary = try CCDirSyncBinary.locate()
        let start = Date()
        let result = try binary.run(["parse"] + arguments)
        return (result.status, result.stdout, result.stderr, Date().timeIntervalSince(start))
    }

    /// `stdout` with the fixture directory removed from paths, so golden files do not depend on the checkout.
    static func portable(_ output: String) -> String {
        output.replacingOccurrences(of: directory.path + "/", with: "")
    }

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ccdirsync-parse-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// One line of `fixtures/ccmail/bad/expected.txt`: a malformed export and the line `parse` must print for it.
struct BadExport: CustomTestStringConvertible, Sendable {
    var file: String
    var isGenerated: Bool
    var arguments: [String]
    var expected: String

    var testDescription: String { file }

    /// Every entry of `expected.txt`; empty when the file cannot be read (a separate test then fails).
    static let all: [BadExport] = (try? load()) ?? []

    static func load() throws -> [BadExport] {
        let text = try String(contentsOf: ParseFixtures.bad.appendingPathComponent("expected.txt"), encoding: .utf8)
        return try text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.map { line in
            let parts = line.components(separatedBy: " | ")
            guard parts.count == 3 else {
                throw CLITestError("expected.txt: not '<file> | <arguments> | <expected>': \(line)")
            }
            let name = parts[0].trimmingCharacters(in: .whitespaces)
            let isGenerated = name.hasSuffix(" (generated)")
            return BadExport(
                file: isGenerated ? String(name.dropLast(" (generated)".count)) : name, isGenerated: isGenerated,
                arguments: parts[1].split(separator: " ").map(String.init),
                expected: parts[2].trimmingCharacters(in: .whitespaces))
        }
    }

    /// Writes a generated file into `directory`; only `huge-line.exp` (10 MiB, too big to commit) is generated.
    func generate(in directory: URL) throws -> URL {
        guard file == "huge-line.exp" else {
            throw CLITestError("no generator for \(file)")
        }
        var bytes = Array("Name: ".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "A"), count: 10 * 1024 * 1024)
        bytes += Array("\r\nLoc: L\r\n".utf8) + [0x1A]
        let url = directory.appendingPathComponent(file)
        try Data(bytes).write(to: url)
        return url
    }
}

@Suite struct ParseCommandBadInputTests {
    @Test func expectationsCoverEveryBadFile() throws {
        let listed = try BadExport.load()
        #expect(listed.count >= 15)
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: ParseFixtures.bad.path)
            .filter { $0 != "expected.txt" }
        #expect(Set(onDisk) == Set(listed.filter { !$0.isGenerated }.map(\.file)), "every bad file has one expectation")
        #expect(listed.contains { $0.isGenerated && $0.file == "huge-line.exp" })
    }

    @Test(arguments: BadExport.all)
    func badExportExits65WithItsMessage(bad: BadExport) throws {
        let temporary = try ParseFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let url =
            bad.isGenerated ? try bad.generate(in: temporary) : ParseFixtures.bad.appendingPathComponent(bad.file)
        let result = try ParseFixtures.parse(["PO1=\(url.path)"] + bad.arguments)
        #expect(result.status == 65, "\(result.stderr)")
        let expected = bad.expected.replacingOccurrences(of: "FILE", with: url.path)
        #expect(result.stderr.components(separatedBy: "\n").contains(expected), "stderr:\n\(result.stderr)")
        #expect(result.seconds < 1, "took \(result.seconds) s")
    }

    @Test func conflictBetweenTwoExportsNamesBothFiles() throws {
        let temporary = try ParseFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let one = temporary.appendingPathComponent("po1.exp")
        let two = temporary.appendingPathComponent("po2.exp")
        try Data("Name: Doe, Jane\r\nAddr:\r\nLoc: L\r\n\r\n\u{1A}".utf8).write(to: one)
        try Data("Name: PO1\r\nLoc: P\r\n\r\nName: DOE, JANE\r\nAddr: PO3\r\nLoc: l\r\n\u{1A}".utf8).write(to: two)
        let result = try ParseFixtures.parse(["PO1=\(one.path)", "PO2=\(two.path)", "--format", "csv"])
        #expect(result.status == 65)
        #expect(
            result.stderr
                == "\(two.path):4:1: error: 'Doe, Jane' is homed on PO3 here but on PO1 at \(one.path):1; left out\n")
        #expect(result.stdout == "name,post_office,kind,fan,ccmail_address\n", "the disputed user is left out")
    }

    @Test func everyErrorOfEveryFileIsPrinted() throws {
        let result = try ParseFixtures.parse([
            "PO1=\(ParseFixtures.bad.appendingPathComponent("missing-name.exp").path)",
            "PO2=\(ParseFixtures.bad.appendingPathComponent("control-character.exp").path)",
        ])
        #expect(result.status == 65)
        #expect(result.stderr.split(separator: "\n").count == 2)
    }

    @Test func unreadableFileExits1() throws {
        let result = try ParseFixtures.parse(["PO1=/nonexistent/po1.exp"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot read /nonexistent/po1.exp"))
    }

    @Test(arguments: [
        [String](),
        ["po1.exp"],
        ["=po1.exp"],
        ["PO1="],
        ["PO1=a.exp", "po1=b.exp"],
        ["PO1=a.exp", "--codepage", "EBCDIC"],
        ["PO1=a.exp", "--codepage", "PO9=CP850"],
        ["PO1=a.exp", "--gateway", "INTERNET=x400"],
        ["PO1=a.exp", "--format", "xml"],
        ["MY PO=a.exp"],
    ])
    func usageErrorsExit64(arguments: [String]) throws {
        let result = try ParseFixtures.parse(arguments)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(!result.stderr.isEmpty)
    }
}

@Suite struct ParseCommandOutputTests {
    static let accentedNames = [
        "Dupont, Hélène", "Lefèvre, François", "Garçon, Noël", "Müller, Jürgen", "Øster, Åse", "Weiß, Günter",
    ]

    @Test(arguments: ["text", "json", "csv"])
    func fixturesPrintAccentedNamesAsUTF8(format: String) throws {
        let result = try ParseFixtures.parse(
            ParseFixtures.organisation + ["--codepage", "CP850", "--gateway", "INTERNET", "--format", format])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        for name in Self.accentedNames {
            #expect(result.stdout.contains(name), "\(format) output lacks \(name)")
        }
        try Self.compare(ParseFixtures.portable(result.stdout), golden: "parse.\(format == "text" ? "txt" : format)")
    }

    /// With SIGPIPE at its default, the first write to a pipe nobody reads killed ccdirsync (signal 13, exit 141 in
    /// a shell): mid-apply, too, when a server went away while a request was being written.
    @Test("a reader that has gone away does not kill ccdirsync: the command runs to its end and exits 0")
    func closedOutputIsNotFatal() throws {
        let process = Process()
        process.executableURL = try CCDirSyncBinary.locate().url
        process.arguments = ["parse"] + ParseFixtures.organisation + ["--codepage", "CP850", "--format", "json"]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try output.fileHandleForReading.close()
        try process.run()
        let messages = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit, "ended by signal \(process.terminationStatus)")
        #expect(process.terminationStatus == 0, "\(messages)")
    }

    @Test func csvHasExactlyTheDocumentedColumnsAndNoAliases() throws {
        let result = try ParseFixtures.parse(ParseFixtures.organisation + ["--codepage", "CP850", "--format", "csv"])
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first == "name,post_office,kind,fan,ccmail_address")
        #expect(lines.count == 14)
        #expect(!result.stdout.contains("Jones, Bob"))
        #expect(lines.contains("\"Øster, Åse\",ZURICH,user,,\"Øster, Åse at ZURICH\""))
        #expect(lines.contains("\"Garçon, Noël\",PARIS,mobile,,\"Garçon, Noël at PARIS\""))
    }

    @Test func gatewayModesChangeTheAddress() throws {
        let ccMail = try ParseFixtures.parse(ParseFixtures.organisation + ["--gateway", "INTERNET", "--format", "csv"])
        #expect(
            ccMail.stdout.contains(
                "\"Miller, Ann\",INTERNET,mobile,ann.miller@example.com,ann.miller@example.com at INTERNET"))
        let smtp = try ParseFixtures.parse(
            ParseFixtures.organisation + ["--gateway", "internet=SMTP", "--format", "csv"])
        #expect(
            smtp.stdout.contains("\"Miller, Ann\",INTERNET,mobile,ann.miller@example.com,SMTP:ann.miller@example.com"))
        let none = try ParseFixtures.parse(ParseFixtures.organisation + ["--format", "csv"])
        #expect(
            none.stdout.contains("\"Miller, Ann\",INTERNET,mobile,ann.miller@example.com,\"Miller, Ann at INTERNET\""))
    }

    @Test func codePageCanBeChosenPerExport() throws {
        let wrong = try ParseFixtures.parse(ParseFixtures.organisation + ["--format", "csv"])
        #expect(wrong.stdout.contains("¥ster, Åse"), "CP850's Ø is CP437's ¥")
        let right = try ParseFixtures.parse(
            ParseFixtures.organisation + ["--codepage", "CP437", "--codepage", "ZURICH=CP850", "--format", "csv"])
        #expect(right.stdout.contains("Øster, Åse"))
    }

    @Test func excludedPostOfficeLeavesItsUsersOut() throws {
        let result = try ParseFixtures.parse(
            ParseFixtures.organisation + ["--codepage", "CP850", "--exclude-post-office", "geneva"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("user 'Bianchi, Lucia': homed on excluded post office GENEVA"))
        #expect(result.stdout.contains("post office 'GENEVA': excluded by configuration"))
    }

    /// Compares with a golden file in `fixtures/ccmail/expected/`; `RECORD_SNAPSHOTS=1` rewrites it and fails, so a
    /// re-record is never a silent pass.
    static func compare(_ output: String, golden name: String) throws {
        let url = ParseFixtures.directory.appendingPathComponent("expected").appendingPathComponent(name)
        #expect(
            try Golden.check(output, against: url) == .matches, "differs from \(name); RECORD_SNAPSHOTS=1 re-records it"
        )
    }

}
