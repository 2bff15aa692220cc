import CCMail
import Foundation
import LDAPModel
import Testing

@testable import Sync

/// The planner's shortcuts for ASCII text give exactly what the general code gives.
@Suite("Fast paths")
struct FastPathTests {
    /// `AliasAllocator.ascii` on ASCII text, as the character-by-character loop computes it.
    private static func referenceASCII(_ text: String) -> String {
        var output = ""
        for character in text where character.isASCII && (character.isLetter || character.isNumber) {
            output.append(character)
        }
        return output
    }

    @Test(arguments: ["", "jsmith", "J. Smith-Jones", "O'Brien 2nd", "a\r\nb", "\t~!@#$%^&*()_+{}|:\"<>?`", "Zz09"])
    func aliasLettersOfASCIIText(text: String) {
        #expect(AliasAllocator.ascii(text) == Self.referenceASCII(text))
    }

    @Test func aliasLettersOfEveryASCIIByte() {
        for byte in UInt8(0)..<0x80 {
            let text = "a" + String(decoding: [byte], as: UTF8.self) + "Z"
            #expect(AliasAllocator.ascii(text) == Self.referenceASCII(text), "byte \(byte)")
        }
    }

    /// An alias no longer than the limit in bytes is kept whole without counting its characters; around the limit
    /// the alias is still the character prefix the general rule takes.
    @Test func aliasAroundTheLengthLimit() {
        for length in AliasAllocator.maximumLength - 2...AliasAllocator.maximumLength + 2 {
            let name = String(repeating: "a", count: length)
            var allocator = AliasAllocator(taken: [], template: "{name}")
            let user = CCMailUser(name: CCMailName(name), kind: .user, homePostOffice: CCMailName("PO"))
            #expect(allocator.allocate(for: user) == String(name.prefix(AliasAllocator.maximumLength)), "\(length)")
        }
    }

    @Test(arguments: [
        "MIGRATE", "migrate", "Migrate", "MIGRATEx", "MIGRAT", "mıgrate", "MİGRATE", "ccmail", "CCMAIL", "cCmAiL",
        "smtp", "SMTP", "ſmtp", "SMTP\u{301}", "", "X400", "smtp ", "SMTPß",
    ])
    func proxyTypeTest(type: String) {
        for upper in ["MIGRATE", "CCMAIL", "SMTP", "SMTPSS"] {
            #expect(ProxyAddress.hasType(type, upper) == (ASCIIFolding.uppercased(type) == upper), "\(type) \(upper)")
        }
    }

    @Test func x400EscapeWithoutSeparatorsKeepsTheValue() {
        let template = Template.x400("s={sur};g={given};")
        let user = CCMailUser(
            name: CCMailName("Smith;=, Jo=hn\u{301}"), kind: .user, homePostOffice: CCMailName("PO"))
        #expect(template.render(user: user, alias: nil) == "s=Smith??;g=Jo?hn\u{301};")
    }

    @Test func permutationPutsEachElementWhereTheOrderSays() {
        var generator = SystemRandomNumberGenerator()
        for count in [0, 1, 2, 3, 10, 257] {
            let order = Array(0..<count).shuffled(using: &generator)
            var elements = (0..<count).map { "e\($0)" }
            let expected = order.map { elements[$0] }
            elements.reorder(by: order)
            #expect(elements == expected)
        }
    }

    @Test(arguments: [
        "cn=A,cn=Recipients,ou=Site,o=Org", "cn=B\\,C,cn=recipients,ou=Site,o=Org", "cn=X+uid=y,ou=S\\+T,o=Org",
        "cn=U,ou=#04024869,o=Org", "o=Org", "", "cn=Ünïcödé,cn=Ré cipients ,o=Org", "cn=a,cn=e\u{301},o=Org",
        "cn=b,cn=\u{e9},o=Org",
    ])
    func dnSpellerWritesWhatDescriptionWrites(text: String) throws {
        var speller = DNSpeller()
        let dn = try DistinguishedName(parsing: text)
        // Twice: the second time the parent comes from the speller's memory.
        #expect(speller.describe(dn) == dn.description)
        #expect(speller.describe(dn) == dn.description)
    }

    @Test func dnSpellerNeverReusesAParentSpelledDifferently() throws {
        var speller = DNSpeller()
        let texts = [
            "cn=a,cn=Rec,o=Org", "cn=b,cn=REC,o=Org", "cn=c,CN=Rec,o=Org", "cn=d,cn=e\u{301},o=Org",
            "cn=e,cn=\u{e9},o=Org", "cn=f,cn=Rec,o=Org",
        ]
        for text in texts + texts.reversed() {
            let dn = try DistinguishedName(parsing: text)
            let spelled = speller.describe(dn)
            #expect(spelled.utf8.elementsEqual(dn.description.utf8), "\(text)")
        }
    }

