import CCMail
import Testing

@Suite struct CCMailAddressTests {
    @Test(arguments: [
        "Smith, John at PO1",
        "Smith, John AT PO1",
        "Smith, John At PO1",
        "Smith, John aT PO1",
        "  Smith, John   at   PO1  ",
        "Smith, John\tat\tPO1",
    ])
    func readsLenientlyAndWritesTheCanonicalForm(text: String) throws {
        let address = try CCMailAddress(parsing: text)
        #expect(address.name.text == "Smith, John")
        #expect(address.postOffice.text == "PO1")
        #expect(address.description == "Smith, John at PO1")
    }

    @Test func keepsTheSpellingOfNameAndPostOffice() throws {
        let address = try CCMailAddress(parsing: "van der Berg, Anna at Hq2")
        #expect(address.description == "van der Berg, Anna at Hq2")
    }

    @Test func theLastAtWordSeparatesSoNamesMayContainAt() throws {
        let address = try CCMailAddress(parsing: "Meet at Noon at PO1")
        #expect(address.name.text == "Meet at Noon")
        #expect(address.postOffice.text == "PO1")
    }

    @Test func atInsideWordsIsNotTheSeparator() throws {
        let address = try CCMailAddress(parsing: "Kat, Matt at PO1")
        #expect(address.name.text == "Kat, Matt")
        #expect(try CCMailAddress(parsing: "user@example.com at INTERNET").name.text == "user@example.com")
    }

    @Test(arguments: [
        ("Smith, John", CCMailAddress.ParseError.Reason.noAt),
        ("Smith, John atPO1", .noAt),
        ("", .noAt),
        ("at PO1", .emptyName),
        ("Smith, John at", .emptyPostOffice),
        ("Smith, John at   ", .emptyPostOffice),
        ("Smith, John at PO1 extra", .postOfficeNotOneWord),
    ])
    func rejectsWhatIsNotAnAddress(text: String, reason: CCMailAddress.ParseError.Reason) {
        #expect(throws: CCMailAddress.ParseError(text: text, reason: reason)) {
            try CCMailAddress(parsing: text)
        }
    }

    @Test func errorsQuoteTheText() {
        let error = CCMailAddress.ParseError(text: "Smith", reason: .noAt)
        #expect(error.description == "'Smith' is not a cc:Mail address: expected '<name> at <post office>'")
    }

    @Test func equalityIsCaseInsensitive() throws {
        let one = try CCMailAddress(parsing: "Smith, John at PO1")
        let two = try CCMailAddress(parsing: "SMITH,  JOHN AT po1")
        #expect(one == two)
        #expect(Set([one, two]).count == 1)
        #expect(one != (try CCMailAddress(parsing: "Smith, John at PO2")))
    }

    @Test func canonicalFormReadsBackToTheSameAddress() throws {
        let address = CCMailAddress(name: CCMailName(" Müller, Jürgen "), postOffice: CCMailName("ZURICH"))
        #expect(address.description == "Müller, Jürgen at ZURICH")
        #expect(try CCMailAddress(parsing: address.description) == address)
    }
}
