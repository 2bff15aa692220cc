import Testing

@testable import CCMail

/// The words of an address found on its bytes are the words found character by character.
@Suite struct CCMailAddressWordsTests {
    /// Pieces that make the hard cases: spaces and tabs next to combining marks (after) and prepended marks
    /// (before), `at` in every case, accented and non-Latin letters, CR LF.
    static let pieces = [
        " ", "  ", "\t", "at", "AT", "aT", "At", "a", "t", "Smith,", "John", "PO1", "é", "e\u{301}", "\u{301}",
        "\u{600}", "Ł", "日本", "\r\n", "ａｔ", "x", "Zoë", "\u{2B0}", "\u{36F}", "\u{903}", "\u{200D}", "\u{5FF}",
        "\u{1F469}", "\u{1F1E6}", "\u{110BD}", "É",
    ]

    @Test("the bytes' split, where it answers, is the characters' split, on 20,000 random texts")
    func bytesSplitLikeCharacters() {
        var generator = SystemRandomNumberGenerator()
        var answered = 0
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...8, using: &generator)
            let text = (0..<count).map { _ in Self.pieces.randomElement(using: &generator) ?? "" }.joined()
            let characters = CCMailAddress.characterWords(in: text)
            if let bytes = CCMailAddress.asciiSeparatedWords(in: text) {
                answered += 1
                #expect(bytes.map { text[$0] } == characters.map { text[$0] }, "\(text.debugDescription)")
            }
            #expect(CCMailAddress.words(in: text).map { text[$0] } == characters.map { text[$0] })
        }
        #expect(answered > 5_000, "the byte path answers most texts")
    }

    @Test("a space beside a mark is left to the characters")
    func marksBesideSpaces() {
        #expect(CCMailAddress.asciiSeparatedWords(in: "Smith \u{301}at PO") == nil)
        #expect(CCMailAddress.asciiSeparatedWords(in: "Smith\u{600} at PO") == nil)
        #expect(CCMailAddress.asciiSeparatedWords(in: "Zoë at PO")?.count == 3)
        #expect(CCMailAddress.asciiSeparatedWords(in: "Brown, \u{C9}mile at PO")?.count == 4)
        // The mark joins the space: `Smith ́at` is one word.
        #expect(CCMailAddress.characterWords(in: "Smith \u{301}at PO").count == 2)
    }

    @Test("`at` in any case, and nothing else, is the separator word")
    func isAtLikeCharacters() {
        for word in Self.pieces + ["atat", "a\u{301}t", "at\u{301}", "\u{130}t", "Ａt", ""] {
            let expected = word.count == 2 && word.lowercased() == "at"
            #expect(CCMailAddress.isAt(word[...]) == expected, "\(word.debugDescription)")
        }
    }
}
