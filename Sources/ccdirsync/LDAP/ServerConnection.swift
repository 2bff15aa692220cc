import Config
import Foundation
import LDAPClient
import LDAPModel
import LDAPStore
import Logging
import Sync

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

    /// Warnings a run prints every time on standard error through `Terminal.warn`, each beginning `warning: `.
    static func warnings(_ settings: LDAPSettings) -> [String] {
        warningTexts(settings).map { "warning: \($0)" }
    }

    /// The warnings without their `warning: ` label, for `check`, whose lines carry a `warn` label of their own:
    /// certificate checking off, a password sent in clear, a password file others can read.
    static func warningTexts(_ settings: LDAPSettings) -> [String] {
        var warnings: [String] = []
        if settings.tls.mode != .none, !settings.tls.verify {
            warnings.append(
                "ldap.tls.verify is false: the server's certificate is not checked, so an impostor could "
                    + "receive the bind password")
        }
        if settings.tls.mode == .none {
            warnings.append("ldap.tls.mode is none: the bind password and all data cross the network in clear")
        }
        let source = passwordSource(settings.password)
        if source.isReadableByOthers, case .file(let path) = settings.password {
            warnings.append(
                "the password file \(path.declaredPath) can be read by its group or others (run: chmod 600 "
                    + "\(CommandHint.quoted(path.resolvedPath)))")
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

    /// Refuses to go on when `exchange.customRecipientContainer` does not exist (exit 78, naming the DN).
    ///
    /// Searches below the base DN cannot tell a missing container from an empty one: without this read, a plan
    /// takes every custom recipient ccdirsync owns as "represented elsewhere" and plans creates that fail on apply.
    static func requireContainer(
        _ configuration: Configuration, on connection: LDAPConnection
    ) throws(CommandFailure) {
        let container = configuration.exchange.customRecipientContainer
        let url = configuration.ldap.url
        let entry: Entry?
        do {
            entry = try connection.read(container, attributes: ["objectClass"])
        } catch let error as LDAPError {
            throw failure(error, url: url)
        } catch {
            throw CommandFailure(.failure, "\(url): read \"\(container)\": \(error)")
        }
        guard entry != nil else {
            throw CommandFailure(
                .configuration,
                "\(url): the custom recipient container \"\(container)\" (exchange.customRecipientContainer) does "
                    + "not exist: create it, or correct exchange.customRecipientContainer in the configuration")
        }
    }

    /// `schema: missing attribute …, object class …` when the server's schema lacks a name `profile` uses; nil when
    /// it has them all. `check` prints it as its schema line; `requireSchema` refuses with it.
    static func schemaProblem(_ schema: ServerSchema, profile: Profile) -> String? {
        let missing = schema.missing(for: profile)
        return missing.isEmpty ? nil : "schema: missing \(missing.joined(separator: ", "))"
    }

    /// Reads the server's schema and refuses to go on (exit 1) when it lacks an attribute or object class of the
    /// profile: searches on a name the server does not know find nothing rather than fail, so an empty answer
    /// would pass for "no mailboxes" and every user would be planned a custom recipient.
    static func requireSchema(
        _ configuration: Configuration, on connection: LDAPConnection
    ) throws(CommandFailure) -> ServerSchema {
        let profile = Profile.named(configuration.profile)
        let url = configuration.ldap.url
        let schema: ServerSchema
        do {
            schema = try ServerSchema.read(from: connection, for: profile)
        } catch let error as LDAPError {
            throw failure(error, url: url)
        } catch {
            throw CommandFailure(.failure, "\(url): cannot read the server's schema: \(error)")
        }
        if let problem = schemaProblem(schema, profile: profile) {
            throw CommandFailure(
                .failure,
                "\(url): \(problem): the server cannot hold what profile \(profile.name.rawValue) reads and writes, "
                    + "and its searches would find nothing; nothing was planned (run `ccdirsync check`; on Active "
                    + "Directory the Exchange schema must be installed)")
        }
        return schema
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
            // The error says what could not be read and why, naming the file or variable.
            throw CommandFailure(.usage, "\(error)")
        }
    }

    /// A new connection, bound: what `open` makes, and what a writer reconnects with.
    ///
    /// The connection logs through `Logger.current`: the command's logger (`Terminal.run`), or on a thread of the
    /// command's own the fallback logger, which the bootstrap gives the same handler, level and `run.id`.
    static func bound(_ settings: LDAPSettings, password: Password) throws(LDAPError) -> LDAPConnection {
        let connection = try LDAPConnection.open(options(settings), logger: .current)
        try connection.bind(dn: settings.bindDN.description, password: password)
        return connection
    }

    /// An LDAP error as the CLI reports it: 69 when the server is unreachable, 78 when TLS was refused for a reason
    /// the configuration or the server must fix, naming the URL and what to change.
    static func failure(_ error: LDAPError, url: String) -> CommandFailure {
        switch error.tlsRefusal {
        case .certificateNotAccepted:
            return CommandFailure(
                .configuration,
                "\(url): \(error). Name the CA that signed the server's certificate in ldap.tls.caFile, or have "
                    + "the server present a certificate for the host in the URL that has not expired")
        case .startTLSRefused:
            return CommandFailure(
                .configuration,
                "\(url): \(error). The server does not offer StartTLS: use an ldaps:// URL, enable TLS on the "
                    + "server, or set ldap.tls.mode: none (the password then crosses the network in clear)")
        case nil:
            break
        }
        if error.isUnavailable {
            return CommandFailure(.unavailable, "LDAP server \(url) is unavailable: \(error)")
        }
        return CommandFailure(.failure, "\(url): \(error)")
    }
}
