import LDAPModel
import Testing

@Suite("DistinguishedName normalisation and comparison")
struct DistinguishedNameComparisonTests {
    static let equalPairs: [(String, String)] = [
        (#"CN=Smith\, John, OU=Site,O=Org"#, #"cn=smith\2c  john,ou=site,o=org"#),
        ("ou=Sales+cn=J. Smith,o=Org", "CN=j. smith+OU=sales,o=Org"),
        ("cn=Müller,o=Org", "cn=MÜLLER,o=Org"),
        ("cn=Mu\u{308}ller,o=Org", #"cn=M\C3\BCller,o=Org"#),
        ("2.5.4.3=Foo,2.5.4.11=Bar,2.5.4.10=Org", "cn=foo,ou=bar,o=org"),
        ("0.9.2342.19200300.100.1.25=example,0.9.2342.19200300.100.1.1=x", "DC=Example,UID=X"),
        ("2.5.4.6=DE,2.5.4.7=Berlin,2.5.4.8=BE", "c=de,l=berlin,st=be"),
        ("cn=  a   b  ,o=Org", "cn=a b,o=Org"),
        (#"cn=\ a\ ,o=Org"#, "cn=a,o=Org"),
        ("cn=a;o=Org", "cn=a,o=Org"),
    ]

    @Test("equal DNs", arguments: equalPairs)
    func equal(_ left: String, _ right: String) throws {
        let lhs = try DistinguishedName(parsing: left)
        let rhs = try DistinguishedName(parsing: right)
        #expect(lhs == rhs)
        #expect(lhs.hashValue == rhs.hashValue)
        #expect(Array(lhs.normalized.utf8) == Array(rhs.normalized.utf8))
        #expect(Set([lhs, rhs]).count == 1)
    }

    static let differentPairs: [(String, String)] = [
        ("cn=Smith,o=Org", "cn=Smyth,o=Org"),
        ("cn=a+cn=b,o=Org", "cn=a,o=Org"),
        ("cn=a,o=Org", "cn=a,ou=x,o=Org"),
        ("cn=a,o=Org", "sn=a,o=Org"),
        ("cn=a b,o=Org", "cn=ab,o=Org"),
        (#"cn=a\,b,o=Org"#, "cn=a,cn=b,o=Org"),
        (#"cn=a\+cn=b"#, "cn=a+cn=b"),
        ("cn=a,o=Org", ""),
        // A space carrying a combining mark is not insignificant space (RFC 4518 §2.6.1); found by make fuzz.
        ("cn=a \u{301}b,o=Org", "cn=a b,o=Org"),
    ]

    @Test("different DNs", arguments: differentPairs)
    func different(_ left: String, _ right: String) throws {
        let lhs = try DistinguishedName(parsing: left)
        let rhs = try DistinguishedName(parsing: right)
        #expect(lhs != rhs)
        #expect(lhs.normalized != rhs.normalized)
    }

    @Test func normalizedForm() throws {
        let dn = try DistinguishedName(parsing: #"CN=Smith\, John, OU=Site,2.5.4.10=ORG"#)
        #expect(dn.normalized == #"cn=smith\, john,ou=site,o=org"#)
        let multi = try DistinguishedName(parsing: "OU=Sales+CN=J.  Smith,DC=example")
        #expect(multi.normalized == "cn=j. smith+ou=sales,dc=example")
    }

    @Test func normalisationDoesNotChangeDescription() throws {
        let dn = try DistinguishedName(parsing: "CN=Müller,  OU=Site")
        #expect(dn.description == "CN=Müller,OU=Site")
        #expect(dn.rdns[0].attributes[0].type == "CN")
    }

    @Test func dictionaryLookupIgnoresSpelling() throws {
        let stored = [try DistinguishedName(parsing: "cn=Jürgen Müller,ou=Site,o=Org"): 1]
        #expect(stored[try DistinguishedName(parsing: "CN=JÜRGEN  MÜLLER, OU=SITE, O=ORG")] == 1)
        #expect(stored[try DistinguishedName(parsing: "cn=Jurgen Muller,ou=Site,o=Org")] == nil)
    }

    /// The comparison key is its own key: parsing it gives a DN with the same key (fixtures/fuzz/crashes/dn-*).
    @Test(arguments: ["cn=a\n\u{301}b,o=Org", "U=\u{FFFD}\n\u{06EC}\u{FFFD}i", "cn=\u{301} x \u{20}\u{301}"])
    func keyIsAFixedPoint(_ text: String) throws {
        let key = try DistinguishedName(parsing: text).normalized
        #expect(try DistinguishedName(parsing: key).normalized == key)
    }
}
