import Foundation
import TestSupport
import Testing

/// TLS is the default: nothing crosses the network in clear unless the config says `ldap.tls.mode: none`, and
/// certificates are checked unless it says `verify: false`. Every property is asserted through the CLI.
@Suite struct TLSPolicyTests {
    static let inClearWarning =
        "ccdirsync: warning: ldap.tls.mode is none: the bind password and all data cross the network in clear"
    static let noVerifyText = "ldap.tls.verify is false: the server's certificate is not checked"
    static let noVerifyWarning = "warning: " + noVerifyText
    /// The StartTLS extended operation's OID (RFC 4511 section 4.14.1).
    static let startTLSOID = Array("1.3.6.1.4.1.1466.20037".utf8)

    /// A workspace with the fixture exports and a config for `url` (its password file holds `secretPassword`).
    static func workspace(_ label: String, url: String, tls: String?) throws -> (SecurityWorkspace, ConfigSpec) {
        let workspace = try SecurityWorkspace(label)
        try workspace.copyFixtureExports()
        try workspace.write("secret.txt", secretPassword + "\n", mode: 0o600)
        var spec = ConfigSpec(flavour: .exchange2000, url: url)
        spec.tls = tls
        spec.timeout = 2
        try workspace.writeConfig(spec)
        return (workspace, spec)
    }

