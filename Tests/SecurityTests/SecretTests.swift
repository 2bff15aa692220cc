import Foundation
import TestSupport
import Testing

/// The bind password never appears in any output stream or in any file a run writes, whichever subcommand runs and
/// however it fails; it can only come from a file or the environment, never from argv.
@Suite struct SecretTests {
    static let subcommands = ["plan", "apply", "sync", "undo", "report", "check", "parse", "verify"]
    static let environmentVariable = "CCDIRSYNC_SEC_TEST_PASSWORD"

    /// The password as plain bytes and in every base64 alignment (LDIF and JSON reports encode some values).
    static let leakForms: [[UInt8]] = {
        let plain = Array(secretPassword.utf8)
        var forms = [plain]
        for shift in 0..<3 {
            // Base64 works on 3-byte groups; keep the characters of the groups made of password bytes only.
            let encoded = Array(
                Data(Array(repeating: UInt8(ascii: "x"), count: shift) + plain).base64EncodedString().utf8)
            let firstGroup = shift == 0 ? 0 : 1
            let endGroup = (shift + plain.count) / 3
            forms.append(Array(encoded[4 * firstGroup..<4 * endGroup]))
        }
        return forms
    }()

    /// A message naming `name` when `bytes` hold the password in any of its forms; nil when they do not.
    static func leak(in bytes: [UInt8], named name: String) -> String? {
        for form in leakForms where bytes.contains(bytes: form) {
            return "\(name) holds the password (\(String(decoding: form, as: UTF8.self)))"
        }
        return nil
    }

