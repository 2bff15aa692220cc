import Config
import Foundation
import LDAPClient
import LDAPModel

/// Opens and binds the connection a configuration describes, turning every failure into a `CommandFailure`.
enum ServerConnection {
    /// The connection options of `ldap:`: TLS mode, CA file and certificate checking.
    static func options(_ settings: LDAPSettings) -> ConnectionOptions {
        ConnectionOptions(
            url: settings.url, startTLS: settings.tls.mode == .starttls, caFile: settings.tls.caFile?.resolvedPath,
            certificateCheck: settings.tls.verify ? .require : .allow,
            operationTimeout: .seconds(settings.timeoutSeconds))
    }

    /// Where the password comes from, for LDAPClient.
    static func passwordSource(_ reference: PasswordReference) -> PasswordSource {
        switch reference {
        case .file(let path): .file(path.resolvedPath)
        case .environment(let name): .environment(name)
        }
    }

    /// Warnings a run prints every time: certificate checking off, a password file others can read.
    static func warnings(_ settings: LDAPSettings) -> [String] {
        var warnings: [String] = []
        if settings.tls.mode != .none, !settings.tls.verify {
            warnings.append(
                "warning: ldap.tls.verify is false: the server's certificate is not checked, so an impostor could "
                    + "receive the bind password")
        }
        if settings.tls.mode == .none {
            warnings.append("warning: ldap.tls.mode is none: the bind password and all data cross the network in clear")
        }
        let source = passwordSource(settings.password)
        if source.isReadableByOthers, case .file(let path) = settings.password {
            warnings.append(
                "warning: the password file \(path.declaredPath) can be read by its group or others (chmod 600 it)")
        }
        return warnings
    }

    /// Connects, binds, and returns the connection.
    static func open(_ settings: LDAPSettings) throws(CommandFailure) -> LDAPConnection {
        try refusePlainRemote(settings)
        let password: Password
        do {
            password = try passwordSource(settings.password).load()
        } catch {
            throw CommandFailure(.usage, "cannot read the bind password: \(error)")
        }
        let connection: LDAPConnection
        do {
            connection = try LDAPConnection.open(options(settings))
            try connection.bind(dn: settings.bindDN.description, password: password)
        } catch {
            throw failure(error, url: settings.url)
        }
        return connection
    }

    /// A plain connection to a server that is not on this machine needs `tls.mode: none` written out.
    static func refusePlainRemote(_ settings: LDAPSettings) throws(CommandFailure) {
        guard settings.tls.mode == .none, !settings.tls.modeIsExplicit, !isLoopback(settings.url) else {
            return
        }
        throw CommandFailure(
            .usage,
            "refusing to send the bind password to \(settings.url) without TLS: set ldap.tls.mode to starttls or "
                + "ldaps, or to none if you accept that")
    }

    static func isLoopback(_ url: String) -> Bool {
        guard let host = URLComponents(string: url)?.host?.lowercased() else {
            return false
        }
        return host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    /// An LDAP error as the CLI reports it: 69 when the server is unreachable, naming the URL.
    static func failure(_ error: LDAPError, url: String) -> CommandFailure {
        if error.isUnavailable {
            return CommandFailure(.unavailable, "LDAP server \(url) is unavailable: \(error)")
        }
        return CommandFailure(.failure, "\(url): \(error)")
    }
}
