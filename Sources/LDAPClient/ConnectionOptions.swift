/// How to reach a directory server: URL, transport security and timeouts.
package struct ConnectionOptions: Sendable, Hashable {
    /// How strictly the server's TLS certificate is checked.
    package enum CertificateCheck: String, Sendable, Hashable, CaseIterable {
        /// The certificate must chain to a trusted CA and name the host (libldap `demand`).
        case require
        /// A bad certificate is accepted, a missing one too (libldap `allow`).
        case allow
        /// No certificate is asked for (libldap `never`).
        case never
    }

    /// `ldap://host:port` or `ldaps://host:port`; ldaps means TLS from the first byte.
    package var url: String
    /// Upgrade an `ldap://` connection with the StartTLS extended operation before binding.
    package var startTLS: Bool
    /// PEM file of the CA certificates to trust; nil uses the system's trust store.
    package var caFile: String?
    /// Require is the default: a sync tool writing to a production directory must not talk to
    /// an impostor.
    package var certificateCheck: CertificateCheck
    /// Upper bound for establishing the TCP connection.
    package var networkTimeout: Duration
    /// Upper bound for one operation's result to arrive (or, for a search, for each message).
    package var operationTimeout: Duration

    package init(
        url: String, startTLS: Bool = false, caFile: String? = nil, certificateCheck: CertificateCheck = .require,
        networkTimeout: Duration = .seconds(10), operationTimeout: Duration = .seconds(120)
    ) {
        self.url = url
        self.startTLS = startTLS
        self.caFile = caFile
        self.certificateCheck = certificateCheck
        self.networkTimeout = networkTimeout
        self.operationTimeout = operationTimeout
    }

    /// True when the URL asks for TLS from the start.
    package var isLDAPS: Bool { url.lowercased().hasPrefix("ldaps://") }

    /// True when TLS protects the connection, one way or the other.
    package var usesTLS: Bool { isLDAPS || startTLS }
}