    /// A /proc file, read to its end (procfs reports a size of 0, so Foundation's readers see nothing).
    static func procFile(_ path: String) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            return []
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else {
                return bytes
            }
            bytes += buffer[0..<count]
        }
    }

    @Test("no tls key: the first bytes to a non-loopback ldap:// server are a StartTLS request; no bind in clear")
    func defaultIsStartTLS() throws {
        let listener = try CaptureListener()
        let (workspace, spec) = try Self.workspace("starttls", url: listener.url, tls: nil)
        var commandLine: [UInt8] = []
        let run = try workspace.run(["plan", "--config", workspace.configPath]) { pid in
            // Right after exec the kernel may not have published the arguments yet: read until it has.
            for _ in 0..<200 where commandLine.isEmpty {
                commandLine = Self.procFile("/proc/\(pid)/cmdline")
                usleep(5_000)
            }
        }
        let first = listener.firstMessage()
        // ccdirsync treats loopback and other hosts alike; a machine with only `lo` runs this on 127.0.0.1.
        if !listener.isRemoteLooking {
            print("defaultIsStartTLS: no non-loopback IPv4 address here; listened on \(listener.host)")
        }
        #expect(CaptureListener.protocolOpTag(first) == 0x77, "an ExtendedRequest first: \(first)")
        #expect(first.contains(bytes: Self.startTLSOID))
        #expect(!first.contains(bytes: Array(spec.bindDN.utf8)), "the bind DN never crosses in clear")
        #expect(!first.contains(bytes: Array(secretPassword.utf8)))
        #expect(run.status == 69, "\(run.stderr)")
        #expect(run.stderr.contains(listener.url), "\(run.stderr)")
        #expect(!run.stderr.contains("in clear"), "no plain connection, so no warning about one")
        #expect(run.seconds < 10, "\(run.seconds) s")
        // The password is never on the command line (argv is world-readable through /proc and ps).
        #expect(!commandLine.isEmpty && !commandLine.contains(bytes: Array(secretPassword.utf8)))
        #expect(commandLine.contains(bytes: Array("plan".utf8)), "cmdline read from the running ccdirsync")
    }

    @Test("tls: {mode: none}: warned about before connecting, and the listener sees the bind in clear")
    func explicitNoneWarns() throws {
        let listener = try CaptureListener()
        let (workspace, _) = try Self.workspace("none", url: listener.url, tls: "{mode: none}")
        let run = try workspace.run(["plan", "--config", workspace.configPath])
        let first = listener.firstMessage()
        #expect(run.stderr.contains(Self.inClearWarning), "\(run.stderr)")
        #expect(run.status == 69, "\(run.stderr)")
        #expect(run.seconds < 10, "\(run.seconds) s")
        // What the default avoids: a BindRequest with the password readable by anyone on the path. This also
        // shows that the capture in `defaultIsStartTLS` would have seen a clear-text bind.
        #expect(CaptureListener.protocolOpTag(first) == 0x60, "a BindRequest first: \(first)")
        #expect(first.contains(bytes: Array(secretPassword.utf8)))
    }

    @Test("mode none against a real server: the in-clear warning on every run that connects")
    func noneWarnsOnEveryRun() async throws {
        try await withSlapd(SlapdConfiguration(flavour: .exchange2000)) { server in
            let (workspace, spec) = try Self.workspace("none-every", url: server.url, tls: "{mode: none}")
            try workspace.write("secret.txt", server.servicePassword, mode: 0o600)
            _ = spec
            let check = try workspace.run(["check", "--config", workspace.configPath])
            #expect(check.stdout.contains("warn ldap.tls.mode is none"), "\(check.output)")
            let plan = try workspace.run(["plan", "--config", workspace.configPath, "--out", workspace.path("p.json")])
            #expect(plan.status == 0, "\(plan.stderr)")
            let apply = try workspace.run([
                "apply", "--config", workspace.configPath, "--plan", workspace.path("p.json"),
            ])
            #expect(apply.status == 0, "\(apply.stderr)")
            let sync = try workspace.run(["sync", "--config", workspace.configPath])
            #expect(sync.status == 0, "\(sync.stderr)")
            for (name, run) in [("plan", plan), ("apply", apply), ("sync", sync)] {
                #expect(run.stderr.contains(Self.inClearWarning), "\(name): \(run.stderr)")
            }
        }
    }

    @Test(
        "a server certificate from an unknown CA is refused by default (ldaps and StartTLS), exit 78 (configuration)",
        arguments: TestServerKind.allCases)
    func unknownCARefused(kind: TestServerKind) async throws {
        try await kind.withServer(tls: true) { server in
            let tls = try #require(server.tls)
            let ldaps = tls.ldapsURL
            let untrusted = tls.untrustedCAFile
            let cases: [(String, String?)] = [
                (ldaps, nil),  // the system's trust store does not know the test CA
                (ldaps, "{caFile: \(untrusted)}"),
                (server.url, nil),  // StartTLS by default
                (server.url, "{caFile: \(untrusted)}"),
            ]
            for (url, tls) in cases {
                let (workspace, _) = try Self.workspace("ca", url: url, tls: tls)
                let run = try workspace.run(["plan", "--config", workspace.configPath])
                #expect(run.status == 78, "\(url) \(tls ?? "-"): \(run.stderr)")
                #expect(run.stderr.contains("certificate was not accepted"), "\(url) \(tls ?? "-"): \(run.stderr)")
                #expect(run.stderr.contains("ldap.tls.caFile"), "what to change: \(run.stderr)")
                #expect(!run.stderr.contains("unavailable"), "\(url) \(tls ?? "-"): \(run.stderr)")
                #expect(!run.stderr.contains("verify is false"))
            }
        }
    }

    @Test(
        "the test CA as caFile is accepted quietly; verify: false accepts an unknown CA and warns on every run",
        arguments: TestServerKind.allCases)
    func verifyFalseWarnsOnEveryRun(kind: TestServerKind) async throws {
        try await kind.withServer(tls: true) { server in
            let tls = try #require(server.tls)
            let ldaps = tls.ldapsURL
            let ca = tls.caFile
            let (trusted, _) = try Self.workspace("trusted", url: ldaps, tls: "{caFile: \(ca)}")
            try trusted.write("secret.txt", server.servicePassword, mode: 0o600)
            let quiet = try trusted.run(["plan", "--config", trusted.configPath])
            #expect(quiet.status == 0, "\(quiet.stderr)")
            #expect(!quiet.stderr.contains("warning"), "\(quiet.stderr)")

            for url in [ldaps, server.url] {
                let (workspace, _) = try Self.workspace("noverify", url: url, tls: "{verify: false}")
                try workspace.write("secret.txt", server.servicePassword, mode: 0o600)
                let check = try workspace.run(["check", "--config", workspace.configPath])
                #expect(check.stdout.contains("warn " + Self.noVerifyText), "\(check.output)")
                let plan = try workspace.run([
                    "plan", "--config", workspace.configPath, "--out", workspace.path("p.json"),
                ])
                let again = try workspace.run(["plan", "--config", workspace.configPath])
                let sync = try workspace.run(["sync", "--config", workspace.configPath])
                for (name, run) in [("plan", plan), ("plan again", again), ("sync", sync)] {
                    #expect(run.status == 0, "\(url) \(name): \(run.stderr)")
                    #expect(run.stderr.contains("ccdirsync: " + Self.noVerifyWarning), "\(url) \(name): \(run.stderr)")
                }
                if url == ldaps {
                    let apply = try workspace.run([
                        "apply", "--config", workspace.configPath, "--plan", workspace.path("p.json"),
                    ])
                    #expect(apply.stderr.contains("ccdirsync: " + Self.noVerifyWarning), "\(apply.stderr)")
                }
            }
        }
    }
}
