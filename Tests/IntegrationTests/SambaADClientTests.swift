import LDAPClient
import LDAPModel
import TestSupport
import Testing

/// What the LDAP client meets on a real Active Directory (Samba AD) and slapd does not show: diagnostics ending in a
/// newline, a size limit the server does not keep, operational attributes on every entry.
@Suite(.serialized) struct SambaADClientTests {
    /// AD's access refusals end in a newline (`00002098: Object … has no write property access\n`).
    @Test("a refusal's diagnostic prints without the newline AD ends it with")
    func diagnosticWithoutNewline() async throws {
        try await withSambaAD { server in
            let service = try server.connection(server.serviceDN, server.servicePassword)
            let mailbox = try DistinguishedName(parsing: FixtureNames(.exchange2000).janeDoe)
            let error = try #require(throws: LDAPError.self) {
                try service.modify(mailbox, [.add("description", "not the service account's to write")])
            }
            #expect(error.code == .insufficientAccessRights, "\(error)")
            let message = try #require(error.diagnosticMessage)
            #expect(message.contains("has no write property access"), "\(message.debugDescription)")
            #expect(message.last?.isWhitespace == false, "\(message.debugDescription)")
            #expect(!error.description.contains("\n"), "\(error.description.debugDescription)")
        }
    }

    @Test("ldap.maxEntries holds on Samba, which sends more than the page size asked for", arguments: [2, 500])
    func maximumHolds(pageSize: Int) async throws {
        try await withSambaAD { server in
            let service = try server.connection(server.serviceDN, server.servicePassword)
            let base = try DistinguishedName(parsing: server.suffix)
            let filter = Filter.present("mailNickname")
            let all = try service.searchAll(base: base, filter: filter, attributes: ["cn"], pageSize: pageSize)
            #expect(all.count > 3)
            let error = try #require(throws: LDAPError.self) {
                _ = try service.searchAll(
                    base: base, filter: filter, attributes: ["cn"], pageSize: pageSize, sizeLimit: 3)
            }
            #expect(error.code == .sizeLimitExceeded, "\(error)")
        }
    }

    @Test("an add of a contact with what AD returns for `*`: the attribute without values is refused before sending")
    func operationalAttributesRefusedLocally() async throws {
        try await withSambaAD { server in
            let admin = try server.connection(server.adminDN, server.adminPassword)
            let dn = try DistinguishedName(parsing: "CN=Undo Contact,\(server.suffix)")
            let error = try #require(throws: LDAPError.self) {
                try admin.add(
                    Entry(
                        dn: dn,
                        attributes: [
                            Attribute("objectClass", strings: ["contact"]), Attribute("cn", strings: ["Undo Contact"]),
                            Attribute("objectGUID", values: []),
                        ]))
            }
            #expect(error.code == .paramError, "\(error)")
            #expect(error.diagnosticMessage?.contains("'objectGUID' has no values") == true, "\(error)")
            #expect(try admin.read(dn) == nil, "nothing was written")
        }
    }
}
