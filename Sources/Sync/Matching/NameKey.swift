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
        var options: String.CompareOptions = [.caseInsensitive]
        if ignoreDiacritics {
            options.insert(.diacriticInsensitive)
        }
        let folded = text.folding(options: options, locale: nil).lowercased()
        return folded.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }
}
