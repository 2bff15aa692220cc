import Foundation
import TestSupport
import Testing

/// A folder holding a config file, the fixture exports and whatever a test adds, for one run against one server.
struct PlanWorkspace {
    let directory: URL
    let flavour: SchemaFlavour
    let server: (any TestDirectoryServer)?

    static var root: URL { ProjectPaths.root }

    /// Copies the fixture exports next to a config for `server` (slapd or Samba AD; an unreachable port when nil).
    init(
        flavour: SchemaFlavour, server: (any TestDirectoryServer)?, extra: String = "",
        exports: [(String, String)]? = nil
    ) throws {
        self.flavour = flavour
        self.server = server
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ccdirsync-plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let fixtures = Self.root.appendingPathComponent("fixtures/ccmail")
        let exportList = exports ?? [("LONDON", "london.exp"), ("PARIS", "paris.exp"), ("ZURICH", "zurich.exp")]
        for (_, file) in exportList
        where FileManager.default.fileExists(atPath: fixtures.appendingPathComponent(file).path) {
            try FileManager.default.copyItem(
                at: fixtures.appendingPathComponent(file), to: directory.appendingPathComponent(file))
        }
        let names = FixtureNames(flavour)
        let base = flavour == .exchange55 ? "ou=Site,o=Org" : "dc=example,dc=org"
        let url = server?.clientURL ?? "ldap://127.0.0.1:\(Self.closedPort())"
        let bindDN = server?.serviceDN ?? "cn=ccdirsync,\(flavour == .exchange55 ? "o=Org" : base)"
        let passwordFile = directory.appendingPathComponent("secret.txt")
        try Data(((server?.servicePassword ?? "unused") + "\n").utf8).write(to: passwordFile)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passwordFile.path)
        let templates =
            flavour == .exchange55
            ? "\n  mailTemplate: \"{alias}@org.example\"\n  x400Template: \"c=US;a= ;p=Org;o=Site;s={sur};g={given};\""
            : ""
        let config = """
            version: 1
            profile: \(flavour == .exchange55 ? "exchange55" : "exchange2000")
            ldap:
              url: \(url)
              bindDN: "\(bindDN)"
              passwordFile: secret.txt
              tls: \(server?.clientTLS ?? "{mode: none}")
              baseDN: "\(base)"
              pageSize: 4
            ccmail:
              codepage: CP850
              exports: [\(exportList.map { "{postOffice: \($0.0), path: \($0.1)}" }.joined(separator: ", "))]
              gateways: {INTERNET: ccmail}
            exchange:
              customRecipientContainer: "\(names.contactContainer)"\(templates)
            thresholds: {deletes: {count: 50, percent: 100}, modifies: {count: 500, percent: 500}, creates: {count: 500, percent: 500}}
            \(extra)
            """
        try Data(config.utf8).write(to: configFile)
    }

    var configFile: URL { directory.appendingPathComponent("ccdirsync.yaml") }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try CCDirSyncBinary.locate().run(arguments)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Undoes the run `journal` records, as an administrator does: `undo --out undo.json`, then `apply` of that plan;
    /// both must exit 0.
    func undo(journal: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let undo = try run(["undo", "--config", configFile.path, "--journal", journal, "--out", path("undo.json")])
        #expect(undo.status == 0, "\(undo.stderr)", sourceLocation: sourceLocation)
        let applied = try run(["apply", "--config", configFile.path, "--plan", path("undo.json")])
        #expect(applied.status == 0, "\(applied.stderr)", sourceLocation: sourceLocation)
    }

    /// A loopback port nobody listens on: bound, read, and closed again.
    static func closedPort() -> Int {
        (try? Loopback.freePort()) ?? 9
    }

    /// Every entry with user and operational attributes, sorted: two dumps are equal when nothing was written.
    ///
    /// On AD, `uSNChanged` is the operational attribute every write moves; others (an account's last logon) move
    /// by themselves, and `dumpFilter` leaves out the accounts that bind.
    static func dump(_ server: any TestDirectoryServer) throws -> String {
        switch server.kind {
        case .slapd:
            try server.ldapsearch(base: server.suffix, attributes: ["*", "+"])
        case .sambaAD:
            try server.ldapsearch(base: server.suffix, filter: server.dumpFilter, attributes: ["*", "uSNChanged"])
        }
    }
}

