import Foundation

/// A real OpenLDAP slapd on a free 127.0.0.1 port, for tests, the demo and the benchmark.
///
/// Each server gets a fresh temporary directory (configuration, database, certificates, log),
/// core.schema plus one Exchange schema flavour, and a database loaded offline with
/// `slapadd -q` before slapd starts, which is fast enough for a benchmark's hundreds of
/// thousands of entries. Two identities are set up:
///
/// - the admin (`adminDN`, the rootdn): no limits, no access control;
/// - the service account (`serviceDN`): an ordinary entry that may write everything, reads
///   under the global size limit, and is what ccdirsync binds as in production.
///
/// `stop()` ends slapd and removes the directory; `deinit` and `withSlapd` call it too. If the
/// test process dies without stopping, slapd still goes away (see `ServerProcess`). Servers
/// share nothing, so parallel tests each start their own.
package final class SlapdServer: @unchecked Sendable {
    /// What this server was made from.
    package let configuration: SlapdConfiguration
    /// `ldap://127.0.0.1:<port>` (StartTLS works on it when the configuration has `tls`).
    package let url: String
    /// The plain-LDAP port.
    package let port: Int
    /// `ldaps://127.0.0.1:<port>` when the configuration has `tls`.
    package let ldapsURL: String?
    /// PEM of the test CA that signed the server certificate (`tls` only).
    package let caFile: String?
    /// PEM of a second CA that did not sign it, for "unknown CA" tests (`tls` only).
    package let untrustedCAFile: String?
    /// The database suffix.
    package let suffix: String
    /// The rootdn, `cn=admin,<suffix>`: no limits, no access control.
    package let adminDN: String
    /// The admin's password, random per server.
    package let adminPassword: String
    /// A file holding `adminPassword` (mode 0600, no newline), for tools' `-y` options.
    package let adminPasswordFile: String
    /// The service account, `cn=ccdirsync,<suffix>`: writes everything, within the size limit.
    package let serviceDN: String
    /// The service account's password, random per server.
    package let servicePassword: String
    /// A file holding `servicePassword` (mode 0600, no newline), for `--password-file` style options.
    package let servicePasswordFile: String
    /// The temporary directory: configuration, database, certificates, log. Gone after `stop()`.
    package let directory: URL

    private let files: SlapdFiles
    private var process: ServerProcess
    private let listenerURLs: [String]
    private let lock = NSLock()
    private var stopped = false

    private init(
        configuration: SlapdConfiguration, files: SlapdFiles, identities: Identities, listeners: Listeners,
        certificates: TestCertificates?, process: ServerProcess
    ) {
        self.configuration = configuration
        self.url = listeners.url
        self.port = listeners.port
        self.ldapsURL = listeners.ldapsURL
        self.caFile = certificates?.caFile.path
        self.untrustedCAFile = certificates?.untrustedCAFile.path
        self.suffix = configuration.suffix
        self.adminDN = identities.adminDN
        self.adminPassword = identities.adminPassword
        self.adminPasswordFile = files.adminPasswordFile.path
        self.serviceDN = identities.serviceDN
        self.servicePassword = identities.servicePassword
        self.servicePasswordFile = files.servicePasswordFile.path
        self.directory = files.directory
        self.files = files
        self.process = process
        self.listenerURLs = listeners.urls
    }

    deinit {
        stop()
    }

    /// Makes the directory, loads the seed, starts slapd and returns once it answers.
    ///
    /// Throws `SlapdError` with the failing step, the tool's output and the tail of slapd's log;
    /// nothing is left behind on failure.
    package static func start(_ configuration: SlapdConfiguration) throws -> SlapdServer {
        if let limit = configuration.sizeLimit, limit < 1 {
            throw SlapdError("sizeLimit must be at least 1 (nil means unlimited), not \(limit)")
        }
        let files = try SlapdFiles.create()
        do {
            return try start(configuration, in: files)
        } catch {
            try? FileManager.default.removeItem(at: files.directory)
            throw error
        }
    }

    /// Stops slapd (SIGTERM, SIGKILL after 5 s), waits for it and removes the directory.
    ///
    /// Idempotent and safe to call from several threads; returns once the port is closed.
    package func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        process.stop(timeout: 5)
        try? FileManager.default.removeItem(at: directory)
    }

    /// Stops slapd and copies its database folder to `folder`, for `Seed.database`; the server stays stopped.
    package func copyDatabase(to folder: URL) throws {
        kill()
        try? FileManager.default.removeItem(at: folder)
        try ToolRunner.check(
            "/bin/cp", ["--sparse=always", "-R", files.database.path, folder.path],
            what: "copying the database to \(folder.path)", timeout: 3600)
    }

    /// Stops slapd (the directory and its database stay), for tests of a server that goes away.
    package func kill() {
        lock.lock()
        defer { lock.unlock() }
        process.stop(timeout: 5)
    }

    /// Starts slapd again on the same ports and database after `kill()`, and returns once it answers.
    package func restart() throws {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else {
            throw SlapdError("the server was stopped for good")
        }
        let relaunched = try ServerProcess.launch(
            Self.slapd, Self.slapdArguments(files: files, urls: listenerURLs), log: files.log)
        for _ in 0..<500 {
            if Loopback.isOpen(port: port) {
                process = relaunched
                return
            }
            usleep(20_000)
        }
        relaunched.stop(timeout: 2)
        throw SlapdError("slapd did not restart on \(url)", logTail: files.logTail())
    }

    /// slapd's log file: errors and start/stop messages (`-d none`).
    package var logFile: URL { files.log }

    /// The last `lines` lines of slapd's log, for a failing test's message.
    package func logTail(lines: Int = 20) -> String {
        files.logTail(lines: lines)
    }

    // MARK: - Starting

    private struct Identities {
        var adminDN: String
        var adminPassword: String
        var serviceDN: String
        var servicePassword: String
    }

    private struct Listeners {
        var port: Int
        var tlsPort: Int?
        var url: String { "ldap://127.0.0.1:\(port)" }
        var ldapsURL: String? { tlsPort.map { "ldaps://127.0.0.1:\($0)" } }
        /// slapd's `-h` argument.
        var urls: [String] { [url + "/"] + (ldapsURL.map { [$0 + "/"] } ?? []) }
    }

    private static func start(_ configuration: SlapdConfiguration, in files: SlapdFiles) throws -> SlapdServer {
        let schema = ProjectPaths.schema(configuration.flavour)
        guard FileManager.default.fileExists(atPath: schema.path) else {
            throw SlapdError(
                "schema \(schema.path) not found (ProjectPaths.root \(ProjectPaths.root.path) comes from #filePath)")
        }
        let identities = Identities(
            adminDN: "cn=admin,\(configuration.suffix)", adminPassword: SlapdFiles.randomPassword(),
            serviceDN: "cn=ccdirsync,\(configuration.suffix)", servicePassword: SlapdFiles.randomPassword())
        try SlapdFiles.writeSecret(identities.adminPassword, to: files.adminPasswordFile)
        try SlapdFiles.writeSecret(identities.servicePassword, to: files.servicePasswordFile)
        let certificates = configuration.tls ? try TestCertificates.make(in: files.directory) : nil
        let config = SlapdConfigFile(
            configuration: configuration, files: files, adminDN: identities.adminDN,
            adminPassword: identities.adminPassword, serviceDN: identities.serviceDN, certificates: certificates)
        do {
            try Data(config.text.utf8).write(to: files.config)
        } catch {
            throw SlapdError("cannot write \(files.config.path): \(error)")
        }
        try load(configuration, files: files, identities: identities)
        let (listeners, process) = try launch(configuration, files: files, adminDN: identities.adminDN)
        return SlapdServer(
            configuration: configuration, files: files, identities: identities, listeners: listeners,
            certificates: certificates, process: process)
    }

    /// Loads the seed, then the service account, with `slapadd -q` while slapd is not running.
    private static func load(_ configuration: SlapdConfiguration, files: SlapdFiles, identities: Identities) throws {
        let seed: URL
        switch configuration.seed {
        case .fixture:
            guard configuration.suffix == configuration.flavour.defaultSuffix else {
                throw SlapdError(
                    "the \(configuration.flavour) fixture lives under \(configuration.flavour.defaultSuffix), "
                        + "not \(configuration.suffix): use seed .suffixOnly or .ldif for another suffix")
            }
            seed = ProjectPaths.seedLDIF(configuration.flavour)
        case .ldif(let url):
            seed = url
        case .suffixOnly:
            seed = files.directory.appendingPathComponent("suffix.ldif")
            try Data(SlapdConfigFile.suffixEntry(configuration.suffix).utf8).write(to: seed)
        case .database(let folder):
            // LMDB's data file is as large as its map size and mostly holes: copy it sparse.
            try ToolRunner.check(
                "/bin/cp", ["--sparse=always", "-R", folder.path + "/.", files.database.path],
                what: "copying the database \(folder.path)", timeout: 3600)
            return
        }
        guard FileManager.default.fileExists(atPath: seed.path) else {
            throw SlapdError("seed LDIF \(seed.path) not found")
        }
        try slapadd(seed, files: files, what: "loading the seed \(seed.path)")

        // The service entry carries the password in clear: only briefly on disk, and 0600.
        let service = files.directory.appendingPathComponent("service.ldif")
        try SlapdFiles.writeSecret(
            SlapdConfigFile.serviceEntry(dn: identities.serviceDN, password: identities.servicePassword), to: service)
        defer { try? FileManager.default.removeItem(at: service) }
        try slapadd(service, files: files, what: "adding the service account \(identities.serviceDN)")
    }

    private static func slapadd(_ ldif: URL, files: SlapdFiles, what: String) throws {
        // Big benchmark seeds take a while; an hour is a hang, not a load.
        try ToolRunner.check(
            "/usr/sbin/slapadd", ["-q", "-f", files.config.path, "-l", ldif.path], what: what, timeout: 3600)
    }

    private static let slapd = "/usr/sbin/slapd"

    /// slapd in the foreground (`-d none`: only errors and its start and stop, on stderr), listening on `urls`.
    private static func slapdArguments(files: SlapdFiles, urls: [String]) -> [String] {
        ["-f", files.config.path, "-h", urls.joined(separator: " "), "-d", "none"]
    }

    /// Starts slapd on free ports, retrying with new ports when one was taken meanwhile.
    private static func launch(
        _ configuration: SlapdConfiguration, files: SlapdFiles, adminDN: String
    ) throws -> (Listeners, ServerProcess) {
        let attempts = 5
        for attempt in 1...attempts {
            let port = try Loopback.freePort()
            var tlsPort: Int?
            while configuration.tls && (tlsPort == nil || tlsPort == port) { tlsPort = try Loopback.freePort() }
            let listeners = Listeners(port: port, tlsPort: tlsPort)
            let logStart = files.logSize()
            let process = try ServerProcess.launch(
                slapd, slapdArguments(files: files, urls: listeners.urls), log: files.log)
            switch waitUntilAnswering(process, listeners: listeners, adminDN: adminDN, files: files) {
            case .ready:
                return (listeners, process)
            case .exited(let status):
                let log = files.log(from: logStart)
                if attempt < attempts && log.contains("Address already in use") { continue }
                throw SlapdError(
                    "slapd exited with status \(status) while starting on \(listeners.urls.joined(separator: " "))"
                        + " (attempt \(attempt) of \(attempts))", logTail: files.logTail())
            case .timedOut(let seconds, let lastProbe):
                process.stop(timeout: 2)
                throw SlapdError(
                    "slapd did not answer on \(listeners.url) within \(seconds) s; last probe: \(lastProbe)",
                    logTail: files.logTail())
            }
        }
        throw SlapdError("slapd could not get a free port in \(attempts) attempts", logTail: files.logTail())
    }

    private enum StartOutcome {
        case ready
        case exited(Int32)
        case timedOut(seconds: Int, lastProbe: String)
    }

    /// Polls every 20 ms for up to 10 s: the ports accept connections and our admin can bind.
    ///
    /// The bind (`ldapwhoami` with this server's random admin password) proves that the slapd
    /// answering is ours, not another test's that happened to take the same port.
    private static func waitUntilAnswering(
        _ process: ServerProcess, listeners: Listeners, adminDN: String, files: SlapdFiles
    ) -> StartOutcome {
        let seconds = 10
        let deadline = Date().addingTimeInterval(TimeInterval(seconds))
        var lastProbe = "no TCP connection yet"
        while Date() < deadline {
            if let status = process.exitStatus() { return .exited(status) }
            if Loopback.isOpen(port: listeners.port) && (listeners.tlsPort.map { Loopback.isOpen(port: $0) } ?? true) {
                let arguments = [
                    "-x", "-H", listeners.url, "-D", adminDN, "-y", files.adminPasswordFile.path,
                    "-o", "nettimeout=5",
                ]
                do {
                    let probe = try ToolRunner.run(
                        "/usr/bin/ldapwhoami", arguments, environment: ToolRunner.ldapEnvironment, timeout: 10)
                    if probe.status == 0 { return .ready }
                    lastProbe = "ldapwhoami exit \(probe.status): \(probe.transcript)"
                } catch {
                    lastProbe = "\(error)"
                }
            }
            usleep(20_000)
        }
        return .timedOut(seconds: seconds, lastProbe: lastProbe)
    }
}

/// Starts a server, runs `body` with it, and stops it on every way out, errors included.
///
/// `isolation` keeps `body` on the caller's actor, so it may use the caller's non-Sendable state.
package func withSlapd<T>(
    _ configuration: SlapdConfiguration, isolation: isolated (any Actor)? = #isolation,
    _ body: (SlapdServer) async throws -> T
) async throws -> T {
    let server = try SlapdServer.start(configuration)
    defer { server.stop() }
    return try await body(server)
}
