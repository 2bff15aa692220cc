/// Finding a character in text by its byte, when the character is ASCII.
///
/// `String.firstIndex(of:)` walks the text grapheme by grapheme; names and addresses are searched for a comma or a
/// separator hundreds of thousands of times per run.
package enum CharacterSearch {
    /// `text.firstIndex(of: character)`, the same index.
    package static func firstIndex(of character: Character, in text: String) -> String.Index? {
        guard let byte = character.asciiValue else {
            return text.firstIndex(of: character)
        }
        let utf8 = text.utf8
        // Text whose scalars are all below U+0300 (UTF-8 lead bytes below 0xCC: ASCII, Latin-1, the other Latin
        // letters) has one scalar per character, CR LF apart: none of them extends or prepends to a cluster. The
        // first byte is then the first character.
        if byte != 0x0D, byte != 0x0A, !utf8.contains(where: { $0 >= 0xCC }) {
            return utf8.firstIndex(of: byte)
        }
        // Otherwise a byte is taken only where a character starts (a prepended mark before it makes it part of the
        // mark's character) and that whole character is the one sought (a combining mark after it, or CR LF, makes
        // it another character): where the character search passes over it, so does this.
        var start = utf8.startIndex
        while let found = utf8[start...].firstIndex(of: byte) {
            if found.samePosition(in: text) != nil, text[found] == character {
                return found
            }
            start = utf8.index(after: found)
        }
        return nil
    }
}
