import Config
import Testing

@Suite("Mapping file")
struct MappingFileTests {
    static func parse(_ text: String) throws(MappingFileError) -> MappingFile {
        try MappingFile.parse(Array(text.utf8), file: "mapping.csv")
    }

    @Test("quoted names with commas, doubled quotes, CRLF, BOM, blank lines")
    func reads() throws {
        let text =
            "\u{FEFF}CCMail_Name , Mailbox\r\n\"Smith, John\",JSmith\r\n\r\n\"O\"\"Brien, Pat\", \"cn=Pat O'Brien,ou=Users,dc=example,dc=org\"\r\n Postmaster ,postmaster@org.example"
        let mapping = try Self.parse(text)
        #expect(
            mapping.rows == [
                .init(ccmailName: "Smith, John", mailbox: "JSmith", line: 2),
                .init(ccmailName: "O\"Brien, Pat", mailbox: "cn=Pat O'Brien,ou=Users,dc=example,dc=org", line: 4),
                .init(ccmailName: "Postmaster", mailbox: "postmaster@org.example", line: 5),
            ])
    }

    @Test(
        "errors name the line",
        arguments: [
            ("name,mailbox\n", "mapping.csv:1: expected the header ccmail_name,mailbox, found 'name,mailbox'"),
            ("", "mapping.csv:1: empty: expected the header ccmail_name,mailbox"),
            (
                "ccmail_name,mailbox\nSmith, John,JSmith\n",
                "mapping.csv:2: expected 2 fields (ccmail_name,mailbox), found 3"
            ),
            ("ccmail_name,mailbox\n\"Smith, John,JSmith\n", "mapping.csv:2: a quoted field is not closed"),
            ("ccmail_name,mailbox\nok,x\n,JSmith\n", "mapping.csv:3: the cc:Mail name is empty"),
            ("ccmail_name,mailbox\n\"A\",\n", "mapping.csv:2: the mailbox is empty"),
            ("ccmail_name,mailbox\n\"A\"b,c\n", "mapping.csv:2: text after a closing quote"),
            ("ccmail_name,mailbox\nA,B\nC\"D,E\n", "mapping.csv:3: a quote inside an unquoted field"),
        ])
    func errors(text: String, expected: String) throws {
        let error = try #require(throws: MappingFileError.self) { try Self.parse(text) }
        #expect(error.description.hasPrefix(expected), "got \(error)")
    }

    @Test("invalid UTF-8 names its line")
    func invalidUTF8() throws {
        let bytes = Array("ccmail_name,mailbox\nA,B\n".utf8) + [0x4D, 0xFC, 0x6C] + Array(",C\n".utf8)
        let error = try #require(throws: MappingFileError.self) { try MappingFile.parse(bytes, file: "m.csv") }
        #expect(error.description == "m.csv:3: not UTF-8 text")
    }
}
