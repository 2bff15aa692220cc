/// A cc:Mail address, `<Name> at <PO>`: a directory name and the post office that delivers to it.
///
/// Exchange stores cc:Mail addresses as text (`CCMAIL:Smith, John at PO1`) and the Migration Wizard looks
/// mailboxes up by them, so the printed form must be exact: one space each side of a lower-case `at`, name and
/// post office spelled as cc:Mail spells them. Reading is lenient, because people and old tools write `AT` or
/// extra spaces. Names may contain the word `at` but post office names are one word, so the last `at` word
/// separates. Equality is case-insensitive, like every cc:Mail comparison.
public struct CCMailAddress: Sendable, Hashable, CustomStringConvertible {
    /// Why a text is not a cc:Mail address.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong.
        public enum Reason: Sendable, Hashable {
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
        public var text: String

        /// What is wrong with it.
        public var reason: Reason

        /// Creates an error.
        public init(text: String, reason: Reason) {
            self.text = text
            self.reason = reason
        }

        public var description: String {
            switch reason {
            case .noAt: "'\(text)' is not a cc:Mail address: expected '<name> at <post office>'"
            case .emptyName: "'\(text)' is not a cc:Mail address: no name before 'at'"
            case .emptyPostOffice: "'\(text)' is not a cc:Mail address: no post office after 'at'"
            case .postOfficeNotOneWord: "'\(text)' is not a cc:Mail address: a post office name is one word"
            }
        }
    }

    /// The directory name of the addressee.
    public var name: CCMailName

    /// The post office the addressee is reached at (for a gateway user: the gateway post office).
    public var postOffice: CCMailName

    /// Creates an address.
    public init(name: CCMailName, postOffice: CCMailName) {
        self.name = name
        self.postOffice = postOffice
    }

    /// Reads `<Name> at <PO>` in any case of `at`, with any number of spaces or tabs around the words.
    public init(parsing text: String) throws(ParseError) {
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
    public var description: String { "\(name.text) at \(postOffice.text)" }

    /// The ranges of the space- or tab-separated words of `text`.
    private static func words(in text: String) -> [Range<String.Index>] {
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

    private static func isAt(_ word: Substring) -> Bool {
        word.count == 2 && word.lowercased() == "at"
    }
}
