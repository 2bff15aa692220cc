import Foundation

/// A real Active Directory domain controller (Samba 4) on its own loopback address, for tests and the demo.
///
/// AD listens on fixed ports, so each server gets an address of its own (127.0.0.2, 127.0.0.3, …, see
/// `LoopbackAddressLease`). Provisioning a domain takes seconds, so it happens once per machine and inputs into
/// a template (`SambaADTemplate`: the domain, the Exchange schema extension, the seed, the service account and
/// its delegation); each server is a copy of the template (`cp -a`) with a fresh `smb.conf` and a fresh TLS
/// certificate for its address, started as `samba -i -M single` under the watchdog of `ServerProcess`, so it
/// goes away with the test process however that ends.
///
/// AD refuses simple binds without TLS (`strongerAuthRequired`), so clients use `ldapsURL`, or StartTLS on
/// `url`, trusting `caFile`. Two identities, as on `SlapdServer`:
///
/// - the admin (`adminDN`, the domain's Administrator);
/// - the service account (`serviceDN`, `cn=ccdirsync,<suffix>`) with exactly the delegation docs/SECURITY.md
///   describes for AD.
///
/// `stop()` ends samba, removes the copy and frees the address; `deinit` and `withSambaAD` call it too.
package final class SambaADServer: @unchecked Sendable {
    /// What this server was made from.
    package let configuration: SambaADConfiguration
    /// The loopback address this server alone listens on, `127.0.0.N`.
    package let address: String
    /// `ldap://127.0.0.N` (port 389): StartTLS only, AD refuses a simple bind in clear.
    package let url: String
    /// `ldaps://127.0.0.N` (port 636).
    package let ldapsURL: String
    /// PEM of the test CA that signed the server certificate.
    package let caFile: String
    /// PEM of a second CA that did not sign it, for "unknown CA" tests.
    package let untrustedCAFile: String
    /// The domain's naming context, `dc=example,dc=org` by default.
    package let suffix: String
    /// The domain's Administrator, `cn=Administrator,cn=Users,<suffix>`.
    package let adminDN: String
    /// The Administrator's password (random per template).
    package let adminPassword: String
    /// A file holding `adminPassword` (mode 0600, no newline), for tools' `-y` options.
    package let adminPasswordFile: String
    /// The service account, `cn=ccdirsync,<suffix>`, with docs/SECURITY.md's delegation.
    package let serviceDN: String
    /// The service account's password (random per template).
    package let servicePassword: String
    /// A file holding `servicePassword` (mode 0600, no newline).
    package let servicePasswordFile: String
    /// This server's copy of the template: database, `smb.conf`, certificates, log. Gone after `stop()`.
    package let directory: URL

    private let instance: SambaADInstance
    private let lock = NSLock()
    private var stopped = false

    private init(configuration: SambaADConfiguration, template: SambaADTemplate, instance: SambaADInstance) {
        self.configuration = configuration
        self.address = instance.lease.address
        self.url = "ldap://\(instance.lease.address)"
        self.ldapsURL = "ldaps://\(instance.lease.address)"
        self.caFile = instance.certificates.caFile.path
        self.untrustedCAFile = instance.certificates.untrustedCAFile.path
        self.suffix = configuration.suffix
        self.adminDN = template.adminDN
        self.adminPassword = template.adminPassword
        self.adminPasswordFile = SambaADTemplate.adminPasswordFile(in: instance.directory).path
        self.serviceDN = template.serviceDN
        self.servicePassword = template.servicePassword
        self.servicePasswordFile = SambaADTemplate.servicePasswordFile(in: instance.directory).path
        self.directory = instance.directory
        self.instance = instance
    }

    deinit {
        stop()
    }

    /// Copies the template (provisioning it first if this machine has none for `configuration`), starts samba
    /// on a free loopback address and returns once the Administrator can bind over ldaps.
    ///
    /// Throws `SlapdError` saying why when samba is missing or cannot start; nothing is left behind.
    package static func start(_ configuration: SambaADConfiguration = SambaADConfiguration()) throws -> SambaADServer {
        let template = try SambaADTemplate.shared(configuration)
        return try start(configuration, template: template, copying: template.directory)
    }

    /// Starts a server on a copy of `source`, a directory an earlier server of `configuration` left with
    /// `stop(keepingDirectoryAt:)`: a domain loaded once (slowly, over LDAP) is the starting point of many servers.
    package static func start(_ configuration: SambaADConfiguration, copying source: URL) throws -> SambaADServer {
        try start(configuration, template: SambaADTemplate.shared(configuration), copying: source)
    }

    private static func start(
        _ configuration: SambaADConfiguration, template: SambaADTemplate, copying source: URL
    ) throws -> SambaADServer {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ccdirsync-samba-\(UUID().uuidString.prefix(8))", isDirectory: true)
        do {
            // `cp -a` of the template's contents: ~35 MB, mostly sparse database files.
            try ToolRunner.check(
                "/bin/cp", ["-a", source.path + "/.", directory.path],
                what: "copying the Samba AD domain \(source.path)")
            let instance = try SambaADInstance.launch(
                directory: directory, configuration: configuration, adminDN: template.adminDN)
            return SambaADServer(configuration: configuration, template: template, instance: instance)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    /// Stops samba (SIGTERM, SIGKILL after 10 s), removes the copy and frees the address. Idempotent.
    package func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        instance.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Stops samba and frees the address as `stop()` does, but moves the server's directory to `destination` (which
    /// must not exist) instead of removing it, without what a run leaves that a copy must not inherit, so that
    /// `start(_:copying:)` can start servers on copies of it.
    package func stop(keepingDirectoryAt destination: URL) throws {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else {
            throw SlapdError(
                "the Samba AD server on \(address) is stopped already: its directory is gone", server: "samba")
        }
        stopped = true
        instance.stop()
        SambaADInstance.removeRunLeftovers(in: directory)
        do {
            try FileManager.default.moveItem(at: directory, to: destination)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw SlapdError("cannot move \(directory.path) to \(destination.path): \(error)", server: "samba")
        }
    }

    /// samba's log file.
    package var logFile: URL { SambaADConfigFile.log(in: directory) }

    /// The `objectSid` of the account or group named `name` (its `sAMAccountName`), as text: `S-1-5-21-…`.
    package func sid(of name: String) throws -> String {
        let shown = try sambaTool(
            ["group", "show", name, "--attributes=objectSid"], what: "reading the SID of \(name)")
        guard
            let sid = shown.output.split(separator: "\n").first(where: { $0.hasPrefix("objectSid: ") })?
                .dropFirst("objectSid: ".count)
        else {
            throw SlapdError("samba-tool group show printed no objectSid: \(shown.transcript)", server: "samba")
        }
        return String(sid)
    }

    /// Adds `ace` (SDDL, such as `(OD;;WP;<attribute schemaIDGUID>;;<SID>)`) to the security descriptor of `dn`
    /// while the server runs, as an administrator does with `samba-tool dsacl set`. A deny ACE goes before the
    /// allow ACEs, so it wins over the delegation the service account inherits.
    package func addACE(_ ace: String, on dn: String) throws {
        try sambaTool(["dsacl", "set", "--objectdn=\(dn)", "--sddl=\(ace)"], what: "adding \(ace) to \(dn)")
    }

    /// samba-tool against this server over LDAP as the Administrator (NTLM, signed: AD takes no simple bind in
    /// clear), with this server's `smb.conf`; the password goes in the environment, never on the command line.
    @discardableResult
    private func sambaTool(_ arguments: [String], what: String) throws -> ToolRunner.Result {
        try ToolRunner.check(
            "/usr/bin/samba-tool",
            arguments + [
                "-H", "ldap://\(address)", "-U", "Administrator", "-s", SambaADConfigFile.path(in: directory).path,
            ], what: what, environment: ["PASSWD": adminPassword])
    }

    /// The last `lines` lines of samba's log, for a failing test's message.
    package func logTail(lines: Int = 20) -> String {
        SambaADInstance.logTail(of: logFile, lines: lines)
    }
}

/// Starts a Samba AD server, runs `body` with it, and stops it on every way out, errors included.
package func withSambaAD<T>(
    _ configuration: SambaADConfiguration = SambaADConfiguration(), isolation: isolated (any Actor)? = #isolation,
    _ body: (SambaADServer) async throws -> T
) async throws -> T {
    let server = try SambaADServer.start(configuration)
    defer { server.stop() }
    return try await body(server)
}
