import Foundation

/// The comparison key rules for DNs: what makes `CN=Smith\, John` and `cn=smith\2c  john` the same name.
///
/// Directory servers compare naming attributes with case-ignoring, space-insensitive matching rules, and Exchange
/// hands back DNs in whatever case and spacing they were created with. Comparing by this key instead of the raw
/// string is what keeps the sync from seeing phantom renames. Foundation is used only for NFC, so that the key's
/// UTF-8 bytes are identical for canonically equivalent input (Swift's `==` already is, but keys end up in logs and
/// files).
enum DistinguishedNameNormalization {
    /// Well-known attribute type OIDs mapped to the names servers usually print.
    private static let namesByOID: [String: String] = [
        "2.5.4.3": "cn",
        "2.5.4.6": "c",
        "2.5.4.7": "l",
        "2.5.4.8": "st",
        "2.5.4.9": "street",
        "2.5.4.10": "o",
        "2.5.4.11": "ou",
        "0.9.2342.19200300.100.1.1": "uid",
        "0.9.2342.19200300.100.1.25": "dc",
    ]

    /// The attribute type lower-cased, with well-known OIDs replaced by their names.
    static func type(_ type: String) -> String {
        let lowered = ASCIIFolding.lowercased(type)
        // Only a numeric OID can be in the table; descriptors (`cn`, `ou`) skip the hashing.
        guard let first = lowered.utf8.first, (0x30...0x39).contains(first) else { return lowered }
        return namesByOID[lowered] ?? lowered
    }

    /// The value lower-cased, trimmed, with inner whitespace runs folded to one space, in NFC.
    ///
    /// A space that carries combining marks (`" \u{301}"`, one `Character`) is not whitespace here, as in RFC 4518
    /// §2.6.1: `Character.isWhitespace` looks at the first scalar only, so it would drop the marks, and `a \u{301}b`
    /// would compare equal to `a b` (and the key of `a\n\u{301}b`, `a \u{301}b`, would not be its own key).
    static func value(_ value: String) -> String {
        // Almost every DN a directory hands back is ASCII. The ASCII whitespace of
        // `Unicode.Scalar.Properties.isWhitespace` is tab, LF, VT, FF, CR and space.
        if let ascii = ASCIIFolding.key(value, isSpace: { $0 == 0x20 || (0x09...0x0D).contains($0) }) {
            return ascii
        }
        if let latin1 = latin1Value(value) {
            return latin1
        }
        return unicodeValue(value)
    }

    /// The key of a value whose scalars are all Latin-1 (`Müller`, `Zoë`, `Bjørn`): nil for any other value.
    ///
    /// Latin-1 text is already in NFC (the block has no combining marks), its capitals' small letters are 0x20
    /// further on, its whitespace is tab to CR, space, NEL and no-break space, and no two of its scalars form one
    /// `Character` except CR LF (both whitespace): so scalar by scalar gives what `unicodeValue` gives, without
    /// Foundation's normalization.
    static func latin1Value(_ value: String) -> String? {
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in value.unicodeScalars {
            switch scalar.value {
            case 0x09...0x0D, 0x20, 0x85, 0xA0:
                pendingSpace = !scalars.isEmpty
                continue
            case 0x100...:
                return nil
            default:
                break
            }
            if pendingSpace {
                scalars.append(" ")
                pendingSpace = false
            }
            switch scalar.value {
            case 0x41...0x5A, 0xC0...0xD6, 0xD8...0xDE: scalars.append(Unicode.Scalar(UInt8(scalar.value + 0x20)))
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// The general rule, for any text.
    static func unicodeValue(_ value: String) -> String {
        var folded = ""
        var pendingSpace = false
        for character in value.lowercased() {
            if character.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
                pendingSpace = !folded.isEmpty
            } else {
                if pendingSpace {
                    folded.append(" ")
                    pendingSpace = false
                }
                folded.append(character)
            }
        }
        if folded.utf8.allSatisfy({ $0 < 0x80 }) {
            return folded
        }
        return folded.precomposedStringWithCanonicalMapping
    }
}
