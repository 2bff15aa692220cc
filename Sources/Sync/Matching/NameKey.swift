import Foundation

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
    private static func fastFold(_ text: String) -> String? {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar == " " || scalar == "\t" {
                pendingSpace = !output.isEmpty
                continue
            }
            if pendingSpace {
                output.append(" ")
                pendingSpace = false
            }
            if scalar.isASCII {
                output.unicodeScalars.append(
                    ("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 0x20) ?? scalar : scalar)
            } else if let base = Latin.ascii(scalar) {
                output += base.lowercased()
            } else if (0xA0...0xBF).contains(scalar.value) || scalar.value == 0xD7 || scalar.value == 0xF7 {
                output.unicodeScalars.append(scalar)
            } else {
                return nil
            }
        }
        return output
    }
}
