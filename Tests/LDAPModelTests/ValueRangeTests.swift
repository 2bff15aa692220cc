import LDAPModel
import Testing

/// Attribute names that carry a part of the values, as AD sends them above MaxValRange.
@Suite struct ValueRangeTests {
    @Test(arguments: [
        ("proxyAddresses;range=0-1499", ValueRange(attribute: "proxyAddresses", first: 0, last: 1499)),
        ("proxyAddresses;range=1500-*", ValueRange(attribute: "proxyAddresses", first: 1500, last: nil)),
        ("member;Range=3000-4499", ValueRange(attribute: "member", first: 3000, last: 4499)),
        ("cn;lang-de;range=2-3", ValueRange(attribute: "cn;lang-de", first: 2, last: 3)),
    ])
    func reads(name: String, expected: ValueRange) {
        #expect(ValueRange(name: name) == expected)
    }

    @Test(arguments: [
        "proxyAddresses", "range=0-5", "cn;lang-de", "proxyAddresses;range=", "proxyAddresses;range=5",
        "proxyAddresses;range=5-4", "proxyAddresses;range=-1-4", "proxyAddresses;range=a-*",
    ])
    func refusesWhatIsNoRange(name: String) {
        #expect(ValueRange(name: name) == nil)
    }

    @Test func namesAPartAndWhatFollows() {
        #expect(ValueRange(attribute: "proxyAddresses", first: 0, last: 1499).name == "proxyAddresses;range=0-1499")
        #expect(ValueRange.name("proxyAddresses", from: 1500) == "proxyAddresses;range=1500-*")
        #expect(ValueRange(attribute: "member", first: 10, last: 19).count == 10)
        #expect(ValueRange(attribute: "member", first: 10, last: nil).count == nil)
    }

    /// A selected attribute sent in part holds the part's values and says where the values not sent start.
    @Test func selectionKeepsThePartAndWhereTheRestStarts() throws {
        let dn = try DistinguishedName(parsing: "cn=Smith,o=Org")
        let entry = Entry(
            dn: dn,
            attributes: [
                Attribute("cn", strings: ["Smith"]),
                Attribute("proxyAddresses;range=0-1", strings: ["SMTP:a@example", "smtp:b@example"]),
            ])
        let selected = AttributeSelection(["cn", "proxyAddresses"]).select(entry)
        #expect(selected[1] == ["SMTP:a@example", "smtp:b@example"])
        #expect(selected.unsentValues == [1: 2])
        var last = selected
        last.append(["smtp:c@example"], part: ValueRange(attribute: "proxyAddresses", first: 2, last: nil), at: 1)
        #expect(last[1] == ["SMTP:a@example", "smtp:b@example", "smtp:c@example"])
        #expect(last.unsentValues.isEmpty)
    }
}
