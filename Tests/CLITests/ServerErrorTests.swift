import Foundation
import TestSupport
import Testing

/// A write the server refuses: reported with the DN, the LDAP result code and the server's own text, the run exits 4
/// (some changes failed), every other change is applied, and a run after the cause is gone converges.
@Suite(.serialized) struct ServerErrorTests {
    static let names = FixtureNames(.exchange2000)
    /// While the service account is a member, it may read but not write John Smith's proxy addresses.
    static let deniedGroup = "cn=ccdirsync-denied,ou=Users,dc=example,dc=org"

    /// A server holding the exchange2000 fixture where membership of `deniedGroup` takes one right away, as an
    /// administrator does with each server's own means: on slapd an access rule naming the group, before the
    /// default rules; on AD a deny ACE for the group on the entry (the delegation is inherited, so it loses).
    static func startWithDenyingGroup(_ kind: TestServerKind) throws -> any TestDirectoryServer {
        switch kind {
        case .slapd:
            let suffix = SchemaFlavour.exchange2000.defaultSuffix
            let rules = """
                access to dn.exact="\(names.johnSmith)" attrs=proxyAddresses
                    by group.exact="\(deniedGroup)" read
                    by * break
                \(SlapdConfiguration.defaultAccessRules(serviceDN: "cn=ccdirsync,\(suffix)"))
                """
            let server = try SlapdServer.start(SlapdConfiguration(flavour: .exchange2000, accessControl: rules))
            try server.ldapadd(
                "dn: \(deniedGroup)\nobjectClass: groupOfNames\ncn: ccdirsync-denied\nmember: \(server.adminDN)\n")
            return server
        case .sambaAD:
            let server = try SambaADServer.start()
            try server.ldapadd(
                "dn: \(deniedGroup)\nobjectClass: group\ncn: ccdirsync-denied\nsAMAccountName: ccdirsync-denied\n")
            // proxyAddresses' schemaIDGUID, the same in every forest.
            let proxyAddresses = "bf967a06-0de6-11d0-a285-00aa003049e2"
            try server.addACE(
                "(OD;;WP;\(proxyAddresses);;\(try server.sid(of: "ccdirsync-denied")))", on: names.johnSmith)
            return server
        }
    }

    /// The server's own words for the refusal, when it gives any: slapd answers an access rule with none (ccdirsync
    /// then prints libldap's name for the code), AD with its error number and a sentence.
    static func serverText(_ kind: TestServerKind) -> String? {
        kind == .sambaAD
            ? "00002098: Object CN=John Smith,OU=Users,DC=example,DC=org has no write property access" : nil
    }

