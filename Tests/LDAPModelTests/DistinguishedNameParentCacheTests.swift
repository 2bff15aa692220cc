import Testing

@testable import LDAPModel

/// DNs parsed through one parent cache are the DNs the parser gives, errors included.
@Suite struct DistinguishedNameParentCacheTests {
    static let texts = [
        "cn=Smith\\, John,cn=Recipients,ou=Site,o=Org", "cn=Doe,cn=Recipients,ou=Site,o=Org",
        "CN=Roe , cn=recipients,ou=Site,o=Org", "cn=a,", "cn=a, ", "cn=a;ou=b", "cn=x;ou=b", " cn=a , ou=b ",
        "cn=\"q,x\",o=y", "cn=a+sn=b,o=c", "cn=b+sn=c,o=c", "#", "", "  ", "cn=a,ou=b,", "cn=a,ou=b,=x",
        "cn=a,ou=#04024869", "cn=b,ou=#04024869", "cn=Zoë,ou=Zürich ,o=Org", "uid=z,ou=Zürich,o=Org", "cn=a,,o=x",
    ]

    @Test func parsesAsTheParserDoes() {
        var cache = DistinguishedNameParentCache()
        for text in Self.texts + Self.texts {
            let plain = Result { () throws(DistinguishedNameError) in try DistinguishedName(parsing: text) }
            let cached = Result { () throws(DistinguishedNameError) in try cache.parse(text) }
            switch (plain, cached) {
            case (.success(let expected), .success(let got)):
                #expect(got.description == expected.description && got == expected, "\(text.debugDescription)")
                #expect(got.rdns.map(\.description) == expected.rdns.map(\.description))
            case (.failure(let expected), .failure(let got)):
                #expect(got == expected, "\(text.debugDescription)")
            default:
                Issue.record("\(text.debugDescription): \(plain) against \(cached)")
            }
        }
    }

    @Test func randomTextParsesAsTheParserDoes() {
        let pieces = [
            "cn", "=", ",", ";", "+", "\\", "\"", "#", "41", "4", " ", "a", "é", "\\2C", "ou=x", "o=Org", "uid=b",
            "cn=Recipients", "\\,", "\\\\", "#04024869", "  ",
        ]
        var cache = DistinguishedNameParentCache()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...9, using: &generator)
            let text = (0..<count).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
            #expect(
                (try? cache.parse(text))?.normalized == (try? DistinguishedName(parsing: text))?.normalized
                    && cache.normalized(text) == (try? DistinguishedName(parsing: text))?.normalized, "\(text)")
        }
        for text in [
            "cn=A,cn=Recipients,ou=Site,o=Org", "cn=B,cn=recipients,ou=Site,o=Org", "cn=A,", "cn=A, ", "cn=A;o=x",
            "cn=\"a,b\",o=x", "cn=a\\,b,o=x", "cn=a\\\\,b=c", "cn=#0102,o=x", "cn=a+uid=b,o=x", " cn = a , o = x ",
            "cn=a\\2,o=x", "cn=a\\41,o=x", ",o=x", "cn=A,cn=Recipients,ou=Site,o=Org",
        ] {
            #expect(
                (try? cache.parse(text))?.normalized == (try? DistinguishedName(parsing: text))?.normalized
                    && cache.normalized(text) == (try? DistinguishedName(parsing: text))?.normalized, "\(text)")
        }
    }
}
