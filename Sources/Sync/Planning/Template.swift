import CCMail
import Foundation

/// Fills the config's templates (`{given} {sur}`, `{alias}@org.example`, …) for one cc:Mail user.
///
/// The config loader has already refused unknown placeholders, so rendering never fails; a placeholder with no
/// value (a name without a comma has no given name) becomes empty, and the spaces it leaves are collapsed.
struct Template {
    let text: String
    /// Applied to every value put into the template (not to the template's own text).
    var escape: (String) -> String = { $0 }

    /// A template for the textual X.400 address (`c=US;a= ;p=Org;o=Site;s={sur};g={given};`): a `;` or `=` in a
    /// cc:Mail name would otherwise end a field or start a new one, so each becomes `?`, the character X.400
    /// gateways put for what a PrintableString cannot hold.
    static func x400(_ text: String) -> Template {
        Template(text: text) { value in
            String(value.map { $0 == ";" || $0 == "=" ? "?" : $0 })
        }
    }

    func render(user: CCMailUser, alias: String?) -> String {
        let given = user.givenName ?? ""
        let raw: [String: String] = [
            "given": given,
            "sur": user.surname,
            "given1": given.first.map(String.init) ?? "",
            "name": user.name.text,
            "po": user.homePostOffice.text,
            "alias": alias ?? "",
        ]
        let values = raw.mapValues(escape)
        var output = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            output += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else {
                output += rest[open...]
                rest = ""
                break
            }
            let key = String(rest[rest.index(after: open)..<close])
            output += values[key] ?? String(rest[open...close])
            rest = rest[rest.index(after: close)...]
        }
        output += rest
        return output.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
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
        taken.insert(alias.lowercased())
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
        var candidate = String(base.prefix(Self.maximumLength))
        var suffix = 2
        while taken.contains(candidate.lowercased()) {
            let digits = String(suffix)
            candidate = String(base.prefix(Self.maximumLength - digits.count)) + digits
            suffix += 1
        }
        taken.insert(candidate.lowercased())
        return candidate
    }

    /// Letters and digits only, with accents taken off and a few letters spelled out (`ß` → `ss`, `Ø` → `O`).
    static func ascii(_ text: String) -> String {
        // Latin-1 letters go through `Latin.ascii`; these are the common ones beyond it that do not decompose.
        let spelled: [Character: String] = ["Œ": "OE", "œ": "oe", "Đ": "D", "đ": "d", "Ł": "L", "ł": "l", "ı": "i"]
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
            if let replacement = spelled[character] {
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
