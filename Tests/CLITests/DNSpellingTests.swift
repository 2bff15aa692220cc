import Foundation
import TestSupport
import Testing

extension PlanWorkspace {
    /// A workspace for an exchange2000 server whose one export, `LONDON`, holds `records`.
    init(exchange2000 server: any TestDirectoryServer, records: String) throws {
        try self.init(flavour: .exchange2000, server: server, exports: [("LONDON", "london.exp")])
        try Data(records.utf8).write(to: URL(fileURLWithPath: path("london.exp")))
    }

    /// The changes or findings (`key`) of the plan file `plan.json`.
    func planned(_ key: String) throws -> [[String: Any]] {
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("plan.json"))))
                as? [String: Any])
        return try #require(json[key] as? [[String: Any]])
    }
}

/// Active Directory refuses a DN spelled otherwise than it spells it (`CN=Eq=ual Sign` for `CN=Eq\3Dual Sign`): a DN
/// read is written back exactly as the server returned it.
@Suite(.serialized) struct DNSpellingTests {
    @Test(
        "a mailbox whose DN has an escaped '=' is written to under the DN exactly as the server returned it",
        arguments: TestServerKind.allCases)
    func dnAsTheServerSpellsIt(kind: TestServerKind) async throws {
        try await kind.withServer { server in
            let added = try server.ldapmodify(
                """
                dn: cn=Eq\\3Dual Sign,ou=Users,dc=example,dc=org
                changetype: add
                objectClass: user
                cn: Eq=ual Sign
                sn: Sign
                givenName: Eq
                mailNickname: EqSign
                proxyAddresses: SMTP:eq.sign@example.org
                proxyAddresses: ccmail:Sign, Eq at LONDON

                """)
            #expect(added.status == 0, "\(added.output)")
            let listed = try server.ldapsearch(
                base: "ou=Users,dc=example,dc=org", scope: "one", filter: "(mailNickname=EqSign)", attributes: ["1.1"])
            let serverDN = try #require(
                listed.split(separator: "\n").first { $0.hasPrefix("dn: ") }.map { String($0.dropFirst(4)) },
                "\(listed)")
            let workspace = try PlanWorkspace(exchange2000: server, records: "Name: Sign, Eq\r\nLoc: L\r\n\r\n")
            defer { workspace.remove() }
            let plan = try workspace.run([
                "plan", "--config", workspace.configFile.path, "--out", workspace.path("plan.json"),
            ])
            #expect(plan.status == 0, "\(plan.stderr)")
            let change = try #require(
                try workspace.planned("changes").first { $0["ccmailName"] as? String == "Sign, Eq" })
            #expect(change["situation"] as? String == "migrateMissing")
            #expect(change["dn"] as? String == serverDN, "the server's spelling, not a re-escaped one")
            if kind == .slapd {
                #expect(serverDN.contains(#"\3D"#), "slapd spells the value as it was added: \(serverDN)")
            }
            // Written, the value is there: the next plan has nothing for the user (on AD, a re-escaped DN was
            // refused with invalidDNSyntax and the value stayed pending on every run).
            let sync = try workspace.run(["sync", "--config", workspace.configFile.path])
            #expect(sync.status == 0, "\(sync.stdout)\(sync.stderr)")
            let again = try workspace.run([
                "plan", "--config", workspace.configFile.path, "--out", workspace.path("plan.json"),
            ])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(try workspace.planned("changes").allSatisfy { $0["ccmailName"] as? String != "Sign, Eq" })
            let mailbox = try server.ldapsearch(
                base: "ou=Users,dc=example,dc=org", scope: "one", filter: "(mailNickname=EqSign)",
                attributes: ["proxyAddresses"])
            #expect(mailbox.contains("proxyAddresses: MIGRATE:CCMAIL:Sign, Eq at LONDON"), "\(mailbox)")
        }
    }
}
