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
    @Test(arguments: SchemaFlavour.allCases)
    func hardNamesAreCreatedAndReadBackEqual(flavour: SchemaFlavour) async throws {
        try await withSlapd(SlapdConfiguration(flavour: flavour)) { server in
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
                            Attribute("objectClass", strings: ["person"]), Attribute("cn", strings: [name]),
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

            // A multi-valued RDN.
            let multi = container.child(
                RelativeDistinguishedName([
                    AttributeTypeAndValue(type: "cn", value: "Doe, Jane"),
                    AttributeTypeAndValue(type: "sn", value: "Doe"),
                ]))
            try admin.add(
                Entry(
                    dn: multi,
                    attributes: [
                        Attribute("objectClass", strings: ["person"]), Attribute("cn", strings: ["Doe, Jane"]),
                        Attribute("sn", strings: ["Doe"]),
                    ]))
            let readMulti = try #require(try admin.read(multi))
            #expect(readMulti.dn == multi)
        }
    }

    @Test(arguments: SchemaFlavour.allCases)
    func filterValuesAreExactNotWildcards(flavour: SchemaFlavour) async throws {
        try await withSlapd(SlapdConfiguration(flavour: flavour)) { server in
            let admin = try server.adminConnection()
            let base = try server.suffixDN
            for name in ["Smith*, John", "Smith, John", "*", "(paren)", "back\\slash"] {
                try admin.add(
                    Entry(
                        dn: base.child(RelativeDistinguishedName(type: "cn", value: name)),
                        attributes: [
                            Attribute("objectClass", strings: ["person"]), Attribute("cn", strings: [name]),
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
