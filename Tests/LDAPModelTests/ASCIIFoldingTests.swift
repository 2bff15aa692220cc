import Testing

@testable import LDAPModel

/// The case helpers must give exactly what the standard library gives; only the cost may differ.
@Suite struct ASCIIFoldingTests {
    static let samples = [
        "", "smith", "Smith, John at PO1", "SMTP", "smtp", "X400", "c=US;a= ;p=Org;g=Zoë;s=Müller",
        "ÀÉÎÕÜ ÿ ß ×÷ Þþ Ð", "Zoë BJØRN", "İstanbul", "ΟΔΥΣΣΕΥΣ", "Σ", "ǅemal", "ﬀ", "Ω ohm", "日本 ABC",
        "mixed ÀBC ΣΑΣ", "\u{0}A\u{7F}", "e\u{301}COLE",
    ]

    @Test(arguments: samples)
    func lowercasedIsTheStandardLibrarys(_ text: String) {
        #expect(Array(ASCIIFolding.lowercased(text).unicodeScalars) == Array(text.lowercased().unicodeScalars))
    }

    @Test(arguments: samples)
    func uppercasedIsTheStandardLibrarys(_ text: String) {
        #expect(Array(ASCIIFolding.uppercased(text).unicodeScalars) == Array(text.uppercased().unicodeScalars))
    }

    @Test func everyLatin1ScalarLowersAsTheStandardLibraryDoes() {
        for value in UInt32(0)...0xFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = "A" + String(Character(scalar)) + "b"
            #expect(
                Array(ASCIIFolding.lowercased(text).unicodeScalars) == Array(text.lowercased().unicodeScalars),
                "U+\(String(value, radix: 16))")
        }
    }
}

/// The Latin-1 path of the DN value key must give exactly what the general path gives.
@Suite struct DistinguishedNameLatin1KeyTests {
    @Test func everyLatin1ScalarInEveryPositionKeysAsTheGeneralRule() {
        for value in UInt32(0)...0xFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let character = String(Character(scalar))
            for text in [
                character, "A" + character + "b", "  Zoë " + character + character + " Müller ", character + "\r\n",
            ] {
                #expect(
                    DistinguishedNameNormalization.latin1Value(text)
                        == DistinguishedNameNormalization.unicodeValue(text),
                    "U+\(String(value, radix: 16)) in \(text.debugDescription)")
            }
        }
    }

    @Test func textBeyondLatin1TakesTheGeneralRule() {
        #expect(DistinguishedNameNormalization.latin1Value("Łukasz") == nil)
        #expect(DistinguishedNameNormalization.latin1Value("e\u{301}") == nil)
        #expect(DistinguishedNameNormalization.value("ÉCOLE\u{A0}Łódź") == "école łódź")
    }
}

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
}
