import Foundation
import TestSupport
import Testing

/// docs/SECURITY.md's sample OpenLDAP access rules, loaded into slapd as written, and its AD delegation, which the
/// Samba AD test server's service account has: a sync as the restricted identity succeeds, and the same identity's
/// writes outside what the rules grant are refused (insufficientAccessRights, 50).
@Suite struct AccessControlTests {
    /// The `slapd.conf` block after `<!-- acl:<flavour> -->` in docs/SECURITY.md.
    static func sampleRules(_ flavour: SchemaFlavour) throws -> String {
        let doc = try String(
            contentsOf: ProjectPaths.root.appendingPathComponent("docs/SECURITY.md"), encoding: .utf8)
        let marker = "<!-- acl:\(flavour.rawValue) -->"
        let after = try #require(doc.range(of: marker).map { doc[$0.upperBound...] }, "no \(marker)")
        let open = try #require(after.range(of: "```\n"))
        let close = try #require(after[open.upperBound...].range(of: "```"))
        return String(after[open.upperBound..<close.lowerBound])
    }

    /// ldapmodify bound as the service account; exit status and output.
    static func asService(
        _ server: any TestDirectoryServer, _ ldif: String, in workspace: SecurityWorkspace
    ) throws -> ChildRun {
        try workspace.write("change.ldif", ldif)
        return try ChildProcess.run(
            "/usr/bin/ldapmodify",
            [
                "-x", "-H", server.toolURL, "-D", server.serviceDN, "-y", server.servicePasswordFile, "-f",
                workspace.path("change.ldif"),
            ], environment: server.toolEnvironment)
    }

    /// exchange55 and exchange2000 with the sample rules in slapd, exchange2000 with the delegation in Samba AD.
    static let servers: [(SchemaFlavour, TestServerKind)] = SchemaFlavour.allCases.flatMap { flavour in
        TestServerKind.servers(for: flavour).map { (flavour, $0) }
    }

    @Test(
        "the sample ACL / AD delegation: sync succeeds as the restricted identity; writes outside its grant get 50",
        arguments: servers)
    func sampleACL(flavour: SchemaFlavour, kind: TestServerKind) async throws {
        let rules = try Self.sampleRules(flavour)
        #expect(rules.contains("access to") && rules.contains("limits dn.exact="))
        let started: any TestDirectoryServer =
            switch kind {
            case .slapd: try SlapdServer.start(SlapdConfiguration(flavour: flavour, accessControl: rules))
            case .sambaAD: try SambaADServer.start()
            }
        defer { started.stop() }
        do {
            let server = started
            let names = FixtureNames(flavour)
            let workspace = try SecurityWorkspace("acl-\(flavour)")
            try workspace.copyFixtureExports()
            try workspace.write("secret.txt", server.servicePassword, mode: 0o600)
            try workspace.writeConfig(ConfigSpec(flavour: flavour, server: server))
            let check = try workspace.run(["check", "--config", workspace.configPath])
            #expect(check.status == 0, "\(check.output)")
            let sync = try workspace.run(["sync", "--config", workspace.configPath])
            #expect(sync.status == 0, "\(sync.stderr)")
            #expect(sync.stderr.contains("created 7, modified 3, deleted 1, stale 0, failed 0"), "\(sync.stderr)")
            let again = try workspace.run(["plan", "--config", workspace.configPath, "--detailed-exitcode"])
            #expect(again.status == 0, "\(again.stdout)")

            let proxy = names.proxyAttribute
            let outside = [
                (
                    "another attribute of a mailbox",
                    "dn: \(names.janeDoe)\nchangetype: modify\nadd: description\ndescription: x\n"
                ),
                ("mail of a mailbox", "dn: \(names.janeDoe)\nchangetype: modify\nreplace: mail\nmail: x@example.org\n"),
                ("delete a mailbox", "dn: \(names.johnSmith)\nchangetype: delete\n"),
                (
                    "an entry outside the container",
                    "dn: cn=Intruder,\(server.suffix)\nchangetype: add\nobjectClass: \(flavour == .exchange2000 ? "contact" : "person")\n"
                        + "cn: Intruder\nsn: x\n"
                ),
                (
                    "the container itself",
                    "dn: \(names.contactContainer)\nchangetype: modify\nadd: description\ndescription: x\n"
                ),
                (
                    "a proxy address on the base entry",
                    "dn: \(server.suffix)\nchangetype: modify\nadd: \(proxy)\n\(proxy): smtp\(names.proxySeparator)x@y\n"
                ),
            ]
            for (what, ldif) in outside {
                let refused = try Self.asService(server, ldif, in: workspace)
                #expect(refused.status == 50, "\(what): \(refused.output)")
                #expect(refused.output.contains("Insufficient access"), "\(what): \(refused.output)")
            }
            // What the rules grant, done by hand: a proxy value on a mailbox, an entry in the container.
            let granted = try Self.asService(
                server,
                "dn: \(names.janeDoe)\nchangetype: modify\nadd: \(proxy)\n\(proxy): smtp\(names.proxySeparator)granted@x\n",
                in: workspace)
            #expect(granted.status == 0, "\(granted.output)")
        }
    }
}
