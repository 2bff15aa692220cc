import LDAPClient
import LDAPModel
import TestSupport
import Testing

@Suite struct LDIFEquivalenceTests {
    /// Changes that exercise base64 (leading space, colon, `<`, trailing space, non-ASCII, CR/LF),
    /// folding (values far past 76 columns), every change type, and value-level modifies of
    /// a fixture mailbox's proxies.
    private func changes(
        mailbox: Entry, names: FixtureNames, base: DistinguishedName, personClass: String
    ) -> [Change] {
        let container = base.child(RelativeDistinguishedName(type: "ou", value: "LDIF Check"))
        let long = String(repeating: "A long description that will need folding. ", count: 12)
        func person(_ name: String, _ extra: [Attribute] = []) -> Entry {
            Entry(
                dn: container.child(RelativeDistinguishedName(type: "cn", value: name)),
                attributes: [
                    Attribute("objectClass", strings: [personClass]), Attribute("cn", strings: [name]),
                    Attribute("sn", strings: [name]),
                ] + extra)
        }
        let firstProxy = mailbox.strings(names.proxyAttribute).first ?? ""
        return [
            .add(Entry(dn: container, attributes: [Attribute("objectClass", strings: ["organizationalUnit"])])),
            .add(person("Müller, Jürgen", [Attribute("description", strings: [" leading space", long])])),
            .add(person(":colon first", [Attribute("description", strings: ["<angle first", "trailing space "])])),
            .add(person("Smith, John", [Attribute("description", strings: ["line one\r\nline two"])])),
            .add(person("To Be Deleted")),
            .add(person("Old Name")),
            .modify(
                mailbox.dn,
                [
                    .add(names.proxyAttribute, names.migrate("Müller, Jürgen at PO1")),
                    .delete(names.proxyAttribute, firstProxy),
                ]),
            .modify(
                container.child(RelativeDistinguishedName(type: "cn", value: "Smith, John")),
                [.replace("description", "replaced", "twice"), .add("telephoneNumber", "+1 425 555 0100")]),
            .modify(
                container.child(RelativeDistinguishedName(type: "cn", value: "Müller, Jürgen")),
                [Modification(.delete, attribute: "description", values: [])]),
            .delete(container.child(RelativeDistinguishedName(type: "cn", value: "To Be Deleted"))),
            .modifyRDN(
                container.child(RelativeDistinguishedName(type: "cn", value: "Old Name")),
                newRDN: RelativeDistinguishedName(type: "cn", value: "New, Name"), deleteOldRDN: true,
                newSuperior: nil),
        ]
    }

    /// Two servers of one kind: one gets the changes as LDIF through `ldapmodify`, the other through the client;
    /// OpenLDAP's `ldapsearch` then reads both (`userDump`, which leaves out what each server assigns itself).
    @Test(arguments: fixtureServers)
    func ldapmodifyAndTheClientProduceTheSameDirectory(flavour: SchemaFlavour, kind: TestServerKind) async throws {
        let names = FixtureNames(flavour)
        try await kind.withServer(flavour) { viaLDIF in
            try await kind.withServer(flavour) { viaClient in
                let client = try viaClient.adminConnection()
                let base = try viaClient.suffixDN
                let mailbox = try #require(try mailboxWithProxies(client, names, base: base))
                let changes = changes(mailbox: mailbox, names: names, base: base, personClass: viaClient.personClass)

                let ldif = LDIFWriter().write(changes)
                #expect(
                    ldif.split(separator: "\n", omittingEmptySubsequences: false).allSatisfy { $0.utf8.count <= 76 })
                #expect(ldif.contains("::"), "expected base64 values")
                let (status, output) = try viaLDIF.ldapmodify(ldif)
                #expect(status == 0, "ldapmodify failed: \(output)")

                for (index, result) in client.write(changes.map { WriteRequest($0) }, window: 8).enumerated() {
                    #expect((try? result.get()) != nil, "change \(index): \(result)")
                }

                let left = try viaLDIF.userDump()
                #expect(left == (try viaClient.userDump()))
                // The change really happened (the comparison is not of two untouched copies).
                let reader = try viaLDIF.adminConnection()
                let container = base.child(RelativeDistinguishedName(type: "ou", value: "LDIF Check"))
                let renamed = container.child(RelativeDistinguishedName(type: "cn", value: "New, Name"))
                let deleted = container.child(RelativeDistinguishedName(type: "cn", value: "To Be Deleted"))
                #expect(try reader.read(renamed) != nil)
                #expect(try reader.read(deleted) == nil)
                let proxies = try #require(try reader.read(mailbox.dn, attributes: [names.proxyAttribute]))
                #expect(proxies.strings(names.proxyAttribute).contains(names.migrate("Müller, Jürgen at PO1")))
            }
        }
    }
}
