import Testing

@testable import LDAPClient

@Suite struct ResultCodeTests {
    @Test(arguments: [
        (Int32(-1), ResultCode.serverDown), (-5, .timeout), (-11, .connectError), (-7, .filterError),
        (49, .invalidCredentials), (122, .assertionFailed), (0, .success),
    ])
    func mapsLibldapCodes(code: Int32, expected: ResultCode) {
        #expect(ResultCode(libldap: code) == expected)
    }

    @Test func unlistedCodeRoundTrips() {
        let code = ResultCode(rawValue: 4711)
        #expect(code.rawValue == 4711)
        #expect(code.name == nil)
        #expect(code.description == "4711")
    }

    @Test func unavailableIsDistinctFromRefused() {
        for code in [ResultCode.busy, .unavailable, .serverDown, .connectError, .timeout] {
            #expect(code.isUnavailable, "\(code)")
        }
        for code in [
            ResultCode.invalidCredentials, .insufficientAccessRights, .constraintViolation,
            .attributeOrValueExists, .noSuchAttribute, .assertionFailed, .objectClassViolation,
        ] {
            #expect(!code.isUnavailable, "\(code)")
        }
    }

    @Test func errorNamesOperationDNCodeAndDiagnostic() {
        let error = LDAPError(
            .modify, dn: "cn=JDoe,cn=Recipients,ou=Site,o=Org", code: .attributeOrValueExists,
            matchedDN: "", diagnosticMessage: "modify/add: otherMailbox: value #0 already exists")
        #expect(
            error.description
                == "modify \"cn=JDoe,cn=Recipients,ou=Site,o=Org\" failed: 20 attributeOrValueExists: "
                + "modify/add: otherMailbox: value #0 already exists")
        #expect(error.matchedDN == nil)
        #expect(!error.isUnavailable)
    }
}
