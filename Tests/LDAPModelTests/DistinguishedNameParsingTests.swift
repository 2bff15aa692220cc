import LDAPModel
import Testing

@Suite("DistinguishedName parsing and printing")
struct DistinguishedNameParsingTests {
    struct Example: Sendable, CustomTestStringConvertible {
        var input: String
        /// Each RDN's (type, value) pairs, most specific first.
        var rdns: [[Pair]]
        var printed: String
        var testDescription: String { input }
    }

    struct Pair: Sendable, Equatable {
        var type: String
        var value: String
        init(_ type: String, _ value: String) {
            self.type = type
            self.value = value
        }
    }

    static let rfc4514Examples: [Example] = [
        Example(
            input: "UID=jsmith,DC=example,DC=net",
            rdns: [[Pair("UID", "jsmith")], [Pair("DC", "example")], [Pair("DC", "net")]],
            printed: "UID=jsmith,DC=example,DC=net"
        ),
        Example(
            input: "OU=Sales+CN=J.  Smith,DC=example,DC=net",
            rdns: [[Pair("OU", "Sales"), Pair("CN", "J.  Smith")], [Pair("DC", "example")], [Pair("DC", "net")]],
            printed: "OU=Sales+CN=J.  Smith,DC=example,DC=net"
        ),
        Example(
            input: #"CN=James \"Jim\" Smith\, III,DC=example,DC=net"#,
            rdns: [[Pair("CN", #"James "Jim" Smith, III"#)], [Pair("DC", "example")], [Pair("DC", "net")]],
            printed: #"CN=James \"Jim\" Smith\, III,DC=example,DC=net"#
        ),
        Example(
            input: #"CN=Before\0dAfter,DC=example,DC=net"#,
            rdns: [[Pair("CN", "Before\rAfter")], [Pair("DC", "example")], [Pair("DC", "net")]],
            printed: #"CN=Before\0DAfter,DC=example,DC=net"#
        ),
        Example(
            input: "1.3.6.1.4.1.1466.0=#04024869,DC=example,DC=com",
            rdns: [[Pair("1.3.6.1.4.1.1466.0", "Hi")], [Pair("DC", "example")], [Pair("DC", "com")]],
            printed: "1.3.6.1.4.1.1466.0=#04024869,DC=example,DC=com"
        ),
        Example(
            input: #"CN=Lu\C4\8Di\C4\87"#,
            rdns: [[Pair("CN", "Lučić")]],
            printed: "CN=Lučić"
        ),
    ]

    @Test("RFC 4514 section 4 examples", arguments: rfc4514Examples)
    func rfc4514Example(_ example: Example) throws {
        let dn = try DistinguishedName(parsing: example.input)
        let pairs = dn.rdns.map { $0.attributes.map { Pair($0.type, $0.value) } }
        #expect(pairs == example.rdns)
        #expect(dn.description == example.printed)
        let reparsed = try DistinguishedName(parsing: dn.description)
        #expect(reparsed == dn)
        #expect(reparsed.description == dn.description)
    }

    @Test func berValueKeepsEncoding() throws {
        let dn = try DistinguishedName(parsing: "1.3.6.1.4.1.1466.0=#04024869,DC=example,DC=com")
        let attribute = try #require(dn.rdn?.attributes.first)
        #expect(attribute.berEncoding == [0x04, 0x02, 0x48, 0x69])
        #expect(attribute.description == "1.3.6.1.4.1.1466.0=#04024869")
    }

    struct BERCase: Sendable, CustomTestStringConvertible {
        var hex: String
        var value: String
        var printed: String
        var testDescription: String { hex }
    }

    static let berCases: [BERCase] = [
        BERCase(hex: "0c03c3bc78", value: "üx", printed: "#0C03C3BC78"),
        BERCase(hex: "048103414243", value: "ABC", printed: "#048103414243"),
        BERCase(hex: "1304414243", value: "#1304414243", printed: "#1304414243"),
        BERCase(hex: "1303414243", value: "ABC", printed: "#1303414243"),
        BERCase(hex: "16024869", value: "Hi", printed: "#16024869"),
        BERCase(hex: "1E0400480069", value: "Hi", printed: "#1E0400480069"),
        BERCase(hex: "1C0400000048", value: "H", printed: "#1C0400000048"),
        BERCase(hex: "020101", value: "#020101", printed: "#020101"),
        BERCase(hex: "0402FF00", value: "#0402FF00", printed: "#0402FF00"),
        BERCase(hex: "04", value: "#04", printed: "#04"),
    ]

    @Test("#hex BER values", arguments: berCases)
    func berValue(_ berCase: BERCase) throws {
        let rdn = try RelativeDistinguishedName(parsing: "1.2.3=#" + berCase.hex)
        #expect(rdn.attributes[0].value == berCase.value)
        #expect(rdn.description == "1.2.3=" + berCase.printed)
        #expect(try RelativeDistinguishedName(parsing: rdn.description) == rdn)
    }

    @Test func assigningValueDropsBEREncoding() throws {
        var attribute = try #require(try RelativeDistinguishedName(parsing: "cn=#04024869").attributes.first)
        attribute.value = "#plain"
        #expect(attribute.berEncoding == nil)
        #expect(attribute.description == ##"cn=\#plain"##)
    }

    @Test func berValuesCompareByEncoding() throws {
        #expect(try DistinguishedName(parsing: "cn=#04024869") == DistinguishedName(parsing: "cn=#04024869"))
        #expect(try DistinguishedName(parsing: "cn=#04024869") != DistinguishedName(parsing: "cn=Hi"))
        #expect(try DistinguishedName(parsing: "cn=#04024869") != DistinguishedName(parsing: ##"cn=\#04024869"##))
    }

    @Test func emptyStringIsRootDSE() throws {
        for input in ["", "   "] {
            let dn = try DistinguishedName(parsing: input)
            #expect(dn.isEmpty)
            #expect(dn.rdns.isEmpty)
            #expect(dn.description == "")
            #expect(dn == DistinguishedName.root)
        }
    }

    @Test func emptyValueIsAllowed() throws {
        let dn = try DistinguishedName(parsing: "cn=,o=Org")
        #expect(dn.rdns[0].attributes[0].value == "")
        #expect(dn.description == "cn=,o=Org")
    }

    @Test func lenientInput() throws {
        let dn = try DistinguishedName(parsing: " cn = Smith , ou=Site ; o=Org ")
        #expect(dn.rdns.map(\.value) == ["Smith", "Site", "Org"])
        #expect(dn.description == "cn=Smith,ou=Site,o=Org")

        let multi = try DistinguishedName(parsing: "ou=Sales + cn=J. Smith,o=Org")
        #expect(multi.rdns[0].attributes.map(\.value) == ["Sales", "J. Smith"])
        #expect(multi.description == "ou=Sales+cn=J. Smith,o=Org")
    }

    @Test func quotedValuesFromRFC2253() throws {
        let dn = try DistinguishedName(parsing: #"cn="Smith, John; \"Jr\"" ,o=Org"#)
        #expect(dn.rdns[0].value == #"Smith, John; "Jr""#)
        #expect(dn.description == #"cn=Smith\, John\; \"Jr\",o=Org"#)
    }

    @Test func unescapedAnglesAreAcceptedAndEscapedOnOutput() throws {
        let dn = try DistinguishedName(parsing: "cn=<x>,o=Org")
        #expect(dn.rdns[0].value == "<x>")
        #expect(dn.description == #"cn=\<x\>,o=Org"#)
    }

    @Test func attributeTypesKeepTheirSpelling() throws {
        let dn = try DistinguishedName(parsing: "Target-Address=SMTP:a@b,2.5.4.10=Org")
        #expect(dn.rdns.map { $0.attributes[0].type } == ["Target-Address", "2.5.4.10"])
        #expect(dn.description == "Target-Address=SMTP:a@b,2.5.4.10=Org")
    }

    @Test func escapedTrailingSpaceIsKeptUnescapedIsDropped() throws {
        #expect(try DistinguishedName(parsing: #"cn=a\ ,o=Org"#).rdns[0].value == "a ")
        #expect(try DistinguishedName(parsing: "cn=a   ,o=Org").rdns[0].value == "a")
        #expect(try DistinguishedName(parsing: #"cn=a \  ,o=Org"#).rdns[0].value == "a  ")
    }

    @Test func everySpecialCharacterEscapeIsAccepted() throws {
        let dn = try DistinguishedName(parsing: ##"cn=\,\+\"\\\<\>\;\=\#\ "##)
        #expect(dn.rdns[0].value == #",+"\<>;=# "#)
    }

    @Test func singleRDNParsing() throws {
        let rdn = try RelativeDistinguishedName(parsing: "CN=J. Smith+OU=Sales")
        #expect(rdn.attributes.count == 2)
        #expect(rdn.description == "CN=J. Smith+OU=Sales")
        #expect(
            rdn
                == RelativeDistinguishedName([
                    AttributeTypeAndValue(type: "ou", value: "sales"),
                    AttributeTypeAndValue(type: "cn", value: "j. smith"),
                ]))
    }
}
