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
