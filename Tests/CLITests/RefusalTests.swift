import Foundation
import TestSupport
import Testing

/// A command line run in a folder of its own, the way an administrator runs what ccdirsync printed.
struct ShellRun {
    var status: Int32
    var stdout: String
    var stderr: String

    /// `arguments` run directly (no shell), in `folder`, with `environment` changes (nil removes a variable).
    static func binary(
        _ arguments: [String], in folder: URL, environment: [String: String?] = [:]
    ) throws -> ShellRun {
        try run(CCDirSyncBinary.locate().url, arguments, in: folder, environment: environment)
    }

    /// `command` exactly as printed, split and unquoted by bash, in `folder`.
    static func shell(
        _ command: String, in folder: URL, environment: [String: String?] = [:]
    ) throws -> ShellRun {
        try run(URL(fileURLWithPath: "/bin/bash"), ["-c", command], in: folder, environment: environment)
    }

    private static func run(
        _ executable: URL, _ arguments: [String], in folder: URL, environment: [String: String?]
    ) throws -> ShellRun {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var variables = ProcessInfo.processInfo.environment
        for (name, value) in environment {
            variables[name] = value
        }
        process.environment = variables
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ShellRun(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}

extension PlanWorkspace {
    /// Rewrites the config file: `replacing` each key's text with its value; every one must be there.
    func editConfig(_ replacing: [String: String]) throws {
        var config = try String(contentsOf: configFile, encoding: .utf8)
        for (old, new) in replacing {
            guard config.contains(old) else {
                throw CLITestError("the config does not hold \(old)")
            }
            config = config.replacingOccurrences(of: old, with: new)
        }
        try Data(config.utf8).write(to: configFile)
    }

    /// A new empty folder inside the workspace, to run commands from.
    func folder(_ name: String) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Section 5 of issue 20: where ccdirsync cannot go on safely it says why and what to change, with a code of its
/// own, and every command it prints runs as printed.
@Suite(.serialized) struct RefusalTests {
    static let contacts = "ou=ccMail Contacts,dc=example,dc=org"
    static let missing = "ou=Nowhere,dc=example,dc=org"

    /// The text after `marker` up to the end of its line on standard error, or a failure naming what was printed.
    static func after(_ marker: String, in stderr: String) throws -> String {
        for line in stderr.split(separator: "\n") {
            if let range = line.range(of: marker) {
                return String(line[range.upperBound...])
            }
        }
        throw CLITestError("no \"\(marker)\" in: \(stderr)")
    }

    @Test("a customRecipientContainer that does not exist: plan, sync and check exit 78 naming it; nothing written")
    func missingContainer() async throws {
        try await withSlapd(SlapdConfiguration(flavour: .exchange2000)) { server in
            let workspace = try PlanWorkspace(flavour: .exchange2000, server: server)
            defer { workspace.remove() }
            try workspace.editConfig(["\"\(Self.contacts)\"": "\"\(Self.missing)\""])
            let before = try PlanWorkspace.dump(server)
            for command in ["plan", "sync"] {
                let result = try workspace.run([command, "--config", workspace.configFile.path])
                #expect(result.status == 78, "\(command): \(result.stderr)")
                #expect(result.stderr.contains("\"\(Self.missing)\""), "\(command): \(result.stderr)")
                #expect(result.stderr.contains("exchange.customRecipientContainer"), "\(command): \(result.stderr)")
                #expect(result.stdout.isEmpty, "\(command): no report of a plan made on a guess")
            }
            #expect(try PlanWorkspace.dump(server) == before, "nothing written")
            let check = try workspace.run(["check", "--config", workspace.configFile.path])
            #expect(check.status == 78, "\(check.stdout)")
            #expect(check.stdout.contains("FAIL ") && check.stdout.contains("\"\(Self.missing)\""), "\(check.stdout)")
        }
    }

    @Test("StartTLS against a server without TLS: 78, and the message says what to change")
    func startTLSWithoutTLS() async throws {
        try await withSlapd(SlapdConfiguration(flavour: .exchange2000)) { server in
            let workspace = try PlanWorkspace(flavour: .exchange2000, server: server)
            defer { workspace.remove() }
            try workspace.editConfig(["tls: {mode: none}": "tls: {mode: starttls}"])
            let plan = try workspace.run(["plan", "--config", workspace.configFile.path])
            let check = try workspace.run(["check", "--config", workspace.configFile.path])
            #expect(plan.status == 78, "\(plan.stderr)")
            #expect(check.status == 78, "\(check.stdout)")
            for output in [plan.stderr, check.stdout] {
                #expect(output.contains(server.url), "\(output)")
                #expect(output.contains("does not offer StartTLS"), "\(output)")
                #expect(output.contains("use an ldaps:// URL"), "\(output)")
                #expect(output.contains("enable TLS on the server"), "\(output)")
                #expect(output.contains("ldap.tls.mode: none"), "\(output)")
            }
        }
    }

    @Test("check shows each error of a bad export as file:line:column, and counts one in the singular")
    func checkShowsExportErrors() throws {
        let workspace = try PlanWorkspace(flavour: .exchange2000, server: nil, exports: [("LONDON", "london.exp")])
        defer { workspace.remove() }
        try Data("Name: Smith, John\r\nLoc: L\r\n\r\nName: Broken\r\nthis line has no label\r\n".utf8).write(
            to: URL(fileURLWithPath: workspace.path("london.exp")))
        let check = try workspace.run(["check", "--config", workspace.configFile.path])
        #expect(check.status == 65, "\(check.stdout)")
        #expect(check.stdout.contains(", 1 error, 0 warnings\n"), "\(check.stdout)")
        let lines = check.stdout.split(separator: "\n")
        let failed = try #require(lines.firstIndex { $0.hasPrefix("FAIL export LONDON london.exp:") })
        let shown = lines[lines.index(after: failed)]
        #expect(shown.wholeMatch(of: /[ ]{5}london\.exp:5:1: error: .+/) != nil, "\(check.stdout)")
        #expect(check.stdout.contains("ok   cc:Mail directory: 1 user, 0 conflicts, 0 exclusions\n"), "\(check.stdout)")
        #expect(!check.stdout.contains("warn warning:"), "one label per line: \(check.stdout)")
        #expect(check.stdout.contains("warn ldap.tls.mode is none"), "\(check.stdout)")
    }

    @Test("a password file that is missing: exit 64 naming the file and the reason, said once")
    func missingPasswordFile() throws {
        let workspace = try PlanWorkspace(flavour: .exchange2000, server: nil)
        defer { workspace.remove() }
        try FileManager.default.removeItem(atPath: workspace.path("secret.txt"))
        let plan = try workspace.run(["plan", "--config", workspace.configFile.path])
        #expect(plan.status == 64, "\(plan.stderr)")
        #expect(plan.stderr.contains("secret.txt: No such file or directory"), "\(plan.stderr)")
        #expect(plan.stderr.components(separatedBy: "cannot read the bind password").count == 2, "\(plan.stderr)")
    }

    @Test("plan over a threshold without --out: both printed commands run as printed, from a path with a space")
    func planHintsRunAsPrinted() async throws {
        try await withSlapd(SlapdConfiguration(flavour: .exchange55)) { server in
            let workspace = try PlanWorkspace(flavour: .exchange55, server: server)
            defer { workspace.remove() }
            try workspace.editConfig(["creates: {count: 500, percent: 500}": "creates: {count: 1, percent: 500}"])
            // The config is named through a folder whose name a shell would split and unquote.
            let link = workspace.directory.appendingPathComponent("the admin's config")
            try FileManager.default.createSymbolicLink(at: link, withDestinationURL: workspace.directory)
            let config = link.appendingPathComponent("ccdirsync.yaml").path
            let here = try workspace.folder("cwd")
            let plan = try ShellRun.binary(["plan", "--config", config], in: here)
            #expect(plan.status == 0, "\(plan.stderr)")
            let hints = try Self.after("write it with: ", in: plan.stderr)
                .split(separator: ", then after review apply it with: ").map(String.init)
            try #require(hints.count == 2, "\(plan.stderr)")
            let write = try ShellRun.shell(hints[0], in: here)
            #expect(write.status == 0, "\(hints[0]): \(write.stderr)")
            let planFile = try #require(
                try FileManager.default.contentsOfDirectory(atPath: here.path).first { $0.hasPrefix("plan-") })
            // apply without the approval refuses, and prints the very command the plan printed.
            let refused = try ShellRun.binary(["apply", "--config", config, "--plan", planFile], in: here)
            #expect(refused.status == 3, "\(refused.stderr)")
            let approve = try Self.after("Review it and run: ", in: refused.stderr)
            #expect(approve == hints[1])
            let before = try PlanWorkspace.dump(server)
            let applied = try ShellRun.shell(approve, in: here)
            #expect(applied.status == 0, "\(approve): \(applied.stderr)")
            #expect(try PlanWorkspace.dump(server) != before, "the approved plan was applied")
        }
    }

    @Test("plan --out and sync over a threshold: the printed approval runs as printed and applies the plan")
    func syncHintRunsAsPrinted() async throws {
        try await withSlapd(SlapdConfiguration(flavour: .exchange2000)) { server in
            let workspace = try PlanWorkspace(flavour: .exchange2000, server: server)
            defer { workspace.remove() }
            try workspace.editConfig(["creates: {count: 500, percent: 500}": "creates: {count: 1, percent: 500}"])
            let here = try workspace.folder("cwd")
            let plan = try ShellRun.binary(
                ["plan", "--config", "../ccdirsync.yaml", "--out", "reviewed.json"], in: here)
            #expect(plan.status == 0, "\(plan.stderr)")
            let planHint = try Self.after("after review, apply it with: ", in: plan.stderr)
            #expect(planHint.contains(" apply --config ../ccdirsync.yaml --plan reviewed.json --approve "))
            let sync = try ShellRun.binary(["sync", "--config", "../ccdirsync.yaml"], in: here)
            #expect(sync.status == 3, "\(sync.stderr)")
            let syncHint = try Self.after(" and run: ", in: sync.stderr)
            let applied = try ShellRun.shell(syncHint, in: here)
            #expect(applied.status == 0, "\(syncHint): \(applied.stderr)")
            let again = try ShellRun.binary(
                ["plan", "--config", "../ccdirsync.yaml", "--detailed-exitcode"], in: here)
            #expect(again.status == 0, "in step after the approved apply: \(again.stdout)")
        }
    }

    @Test("NO_COLOR set and non-empty turns colour off on a terminal; empty leaves it on")
    func noColor() throws {
        let plan = ProjectPaths.fixtures.appendingPathComponent("expected/plan-exchange2000.json").path
        let binary = try CCDirSyncBinary.locate().url.path
        let folder = FileManager.default.temporaryDirectory
        // script(1) gives the command a terminal, which is where ccdirsync colours its reports.
        let command = "script -qec \"'\(binary)' report --plan '\(plan)'\" /dev/null"
        func run(_ noColor: String?) throws -> ShellRun {
            var environment: [String: String?] = ["NO_COLOR": noColor]
            environment["TERM"] = "xterm"
            return try ShellRun.shell(command, in: folder, environment: environment)
        }
        let coloured = try run(nil)
        let empty = try run("")
        let plain = try run("1")
        for result in [coloured, empty, plain] {
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("ccdirsync plan"), "\(result.stdout)")
        }
        #expect(coloured.stdout.contains("\u{1B}["), "a terminal gets colour")
        #expect(empty.stdout.contains("\u{1B}["), "an empty NO_COLOR is not set")
        #expect(!plain.stdout.contains("\u{1B}["), "\(plain.stdout.prefix(200))")
    }

    @Test("verify --help offers only the formats verify accepts")
    func verifyHelpFormats() throws {
        let help = try CCDirSyncBinary.locate().run(["verify", "--help"])
        #expect(help.status == 0)
        let format = try #require(help.stdout.split(separator: "\n").first { $0.contains("--format") })
        #expect(!help.stdout.contains("ldif"), "\(format)")
        #expect(help.stdout.contains("(values: text, json, csv, html;"), "\(help.stdout)")
    }
}
