/// A failed LDAP operation, with everything an administrator needs to act on it.
///
/// The server's diagnostic message is read at once, while the handle still holds it, because
/// the next operation on the handle overwrites it. No field ever holds a password: bind errors
/// carry the bind DN only.
package struct LDAPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was being attempted when the error happened.
    package enum Operation: String, Sendable, Hashable {
        case connect, startTLS, bind, search, add, modify, delete, modifyRDN, readPassword
    }

    /// Why TLS could not be set up, when the cause is the server's configuration or the client's rather than the
    /// network: a retry would meet the same refusal, so such an error is never `isUnavailable`.
    package enum TLSRefusal: String, Sendable, Hashable {
        /// The handshake failed on the server's certificate: it does not chain to a trusted CA, has expired, or
        /// does not name the host.
        case certificateNotAccepted
        /// The server answered the StartTLS request with a refusal: it has no TLS set up.
        case startTLSRefused
    }

    package var operation: Operation
    /// The DN the operation targeted (the bind DN for a bind, the base for a search).
    package var dn: String?
    package var code: ResultCode
    /// The deepest existing entry the server matched, as it reports for `noSuchObject`.
    package var matchedDN: String?
    /// The server's (or libldap's) diagnostic text.
    package var diagnosticMessage: String?
    /// Set when the error is a TLS refusal a configuration must fix (see `TLSRefusal`).
    package var tlsRefusal: TLSRefusal?

    package init(
        _ operation: Operation, dn: String? = nil, code: ResultCode, matchedDN: String? = nil,
        diagnosticMessage: String? = nil
    ) {
        self.operation = operation
        self.dn = dn
        self.code = code
        self.matchedDN = matchedDN.flatMap { $0.isEmpty ? nil : $0 }
        self.diagnosticMessage = diagnosticMessage.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// True when the server was unreachable or the connection was lost (retry after a
    /// reconnect), false when the server answered and refused, or TLS was refused (report, do not retry).
    package var isUnavailable: Bool { tlsRefusal == nil && code.isUnavailable }

    package var description: String {
        var text = "\(operation.rawValue)"
        if let dn { text += " \"\(dn)\"" }
        text += " failed: \(code)"
        if let diagnosticMessage { text += ": \(diagnosticMessage)" }
        if let matchedDN { text += " (matched DN \"\(matchedDN)\")" }
        return text
    }
}
