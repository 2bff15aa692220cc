import LDAPModel
import Testing

@testable import Sync

/// How the directory sorts what the three searches found: the mailboxes are sorted where they lie, the rest as keys
/// and positions, and a DN seen earlier is dropped.
@Suite struct ExchangeDirectoryTests {
    private func object(_ dn: String, _ kind: ExchangeObject.Kind, marks: [String] = []) throws -> ExchangeObject {
        ExchangeObject(dn: try DistinguishedName(parsing: dn), kind: kind, marks: marks, separator: ":")
    }

    @Test func sortsByNormalisedDNAndDropsLaterDuplicates() throws {
        let container = try DistinguishedName(parsing: "cn=ccMail,o=Org")
        let mailboxes = try ["cn=Zed,o=Org", "cn=adam,o=Org", "CN=Zed,O=Org", "cn=Émile,o=Org", "cn=Bea,o=Org"].map {
            try object($0, .mailbox)
        }
        let custom = try [
            object("cn=Y,cn=ccMail,o=Org", .customRecipient, marks: ["ccdirsync:Young, Y"]),
            object("cn=X,cn=ccMail,o=Org", .customRecipient, marks: ["ccdirsync:Xu, X"]),
            object("cn=W,cn=ccMail,o=Org", .customRecipient, marks: ["CCDIRSYNC:Xu, X"]),
            object("cn=bea,o=Org", .customRecipient),
            object("cn=Foreign,o=Org", .customRecipient, marks: ["ccdirsync:Outside, O"]),
        ]
        let others = try [
            object("cn=List,o=Org", .other), object("cn=adam,o=org", .other), object("cn=Ann,o=Org", .other),
        ]
        let directory = ExchangeDirectory(
            mailboxes: mailboxes, customRecipients: custom, others: others, container: container)

        let expectedMailboxes = ["cn=Zed,o=Org", "cn=adam,o=Org", "cn=Émile,o=Org", "cn=Bea,o=Org"]
            .sorted { try! DistinguishedName(parsing: $0).normalized < DistinguishedName(parsing: $1).normalized }
        #expect(directory.mailboxes.map(\.dn.description) == expectedMailboxes)
        #expect(directory.mailboxes.allSatisfy { $0.kind == .mailbox })
        // Owned: by cc:Mail name, then DN.
        #expect(
            directory.owned.map(\.object.dn.description) == [
                "cn=W,cn=ccMail,o=Org", "cn=X,cn=ccMail,o=Org", "cn=Y,cn=ccMail,o=Org",
            ])
        // Foreign: custom recipients outside the container and other objects, by DN; the duplicates of mailboxes
        // are gone.
        #expect(directory.foreign.map(\.dn.description) == ["cn=Ann,o=Org", "cn=Foreign,o=Org", "cn=List,o=Org"])
        #expect(directory.knownDNs.count == 10)
    }
}