    @Test(
        "a write the server refuses: DN, result code and the server's text; exit 4; the rest applied; converges later",
        arguments: TestServerKind.allCases)
    func refusedWrite(kind: TestServerKind) async throws {
        let server = try Self.startWithDenyingGroup(kind)
        defer { server.stop() }
        let workspace = try PlanWorkspace(flavour: .exchange2000, server: server)
        defer { workspace.remove() }
        let membership = { (change: String) throws in
            let edited = try server.ldapmodify(
                "dn: \(Self.deniedGroup)\nchangetype: modify\n\(change): member\nmember: \(server.serviceDN)\n")
            try #require(edited.status == 0, "\(edited.output)")
        }
        try membership("add")

        let refused = try workspace.run(["sync", "--config", workspace.configFile.path])
        #expect(refused.status == 4, "\(refused.stderr)")
        let line = try #require(
            refused.stderr.split(separator: "\n").first { $0.contains("failed: change ") }, "\(refused.stderr)")
        #expect(line.localizedCaseInsensitiveContains(Self.names.johnSmith), "\(line)")
        #expect(line.contains("50 insufficientAccessRights"), "\(line)")
        if let text = Self.serverText(kind) {
            #expect(line.contains(text), "\(line)")
        }
        #expect(
            refused.stderr.contains("created 7, modified 2, deleted 1, stale 0, failed 1"), "\(refused.stderr)")
        // AD ends its diagnostic messages with a newline: printed as they come, they would leave blank lines.
        #expect(!refused.stderr.contains("\n\n"), "\(refused.stderr)")

        // Nothing else is lost: what is left to do is John Smith's change alone.
        let left = try workspace.run([
            "plan", "--config", workspace.configFile.path, "--out", workspace.path("left.json"), "--detailed-exitcode",
        ])
        #expect(left.status == 2, "\(left.stderr)")
        let plan = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: workspace.path("left.json"))))
                as? [String: Any])
        let changes = try #require(plan["changes"] as? [[String: Any]])
        #expect(changes.map { $0["kind"] as? String } == ["modify"], "\(changes)")
        #expect(
            changes.compactMap { $0["dn"] as? String }.map { $0.lowercased() } == [Self.names.johnSmith.lowercased()],
            "\(changes)")

        // The cause removed: the next run writes the change and the one after has nothing to do.
        try membership("delete")
        try Self.converges(workspace, summary: "created 0, modified 1, deleted 0, stale 0, failed 0")
    }

    @Test(
        "creates below a container gone since plan: DN, result code, server text; exit 4; the rest applied; converges",
        arguments: TestServerKind.allCases)
    func vanishedContainer(kind: TestServerKind) async throws {
        try await kind.withServer { server in
            let workspace = try PlanWorkspace(flavour: .exchange2000, server: server)
            defer { workspace.remove() }
            let plan = try workspace.run([
                "plan", "--config", workspace.configFile.path, "--out", workspace.path("plan.json"),
            ])
            try #require(plan.status == 0, "\(plan.stderr)")
            // Renamed rather than deleted, so it comes back as it was, with AD's delegation on it.
            let rename = { (from: String, to: String) throws in
                let renamed = try server.ldapmodify(
                    "dn: ou=\(from),dc=example,dc=org\nchangetype: modrdn\nnewrdn: ou=\(to)\ndeleteoldrdn: 1\n")
                try #require(renamed.status == 0, "\(renamed.output)")
            }
            try rename("ccMail Contacts", "ccMail Away")

            let applied = try workspace.run([
                "apply", "--config", workspace.configFile.path, "--plan", workspace.path("plan.json"),
            ])
            #expect(applied.status == 4, "\(applied.stderr)")
            let failed = applied.stderr.split(separator: "\n").filter { $0.contains("failed: change ") }
            #expect(failed.count == 7, "\(applied.stderr)")
            #expect(!applied.stderr.contains("\n\n"), "\(applied.stderr)")
            for line in failed {
                #expect(line.contains(",ou=ccMail Contacts,dc=example,dc=org: "), "\(line)")
                #expect(line.contains("32 noSuchObject"), "\(line)")
                #expect(line.contains(Self.noParentText(kind)), "\(line)")
            }
            // The users' proxy addresses are written; the contact modified in the container is stale (gone), and
            // the one to delete is no longer there to delete.
            #expect(
                applied.stderr.contains("created 0, modified 2, deleted 0, stale 1, failed 7"), "\(applied.stderr)")

            try rename("ccMail Away", "ccMail Contacts")
            try Self.converges(workspace, summary: "created 7, modified 1, deleted 1, stale 0, failed 0")
        }
    }

    /// The server's words for an add below a parent that does not exist: AD's sentence; slapd sends none, but the
    /// matched DN, which ccdirsync prints.
    /// The cause removed: the next sync exits 0 with `summary`, and the plan after it has nothing to do.
    static func converges(
        _ workspace: PlanWorkspace, summary: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let repaired = try workspace.run(["sync", "--config", workspace.configFile.path])
        #expect(repaired.status == 0, "\(repaired.stderr)", sourceLocation: sourceLocation)
        #expect(repaired.stderr.contains(summary), "\(repaired.stderr)", sourceLocation: sourceLocation)
        let again = try workspace.run(["plan", "--config", workspace.configFile.path, "--detailed-exitcode"])
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)", sourceLocation: sourceLocation)
    }

    static func noParentText(_ kind: TestServerKind) -> String {
        kind == .sambaAD ? "00002030: objectclass: Cannot add " : "(matched DN \"dc=example,dc=org\")"
    }
}
