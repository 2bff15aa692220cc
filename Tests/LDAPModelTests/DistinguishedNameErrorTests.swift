import LDAPModel
import Testing

@Suite("DistinguishedName parse errors")
struct DistinguishedNameErrorTests {
    struct BadInput: Sendable, CustomTestStringConvertible {
        var input: String
        var offset: Int
        var reason: String
        var testDescription: String { input }
    }

    static let badInputs: [BadInput] = [
        BadInput(input: "cn", offset: 2, reason: "expected '='"),
        BadInput(input: "=x", offset: 0, reason: "expected an attribute type"),
        BadInput(input: #"cn=a\"#, offset: 4, reason: "'\\' at end of input"),
        BadInput(input: #"cn=a\zz"#, offset: 4, reason: "invalid escape '\\z'"),
        BadInput(input: #"cn=a\4"#, offset: 4, reason: "expected two hex digits"),
        BadInput(input: #"cn=a\4g"#, offset: 4, reason: "expected two hex digits"),
        BadInput(input: "cn=#0", offset: 3, reason: "odd number of hex digits"),
        BadInput(input: "cn=#", offset: 3, reason: "expected hex digits"),
        BadInput(input: "cn=#0402x", offset: 8, reason: "expected ',', '+' or end of input"),
        BadInput(input: #"cn=say "hi""#, offset: 7, reason: "unescaped '\"'"),
        BadInput(input: #"cn="unterminated"#, offset: 3, reason: "unterminated quoted value"),
        BadInput(input: #"cn="a"b"#, offset: 6, reason: "expected ',', '+' or end of input"),
        BadInput(input: "cn=a\u{0}b", offset: 4, reason: "unescaped NUL"),
        BadInput(input: #"cn=\C3"#, offset: 3, reason: "not valid UTF-8"),
        BadInput(input: #"cn=ok\C3\28"#, offset: 5, reason: "not valid UTF-8"),
        BadInput(input: #"cn=\ED\A0\80"#, offset: 3, reason: "not valid UTF-8"),
        BadInput(input: "cn=a,", offset: 5, reason: "expected an attribute type"),
        BadInput(input: "cn=a,,o=b", offset: 5, reason: "expected an attribute type"),
        BadInput(input: "cn=a+", offset: 5, reason: "expected an attribute type"),
        BadInput(input: "c n=x", offset: 2, reason: "expected '='"),
        BadInput(input: "-cn=x", offset: 0, reason: "expected an attribute type"),
        BadInput(input: "2.5.=x", offset: 4, reason: "expected a digit"),
        BadInput(input: "1=x", offset: 0, reason: "at least two components"),
        BadInput(input: "cn_x=y", offset: 2, reason: "expected '='"),
    ]

    @Test("bad input is rejected with offset and reason", arguments: badInputs)
    func badInput(_ bad: BadInput) {
        #expect {
            _ = try DistinguishedName(parsing: bad.input)
        } throws: { error in
            guard let error = error as? DistinguishedNameError else { return false }
            return error.input == bad.input && error.offset == bad.offset && error.reason.contains(bad.reason)
        }
    }

    @Test func descriptionNamesInputOffsetAndReason() throws {
        let error = try #require(throws: DistinguishedNameError.self) {
            try DistinguishedName(parsing: #"cn=a\zz,o=Org"#)
        }
        #expect(error.description == #"invalid distinguished name "cn=a\zz,o=Org" at offset 4: invalid escape '\z'"#)
    }

    @Test func singleRDNRejectsSeveral() throws {
        let error = try #require(throws: DistinguishedNameError.self) {
            try RelativeDistinguishedName(parsing: "cn=a,o=b")
        }
        #expect(error.offset == 4)
        #expect(error.reason.contains("single RDN"))
    }

    @Test func emptyRDNIsRejected() {
        #expect(throws: DistinguishedNameError.self) {
            try RelativeDistinguishedName(parsing: "")
        }
    }
}
