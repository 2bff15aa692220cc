/// The Latin-1 letters cc:Mail's DOS code pages hold, reduced to ASCII without Foundation's Unicode machinery.
///
/// The name rule and the alias template run once per user and mailbox; at 100,000 users Foundation's folding and
/// decomposition cost more than all the other planning together. Everything outside Latin-1 still goes through
/// Foundation (the callers fall back).
enum Latin {
    /// The ASCII spelling of a Latin-1 letter (`é` → `e`, `ß` → `ss`, `Æ` → `AE`), or nil for anything else.
    static func ascii(_ scalar: Unicode.Scalar) -> String? {
        switch scalar.value {
        case 0xC0...0xC5: "A"
        case 0xC6: "AE"
        case 0xC7: "C"
        case 0xC8...0xCB: "E"
        case 0xCC...0xCF: "I"
        case 0xD0: "D"
        case 0xD1: "N"
        case 0xD2...0xD6, 0xD8: "O"
        case 0xD9...0xDC: "U"
        case 0xDD: "Y"
        case 0xDE: "Th"
        case 0xDF: "ss"
        case 0xE0...0xE5: "a"
        case 0xE6: "ae"
        case 0xE7: "c"
        case 0xE8...0xEB: "e"
        case 0xEC...0xEF: "i"
        case 0xF0: "d"
        case 0xF1: "n"
        case 0xF2...0xF6, 0xF8: "o"
        case 0xF9...0xFC: "u"
        case 0xFD, 0xFF: "y"
        case 0xFE: "th"
        default: nil
        }
    }
}
