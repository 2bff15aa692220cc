import CLDAP
import LDAPModel
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// One connection to a directory server; owns its libldap handle and unbinds in `deinit`.
///
/// A connection is used from one task at a time (libldap's handle is not meant to be shared
/// between threads without care), which is why the type is not `Sendable`. Reads are
/// synchronous from the caller's point of view; writes can be pipelined with `write(_:window:)`.
package final class LDAPConnection {
    let handle: OpaquePointer
    package let options: ConnectionOptions
    /// Set once libldap reports the connection lost; every later operation fails fast.
    private(set) var lostConnection: LDAPError?
    /// The parents of the DNs this connection has read, parsed once each. The DNs keep the server's spelling:
    /// ccdirsync names an entry that exists exactly as the server did.
    var parentCache = DistinguishedNameParentCache(keepingSpelling: true)
    /// Where the connection reports what it does, at debug level and below: connecting, StartTLS, the bind, each
    /// search and its pages, each write's result (`ldap.op`, `ldap.dn`, `ldap.result`). Never a password or a value.
    package var logger: Logger

    /// Opens a connection: configures libldap, and for StartTLS upgrades the connection at once
    /// so that nothing (not even the bind DN) crosses the network in clear.
    ///
    /// The TCP (and for ldaps the TLS) connection is made here, not at the first operation, so
    /// that "cannot reach the server" and "certificate not accepted" surface as `connect`
    /// errors before any credentials are sent.
    package static func open(
        _ options: ConnectionOptions, logger: Logger = .current
    ) throws(LDAPError) -> LDAPConnection {
        var logger = logger
        logger[metadataKey: "ldap.url"] = "\(options.url)"
        let connection = try LDAPConnection(options, logger: logger)
        do {
            try connection.connect()
            if options.startTLS && !options.isLDAPS { try connection.startTLS() }
        } catch {
            var failure = error
            if error.operation == .startTLS, error.code.isServerResult {
                // The server answered the StartTLS request and said no: it has no TLS to offer on this port.
                failure.tlsRefusal = .startTLSRefused
            } else {
                failure = connection.explainTLSFailure(error)
            }
            logger.debug(
                "cannot connect",
                metadata: ["ldap.op": "\(failure.operation.rawValue)", "ldap.result": "\(failure.code)"])
            throw failure
        }
        logger.debug(
            "connected",
            metadata: ["ldap.tls": "\(options.isLDAPS ? "ldaps" : options.startTLS ? "starttls" : "none")"])
        return connection
    }

    private init(_ options: ConnectionOptions, logger: Logger) throws(LDAPError) {
        var created: OpaquePointer?
        let status = ldap_initialize(&created, options.url)
        guard status == LDAP_SUCCESS, let created else {
            throw LDAPError(
                .connect, code: ResultCode(libldap: status),
                diagnosticMessage: "cannot use URL \(options.url): \(Self.text(of: status))")
        }
        do {
            try Self.configure(created, options)
        } catch {
            ldap_unbind_ext(created, nil, nil)
            throw error
        }
        self.handle = created
        self.options = options
        self.logger = logger
    }

    deinit {
        ldap_unbind_ext(handle, nil, nil)
    }

    private static func configure(_ handle: OpaquePointer, _ options: ConnectionOptions) throws(LDAPError) {
        func set(_ option: Int32, _ value: UnsafeRawPointer?, _ what: String) throws(LDAPError) {
            let status = ldap_set_option(handle, option, value)
            guard status == LDAP_OPT_SUCCESS else {
                throw LDAPError(.connect, code: ResultCode(libldap: status), diagnosticMessage: "cannot set \(what)")
            }
        }
        var version = LDAP_VERSION3
        try set(LDAP_OPT_PROTOCOL_VERSION, &version, "LDAP version 3")
        // Referrals would silently send the bind credentials to another server.
        try set(LDAP_OPT_REFERRALS, cldap_opt_off(), "referrals off")
        var network = timeval(options.networkTimeout)
        try set(LDAP_OPT_NETWORK_TIMEOUT, &network, "the network timeout")
        var operation = timeval(options.operationTimeout)
        try set(LDAP_OPT_TIMEOUT, &operation, "the operation timeout")
        guard options.usesTLS else { return }
        var check: Int32 =
            switch options.certificateCheck {
            case .require: LDAP_OPT_X_TLS_DEMAND
            case .allow: LDAP_OPT_X_TLS_ALLOW
            case .never: LDAP_OPT_X_TLS_NEVER
            }
        try set(LDAP_OPT_X_TLS_REQUIRE_CERT, &check, "the certificate check")
        if let caFile = options.caFile {
            let status = caFile.withCString { ldap_set_option(handle, LDAP_OPT_X_TLS_CACERTFILE, $0) }
            guard status == LDAP_OPT_SUCCESS else {
                throw LDAPError(
                    .connect, code: ResultCode(libldap: status), diagnosticMessage: "cannot use CA file \(caFile)")
            }
        }
        // TLS settings made on a handle only take effect in a new TLS context.
        var isServer: Int32 = 0
        try set(LDAP_OPT_X_TLS_NEWCTX, &isServer, "a TLS context (CA file unreadable?)")
    }

    /// Makes the network connection (and the TLS handshake for ldaps).
    func connect() throws(LDAPError) {
        let status = ldap_connect(handle)
        guard status == LDAP_SUCCESS else {
            let error = lastError(.connect, dn: nil, status: status)
            markLost(error)
            throw error
        }
        addReadahead()
    }

    /// Puts a read buffer between libldap and the socket, as slapd does on its side.
    ///
    /// libldap reads each message with two `read` calls (its header, then the rest) and a `poll` before them:
    /// three system calls for every entry of a search. A read-ahead buffer takes what the socket holds in one
    /// `read` and hands the messages out of memory, and while it holds data libldap skips the `poll`. The layer
    /// sits under TLS (which libldap adds at a higher level), so it buffers ciphertext and changes nothing about
    /// what is read, only how often the socket is asked.
    private func addReadahead() {
        var socket: OpaquePointer?
        guard ldap_get_option(handle, LDAP_OPT_SOCKBUF, &socket) == LDAP_OPT_SUCCESS, let socket else { return }
        guard cldap_add_readahead(socket) == 0 else { return }
        var size = ber_len_t(Self.readaheadBytes)
        _ = ber_sockbuf_ctrl(socket, LBER_SB_OPT_SET_READAHEAD, &size)
    }

    /// The read-ahead buffer: a page of 1,000 entries is a few hundred KiB; 64 KiB takes in dozens per `read`.
    static let readaheadBytes = 64 * 1024

    /// Turns libldap's bare "Can't contact LDAP server: (unknown error code)" after a failed
    /// TLS handshake into a message that names the cause.
    ///
    /// libldap (built with GnuTLS, as on Debian) does not say why a handshake failed. When
    /// certificates are being checked, one more handshake with checking off tells the two
    /// common causes apart: if it succeeds, the server is fine and its certificate was not
    /// accepted. The probe sends no credentials and its connection is closed at once.
    func explainTLSFailure(_ error: LDAPError) -> LDAPError {
        guard options.usesTLS, options.certificateCheck != .never, error.isUnavailable else { return error }
        var lax = options
        lax.certificateCheck = .never
        guard let probe = try? LDAPConnection(lax, logger: logger) else { return error }
        do {
            try probe.connect()
            if lax.startTLS && !lax.isLDAPS { try probe.startTLS() }
        } catch {
            return error
        }
        let trust = options.caFile.map { "the CA file \($0)" } ?? "the system's trusted CAs"
        var explained = error
        explained.tlsRefusal = .certificateNotAccepted
        explained.diagnosticMessage =
            "TLS handshake failed: the server's certificate was not accepted (it does not chain to \(trust), "
            + "has expired, or does not name the host in \(options.url)); \(error.diagnosticMessage ?? "")"
        return explained
    }

    /// Upgrades the connection with StartTLS (RFC 4511 section 4.14).
    func startTLS() throws(LDAPError) {
        let status = ldap_start_tls_s(handle, nil, nil)
        guard status == LDAP_SUCCESS else { throw lastError(.startTLS, dn: nil, status: status) }
        logger.debug("StartTLS done", metadata: ["ldap.op": "startTLS", "ldap.result": "\(ResultCode.success)"])
    }

    /// Simple bind (RFC 4513 section 5.1.3).
    ///
    /// The password is copied into C memory only for the duration of the call and never
    /// reaches an error or a log line.
    package func bind(dn: String, password: Password) throws(LDAPError) {
        try ensureUsable(.bind, dn: dn)
        var messageID: Int32 = 0
        clearDiagnostic()
        let status: Int32 = password.bytes.withUnsafeBufferPointer { buffer in
            let pointer = UnsafeMutableRawPointer(mutating: buffer.baseAddress)?.assumingMemoryBound(to: CChar.self)
            var credentials = berval(bv_len: ber_len_t(buffer.count), bv_val: pointer)
            return dn.withCString { ldap_sasl_bind(handle, $0, nil, &credentials, nil, nil, &messageID) }
        }
        do throws(LDAPError) {
            guard status == LDAP_SUCCESS else { throw lastError(.bind, dn: dn, status: status) }
            try awaitResult(messageID, operation: .bind, dn: dn)
        } catch {
            logger.debug("bind", metadata: ["ldap.op": "bind", "ldap.dn": "\(dn)", "ldap.result": "\(error.code)"])
            throw error
        }
        logger.debug("bind", metadata: ["ldap.op": "bind", "ldap.dn": "\(dn)", "ldap.result": "\(ResultCode.success)"])
    }

    // MARK: - Results

    /// Waits for one message belonging to `messageID` (or any, with `LDAP_RES_ANY`).
    ///
    /// Returns the message type and the message, which the caller frees with `ldap_msgfree`.
    func nextMessage(
        _ messageID: Int32, timeout: Duration, operation: LDAPError.Operation, dn: String?
    )
        throws(LDAPError) -> (type: Int32, message: OpaquePointer, messageID: Int32)
    {
        var wait = timeval(timeout)
        var message: OpaquePointer?
        let type = ldap_result(handle, messageID, LDAP_MSG_ONE, &wait, &message)
        if type == 0 {
            if let message { ldap_msgfree(message) }
            throw LDAPError(
                operation, dn: dn, code: .timeout,
                diagnosticMessage: "no answer within \(timeout.components.seconds) s")
        }
        guard type > 0, let message else {
            let error = lastError(operation, dn: dn, status: nil)
            if error.isUnavailable { markLost(error) }
            throw error
        }
        return (type, message, ldap_msgid(message))
    }

    /// Waits for the result of a single-result operation and throws unless it succeeded.
    func awaitResult(_ messageID: Int32, operation: LDAPError.Operation, dn: String?) throws(LDAPError) {
        let (_, message, _) = try nextMessage(
            messageID, timeout: options.operationTimeout, operation: operation, dn: dn)
        defer { ldap_msgfree(message) }
        if let error = resultError(of: message, operation: operation, dn: dn) { throw error }
    }

    /// Parses an LDAPResult message; nil when it reports success.
    func resultError(of message: OpaquePointer, operation: LDAPError.Operation, dn: String?) -> LDAPError? {
        var code: Int32 = 0
        var matched: UnsafeMutablePointer<CChar>?
        var text: UnsafeMutablePointer<CChar>?
        let status = ldap_parse_result(handle, message, &code, &matched, &text, nil, nil, 0)
        defer {
            if let matched { ldap_memfree(matched) }
            if let text { ldap_memfree(text) }
        }
        guard status == LDAP_SUCCESS else { return lastError(operation, dn: dn, status: status) }
        guard code != LDAP_SUCCESS else { return nil }
        return LDAPError(
            operation, dn: dn, code: ResultCode(libldap: code), matchedDN: matched.map { String(cString: $0) },
            diagnosticMessage: text == nil ? Self.text(of: code) : Self.diagnostic(text))
    }

    /// The error libldap recorded on the handle, read at once (the next call overwrites it).
    func lastError(_ operation: LDAPError.Operation, dn: String?, status: Int32?) -> LDAPError {
        var code: Int32 = status ?? 0
        if status == nil || status == LDAP_SUCCESS { ldap_get_option(handle, LDAP_OPT_RESULT_CODE, &code) }
        var text: UnsafeMutablePointer<CChar>?
        ldap_get_option(handle, LDAP_OPT_DIAGNOSTIC_MESSAGE, &text)
        var matched: UnsafeMutablePointer<CChar>?
        ldap_get_option(handle, LDAP_OPT_MATCHED_DN, &matched)
        defer {
            if let text { ldap_memfree(text) }
            if let matched { ldap_memfree(matched) }
        }
        let generic = Self.text(of: code)
        var message = Self.diagnostic(text) ?? ""
        if message.isEmpty || message == generic {
            message = generic
        } else {
            message = "\(generic): \(message)"
        }
        if code == LDAP_SERVER_DOWN || code == LDAP_CONNECT_ERROR { message += " (\(options.url))" }
        return LDAPError(
            operation, dn: dn, code: ResultCode(libldap: code), matchedDN: matched.map { String(cString: $0) },
            diagnosticMessage: message)
    }

    /// Clears the diagnostic message and matched DN the last result left on the handle; called before each request.
    ///
    /// When libldap refuses a request itself (a filter it cannot parse, a request it cannot encode) it sets only its
    /// error code: the text left by an earlier operation would otherwise be reported as the reason.
    func clearDiagnostic() {
        _ = ldap_set_option(handle, LDAP_OPT_DIAGNOSTIC_MESSAGE, nil)
        _ = ldap_set_option(handle, LDAP_OPT_MATCHED_DN, nil)
    }

    /// Remembers that the connection is gone, so later operations fail fast with the cause.
    func markLost(_ error: LDAPError) {
        guard lostConnection == nil else {
            return
        }
        lostConnection = error
        logger.debug(
            "connection lost",
            metadata: ["ldap.op": "\(error.operation.rawValue)", "ldap.result": "\(error.code)"])
    }

    func ensureUsable(_ operation: LDAPError.Operation, dn: String?) throws(LDAPError) {
        if let lostConnection {
            throw LDAPError(
                operation, dn: dn, code: lostConnection.code,
                diagnosticMessage: "connection already lost: \(lostConnection.diagnosticMessage ?? "")")
        }
    }

    /// A diagnostic message as libldap hands it over, without the white space it ends in; nil when there is none.
    ///
    /// AD ends its diagnostic messages with a newline, which would print as a blank line inside an error.
    static func diagnostic(_ text: UnsafePointer<CChar>?) -> String? {
        guard let text else {
            return nil
        }
        var message = Substring(String(cString: text))
        while let last = message.last, last.isWhitespace {
            message.removeLast()
        }
        return message.isEmpty ? nil : String(message)
    }

    static func text(of code: Int32) -> String {
        guard let text = ldap_err2string(code) else { return "result \(code)" }
        return String(cString: text)
    }
}

extension timeval {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.init(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
