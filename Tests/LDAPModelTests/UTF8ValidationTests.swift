import LDAPModel
import Testing

/// `UTF8Validation.decode` stands in for `String(validating:as:)` on the read path; these check that both accept and
/// reject the same bytes.
@Suite struct UTF8ValidationTests {
    private func agrees(_ bytes: [UInt8]) -> Bool {
        UTF8Validation.decode(bytes) == String(validating: bytes, as: UTF8.self)
            && (UTF8Validation.firstInvalidIndex(bytes) == nil) == (String(validating: bytes, as: UTF8.self) != nil)
    }

    @Test func everyOneAndTwoByteSequence() {
        var disagreements = 0
        for first in 0...0xFF {
            if !agrees([UInt8(first)]) { disagreements += 1 }
            for second in 0...0xFF where !agrees([UInt8(first), UInt8(second)]) {
                disagreements += 1
            }
        }
        #expect(disagreements == 0)
    }

    /// Three and four bytes drawn from the boundaries of the well-formed table (overlongs, surrogates, past
    /// U+10FFFF, lone continuations).
    @Test func boundaryBytesInThreeAndFourByteSequences() {
        let edges: [UInt8] = [
            0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED,
            0xEE, 0xEF, 0xF0, 0xF3, 0xF4, 0xF5, 0xFF,
        ]
        var disagreements = 0
        var accepted = 0
        for a in edges {
            for b in edges {
                for c in edges {
                    if !agrees([a, b, c]) { disagreements += 1 }
                    for d in edges {
                        let bytes = [a, b, c, d]
                        if !agrees(bytes) { disagreements += 1 }
                        if UTF8Validation.decode(bytes) != nil { accepted += 1 }
                    }
                }
            }
        }
        #expect(disagreements == 0)
        // Both kinds occur, so the comparison is not vacuous.
        #expect(accepted > 1000 && accepted < edges.count * edges.count * edges.count * edges.count)
    }

    @Test func textRoundTripsAndCutTextIsRejected() {
        let text = "Zoë Ölçü 𝄞 Ω Smith, John"
        let bytes = Array(text.utf8)
        #expect(UTF8Validation.decode(bytes) == text)
        for cut in 0...bytes.count {
            #expect(agrees(Array(bytes[..<cut])))
        }
    }
}
