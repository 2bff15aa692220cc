import Foundation
import LDAPModel

/// Surname and given name reduced for the name rule: case, runs of spaces and (by default) diacritics do not
/// count, so `MÜLLER,  Jürgen` and `Muller Jurgen` meet.
enum NameKey {
    /// The key of a surname and an optional given name; nil when the surname is empty.
    static func make(surname: String, givenName: String?, ignoreDiacritics: Bool) -> String? {
        if ignoreDiacritics, let key = fastKey(surname: surname, givenName: givenName) {
            return key.isEmpty ? nil : key
        }
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

    /// `make`'s key when both names are ASCII and Latin-1, folded into one buffer: folding each into a string of
    /// its own and joining them made four strings per mailbox. Empty when the surname folds to nothing; nil when
    /// either name holds anything else.
    private static func fastKey(surname: String, givenName: String?) -> String? {
        var output: [UInt8] = []
        output.reserveCapacity(surname.utf8.count + 1 + (givenName?.utf8.count ?? 0))
        guard fastFold(surname, into: &output) else {
            return nil
        }
        guard !output.isEmpty else {
            return ""
        }
        output.append(0x1F)
        if let givenName {
            let start = output.count
            guard fastFold(givenName, into: &output, from: start) else {
                return nil
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// ASCII and Latin-1 text folded without Foundation; nil when the text holds anything else.
    private static func fastFold(_ text: String) -> String? {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        guard fastFold(text, into: &output) else {
            return nil
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the fold of `text` to `output`, whose fold starts at `start`; false when the text holds anything but
    /// ASCII and Latin-1 (`output` then holds part of it).
    ///
    /// The key is built as UTF-8 bytes (appending scalar by scalar to a `String` cost more than the folding).
    private static func fastFold(_ text: String, into output: inout [UInt8], from start: Int = 0) -> Bool {
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar == " " || scalar == "\t" {
                pendingSpace = output.count > start
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
                for byte in base.utf8 {
                    output.append(ASCIIFolding.lowercased(byte))
                }
            } else if (0xA0...0xBF).contains(scalar.value) || scalar.value == 0xD7 || scalar.value == 0xF7 {
                // U+0080–U+00FF in UTF-8: 0xC2 or 0xC3, then the low six bits.
                output.append(UInt8(0xC0 | (scalar.value >> 6)))
                output.append(UInt8(0x80 | (scalar.value & 0x3F)))
            } else {
                return false
            }
        }
        return true
    }
}
