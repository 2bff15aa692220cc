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

    @Test(arguments: [
        "MIGRATE", "migrate", "Migrate", "MIGRATEx", "MIGRAT", "mıgrate", "MİGRATE", "ccmail", "CCMAIL", "cCmAiL",
        "smtp", "SMTP", "ſmtp", "SMTP\u{301}", "", "X400", "smtp ", "SMTPß",
    ])
    func proxyTypeTest(type: String) {
        for upper in ["MIGRATE", "CCMAIL", "SMTP", "SMTPSS"] {
            #expect(MailboxIndex.hasType(type, upper) == (ASCIIFolding.uppercased(type) == upper), "\(type) \(upper)")
        }
    }

    @Test func x400EscapeWithoutSeparatorsKeepsTheValue() {
        let template = Template.x400("s={sur};g={given};")
        let user = CCMailUser(
            name: CCMailName("Smith;=, Jo=hn\u{301}"), kind: .user, homePostOffice: CCMailName("PO"))
        #expect(template.render(user: user, alias: nil) == "s=Smith??;g=Jo?hn\u{301};")
    }
}
