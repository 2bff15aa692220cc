import Foundation
import LDAPModel

/// Surname and given name reduced for the name rule: case, runs of spaces and (by default) diacritics do not
/// count, so `MÜLLER,  Jürgen` and `Muller Jurgen` meet.
enum NameKey {
    /// The key of a surname and an optional given name; nil when the surname is empty.
    static func make(surname: String, givenName: String?, ignoreDiacritics: Bool) -> String? {
        let sur = fold(surname, ignoreDiacritics: ignoreDiacritics)
        guard !sur.isEmpty else {
            return nil
        }
        let given = givenName.map { fold($0, ignoreDiacritics: ignoreDiacritics) } ?? ""
        return sur + "\u{1F}" + given
    }

    static func fold(_ text: String, ignoreDiacritics: Bool) -> String {
        if ignoreDiacritics, let fast = fastFold(text) {
            return fast
        }
        var options: String.CompareOptions = [.caseInsensitive]
        if ignoreDiacritics {
            options.insert(.diacriticInsensitive)
        }
        let folded = text.folding(options: options, locale: nil).lowercased()
        return folded.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// ASCII and Latin-1 text folded without Foundation; nil when the text holds anything else.
    ///
    /// The key is built as UTF-8 bytes (appending scalar by scalar to a `String` cost more than the folding).
    private static func fastFold(_ text: String) -> String? {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar == " " || scalar == "\t" {
                pendingSpace = !output.isEmpty
                continue
            }
            if pendingSpace {
                output.append(0x20)
                pendingSpace = false
            }
            if scalar.isASCII {
                output.append(ASCIIFolding.lowercased(UInt8(scalar.value)))
            } else if let base = Latin.ascii(scalar) {
                // The spellings are ASCII letters.
                output.append(contentsOf: base.utf8.map(ASCIIFolding.lowercased))
            } else if (0xA0...0xBF).contains(scalar.value) || scalar.value == 0xD7 || scalar.value == 0xF7 {
                // U+0080–U+00FF in UTF-8: 0xC2 or 0xC3, then the low six bits.
                output.append(UInt8(0xC0 | (scalar.value >> 6)))
                output.append(UInt8(0x80 | (scalar.value & 0x3F)))
            } else {
                return nil
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