@Suite(.serialized) struct PlanCommandTests {
    static let flavours: [SchemaFlavour] = [.exchange55, .exchange2000]

    /// The changes of a plan file as `kind situation dn` lines, the DN lower-cased, in the plan's order.
    static func changeLines(_ plan: String) throws -> [String] {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(plan.utf8)) as? [String: Any])
        let changes = try #require(json["changes"] as? [[String: Any]])
        return changes.map { change in
            let dn = (change["dn"] as? String ?? "").lowercased()
            return "\(change["kind"] as? String ?? "") \(change["situation"] as? String ?? "") \(dn)"
        }
    }

    /// On Samba AD the plan names existing entries as AD spells their DNs (`CN=John Smith,OU=Users,DC=…`), so the
    /// golden file (slapd's spelling) is compared change by change with the DNs' case left aside.
    @Test(
        "plan on the fixtures matches the golden plan; its LDIF applied by ldapmodify leaves nothing to do",
        arguments: WriteSideTests.servers)
    func goldenPlanAndLDIFConverges(flavour: SchemaFlavour, kind: TestServerKind) async throws {
        try await kind.withServer(flavour) { server in
            let workspace = try PlanWorkspace(flavour: flavour, server: server)
            defer { workspace.remove() }
            let before = try PlanWorkspace.dump(server)
            let result = try workspace.run([
                "plan", "--config", workspace.configFile.path, "--out", workspace.path("plan.json"), "--format", "ldif",
                "--detailed-exitcode",
            ])
            #expect(result.status == 2, "\(result.stderr)")
            #expect(try PlanWorkspace.dump(server) == before, "plan must write nothing")
            let plan = try String(contentsOfFile: workspace.path("plan.json"), encoding: .utf8)
            let golden = ProjectPaths.fixtures.appendingPathComponent("expected/plan-\(flavour.rawValue).json")
            switch server.kind {
            case .slapd:
                #expect(
                    try Golden.check(plan, against: golden) == .matches,
                    "differs from \(golden.path); RECORD_SNAPSHOTS=1 re-records it")
            case .sambaAD:
                let expected = try String(contentsOf: golden, encoding: .utf8)
                #expect(try Self.changeLines(plan) == Self.changeLines(expected))
            }
            #expect(result.stderr.contains("plan "), "the hash is printed")
            let applied = try server.ldapmodify(result.stdout)
            #expect(applied.status == 0, "\(applied.output)")
            let again = try workspace.run(["plan", "--config", workspace.configFile.path, "--detailed-exitcode"])
            #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
            #expect(again.stdout.contains("No changes"))
        }
    }

    @Test("an invalid config exits 64 naming the key path")
    func invalidConfig() throws {
        let workspace = try PlanWorkspace(
            flavour: .exchange55, server: nil, extra: "policy: {onMissing: shred}")
        defer { workspace.remove() }
        let result = try workspace.run(["plan", "--config", workspace.configFile.path])
        #expect(result.status == 64)
        #expect(result.stderr.contains("policy.onMissing"), "\(result.stderr)")
    }

    @Test("an unreachable server exits 69 naming the URL")
    func unreachable() throws {
        let workspace = try PlanWorkspace(flavour: .exchange2000, server: nil)
        defer { workspace.remove() }
        let result = try workspace.run(["plan", "--config", workspace.configFile.path])
        #expect(result.status == 69, "\(result.stderr)")
        #expect(result.stderr.contains("ldap://127.0.0.1:"), "\(result.stderr)")
        #expect(!result.stderr.contains("unused"), "the password never appears")
    }

    @Test(
        "hostile names go through plan and every report: escaped HTML, exact searches, DNs in the container",
        arguments: TestServerKind.allCases)
    func hostileNames(kind: TestServerKind) async throws {
        try await kind.withServer { server in
            let workspace = try PlanWorkspace(
                flavour: .exchange2000, server: server, exports: [("HOSTILE", "hostile.exp")])
            defer { workspace.remove() }
            let export = "Name: <script>alert(1)</script>, X\r\nLoc: L\r\n\r\nName: *)(uid=*, Y\r\nLoc: L\r\n\r\n"
            try Data(export.utf8).write(to: URL(fileURLWithPath: workspace.path("hostile.exp")))
            let before = try PlanWorkspace.dump(server)
            let result = try workspace.run([
                "plan", "--config", workspace.configFile.path, "--out", workspace.path("plan.json"), "--format", "html",
            ])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(!result.stdout.contains("<script>alert"))
            #expect(result.stdout.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(try PlanWorkspace.dump(server) == before)
            // Exactly the two new contacts, inside the container: the names matched nothing else.
            let planJSON = try #require(
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: URL(fileURLWithPath: workspace.path("plan.json"))))
                    as? [String: Any])
            let changes = try #require(planJSON["changes"] as? [[String: Any]])
            let creates = changes.filter { $0["kind"] as? String == "create" }
            #expect(creates.count == 2)
            #expect(
                creates.allSatisfy { ($0["dn"] as? String)?.hasSuffix(",ou=ccMail Contacts,dc=example,dc=org") == true }
            )
            #expect(changes.allSatisfy { $0["kind"] as? String != "modify" })
            for format in ["text", "json", "csv", "ldif"] {
                let report = try workspace.run(["report", "--plan", workspace.path("plan.json"), "--format", format])
                #expect(report.status == 0, "\(format): \(report.stderr)")
                #expect(report.stdout.contains("*)(uid=*") || format == "ldif", "\(format)")
            }
            let ldif = try workspace.run(["report", "--plan", workspace.path("plan.json"), "--format", "ldif"])
            let applied = try server.ldapmodify(ldif.stdout)
            #expect(applied.status == 0, "\(applied.output)")
            // The new contacts are the only entries below the container, and each names its user exactly.
            let contacts = try server.ldapsearch(
                base: FixtureNames(.exchange2000).contactContainer, scope: "one", attributes: ["adminDescription"])
            #expect(contacts.contains("adminDescription: ccdirsync:*)(uid=*, Y"))
            #expect(
                contacts.contains("ccdirsync:<script>alert(1)</script>, X") || contacts.contains("adminDescription:: "))
        }
    }

    @Test("a malformed export is refused (65, file:line) before any connection: plan, sync and check")
    func badExportBeforeConnecting() throws {
        // The server in the config does not exist: a 65 rather than a 69 shows nothing tried to reach it.
        let workspace = try PlanWorkspace(flavour: .exchange2000, server: nil, exports: [("LONDON", "london.exp")])
        defer { workspace.remove() }
        try Data("Name: Smith, John\r\nLoc: L\r\n\r\nLoc: L\r\n\r\n".utf8).write(
            to: URL(fileURLWithPath: workspace.path("london.exp")))
        for command in ["plan", "sync"] {
            let result = try workspace.run([command, "--config", workspace.configFile.path])
            #expect(result.status == 65, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("london.exp:"), "\(command): \(result.stderr)")
            #expect(!result.stderr.contains("unavailable"), "\(command): \(result.stderr)")
        }
    }

    @Test("a sync that fails before applying still writes its metrics: exit code and no changes")
    func failedSyncWritesMetrics() throws {
        let workspace = try PlanWorkspace(flavour: .exchange2000, server: nil)
        defer { workspace.remove() }
        let result = try workspace.run([
            "sync", "--config", workspace.configFile.path, "--metrics", workspace.path("ccdirsync.prom"),
        ])
        #expect(result.status == 69, "\(result.stderr)")
        let metrics = try String(contentsOfFile: workspace.path("ccdirsync.prom"), encoding: .utf8)
        #expect(metrics.contains("ccdirsync_exit_code 69\n"), "\(metrics)")
        #expect(metrics.contains("ccdirsync_failed 0\n"))
    }
}
