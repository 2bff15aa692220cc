import Foundation
import Testing

@testable import Sync

/// Address keys are equal as `String` is (canonical equivalence), and equal keys hash alike whatever their bytes.
@Suite struct AddressKeyTests {
    /// Precomposed and decomposed letters, a combining mark on its own, Latin-1 and beyond, spaces and separators.
    static let pieces = [
        "a", "Z", "é", "e\u{301}", "É", "E\u{301}", "\u{301}", "ö", "o\u{308}", "Å", "A\u{30A}", "\u{212B}", "ß",
        "Ω", "\u{2126}", "ñ", "n\u{303}", " ", "@", ".", "x", "Smith, John", " at ", "PO1",
    ]

    @Test("keys equal as String is, and equal keys hash alike, across NFC and NFD spellings")
    func equalityAndHashAgree() {
        var generator = SystemRandomNumberGenerator()
        var equivalentButDifferentBytes = 0
        for _ in 0..<20_000 {
            func value() -> String {
                (0..<Int.random(in: 0...6, using: &generator)).map { _ in
                    Self.pieces.randomElement(using: &generator) ?? ""
                }.joined()
            }
            let leftText = "SMTP:" + value()
            let rightText =
                Bool.random(using: &generator) ? leftText.decomposedStringWithCanonicalMapping : "SMTP:" + value()
            let left = AddressKey(folded: leftText)
            let right = AddressKey(folded: rightText)
            #expect((left == right) == (leftText == rightText), "\(leftText) / \(rightText)")
            if left == right {
                #expect(left.hashValue == right.hashValue, "\(Array(leftText.utf8)) / \(Array(rightText.utf8))")
                if Array(leftText.utf8) != Array(rightText.utf8) {
                    equivalentButDifferentBytes += 1
                }
            }
        }
        // Pairs spelled with different bytes come up, so the hash is compared where it could differ.
        #expect(equivalentButDifferentBytes > 1_000)
    }

    @Test("a table of keys finds a key by any canonically equivalent spelling")
    func tablesFindEquivalentSpellings() {
        let keys: Set<AddressKey> = [
            AddressKey(type: "CCMAIL", address: "Émile Zoë at PÖ2"), AddressKey(type: "SMTP", address: "ana@x.org"),
        ]
        let decomposed = "E\u{301}mile Zoe\u{308} at PO\u{308}2"
        #expect(keys.contains(AddressKey(type: "CCMAIL", address: decomposed)))
        #expect(keys.contains(AddressKey(type: "smtp", address: "ANA@X.ORG")))
        #expect(!keys.contains(AddressKey(type: "CCMAIL", address: "Emile Zoe at PO2")))
    }
}