    /// Runs every subcommand, successful and failing, with the password from `source`; returns what it checked.
    func runEverything(
        _ server: SlapdServer, password: ConfigSpec.PasswordFrom, label: String
    ) throws -> (runs: [(String, ChildRun)], workspace: SecurityWorkspace) {
        let workspace = try SecurityWorkspace("secret-\(label)")
        try workspace.copyFixtureExports()
        var environment: [String: String] = [:]
        switch password {
        case .file(let name): try workspace.write(name, secretPassword + "\n", mode: 0o600)
        case .environment(let name): environment[name] = secretPassword
        }
        var spec = ConfigSpec(flavour: .exchange2000, server: server)
        spec.password = password
        spec.extra = "state: {directory: state}"
        try workspace.writeConfig(spec)
        let config = ["--config", workspace.configPath]
        var runs: [(String, ChildRun)] = []
        func run(_ name: String, _ arguments: [String], expect status: Int32) throws {
            // At the most verbose log level, so every log line is scanned too (the default prints a subset).
            let result = try workspace.run(arguments + ["--log-level", "trace"], environment: environment)
            #expect(result.status == status, "\(label) \(name): \(result.output)")
            runs.append((name, result))
        }
        try run("check", ["check"] + config, expect: 0)
        try run(
            "parse",
            ["parse"] + ["LONDON", "PARIS", "ZURICH"].map { "\($0)=\(workspace.path($0.lowercased() + ".exp"))" }
                + ["--codepage", "CP850", "--gateway", "INTERNET", "--format", "json"], expect: 0)
        try run(
            "plan",
            ["plan"] + config + [
                "--out", workspace.path("plan.json"), "--report", workspace.path("review.html"), "--suggestions",
                workspace.path("suggestions.csv"), "--format", "ldif",
            ], expect: 0)
        for format in ["text", "json", "csv", "ldif", "html"] {
            try run(
                "report \(format)", ["report", "--plan", workspace.path("plan.json"), "--format", format], expect: 0)
        }
        try run("apply", ["apply"] + config + ["--plan", workspace.path("plan.json")], expect: 0)
        let journal = try #require(
            workspace.allFiles().map(\.path).first { $0.hasSuffix("journal.jsonl") }, "\(label): no journal")
        try run("undo", ["undo"] + config + ["--journal", journal, "--out", workspace.path("undo.json")], expect: 0)
        try run("apply undo", ["apply"] + config + ["--plan", workspace.path("undo.json")], expect: 0)
        try run("sync", ["sync"] + config + ["--metrics", workspace.path("ccdirsync.prom")], expect: 0)
        // One fixture user stays unresolved (a disputed name): exit 2, with a report written.
        try run(
            "verify", ["verify"] + config + ["--report", workspace.path("verify.html"), "--format", "json"], expect: 2)
        return (runs, workspace)
    }

    /// The failures: a wrong password, an unreachable server, invalid configs (one with the password pasted in).
    func runFailures(
        _ server: SlapdServer, password: ConfigSpec.PasswordFrom, label: String
    ) throws -> (runs: [(String, ChildRun)], workspace: SecurityWorkspace) {
        let workspace = try SecurityWorkspace("secret-fail-\(label)")
        try workspace.copyFixtureExports()
        var environment: [String: String] = [:]
        // A wrong password that contains the recognisable one: a leak of it is caught too.
        let wrong = secretPassword + "-wrong"
        switch password {
        case .file(let name): try workspace.write(name, wrong + "\n", mode: 0o600)
        case .environment(let name): environment[name] = wrong
        }
        var spec = ConfigSpec(flavour: .exchange2000, server: server)
        spec.password = password
        var runs: [(String, ChildRun)] = []
        func run(_ name: String, _ arguments: [String], expect status: Int32, mentioning: String) throws {
            // At the most verbose log level, so every log line is scanned too (the default prints a subset).
            let result = try workspace.run(arguments + ["--log-level", "trace"], environment: environment)
            #expect(result.status == status, "\(label) \(name): \(result.output)")
            #expect(result.output.contains(mentioning), "\(label) \(name): \(result.output)")
            runs.append((name, result))
        }
        try workspace.writeConfig(spec)
        let config = ["--config", workspace.configPath]
        try run("plan, bad password", ["plan"] + config, expect: 1, mentioning: "invalidCredentials")
        try run("check, bad password", ["check"] + config, expect: 1, mentioning: "invalidCredentials")
        try run("verify, bad password", ["verify"] + config, expect: 1, mentioning: "invalidCredentials")
        try run(
            "sync, bad password", ["sync"] + config + ["--metrics", workspace.path("bad.prom")], expect: 1,
            mentioning: "invalidCredentials")
        var unreachable = spec
        unreachable.url = "ldap://127.0.0.1:\(try Loopback.freePort())"
        try workspace.writeConfig(unreachable)
        try run("plan, unreachable", ["plan"] + config, expect: 69, mentioning: "unavailable")
        try run(
            "sync, unreachable", ["sync"] + config + ["--metrics", workspace.path("down.prom")], expect: 69,
            mentioning: "unavailable")
        var invalid = spec
        invalid.pageSize = 0
        try workspace.writeConfig(invalid)
        try run("plan, bad config", ["plan"] + config, expect: 64, mentioning: "ldap.pageSize")
        // An administrator who pastes the password into the config gets an error that does not repeat it.
        var pasted = spec
        pasted.extra = "password: \(wrong)"
        try workspace.writeConfig(pasted)
        try run("check, password pasted in", ["check"] + config, expect: 64, mentioning: "password")
        try run("sync, password pasted in", ["sync"] + config, expect: 64, mentioning: "password")
        return (runs, workspace)
    }

    /// Every stream of every run and every file below the workspace, except the password file itself.
    func expectNoLeak(_ runs: [(String, ChildRun)], _ workspace: SecurityWorkspace, label: String) {
        for (name, run) in runs {
            if let leak = Self.leak(in: Array(run.stdout.utf8), named: "\(label) \(name) stdout") {
                Issue.record(Comment(rawValue: leak))
            }
            if let leak = Self.leak(in: Array(run.stderr.utf8), named: "\(label) \(name) stderr") {
                Issue.record(Comment(rawValue: leak))
            }
        }
        let files = workspace.allFiles().filter { !$0.path.hasSuffix("/secret.txt") }
        for file in files {
            if let leak = Self.leak(in: file.bytes, named: file.path) {
                Issue.record(Comment(rawValue: leak))
            }
        }
        // What was scanned: plans, reports, journal, metrics, kept state files.
        let names = files.map { ($0.path as NSString).lastPathComponent }
        for suffix in ["plan.json", "report.html", "journal.jsonl", ".prom", "undo.json", "review.html"] {
            #expect(names.contains { $0.hasSuffix(suffix) }, "\(label): no \(suffix) among \(names)")
        }
    }

    @Test("every subcommand, password from a file or the environment: it appears in no stream and no file")
    func passwordNeverWritten() async throws {
        try await withSlapd(SlapdConfiguration(flavour: .exchange2000)) { server in
            let reset = try server.ldapmodify(
                "dn: \(server.serviceDN)\nchangetype: modify\nreplace: userPassword\nuserPassword: \(secretPassword)\n"
            )
            try #require(reset.status == 0, "\(reset.output)")
            var covered = Set<String>()
            for (label, source) in [
                ("file", ConfigSpec.PasswordFrom.file("secret.txt")),
                ("env", .environment(Self.environmentVariable)),
            ] {
                let (runs, workspace) = try runEverything(server, password: source, label: label)
                expectNoLeak(runs, workspace, label: label)
                covered.formUnion(runs.map { String($0.0.split(separator: " ")[0]) })
            }
            #expect(covered.isSuperset(of: Self.subcommands), "\(covered)")
        }
    }

    @Test("failures (wrong password, server down, invalid config, password pasted into the config) never print it")
    func passwordNeverInFailures() async throws {
        try await withSlapd(SlapdConfiguration(flavour: .exchange2000)) { server in
            for (label, source) in [
                ("file", ConfigSpec.PasswordFrom.file("secret.txt")),
                ("env", .environment(Self.environmentVariable)),
            ] {
                let (runs, workspace) = try runFailures(server, password: source, label: label)
                for (name, run) in runs {
                    #expect(
                        Self.leak(in: Array(run.output.utf8), named: name) == nil, "\(label) \(name): \(run.output)")
                }
                // The config is left out: the last case put the password there on purpose.
                for file in workspace.allFiles()
                where !file.path.hasSuffix("/secret.txt") && !file.path.hasSuffix("/ccdirsync.yaml") {
                    #expect(Self.leak(in: file.bytes, named: file.path) == nil)
                }
            }
        }
    }

    @Test("a password file readable by group or others is warned about; 0600 is not", arguments: [0o640, 0o604, 0o600])
    func passwordFilePermissions(mode: Int) throws {
        let workspace = try SecurityWorkspace("perm")
        try workspace.copyFixtureExports()
        try workspace.write("secret.txt", secretPassword, mode: mode)
        var spec = ConfigSpec(flavour: .exchange2000, url: "ldap://127.0.0.1:\(try Loopback.freePort())")
        spec.timeout = 2
        try workspace.writeConfig(spec)
        let warning = "the password file secret.txt can be read by its group or others (run: chmod 600 "
        let plan = try workspace.run(["plan", "--config", workspace.configPath])
        let check = try workspace.run(["check", "--config", workspace.configPath])
        #expect(plan.status == 69, "\(plan.stderr)")
        #expect(plan.stderr.contains("ccdirsync: warning: " + warning) == (mode != 0o600), "\(plan.stderr)")
        #expect(check.stdout.contains("warn " + warning) == (mode != 0o600), "\(check.stdout)")
        if mode != 0o600 {
            // The printed command runs as printed, and afterwards nothing is left to warn about.
            let line = try #require(check.stdout.split(separator: "\n").first { $0.contains("(run: chmod 600 ") })
            let command = String(try #require(line.firstMatch(of: /\(run: (.+)\)$/)).1)
            let chmod = Process()
            chmod.executableURL = URL(fileURLWithPath: "/bin/bash")
            chmod.arguments = ["-c", command]
            try chmod.run()
            chmod.waitUntilExit()
            #expect(chmod.terminationStatus == 0, "\(command)")
            let again = try workspace.run(["check", "--config", workspace.configPath])
            #expect(!again.stdout.contains(warning), "\(again.stdout)")
        }
        #expect(!plan.output.contains(secretPassword) && !check.output.contains(secretPassword))
    }

    @Test("no subcommand has a command-line option for the password")
    func noPasswordOption() throws {
        for command in [[]] + Self.subcommands.map({ [$0] }) {
            let help = try CCDirSync.run(command + ["--help"])
            #expect(help.status == 0, "\(command): \(help.stderr)")
            #expect(help.stdout.contains("USAGE:"), "\(command)")
            let optionLines = help.stdout.split(separator: "\n").filter {
                $0.trimmingCharacters(in: .whitespaces).hasPrefix("-")
            }
            #expect(!optionLines.isEmpty || command.isEmpty, "\(command): no options listed?")
            for line in optionLines {
                let option = line.trimmingCharacters(in: .whitespaces).split(separator: " ")[0].lowercased()
                for word in ["pass", "secret", "cred", "pw", "bind"] {
                    #expect(!option.contains(word), "\(command): \(line)")
                }
            }
        }
    }
}
