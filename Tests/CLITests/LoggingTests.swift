import Foundation
import TestSupport
import Testing

/// `--verbose`, `--quiet` and `--log-level`: log lines on standard error in addition to a command's own output,
/// none at the default level.
@Suite(.serialized) struct LoggingTests {
    /// Lines the log handler writes: `ccdirsync: <level>: <message> key=value …`, every one with the run's id (a
    /// command's own warnings have the same prefix and no metadata).
    static func logLines(_ stderr: String) -> [Substring] {
        let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
        return stderr.split(separator: "\n").filter { line in
            levels.contains { line.hasPrefix("ccdirsync: \($0): ") } && line.contains(" run.id=")
        }
    }

    @Test(
        "plan: the default prints only the command's own lines; --verbose adds the LDAP operations; --quiet adds none")
    func planAtEachLevel() async throws {
        try await withSlapd(SlapdConfiguration(flavour: .exchange2000)) { server in
            let workspace = try PlanWorkspace(flavour: .exchange2000, server: server)
            defer { workspace.remove() }
            let plain = try workspace.run(["plan", "--config", workspace.configFile.path])
            #expect(plain.status == 0, "\(plain.stderr)")
            // What plan has always printed on standard error: the warning about the clear-text connection and the
            // plan line.
            let lines = plain.stderr.split(separator: "\n")
            #expect(lines.count == 2, "\(plain.stderr)")
            #expect(lines.first?.hasPrefix("ccdirsync: warning: ldap.tls.mode is none") == true, "\(plain.stderr)")
            #expect(lines.last?.hasPrefix("ccdirsync: plan ") == true, "\(plain.stderr)")

            let quiet = try workspace.run(["plan", "--config", workspace.configFile.path, "--quiet"])
            #expect(quiet.status == 0, "\(quiet.stderr)")
            #expect(Self.logLines(quiet.stderr).isEmpty, "\(quiet.stderr)")
            #expect(quiet.stdout == plain.stdout)

            let verbose = try workspace.run(["plan", "--config", workspace.configFile.path, "--verbose"])
            #expect(verbose.status == 0, "\(verbose.stderr)")
            #expect(verbose.stdout == plain.stdout, "logging never changes the output")
            let logged = Self.logLines(verbose.stderr)
            // The command's own lines are all still there, in order, among the log lines.
            let own = verbose.stderr.split(separator: "\n").filter { !logged.contains($0) }
            #expect(own.count == lines.count, "\(verbose.stderr)")
            #expect(own.first == lines.first)
            let bind = try #require(logged.first { $0.contains("ldap.op=bind") }, "\(verbose.stderr)")
            #expect(bind.hasPrefix("ccdirsync: debug: bind "), "\(bind)")
            #expect(bind.contains("ldap.dn=\"\(server.serviceDN)\"") || bind.contains("ldap.dn=\(server.serviceDN)"))
            #expect(bind.contains("ldap.result=\"0 success\""), "\(bind)")
            #expect(bind.contains("ldap.url=\(server.url)"), "\(bind)")
            #expect(logged.contains { $0.hasPrefix("ccdirsync: debug: connected ") && $0.contains("ldap.tls=none") })
            #expect(logged.contains { $0.hasPrefix("ccdirsync: debug: search ") && $0.contains("ldap.op=search") })
            #expect(logged.contains { $0.hasPrefix("ccdirsync: debug: page read ") }, "pageSize 4: several pages")
            #expect(logged.contains { $0.hasPrefix("ccdirsync: debug: search done ") && $0.contains("ldap.result") })
            #expect(logged.contains { $0.hasPrefix("ccdirsync: debug: Exchange read ") })
            // One run id on every line.
            let runIDs = Set(logged.compactMap { $0.split(separator: " ").first { $0.hasPrefix("run.id=") } })
            #expect(runIDs.count == 1, "\(runIDs)")
            #expect(logged.count > 10, "\(verbose.stderr)")
            #expect(!verbose.stderr.contains("\u{1B}["), "no colour when standard error is not a terminal")
        }
    }

    @Test("sync --verbose logs each write with its operation, DN and result")
    func syncLogsWrites() async throws {
        try await withSlapd(SlapdConfiguration(flavour: .exchange2000)) { server in
            let workspace = try PlanWorkspace(
                flavour: .exchange2000, server: server, extra: "state: {directory: state}")
            defer { workspace.remove() }
            let result = try workspace.run(["sync", "--config", workspace.configFile.path, "--verbose"])
            #expect(result.status == 0, "\(result.stderr)")
            let logged = Self.logLines(result.stderr)
            let writes = logged.filter { $0.hasPrefix("ccdirsync: debug: write ") }
            #expect(!writes.isEmpty, "\(result.stderr)")
            #expect(writes.allSatisfy { $0.contains("ldap.result=\"0 success\"") && $0.contains("ldap.dn=") })
            #expect(writes.contains { $0.contains("ldap.op=add") })
            #expect(writes.contains { $0.contains("ldap.op=modify") })
            #expect(logged.contains { $0.hasPrefix("ccdirsync: debug: apply ") && $0.contains("plan.hash=") })
            // The summary lines are the command's own and unchanged.
            #expect(result.stderr.contains("\nccdirsync: journal: ") || result.stderr.hasPrefix("ccdirsync: journal: "))
        }
    }

    @Test("the options exclude each other and --log-level takes swift-log's levels only")
    func optionErrors() throws {
        let workspace = try PlanWorkspace(flavour: .exchange2000, server: nil)
        defer { workspace.remove() }
        let config = ["--config", workspace.configFile.path]
        let both = try workspace.run(["plan"] + config + ["--verbose", "--quiet"])
        #expect(both.status == 64, "\(both.stderr)")
        #expect(both.stderr.contains("exclude each other"), "\(both.stderr)")
        let unknown = try workspace.run(["plan"] + config + ["--log-level", "loud"])
        #expect(unknown.status == 64, "\(unknown.stderr)")
        // An unreachable server at info: the failure is the command's own line, and no log line says more.
        let info = try workspace.run(["plan"] + config + ["--log-level", "info"])
        #expect(info.status == 69, "\(info.stderr)")
        #expect(Self.logLines(info.stderr).isEmpty, "\(info.stderr)")
        let debug = try workspace.run(["plan"] + config + ["-v"])
        #expect(debug.status == 69, "\(debug.stderr)")
        #expect(Self.logLines(debug.stderr).contains { $0.hasPrefix("ccdirsync: debug: cannot connect ") })
    }
}
