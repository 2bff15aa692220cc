import LDAPModel
import Testing

@Suite("LDIFReader errors")
struct LDIFReaderErrorTests {
    struct BadLDIF: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var line: Int
        var message: String
        var testDescription: String { name }
    }

    static let badInputs: [BadLDIF] = [
        BadLDIF(name: "no colon", text: "dn: cn=a,o=b\nbogus\n", line: 2, message: "no ':'"),
        BadLDIF(name: "bad base64", text: "dn: cn=a\ncn:: !!!!\n", line: 2, message: "invalid base64"),
        BadLDIF(name: "bad DN", text: "version: 1\n\ndn: cn=a\\zz\n", line: 3, message: "invalid escape"),
        BadLDIF(name: "no dn", text: "\n\ncn: x\n", line: 3, message: "expected dn:"),
        BadLDIF(name: "bad version", text: "version: 2\n\ndn: cn=a\n", line: 1, message: "version"),
        BadLDIF(
            name: "unknown changetype",
            text: "dn: cn=a\nchangetype: frobnicate\n",
            line: 2,
            message: "unknown changetype \"frobnicate\""
        ),
        BadLDIF(
            name: "modify value for another attribute",
            text: "dn: cn=a\nchangetype: modify\nreplace: mail\nmail: x\ncn: y\n-\n",
            line: 5,
            message: "expected a value for mail"
        ),
        BadLDIF(
            name: "missing dash before next operation",
            text: "dn: cn=a\nchangetype: modify\nreplace: mail\nmail: x\ndelete: cn\n",
            line: 5,
            message: "expected a value for mail"
        ),
        BadLDIF(
            name: "unsupported modify operation",
            text: "dn: cn=a\nchangetype: modify\nincrement: uidNumber\nuidNumber: 1\n-\n",
            line: 3,
            message: "expected add:, delete: or replace:"
        ),
        BadLDIF(
            name: "deleteoldrdn not 0 or 1",
            text: "dn: cn=a\nchangetype: modrdn\nnewrdn: cn=b\ndeleteoldrdn: yes\n",
            line: 4,
            message: "deleteoldrdn must be 0 or 1"
        ),
        BadLDIF(
            name: "missing deleteoldrdn",
            text: "dn: cn=a\nchangetype: modrdn\nnewrdn: cn=b\n",
            line: 3,
            message: "expected deleteoldrdn:"
        ),
        BadLDIF(
            name: "bad newrdn",
            text: "dn: cn=a\nchangetype: modrdn\nnewrdn: cn=b,o=c\ndeleteoldrdn: 1\n",
            line: 3,
            message: "invalid newrdn"
        ),
        BadLDIF(
            name: "extra line in delete",
            text: "dn: cn=a\nchangetype: delete\ncn: a\n",
            line: 3,
            message: "unexpected line in a delete record"
        ),
        BadLDIF(name: "leading continuation", text: " dn: cn=a\n", line: 1, message: "continuation line"),
        BadLDIF(
            name: "missing blank line",
            text: "dn: cn=a\ncn: a\ndn: cn=b\ncn: b\n",
            line: 3,
            message: "is a blank line missing?"
        ),
        BadLDIF(
            name: "error on a folded line names its first line",
            text: "dn: cn=a,o=b\n# comment\ncn:: QUJD\n RA=*\n",
            line: 3,
            message: "invalid base64"
        ),
        BadLDIF(name: "DN not UTF-8", text: "dn:: /w==\n", line: 1, message: "not valid UTF-8"),
        BadLDIF(
            name: "control without changetype",
            text: "dn: cn=a\ncontrol: 1.2.3\ncn: a\n",
            line: 3,
            message: "only allowed in change records"
        ),
        BadLDIF(
            name: "remote URL", text: "dn: cn=a\nphoto:< http://example.com/x\n", line: 2, message: "unsupported URL"),
        BadLDIF(
            name: "missing file",
            text: "dn: cn=a\nphoto:< file:///nonexistent/ccdirsync-test\n",
            line: 2,
            message: "cannot read"
        ),
        BadLDIF(name: "bad attribute name", text: "dn: cn=a\nfoo bar: x\n", line: 2, message: "invalid attribute"),
        BadLDIF(name: "CRLF line numbers", text: "dn: cn=a\r\n\r\ndn: cn=b\r\nbad\r\n", line: 4, message: "no ':'"),
    ]

    @Test("malformed LDIF is rejected with the line number", arguments: badInputs)
    func malformed(_ bad: BadLDIF) throws {
        let error = try #require(throws: LDIFError.self) {
            try LDIFReader().read(bad.text)
        }
        #expect(error.line == bad.line)
        #expect(error.message.contains(bad.message), "\(error.message)")
        #expect(error.file == nil)
    }

    @Test func descriptionNamesFileAndLine() throws {
        let error = try #require(throws: LDIFError.self) {
            try LDIFReader().read("dn: cn=a\nbogus\n", file: "people.ldif")
        }
        #expect(error.file == "people.ldif")
        #expect(error.description == "people.ldif:2: expected \"name: value\", found no ':'")
        #expect(LDIFError(file: nil, line: 7, message: "x").description == "line 7: x")
    }
}