    @Test func caseInsensitiveEqualityIsLowerCasedEquality() {
        let words = [
            "", "a", "A", "otherMailbox", "OTHERMAILBOX", "othermailbox ", "Ärger", "ärger", "ÄRGER", "K", "k",
            "\u{212A}", "İ", "i\u{307}", "ß", "SS", "ss", "e\u{301}", "é", "É", "x;", "x\u{37E}", "abc", "ABCD",
            "abc\u{301}", "ABC\u{301}", "ab\u{212A}", "abk", "abK", "ab", "abé",
        ]
        for left in words {
            for right in words {
                #expect(
                    ASCIIFolding.equalIgnoringCase(left, right) == (left.lowercased() == right.lowercased()),
                    "\(left) \(right)")
            }
        }
    }

    /// The name key's fold as first written (scalars appended to a `String`).
    private static func referenceFold(_ text: String) -> String? {
        var output = ""
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

    @Test func nameKeyFoldOfEveryLatin1Scalar() {
        for value in UInt32(0)..<0x100 {
            guard let scalar = Unicode.Scalar(value) else {
                continue
            }
            let text = "  Ab\(Character(scalar))Z \t x "
            if let expected = Self.referenceFold(text) {
                #expect(NameKey.fold(text, ignoreDiacritics: true) == expected, "U+\(String(value, radix: 16))")
                #expect(
                    NameKey.fold(text, ignoreDiacritics: true).utf8.elementsEqual(expected.utf8),
                    "U+\(String(value, radix: 16))")
            }
        }
    }

    /// The name key folded into one buffer is the two folds joined, whichever of them needs Foundation.
    @Test func nameKeyIsTheFoldsJoined() {
        let names = ["", "  ", "Müller", " SMITH  Jr ", "Ŝmith", "Øre\tÆble", "Œuvre", "ß", "x\u{301}", "Ÿ", "\u{1F}"]
        for surname in names {
            for givenName in names.map(Optional.some) + [nil] {
                for ignoreDiacritics in [true, false] {
                    let sur = NameKey.fold(surname, ignoreDiacritics: ignoreDiacritics)
                    let given = givenName.map { NameKey.fold($0, ignoreDiacritics: ignoreDiacritics) } ?? ""
                    let expected = sur.isEmpty ? nil : sur + "\u{1F}" + given
                    let key = NameKey.make(surname: surname, givenName: givenName, ignoreDiacritics: ignoreDiacritics)
                    #expect(key == expected, "\(surname) \(givenName ?? "nil") \(ignoreDiacritics)")
                    #expect(key.map { Array($0.utf8) } == expected.map { Array($0.utf8) })
                }
            }
        }
    }

    /// The comparison form as the standard library's case mapping states it, independently of `AddressKey`.
    private static func referenceKey(type: String, address: String) -> String {
        func fold(_ text: Substring) -> String {
            text.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ").lowercased()
        }
        switch type.uppercased() {
        case "CCMAIL":
            return "CCMAIL:" + fold(address[...])
        case "MIGRATE":
            if let colon = address.firstIndex(of: ":"), colon != address.startIndex,
                address[..<colon].uppercased() == "CCMAIL"
            {
                return "MIGRATE:CCMAIL:" + fold(address[address.index(after: colon)...])
            }
            return "MIGRATE:" + address.lowercased()
        default:
            return type.uppercased() + ":" + address.lowercased()
        }
    }

    @Test("an address key is the rule on Strings; Latin-1 on the bytes, the rest through the standard library")
    func addressKeyAgreesWithTheGeneralRule() {
        let types = ["SMTP", "smtp", "CCMAIL", "ccMail", "MIGRATE", "migrate", "X400", "Ém", "ſmtp", "ccmaıl", "cc"]
        let pieces = [
            " ", "\t", "a", "Z", "À", "Þ", "×", "ß", "ÿ", "µ", "\u{A0}", ":", "ccmail:", "CCMAIL:", "ccMaıl:", "é",
            "É", "e\u{301}", "Ł", "Ω", "at", "PO1", "@",
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let type = types.randomElement(using: &generator) ?? ""
            let address = (0..<Int.random(in: 0...8, using: &generator)).map { _ in
                pieces.randomElement(using: &generator) ?? ""
            }.joined()
            let expected = Self.referenceKey(type: type, address: address).precomposedStringWithCanonicalMapping
            let key = AddressKey(type: type, address: address)
            #expect(
                Array(key.text.utf8) == Array(expected.utf8), "\(type.debugDescription) \(address.debugDescription)")
        }
    }
}
