import LDAPModel
import TestSupport
import Testing

@Suite("DistinguishedName escaping of hard names")
struct DistinguishedNameEscapingTests {
    static let base = DistinguishedName([
        RelativeDistinguishedName(type: "ou", value: "Site"),
        RelativeDistinguishedName(type: "o", value: "Org"),
    ])

    /// cc:Mail display names that break naive DN handling, with the RFC 4514 string they must produce.
    static let hardNames: [(value: String, printed: String)] = [
        ("Smith, John", #"cn=Smith\, John,ou=Site,o=Org"#),
        ("O'Brien, Pat", #"cn=O'Brien\, Pat,ou=Site,o=Org"#),
        ("#hash", ##"cn=\#hash,ou=Site,o=Org"##),
        ("mid#hash", #"cn=mid#hash,ou=Site,o=Org"#),
        (" leading space", #"cn=\ leading space,ou=Site,o=Org"#),
        ("trailing space ", #"cn=trailing space\ ,ou=Site,o=Org"#),
        ("  two  ", #"cn=\  two \ ,ou=Site,o=Org"#),
        (" ", #"cn=\ ,ou=Site,o=Org"#),
        ("", "cn=,ou=Site,o=Org"),
        ("a+b", #"cn=a\+b,ou=Site,o=Org"#),
        (#"say "hi""#, #"cn=say \"hi\",ou=Site,o=Org"#),
        (#"back\slash"#, #"cn=back\\slash,ou=Site,o=Org"#),
        ("<angle>", #"cn=\<angle\>,ou=Site,o=Org"#),
        ("semi;colon", #"cn=semi\;colon,ou=Site,o=Org"#),
        // RFC 4514 allows `=` unescaped; Active Directory refuses it (invalidDNSyntax), so it is hex-escaped.
        ("x=y", #"cn=x\3Dy,ou=Site,o=Org"#),
        ("Müller, Jürgen", #"cn=Müller\, Jürgen,ou=Site,o=Org"#),
        ("nul\u{0}byte", #"cn=nul\00byte,ou=Site,o=Org"#),
        ("tab\tand\nnewline", #"cn=tab\09and\0Anewline,ou=Site,o=Org"#),
        ("日本語 🎉", "cn=日本語 🎉,ou=Site,o=Org"),
    ]

    @Test("hard cn values print as RFC 4514 requires and round-trip", arguments: hardNames)
    func hardName(_ value: String, _ printed: String) throws {
        let dn = Self.base.child(RelativeDistinguishedName(type: "cn", value: value))
        #expect(dn.description == printed)
        let parsed = try DistinguishedName(parsing: dn.description)
        #expect(parsed.rdns.count == 3)
        #expect(parsed.rdns[0].attributes[0].value == value)
        #expect(parsed.description == printed)
        #expect(parsed == dn)
    }

    /// DNs as a server spells them, each printed back byte for byte: Active Directory refuses `CN=Eq=ual Sign` for
    /// the entry it returned as `CN=Eq\3Dual Sign`, so a DN read is written as it was read.
    static let serverSpellings = [
        #"CN=Eq\3Dual Sign,OU=Users,DC=example,DC=org"#, #"CN=Eq\=ual,OU=Users,DC=example,DC=org"#,
        #"CN=Smith\2C John,OU=Users,DC=example,DC=org"#, #"CN=Smith\, John,OU=Users,DC=example,DC=org"#,
        #"CN=\23hash,OU=Users,DC=example,DC=org"#, #"CN="Quoted, Name",OU=Users,DC=example,DC=org"#,
        #"CN=Lu\C4\8Di\C4\87,OU=Users,DC=example,DC=org"#,
    ]

    @Test(
        "a DN read with escapes prints as it was read, directly and through the parent cache",
        arguments: serverSpellings)
    func serverSpellingIsKept(_ text: String) throws {
        let parsed = try DistinguishedName(parsing: text, keepingSpelling: true)
        #expect(parsed.description == text)
        var cache = DistinguishedNameParentCache(keepingSpelling: true)
        #expect(try cache.parse(text).description == text)
        #expect(try cache.parse(text).description == text, "the second parse uses the cached parent")
        // Equality still ignores the spelling.
        #expect(parsed == (try DistinguishedName(parsing: parsed.rdns.map(\.description).joined(separator: ","))))
        // A child of a spelled DN keeps its parent's spelling; a changed DN is spelled afresh.
        let child = parsed.child(RelativeDistinguishedName(type: "cn", value: "a=b"))
        #expect(child.description == #"cn=a\3Db,"# + text)
        var changed = parsed
        changed.rdns[0] = RelativeDistinguishedName(type: "CN", value: "Eq=ual")
        #expect(changed.description.hasPrefix(#"CN=Eq\3Dual,"#))
    }

    @Test func randomValuesRoundTripExactly() throws {
        var generator = SeededGenerator(seed: 4514)
        let alphabet: [Character] = Array(#"ab Z,+";<>\=# "#) + ["\u{0}", "\r", "\n", "ü", "é", "\u{301}", "🎉", "日"]
        for _ in 0..<1000 {
            let length = Int.random(in: 0...12, using: &generator)
            let value = String((0..<length).map { _ in alphabet.randomElement(using: &generator) ?? "a" })
            let reversed = String(value.reversed())
            let dn = Self.base.child(
                RelativeDistinguishedName([
                    AttributeTypeAndValue(type: "cn", value: value),
                    AttributeTypeAndValue(type: "uid", value: reversed),
                ])
            )
            let parsed = try DistinguishedName(parsing: dn.description)
            let parsedBytes = parsed.rdns[0].attributes.map { Array($0.value.utf8) }
            #expect(parsedBytes == [Array(value.utf8), Array(reversed.utf8)], "\(dn)")
            #expect(parsed.description == dn.description)
        }
    }
}
