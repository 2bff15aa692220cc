import LDAPClient
import LDAPModel
import TestSupport
import Testing

/// cc:Mail names become RDN values; these are the ones that break naive DN handling.
let hardNames = [
    "Smith, John", "O'Brien, Pat", "#hash", " leading space", "trailing space ", "a+b", "say \"hi\"",
    "back\\slash", "<angle>", "semi;colon", "x=y", "Müller, Jürgen", "Ωμέγα, Ζωή", "tab\there",
]

@Suite struct HardNameTests {
    @Test(arguments: fixtureServers)
    func hardNamesAreCreatedAndReadBackEqual(flavour: SchemaFlavour, kind: TestServerKind) async throws {
        try await kind.withServer(flavour) { server in
            let admin = try server.adminConnection()
            let container = try server.suffixDN.child(RelativeDistinguishedName(type: "ou", value: "Hard, Names"))
            try admin.add(Entry(dn: container, attributes: [Attribute("objectClass", strings: ["organizationalUnit"])]))
            for name in hardNames {
                let dn = container.child(RelativeDistinguishedName(type: "cn", value: name))
                // The printed DN parses back to the same value.
                #expect(try DistinguishedName(parsing: dn.description).rdn?.attributes.first?.value == name)
                try admin.add(
                    Entry(
                        dn: dn,
                        attributes: [
                            Attribute("objectClass", strings: [server.personClass]), Attribute("cn", strings: [name]),
                            Attribute("sn", strings: ["x"]),
                        ]))
                let read = try #require(try admin.read(dn, attributes: ["cn"]), "\(name) not found")
                #expect(read.dn == dn, "\(read.dn) != \(dn)")
                #expect(read.dn.rdn?.attributes.first?.value == name)
                #expect(read.strings("cn") == [name])
            }
            // And the server lists exactly these names under the container.
            let listed = try admin.searchAll(base: container, scope: .oneLevel, attributes: ["cn"])
            #expect(Set(listed.flatMap { $0.strings("cn") }) == Set(hardNames))

            // A multi-valued RDN (AD has none: it refuses them).
            guard server.kind == .slapd else { return }
            let multi = container.child(
                RelativeDistinguishedName([
                    AttributeTypeAndValue(type: "cn", value: "Doe, Jane"),
                    AttributeTypeAndValue(type: "sn", value: "Doe"),
                ]))
            try admin.add(
                Entry(
                    dn: multi,
                    attributes: [
                        Attribute("objectClass", strings: [server.personClass]),
                        Attribute("cn", strings: ["Doe, Jane"]),
                        Attribute("sn", strings: ["Doe"]),
                    ]))
            let readMulti = try #require(try admin.read(multi))
            #expect(readMulti.dn == multi)
        }
    }

    /// RDNs from RFC 4514 section 4's examples, written as the RFC writes them.
    @Test(arguments: fixtureServers)
    func rfc4514ExampleRDNsAreCreatedAndReadBackEqual(flavour: SchemaFlavour, kind: TestServerKind) async throws {
        try await kind.withServer(flavour) { server in
            let admin = try server.adminConnection()
            let base = try server.suffixDN
            let examples = [
                #"CN=James \"Jim\" Smith\, III"#, #"CN=Before\0dAfter"#, "OU=Sales+CN=J.  Smith",
                #"CN=Lu\C4\8Di\C4\87"#, "UID=jsmith+CN=John Smith",
            ]
            for text in examples {
                let rdn = try RelativeDistinguishedName(parsing: text)
                // AD refuses multi-valued RDNs, and makes no organizationalPerson but its subclass contact.
                if server.kind == .sambaAD && rdn.attributes.count > 1 { continue }
                let dn = base.child(rdn)
                let structural = server.kind == .sambaAD ? "contact" : "organizationalPerson"
                var entry = Entry(dn: dn, attributes: [Attribute("objectClass", strings: [structural])])
                if flavour == .exchange55 && rdn.attributes.contains(where: { $0.type.lowercased() == "uid" }) {
                    entry.add("objectClass", strings: ["exchangeRecipient"])
                } else if rdn.attributes.contains(where: { $0.type.lowercased() == "uid" }) {
                    continue  // uid is not allowed on an AD-style person in our schema
                }
                for ava in rdn.attributes { entry.add(ava.type, strings: [ava.value]) }
                entry.add("sn", strings: ["rfc4514"])
                try admin.add(entry)
                let read = try #require(try admin.read(dn), "\(text) not found")
                #expect(read.dn == dn)
                #expect(try DistinguishedName(parsing: read.dn.description) == dn)
                for ava in rdn.attributes {
                    #expect(read.strings(ava.type).contains(ava.value), "\(text): \(ava.type)")
                }
            }
        }
    }

    @Test(arguments: fixtureServers)
    func filterValuesAreExactNotWildcards(flavour: SchemaFlavour, kind: TestServerKind) async throws {
        try await kind.withServer(flavour) { server in
            let admin = try server.adminConnection()
            let base = try server.suffixDN
            for name in ["Smith*, John", "Smith, John", "*", "(paren)", "back\\slash"] {
                try admin.add(
                    Entry(
                        dn: base.child(RelativeDistinguishedName(type: "cn", value: name)),
                        attributes: [
                            Attribute("objectClass", strings: [server.personClass]), Attribute("cn", strings: [name]),
                            Attribute("sn", strings: ["filter"]),
                        ]))
            }
            for name in ["Smith*, John", "Smith, John", "*", "(paren)", "back\\slash"] {
                let found = try admin.searchAll(
                    base: base, filter: .and([.equality("sn", "filter"), .equality("cn", name)]), attributes: ["cn"])
                #expect(found.map { $0.strings("cn") } == [[name]], "\(name)")
            }
        }
    }
}
