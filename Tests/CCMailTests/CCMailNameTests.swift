import CCMail
import Testing

@Suite struct CCMailNameTests {
    @Test(arguments: [
        ("Smith, John", "smith, john"),
        ("  SMITH,   John\t", "smith, john"),
        ("smith,\tjohn", "smith, john"),
        ("MÜLLER, JÜRGEN", "müller, jürgen"),
        ("ØSTER, ÅSE", "øster, åse"),
        ("Œuvre, ŸVES", "œuvre, ÿves"),
        ("ΑΘΗΝΑ", "αθηνα"),
        ("O'Brien,  Mary Ann", "o'brien, mary ann"),
        ("×÷", "×÷"),
    ])
    func normalisedFormIgnoresCaseAndSpacing(text: String, normalized: String) {
        #expect(CCMailName(text).normalized == normalized)
    }

    @Test func textKeepsTheSpellingButNotTheOuterSpaces() {
        #expect(CCMailName("  Smith,  John ").text == "Smith,  John")
    }

    @Test func namesThatDifferOnlyInCaseAndSpacingAreEqual() {
        let names: Set<CCMailName> = [
            CCMailName("Smith, John"), CCMailName("SMITH,  JOHN"), CCMailName(" smith, john"),
        ]
        #expect(names.count == 1)
        #expect(CCMailName("Müller") == CCMailName("MÜLLER"))
        #expect(CCMailName("Smith, John") != CCMailName("Smith, Joan"))
        #expect(CCMailName("Smith, John") != CCMailName("Smith,John"))
    }

    @Test func sortingIsByNormalisedForm() {
        let sorted = ["b", "A", "C", "a "].map(CCMailName.init).sorted()
        #expect(sorted.map(\.text) == ["A", "a", "b", "C"])
    }

    @Test func emptyName() {
        #expect(CCMailName(" \t ").isEmpty)
        #expect(!CCMailName("x").isEmpty)
    }

    @Test(
        arguments: [
            ("Smith, John M.", "Smith", "John M."),
            ("Smith,John", "Smith", "John"),
            ("  Smith ,  John  ", "Smith", "John"),
            ("Smith, Jr., John", "Smith", "Jr., John"),
            ("Smith", "Smith", nil),
            ("John Smith", "John Smith", nil),
            ("Smith,", "Smith", nil),
            (", John", ", John", nil),
            ("Müller, Jürgen", "Müller", "Jürgen"),
        ] as [(String, String, String?)])
    func surnameAndGivenNameComeFromTheFirstComma(name: String, surname: String, givenName: String?) {
        let parsed = CCMailName(name)
        #expect(parsed.surname == surname)
        #expect(parsed.givenName == givenName)
    }
}

/// The byte search for the comma gives what the character search gives.
@Suite struct CCMailNameSplitTests {
    /// The split as first written: the first comma character, both sides trimmed.
    static func reference(_ name: CCMailName) -> (surname: String, givenName: String?) {
        let text = name.text
        guard let comma = text.firstIndex(of: ",") else {
            return (text, nil)
        }
        /// Spaces and tabs trimmed as bytes, as the name's own trimming does.
        func trimmed(_ part: Substring) -> String {
            let utf8 = part.utf8
            guard let first = utf8.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }),
                let last = utf8.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })
            else {
                return ""
            }
            return String(part[first...last])
        }
        let surname = trimmed(text[..<comma])
        guard !surname.isEmpty else {
            return (text, nil)
        }
        let given = trimmed(text[text.index(after: comma)...])
        return (surname, given.isEmpty ? nil : given)
    }

    @Test(arguments: [
        "Smith, John", "Smith,John", "Smith", ", John", "Smith,", "Smith,  ", "Smith, Jr., John", "  Smith , John  ",
        "Müller, Jürgen", "ŁÓDŹ, Ŋ", "Smith,\u{301} John", "Smith\u{301}, John", "\u{600},x", "a\u{600},x",
        "Smith,\u{200D}John", "Smith\r,\nJohn", "e\u{301}, é", "x,\u{308}y, z", "ǅ, ʰ˿",
    ])
    func splitMatchesTheCharacterSearch(text: String) {
        let name = CCMailName(text)
        let expected = Self.reference(name)
        #expect(name.surname == expected.surname)
        #expect(name.givenName == expected.givenName)
        let user = CCMailUser(name: name, kind: .user, homePostOffice: CCMailName("PO1"))
        #expect(user.surname == expected.surname)
        #expect(user.givenName == expected.givenName)
    }

    @Test func splitMatchesTheCharacterSearchOnRandomText() {
        let pieces = ["a", "Z", " ", "\t", ",", "é", "Ø", "\u{301}", "\u{308}", "\u{600}", "ß", "ı", "\r", "\n", "ǅ"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let count = Int.random(in: 0...8, using: &generator)
            let text = (0..<count).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
            let name = CCMailName(text)
            let expected = Self.reference(name)
            #expect(name.surname == expected.surname, "\(Array(text.unicodeScalars))")
            #expect(name.givenName == expected.givenName, "\(Array(text.unicodeScalars))")
        }
    }
}
