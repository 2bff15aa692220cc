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
