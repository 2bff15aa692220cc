import Testing

@testable import LDAPClient

/// How a diagnostic message read from libldap becomes the text of an error.
@Suite struct DiagnosticMessageTests {
    @Test(
        "the white space a message ends in is dropped, once, where it is read",
        arguments: [
            (
                "0000208D: NameErr: DSID-03100213, problem 2001 (NO_OBJECT), data 0, best match of:\n\t'DC=example'\n",
                "0000208D: NameErr: DSID-03100213, problem 2001 (NO_OBJECT), data 0, best match of:\n\t'DC=example'"
            ),
            ("Entry already exists\r\n", "Entry already exists"),
            ("object class 'contact' requires attribute 'sn'", "object class 'contact' requires attribute 'sn'"),
        ])
    func trailingWhiteSpace(received: String, expected: String) {
        let message = received.withCString { LDAPConnection.diagnostic($0) }
        #expect(message == expected)
        let error = LDAPError(.add, dn: "cn=x", code: .entryAlreadyExists, diagnosticMessage: message)
        #expect(!error.description.hasSuffix("\n"))
        #expect(!error.description.contains("\n\n"))
    }

    @Test("a message of white space only, or none, is no message")
    func empty() {
        #expect(" \n".withCString { LDAPConnection.diagnostic($0) } == nil)
        #expect(LDAPConnection.diagnostic(nil) == nil)
    }
}
