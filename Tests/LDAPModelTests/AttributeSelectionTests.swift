import LDAPModel
import Testing

@Suite struct AttributeSelectionTests {
    @Test func positionsIgnoreASCIICaseAndOptions() {
        let selection = AttributeSelection(["objectClass", "Target-Address", "cn", "CN"])
        #expect(selection.position(of: "OBJECTCLASS") == 0)
        #expect(selection.position(of: "target-address") == 1)
        #expect(selection.position(of: "cn") == 2)
        #expect(selection.position(of: "cn;lang-de") == nil)
        #expect(selection.position(of: "c") == nil)
        #expect(selection.position(of: "Target-Addresses") == nil)
        #expect(selection.position(of: "") == nil)
    }

    /// The byte comparison agrees with `Entry.sameName` for every pair of a small alphabet of names.
    @Test func positionAgreesWithEntryNameComparison() {
        let names = ["cn", "CN", "Cn", "sn", "mail", "MAIL", "mai", "mailx", "uid", "UID", "Admin-Description", "ß"]
        for wanted in names {
            let selection = AttributeSelection([wanted])
            for sent in names {
                #expect((selection.position(of: sent) == 0) == Entry.sameName(wanted, sent), "\(wanted) \(sent)")
            }
        }
    }

    @Test func selectTakesEachSelectedAttributesTextValues() throws {
        let dn = try DistinguishedName(parsing: "cn=Smith,o=Org")
        let entry = Entry(
            dn: dn,
            attributes: [
                Attribute("CN", strings: ["Smith", "John Smith"]),
                Attribute("photo", values: [[0xFF, 0xD8]]),
                Attribute("userCertificate", values: [[0xFF], Array("text".utf8)]),
            ])
        let selected = AttributeSelection(["cn", "userCertificate", "mail"]).select(entry)
        #expect(selected.dn == dn)
        #expect(selected[0] == ["Smith", "John Smith"])
        #expect(selected[1] == ["text"])
        #expect(selected[2] == [])
        #expect(selected[3] == [])
        #expect(selected[nil] == [])
        #expect(selected.dnText == "cn=Smith,o=Org")

        // DNs as text only: as from a server, the DN is not given, its text is.
        let textOnly = AttributeSelection(["cn", "userCertificate", "mail"], dnTextOnly: true).select(entry)
        #expect(textOnly.dn == .root)
        #expect(textOnly.dnText == "cn=Smith,o=Org")
        #expect(textOnly.values == selected.values)
    }
}
