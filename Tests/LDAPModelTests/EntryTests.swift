import Testing

@testable import LDAPModel

@Suite("Attribute, Entry, Modification and Change")
struct EntryTests {
    let dn: DistinguishedName

    init() throws {
        dn = try DistinguishedName(parsing: "cn=Smith,ou=Site,o=Org")
    }

    @Test func attributeStringsSkipBinaryValues() {
        let attribute = Attribute("description", values: [Array("text".utf8), [0xFF, 0xFE], Array("Müller".utf8)])
        #expect(attribute.strings == ["text", "Müller"])
        #expect(Attribute("cn", strings: ["ü"]).values == [[0xC3, 0xBC]])
    }

    @Test func lookupIsCaseInsensitive() {
        let entry = Entry(dn: dn, attributes: [Attribute("Mail", strings: ["a@b"]), Attribute("cn", strings: ["x"])])
        #expect(entry.attribute("MAIL")?.name == "Mail")
        #expect(entry.strings("mail") == ["a@b"])
        #expect(entry.values("CN") == [Array("x".utf8)])
        #expect(entry.values("sn") == [])
        #expect(entry.strings("sn") == [])
        #expect(entry.attribute("sn") == nil)
    }

    @Test func addMergesAndKeepsOrder() {
        var entry = Entry(dn: dn)
        entry.add("objectClass", strings: ["top", "person"])
        entry.add("cn", strings: ["Smith"])
        entry.add("OBJECTCLASS", strings: ["person", "organizationalPerson"])
        entry.add("photo", values: [[0x00, 0xFF]])
        #expect(entry.attributes.map(\.name) == ["objectClass", "cn", "photo"])
        #expect(entry.strings("objectclass") == ["top", "person", "organizationalPerson"])
        #expect(entry.values("photo") == [[0x00, 0xFF]])
    }

    @Test func setAndRemove() {
        var entry = Entry(dn: dn, attributes: [Attribute("cn", strings: ["a"]), Attribute("sn", strings: ["b"])])
        entry.set("CN", values: [Array("c".utf8)])
        #expect(entry.attributes == [Attribute("cn", strings: ["c"]), Attribute("sn", strings: ["b"])])
        entry.remove("SN")
        #expect(entry.attributes == [Attribute("cn", strings: ["c"])])
    }

    @Test func modificationHelpers() {
        #expect(Modification.add("mail", "a", "b") == Modification(.add, attribute: "mail", values: [[97], [98]]))
        #expect(Modification.delete("phone") == Modification(.delete, attribute: "phone", values: []))
        #expect(Modification.replace("sn", strings: ["x"]) == Modification(.replace, attribute: "sn", values: [[120]]))
        #expect(Modification.replace("sn", "x").operation == .replace)
        #expect(Modification.delete("sn", strings: ["x"]).operation == .delete)
        #expect(Modification.add("sn", strings: []).values.isEmpty)
        #expect(Modification.add("photo", values: [[0]]).values == [[0]])
        #expect(Modification.Operation.replace.rawValue == "replace")
    }

    @Test func changeDN() throws {
        let other = try DistinguishedName(parsing: "cn=Other,o=Org")
        #expect(Change.add(Entry(dn: dn)).dn == dn)
        #expect(Change.modify(other, []).dn == other)
        #expect(Change.delete(dn).dn == dn)
        let rename = Change.modifyRDN(
            other,
            newRDN: RelativeDistinguishedName(type: "cn", value: "New"),
            deleteOldRDN: true,
            newSuperior: nil
        )
        #expect(rename.dn == other)
    }
}

@Suite struct AttributeNameComparisonTests {
    @Test(
        arguments: [
            ("Target-Address", "target-address", true), ("OTHERMAILBOX", "otherMailbox", true), ("cn", "cn", true),
            ("cn", "cnx", false), ("sn", "cn", false), ("", "", true), ("2.5.4.3", "2.5.4.3", true),
            ("Ärger", "ärger", true), ("Ärger", "arger", false),
        ])
    func namesCompareWithoutCase(_ lhs: String, _ rhs: String, _ same: Bool) {
        #expect(Entry.sameName(lhs, rhs) == same)
        let entry = Entry(dn: DistinguishedName([]), attributes: [Attribute(lhs, strings: ["v"])])
        #expect((entry.attribute(rhs) != nil) == same)
    }
}
