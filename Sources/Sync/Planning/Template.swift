import CCMail
import Foundation
import LDAPModel

/// Fills the config's templates (`{given} {sur}`, `{alias}@org.example`, …) for one cc:Mail user.
///
/// The config loader has already refused unknown placeholders, so rendering never fails; a placeholder with no
/// value (a name without a comma has no given name) becomes empty, and the spaces it leaves are collapsed. The text
/// is cut into literal and placeholder pieces once, when the template is made: a plan renders three templates for
/// every recipient it creates, a hundred thousand users at a time.
struct Template {
    /// Applied to every value put into the template (not to the template's own text).
    var escape: (String) -> String = { $0 }
    private let pieces: [Piece]

    /// The placeholders DESIGN.md defines.
    private enum Placeholder: String {
        case given, sur, given1, name, po, alias
    }

    private enum Piece {
        case literal(String)
        case placeholder(Placeholder)
    }

    init(text: String, escape: @escaping (String) -> String = { $0 }) {
        self.escape = escape
        var pieces: [Piece] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            if open > rest.startIndex {
                pieces.append(.literal(String(rest[..<open])))
            }
            if let placeholder = Placeholder(rawValue: String(rest[rest.index(after: open)..<close])) {
                pieces.append(.placeholder(placeholder))
            } else {
                // Not a placeholder (the loader refuses these; kept as written all the same).
                pieces.append(.literal(String(rest[open...close])))
            }
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty {
            pieces.append(.literal(String(rest)))
        }
        self.pieces = pieces
    }

    /// A template for the textual X.400 address (`c=US;a= ;p=Org;o=Site;s={sur};g={given};`): a `;` or `=` in a
    /// cc:Mail name would otherwise end a field or start a new one, so each becomes `?`, the character X.400
    /// gateways put for what a PrintableString cannot hold.
    static func x400(_ text: String) -> Template {
        Template(text: text) { value in
            // Without a `;` or `=` byte there is no such character to replace (the usual case).
            guard value.utf8.contains(where: { $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: "=") }) else {
                return value
            }
            return String(value.map { $0 == ";" || $0 == "=" ? "?" : $0 })
        }
    }

    func render(user: CCMailUser, alias: String?) -> String {
        var output = ""
        for piece in pieces {
            switch piece {
            case .literal(let text):
                output += text
            case .placeholder(let placeholder):
                output += escape(Self.value(placeholder, user: user, alias: alias))
            }
        }
        return Self.collapsingSpaces(output)
    }

    private static func value(_ placeholder: Placeholder, user: CCMailUser, alias: String?) -> String {
        switch placeholder {
        case .given: user.givenName ?? ""
        case .sur: user.surname
        case .given1: user.givenName?.first.map(String.init) ?? ""
        case .name: user.name.text
        case .po: user.homePostOffice.text
        case .alias: alias ?? ""
        }
    }

    /// Leading and trailing spaces dropped, runs of spaces made one; most results have none to change.
    private static func collapsingSpaces(_ text: String) -> String {
        let utf8 = text.utf8
        var previousSpace = true
        var clean = true
        for byte in utf8 {
            let space = byte == 0x20
            if space && previousSpace {
                clean = false
                break
            }
            previousSpace = space
        }
        if clean && utf8.last != 0x20 {
            return text
        }
        return text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }
}

/// The config's recipient templates, each cut into pieces once per plan.
struct RecipientTemplates {
    let displayName: Template
    let mail: Template?
    let x400: Template?

    init(_ settings: ExchangeSettings) {
        displayName = Template(text: settings.displayNameTemplate)
        mail = settings.mailTemplate.map { Template(text: $0) }
        x400 = settings.x400Template.map(Template.x400)
    }
}

/// Makes aliases: ASCII letters and digits from a template, unique against every alias and name in use.
///
/// Exchange and the cc:Mail connector append a digit when an alias is taken; so does this, in the order users are
/// planned (sorted by name), which makes the result the same on every run over the same data.
struct AliasAllocator {
    /// Lower-cased aliases and container RDN values already in use.
    private var taken: Set<String>
    private let template: Template
    /// Exchange 5.5 limits the alias (`uid`) to 64 characters.
    static let maximumLength = 64

    init(taken: Set<String>, template: String) {
        self.taken = taken
        self.template = Template(text: template)
    }

    /// Records an alias that exists already.
    mutating func reserve(_ alias: String) {
        taken.insert(ASCIIFolding.lowercased(alias))
    }

    /// A new alias for `user`, reserved.
    mutating func allocate(for user: CCMailUser) -> String {
        var base = Self.ascii(template.render(user: user, alias: nil))
        if base.isEmpty {
            base = Self.ascii(user.name.text)
        }
        if base.isEmpty {
            base = "ccmail"
        }
        // A character is at least one byte, so a base of no more bytes than the limit is its own prefix.
        var candidate = base.utf8.count <= Self.maximumLength ? base : String(base.prefix(Self.maximumLength))
        var lowered = ASCIIFolding.lowercased(candidate)
        var suffix = 2
        while taken.contains(lowered) {
            let digits = String(suffix)
            candidate = String(base.prefix(Self.maximumLength - digits.count)) + digits
            lowered = ASCIIFolding.lowercased(candidate)
            suffix += 1
        }
        taken.insert(lowered)
        return candidate
    }

    /// Latin-1 letters go through `Latin.ascii`; these are the common ones beyond it that do not decompose.
    private static let spelled: [Character: String] = [
        "Œ": "OE", "œ": "oe", "Đ": "D", "đ": "d", "Ł": "L", "ł": "l", "ı": "i",
    ]

    /// Letters and digits only, with accents taken off and a few letters spelled out (`ß` → `ss`, `Ø` → `O`).
    static func ascii(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII text: every character is one byte (or CR LF, which is dropped all the same), and its letters
            // and digits are exactly A–Z, a–z and 0–9. Text that is nothing else (most rendered aliases) is
            // returned as it is, without filtering it into a new array first.
            func isLetterOrDigit(_ byte: UInt8) -> Bool {
                (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
            }
            if text.utf8.allSatisfy(isLetterOrDigit) {
                return text
            }
            return String(decoding: text.utf8.filter(isLetterOrDigit), as: UTF8.self)
        }
        var output = ""
        for character in text {
            if character.isASCII {
                if character.isLetter || character.isNumber {
                    output.append(character)
                }
                continue
            }
            if character.unicodeScalars.count == 1, let scalar = character.unicodeScalars.first,
                let base = Latin.ascii(scalar)
            {
                output += base
                continue
            }
            if let replacement = Self.spelled[character] {
                output += replacement
                continue
            }
            for scalar in String(character).decomposedStringWithCanonicalMapping.unicodeScalars
            where scalar.isASCII
                && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                    || ("0"..."9").contains(scalar))
            {
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}
