import Foundation
import Sync
import Testing

@testable import Config

@Suite("Mapping file")
struct MappingFileTests {
    static func parse(_ text: String) throws(MappingFileError) -> MappingFile {
        try MappingFile.parse(Array(text.utf8), file: "mapping.csv")
    }

    @Test("quoted names with commas, doubled quotes, CRLF, BOM, blank lines, trimmed values")
    func reads() throws {
        let text =
            "\u{FEFF}CCMail_Name , Mailbox\r\n\"Smith, John\",JSmith\r\n\r\n"
            + "\"O\"\"Brien, Pat\", \"cn=Pat O'Brien,ou=Users,dc=example,dc=org\"\r\n"
            + " Postmaster ,postmaster@org.example"
        let mapping = try Self.parse(text)
        #expect(mapping.file == "mapping.csv")
        #expect(
            mapping.rows == [
                .init(ccmailName: "Smith, John", mailbox: "JSmith", line: 2),
                .init(ccmailName: "O\"Brien, Pat", mailbox: "cn=Pat O'Brien,ou=Users,dc=example,dc=org", line: 4),
                .init(ccmailName: "Postmaster", mailbox: "postmaster@org.example", line: 5),
            ])
    }

    @Test("LF line ends, a quoted header, blank lines before the header, duplicates kept as written")
    func lineFeeds() throws {
        let text = "\n  \n\"ccmail_name\",\"MAILBOX\"\n\"Smith, John\",a\n\"Smith, John\",b\n\n"
        let mapping = try Self.parse(text)
        #expect(mapping.rows.map(\.mailbox) == ["a", "b"])
        #expect(mapping.rows.map(\.line) == [4, 5])
        #expect(mapping.rows.allSatisfy { $0.ccmailName == "Smith, John" })
    }

    @Test("a quoted field may span lines; the row keeps the line it starts on")
    func multilineField() throws {
        let mapping = try Self.parse("ccmail_name,mailbox\r\n\"Odd\r\nName\",x\r\nNext,y\r\n")
        #expect(
            mapping.rows == [
                .init(ccmailName: "Odd\r\nName", mailbox: "x", line: 2),
                .init(ccmailName: "Next", mailbox: "y", line: 4),
            ])
    }

    @Test("a header alone is an empty mapping")
    func headerOnly() throws {
        #expect(try Self.parse("ccmail_name,mailbox\r\n").rows.isEmpty)
    }

    @Test(
        "errors name the line",
        arguments: [
            ("name,mailbox\n", "mapping.csv:1: expected the header ccmail_name,mailbox, found 'name,mailbox'"),
            ("\n\nccmail_name\n", "mapping.csv:3: expected the header ccmail_name,mailbox, found 'ccmail_name'"),
            ("", "mapping.csv:1: empty: expected the header ccmail_name,mailbox"),
            (
                "ccmail_name,mailbox\nSmith, John,JSmith\n",
                "mapping.csv:2: expected 2 fields (ccmail_name,mailbox), found 3; quote names that contain commas"
            ),
            (
                "ccmail_name,mailbox\r\nok,x\r\nJSmith\r\n",
                "mapping.csv:3: expected 2 fields (ccmail_name,mailbox), found 1; quote names that contain commas"
            ),
            ("ccmail_name,mailbox\n\"Smith, John,JSmith\n", "mapping.csv:2: a quoted field is not closed"),
            ("ccmail_name,mailbox\nok,x\n,JSmith\n", "mapping.csv:3: the cc:Mail name is empty"),
            ("ccmail_name,mailbox\n\"A\",  \n", "mapping.csv:2: the mailbox is empty"),
            ("ccmail_name,mailbox\n\"A\"b,c\n", "mapping.csv:2: text after a closing quote"),
            ("ccmail_name,mailbox\nA,B\nC\"D,E\n", "mapping.csv:3: a quote inside an unquoted field"),
        ])
    func errors(text: String, expected: String) throws {
        let error = try #require(throws: MappingFileError.self) { try Self.parse(text) }
        #expect(error.description == expected)
    }

    @Test("invalid UTF-8 names its line")
    func invalidUTF8() throws {
        let bytes = Array("ccmail_name,mailbox\nA,B\n".utf8) + [0x4D, 0xFC, 0x6C] + Array(",C\n".utf8)
        let error = try #require(throws: MappingFileError.self) { try MappingFile.parse(bytes, file: "m.csv") }
        #expect(error == MappingFileError(file: "m.csv", line: 3, message: "not UTF-8 text"))
    }
}
