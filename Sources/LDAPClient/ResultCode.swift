/// An LDAP result code (RFC 4511 section 4.1.9) or a client-side code from the LDAP C API.
///
/// An open struct rather than an enum, so that a code this file does not list (servers invent
/// their own) still round-trips and can be shown to an administrator by number.
///
/// libldap reports client-side failures with negative numbers (`LDAP_SERVER_DOWN` is -1).
/// Administrators know them by the numbers of the original LDAP C API (RFC 1823 lineage, also
/// what Windows tools print): 81 server down, 85 timeout, 91 connect error. `init(libldap:)`
/// maps libldap's negative codes onto those, so `81` means the same thing in every message.
package struct ResultCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    package var rawValue: Int32

    package init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// Maps libldap's negative API codes (-1 … -17) onto the classic 81 … 97.
    package init(libldap code: Int32) {
        self.rawValue = code < 0 ? 80 - code : code
    }

    // RFC 4511 result codes.
    package static let success = Self(rawValue: 0)
    package static let operationsError = Self(rawValue: 1)
    package static let protocolError = Self(rawValue: 2)
    package static let timeLimitExceeded = Self(rawValue: 3)
    package static let sizeLimitExceeded = Self(rawValue: 4)
    package static let compareFalse = Self(rawValue: 5)
    package static let compareTrue = Self(rawValue: 6)
    package static let authMethodNotSupported = Self(rawValue: 7)
    package static let strongerAuthRequired = Self(rawValue: 8)
    package static let referral = Self(rawValue: 10)
    package static let adminLimitExceeded = Self(rawValue: 11)
    package static let unavailableCriticalExtension = Self(rawValue: 12)
    package static let confidentialityRequired = Self(rawValue: 13)
    package static let saslBindInProgress = Self(rawValue: 14)
    package static let noSuchAttribute = Self(rawValue: 16)
    package static let undefinedAttributeType = Self(rawValue: 17)
    package static let inappropriateMatching = Self(rawValue: 18)
    package static let constraintViolation = Self(rawValue: 19)
    package static let attributeOrValueExists = Self(rawValue: 20)
    package static let invalidAttributeSyntax = Self(rawValue: 21)
    package static let noSuchObject = Self(rawValue: 32)
    package static let aliasProblem = Self(rawValue: 33)
    package static let invalidDNSyntax = Self(rawValue: 34)
    package static let aliasDereferencingProblem = Self(rawValue: 36)
    package static let inappropriateAuthentication = Self(rawValue: 48)
    package static let invalidCredentials = Self(rawValue: 49)
    package static let insufficientAccessRights = Self(rawValue: 50)
    package static let busy = Self(rawValue: 51)
    package static let unavailable = Self(rawValue: 52)
    package static let unwillingToPerform = Self(rawValue: 53)
    package static let loopDetect = Self(rawValue: 54)
    package static let namingViolation = Self(rawValue: 64)
    package static let objectClassViolation = Self(rawValue: 65)
    package static let notAllowedOnNonLeaf = Self(rawValue: 66)
    package static let notAllowedOnRDN = Self(rawValue: 67)
    package static let entryAlreadyExists = Self(rawValue: 68)
    package static let objectClassModsProhibited = Self(rawValue: 69)
    package static let affectsMultipleDSAs = Self(rawValue: 71)
    package static let other = Self(rawValue: 80)
    package static let canceled = Self(rawValue: 118)
    package static let noSuchOperation = Self(rawValue: 119)
    package static let tooLate = Self(rawValue: 120)
    package static let cannotCancel = Self(rawValue: 121)
    package static let assertionFailed = Self(rawValue: 122)

    // Client-side codes (libldap's negative codes, renumbered as the C API numbers them).
    package static let serverDown = Self(rawValue: 81)
    package static let localError = Self(rawValue: 82)
    package static let encodingError = Self(rawValue: 83)
    package static let decodingError = Self(rawValue: 84)
    package static let timeout = Self(rawValue: 85)
    package static let authUnknown = Self(rawValue: 86)
    package static let filterError = Self(rawValue: 87)
    package static let userCancelled = Self(rawValue: 88)
    package static let paramError = Self(rawValue: 89)
    package static let noMemory = Self(rawValue: 90)
    package static let connectError = Self(rawValue: 91)
    package static let notSupported = Self(rawValue: 92)
    package static let controlNotFound = Self(rawValue: 93)
    package static let noResultsReturned = Self(rawValue: 94)
    package static let clientLoop = Self(rawValue: 96)
    package static let referralLimitExceeded = Self(rawValue: 97)

    /// True when the server could not be reached or the connection was lost, as opposed to a
    /// server that answered and refused.
    ///
    /// These are the failures worth retrying after a reconnect: busy (51), unavailable (52),
    /// server down (81), timeout (85) and connect error (91).
    package var isUnavailable: Bool {
        switch self {
        case .busy, .unavailable, .serverDown, .timeout, .connectError: true
        default: false
        }
    }

    /// True for a code a server sends in an LDAPResult, false for a client-side code of libldap (81 … 97, as
    /// renumbered by `init(libldap:)`): the server answered, as opposed to the connection failing.
    package var isServerResult: Bool {
        !(Self.serverDown.rawValue...Self.referralLimitExceeded.rawValue).contains(rawValue)
    }

    /// The RFC 4511 name of the code, or nil for a code this file does not know.
    package var name: String? {
        Self.names[rawValue]
    }

    package var description: String {
        if let name { "\(rawValue) \(name)" } else { "\(rawValue)" }
    }

    private static let names: [Int32: String] = [
        0: "success", 1: "operationsError", 2: "protocolError", 3: "timeLimitExceeded",
        4: "sizeLimitExceeded", 5: "compareFalse", 6: "compareTrue", 7: "authMethodNotSupported",
        8: "strongerAuthRequired", 10: "referral", 11: "adminLimitExceeded",
        12: "unavailableCriticalExtension", 13: "confidentialityRequired", 14: "saslBindInProgress",
        16: "noSuchAttribute", 17: "undefinedAttributeType", 18: "inappropriateMatching",
        19: "constraintViolation", 20: "attributeOrValueExists", 21: "invalidAttributeSyntax",
        32: "noSuchObject", 33: "aliasProblem", 34: "invalidDNSyntax", 36: "aliasDereferencingProblem",
        48: "inappropriateAuthentication", 49: "invalidCredentials", 50: "insufficientAccessRights",
        51: "busy", 52: "unavailable", 53: "unwillingToPerform", 54: "loopDetect", 64: "namingViolation",
        65: "objectClassViolation", 66: "notAllowedOnNonLeaf", 67: "notAllowedOnRDN",
        68: "entryAlreadyExists", 69: "objectClassModsProhibited", 71: "affectsMultipleDSAs",
        80: "other", 81: "serverDown", 82: "localError", 83: "encodingError", 84: "decodingError",
        85: "timeout", 86: "authUnknown", 87: "filterError", 88: "userCancelled", 89: "paramError",
        90: "noMemory", 91: "connectError", 92: "notSupported", 93: "controlNotFound",
        94: "noResultsReturned", 96: "clientLoop", 97: "referralLimitExceeded", 118: "canceled",
        119: "noSuchOperation", 120: "tooLate", 121: "cannotCancel", 122: "assertionFailed",
    ]
}
