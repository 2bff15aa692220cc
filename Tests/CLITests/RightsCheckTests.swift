import Foundation
import TestSupport
import Testing

/// `check` reports the bind identity's effective rights where the server offers them.
@Suite(.serialized) struct RightsCheckTests {
    @Test("check says when the server does not report effective rights")
    func rightsNotOffered() async throws {
        try await withSlapd(SlapdConfiguration(flavour: .exchange2000)) { server in
            let workspace = try PlanWorkspace(flavour: .exchange2000, server: server)
            defer { workspace.remove() }
            let check = try workspace.run(["check", "--config", workspace.configFile.path])
            #expect(check.status == 0, "\(check.stdout)")
            #expect(check.stdout.contains("warn rights: not offered by this server"), "\(check.stdout)")
        }
    }
}

/// On Samba AD, whose service account has exactly docs/SECURITY.md's delegation.
@Suite(.serialized) struct SambaRightsCheckTests {
    @Test("check reads the service account's effective rights: what it was delegated passes, the rest is FAIL")
    func effectiveRights() async throws {
        try await TestServerKind.sambaAD.withServer { server in
            let workspace = try PlanWorkspace(flavour: .exchange2000, server: server)
            defer { workspace.remove() }
            let check = try workspace.run(["check", "--config", workspace.configFile.path])
            #expect(check.status == 0, "\(check.stdout)")
            #expect(
                check.stdout.contains(
                    "ok   rights: may create contact objects in ou=ccMail Contacts,dc=example,dc=org"),
                "\(check.stdout)")
            #expect(check.stdout.contains("ok   rights: may write proxyAddresses on a mailbox"), "\(check.stdout)")
            #expect(
                check.stdout.contains("ok   rights: may write targetAddress, proxyAddresses, displayName"),
                "\(check.stdout)")
            // The account may not create contacts among the mailboxes: a container there is caught by check.
            try workspace.editConfig([
                "customRecipientContainer: \"ou=ccMail Contacts,dc=example,dc=org\"":
                    "customRecipientContainer: \"ou=Users,dc=example,dc=org\""
            ])
            let refused = try workspace.run(["check", "--config", workspace.configFile.path])
            #expect(refused.status == 1, "\(refused.stdout)")
            #expect(
                refused.stdout.contains(
                    "FAIL rights: \(server.serviceDN) may not create contact objects in ou=Users,dc=example,dc=org"),
                "\(refused.stdout)")
        }
    }
}
