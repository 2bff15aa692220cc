import Config
import Foundation
import LDAPClient
import LDAPModel
import LDAPStore

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
    ///
    /// TLS is the default (`starttls` for `ldap://`, which fails against a server that cannot do it); a plain
    /// connection happens only when the config says `ldap.tls.mode: none`, and `warnings` says so on every run.
    static func open(_ settings: LDAPSettings) throws(CommandFailure) -> LDAPConnection {
        let password = try password(settings)
        do {
            return try bound(settings, password: password)
        } catch {
            throw failure(error, url: settings.url)
        }
    }

    /// `open`, as the engine's store with the configured page size and entry limit.
    static func store(_ settings: LDAPSettings) throws(CommandFailure) -> LDAPDirectoryStore {
        LDAPDirectoryStore(
            connection: try open(settings), pageSize: settings.pageSize, maxEntries: settings.maxEntries)
    }

    /// The bind password, read once per run (exit 64 when it cannot be read).
    static func password(_ settings: LDAPSettings) throws(CommandFailure) -> Password {
        do {
            return try passwordSource(settings.password).load()
        } catch {
            throw CommandFailure(.usage, "cannot read the bind password: \(error)")
        }
    }

    /// A new connection, bound: what `open` makes, and what a writer reconnects with.
    static func bound(_ settings: LDAPSettings, password: Password) throws(LDAPError) -> LDAPConnection {
        let connection = try LDAPConnection.open(options(settings))
        try connection.bind(dn: settings.bindDN.description, password: password)
        return connection
    }

    /// An LDAP error as the CLI reports it: 69 when the server is unreachable, naming the URL.
    static func failure(_ error: LDAPError, url: String) -> CommandFailure {
        if error.isUnavailable {
            return CommandFailure(.unavailable, "LDAP server \(url) is unavailable: \(error)")
        }
        return CommandFailure(.failure, "\(url): \(error)")
    }
}
