/// A cc:Mail address, `<Name> at <PO>`: a directory name and the post office that delivers to it.
///
/// Exchange stores cc:Mail addresses as text (`CCMAIL:Smith, John at PO1`) and the Migration Wizard looks
/// mailboxes up by them, so the printed form must be exact: one space each side of a lower-case `at`, name and
/// post office spelled as cc:Mail spells them. Reading is lenient, because people and old tools write `AT` or
/// extra spaces. Names may contain the word `at` but post office names are one word, so the last `at` word
/// separates. Equality is case-insensitive, like every cc:Mail comparison.
package struct CCMailAddress: Sendable, Hashable, CustomStringConvertible {
    /// Why a text is not a cc:Mail address.
    package struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong.
        package enum Reason: Sendable, Hashable {
            /// No word `at` with a name before it and a post office after it.
            case noAt
            /// Nothing before `at`.
            case emptyName
            /// Nothing after `at`.
            case emptyPostOffice
            /// More than one word after the last `at`.
            case postOfficeNotOneWord
        }

        /// The text that was parsed.
        package var text: String

        /// What is wrong with it.
        package var reason: Reason

        /// Creates an error.
        package init(text: String, reason: Reason) {
            self.text = text
            self.reason = reason
        }

        package var description: String {
            switch reason {
            case .noAt: "'\(text)' is not a cc:Mail address: expected '<name> at <post office>'"
            case .emptyName: "'\(text)' is not a cc:Mail address: no name before 'at'"
            case .emptyPostOffice: "'\(text)' is not a cc:Mail address: no post office after 'at'"
            case .postOfficeNotOneWord: "'\(text)' is not a cc:Mail address: a post office name is one word"
            }
        }
    }

    /// The directory name of the addressee.
    package var name: CCMailName

    /// The post office the addressee is reached at (for a gateway user: the gateway post office).
    package var postOffice: CCMailName

    /// Creates an address.
    package init(name: CCMailName, postOffice: CCMailName) {
        self.name = name
        self.postOffice = postOffice
    }

    /// Reads `<Name> at <PO>` in any case of `at`, with any number of spaces or tabs around the words.
    package init(parsing text: String) throws(ParseError) {
        let words = Self.words(in: text)
        guard let atIndex = words.lastIndex(where: { Self.isAt(text[$0]) }) else {
            throw ParseError(text: text, reason: .noAt)
        }
        guard atIndex > 0 else {
            throw ParseError(text: text, reason: .emptyName)
        }
        let postOfficeWords = words[(atIndex + 1)...]
        guard let postOfficeWord = postOfficeWords.first else {
            throw ParseError(text: text, reason: .emptyPostOffice)
        }
        guard postOfficeWords.count == 1 else {
            throw ParseError(text: text, reason: .postOfficeNotOneWord)
        }
        let nameRange = words[0].lowerBound..<words[atIndex - 1].upperBound
        self.name = CCMailName(String(text[nameRange]))
        self.postOffice = CCMailName(String(text[postOfficeWord]))
    }

    /// `<Name> at <PO>`, with one space each side of `at`.
    package var description: String { "\(name.text) at \(postOffice.text)" }

    /// The ranges of the space- or tab-separated words of `text`.
    static func words(in text: String) -> [Range<String.Index>] {
        asciiSeparatedWords(in: text) ?? characterWords(in: text)
    }

    /// `words(in:)` found on the UTF-8 bytes, or nil when that might differ from the characters' answer. A space
    /// or tab is a character of its own unless a mark joins it: an extending or spacing mark (or a zero-width
    /// joiner) after it, all at U+0300 or above, or a prepended mark before it, all at U+0600 or above. So the
    /// bytes answer unless a space or tab follows a character from U+0600 up or precedes one from U+0300 up (a
    /// lead byte from 0xCC); Latin letters with accents on either side are below both. Reading characters costs
    /// a grapheme break test each, and every address read (each MIGRATE value and target of a scanned
    /// directory) comes through here.
    static func asciiSeparatedWords(in text: String) -> [Range<String.Index>]? {
        let utf8 = text.utf8
        var words: [Range<String.Index>] = []
        var wordStart: String.Index?
        // The lead byte of the scalar before the current byte (ASCII bytes are their own lead).
        var previousLead: UInt8 = 0
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == 0x20 || byte == 0x09 {
                let next = utf8.index(after: index)
                if previousLead >= 0xD8 || (next < utf8.endIndex && utf8[next] >= 0xCC) {
                    return nil
                }
                if let start = wordStart {
                    words.append(start..<index)
                    wordStart = nil
                }
            } else if wordStart == nil {
                wordStart = index
            }
            if byte < 0x80 || byte >= 0xC0 {
                previousLead = byte
            }
            index = utf8.index(after: index)
        }
        if let start = wordStart {
            words.append(start..<utf8.endIndex)
        }
        return words
    }

    /// `words(in:)` read character by character.
    static func characterWords(in text: String) -> [Range<String.Index>] {
        var words: [Range<String.Index>] = []
        var wordStart: String.Index?
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == " " || character == "\t" {
                if let start = wordStart {
                    words.append(start..<index)
                    wordStart = nil
                }
            } else if wordStart == nil {
                wordStart = index
            }
            index = text.index(after: index)
        }
        if let start = wordStart {
            words.append(start..<text.endIndex)
        }
        return words
    }

    static func isAt(_ word: Substring) -> Bool {
        // Two bytes can only be two ASCII characters; `at` in any case is decided on them. Anything else is
        // counted and lower-cased as characters.
        let utf8 = word.utf8
        if utf8.count == 2, let first = utf8.first, let last = utf8.last, first < 0x80, last < 0x80 {
            return first | 0x20 == 0x61 && last | 0x20 == 0x74
        }
        return utf8.count > 2 && word.count == 2 && word.lowercased() == "at"
    }
}
