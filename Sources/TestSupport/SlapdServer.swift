import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real OpenLDAP slapd on a free 127.0.0.1 port, with one Exchange schema flavour, in a
/// fresh temporary directory; for tests, the demo and the benchmark.
///
/// The database is loaded offline with `slapadd -q` before the server starts (fast enough for
/// a million entries), then slapd runs in the foreground as our child. `stop()` (also called
/// from `deinit` and by `withSlapd` on every exit path) kills it and removes the directory.
///
/// If the test process itself dies (a crash, a `kill -9`), a watchdog shell that started
/// slapd notices within half a second that its parent is gone and kills slapd, so no server
/// outlives the run.
public final class SlapdServer: @unchecked Sendable {
    public let configuration: SlapdConfiguration
    /// `ldap://127.0.0.1:<port>`.
    public let url: String
    /// `ldaps://127.0.0.1:<port>` when the configuration asks for TLS.
    public let ldapsURL: String?
    /// PEM of the CA that signed the server certificate (TLS only).
    public let caFile: String?
    /// PEM of a CA that did not sign it, for "unknown CA" tests (TLS only).
    public let untrustedCAFile: String?
    public let suffix: String
    /// The rootdn: no limits, no access control.
    public let adminDN: String
    public let adminPassword: String
    /// An ordinary entry with write access to the tree and the global size limit, like the
    /// service account ccdirsync binds as in production.
    public let serviceDN: String
    public let servicePassword: String
    /// The temporary directory: configuration, database, certificates, log.
    public let directory: URL

    private let watchdog: Process
    private let lock = NSLock()
    private var stopped = false

    private init(
        configuration: SlapdConfiguration, url: String, ldapsURL: String?, certificates: TestCertificates?,
        adminPassword: String, servicePassword: String, directory: URL, watchdog: Process
    ) {
        self.configuration = configuration
        self.url = url
        self.ldapsURL = ldapsURL
        self.caFile = certificates?.caFile.path
        self.untrustedCAFile = certificates?.untrustedCAFile.path
        self.suffix = configuration.suffix
        self.adminDN = Self.adminDN(configuration.suffix)
        self.adminPassword = adminPassword
        self.serviceDN = Self.serviceDN(configuration.suffix)
        self.servicePassword = servicePassword
        self.directory = directory
        self.watchdog = watchdog
    }

    deinit {
        stop()
    }

    static func adminDN(_ suffix: String) -> String { "cn=admin,\(suffix)" }
    static func serviceDN(_ suffix: String) -> String { "cn=ccdirsync,\(suffix)" }

    /// Creates the directory, loads the seed, starts slapd and waits until it answers.
    public static func start(_ configuration: SlapdConfiguration) throws -> SlapdServer {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ccdirsync-slapd-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("db"), withIntermediateDirectories: true)
        do {
            return try start(configuration, in: directory)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    private static func start(_ configuration: SlapdConfiguration, in directory: URL) throws -> SlapdServer {
        let adminPassword = "admin-\(UUID().uuidString)"
        let servicePassword = "service-\(UUID().uuidString)"
        let certificates = configuration.tls ? try TestCertificates.make(in: directory) : nil
        let conf = directory.appendingPathComponent("slapd.conf")
        try Data(
            SlapdConfigFile(
                configuration: configuration, directory: directory, adminPassword: adminPassword,
                serviceDN: serviceDN(configuration.suffix), certificates: certificates
            ).text.utf8
        ).write(to: conf)
        try writeSecret(adminPassword, to: directory.appendingPathComponent("admin.pw"))
        try load(configuration, conf: conf, servicePassword: servicePassword, directory: directory)

        var lastFailure = "slapd did not start"
        for _ in 0..<5 {
            let port = try freePort()
            let tlsPort = configuration.tls ? try freePort() : nil
            let url = "ldap://127.0.0.1:\(port)"
            let ldapsURL = tlsPort.map { "ldaps://127.0.0.1:\($0)" }
            let watchdog = try launch(conf: conf, urls: [url] + (ldapsURL.map { [$0] } ?? []), directory: directory)
            if waitUntilAnswering(url, watchdog: watchdog) {
                return SlapdServer(
                    configuration: configuration, url: url, ldapsURL: ldapsURL, certificates: certificates,
                    adminPassword: adminPassword, servicePassword: servicePassword, directory: directory,
                    watchdog: watchdog)
            }
            terminate(watchdog, directory: directory)
            lastFailure = "slapd did not answer on \(url); log:\n\(logTail(directory))"
        }
        throw SlapdError(lastFailure)
    }

    /// Loads the seed and the service account with slapadd, before the server runs.
    private static func load(
        _ configuration: SlapdConfiguration, conf: URL, servicePassword: String, directory: URL
    ) throws {
        let seed: URL
        switch configuration.seed {
        case .fixture: seed = ProjectPaths.seedLDIF(configuration.flavour)
        case .ldif(let url): seed = url
        case .suffixOnly:
            seed = directory.appendingPathComponent("suffix.ldif")
            try Data(suffixEntry(configuration.suffix).utf8).write(to: seed)
        }
        let service = directory.appendingPathComponent("service.ldif")
        try Data(
            """
            dn: \(serviceDN(configuration.suffix))
            objectClass: organizationalRole
            objectClass: simpleSecurityObject
            cn: ccdirsync
            userPassword: \(servicePassword)

            """.utf8
        ).write(to: service)
        for ldif in [seed, service] {
            try ProcessRunner.check(
                "/usr/sbin/slapadd", ["-q", "-f", conf.path, "-l", ldif.path], what: "slapadd of \(ldif.path)")
        }
    }

    /// The suffix entry for a database that starts empty.
    static func suffixEntry(_ suffix: String) -> String {
        let first = suffix.split(separator: ",").first.map(String.init) ?? suffix
        let parts = first.split(separator: "=", maxSplits: 1).map(String.init)
        let (type, value) = (parts.first?.lowercased() ?? "o", parts.count > 1 ? parts[1] : first)
        switch type {
        case "dc":
            return "dn: \(suffix)\nobjectClass: organization\nobjectClass: dcObject\no: \(value)\ndc: \(value)\n\n"
        case "ou":
            return "dn: \(suffix)\nobjectClass: organizationalUnit\nou: \(value)\n\n"
        default:
            return "dn: \(suffix)\nobjectClass: organization\no: \(value)\n\n"
        }
    }

    /// Starts slapd under a watchdog shell (see the type's documentation).
    private static func launch(conf: URL, urls: [String], directory: URL) throws -> Process {
        let log = directory.appendingPathComponent("slapd.log").path
        let parent = getpid()
        let script = """
            /usr/sbin/slapd -f "$1" -h "$2" -d 0 </dev/null >>"$3" 2>&1 &
            s=$!
            while kill -0 \(parent) 2>/dev/null && kill -0 $s 2>/dev/null; do sleep 0.5; done
            kill -9 $s 2>/dev/null
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, "slapd-watchdog", conf.path, urls.joined(separator: " "), log]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Polls with a root DSE read every 50 ms for up to 10 s.
    private static func waitUntilAnswering(_ url: String, watchdog: Process) -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            guard watchdog.isRunning else { return false }
            let probe = try? ProcessRunner.run(
                "/usr/bin/ldapsearch", ["-x", "-H", url, "-b", "", "-s", "base", "-LLL", "1.1"])
            if probe?.status == 0 { return true }
            usleep(50_000)
        }
        return false
    }

    /// Stops slapd (SIGTERM through the watchdog, SIGKILL if it lingers) and removes the
    /// directory. Safe to call more than once.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        Self.terminate(watchdog, directory: directory)
        try? FileManager.default.removeItem(at: directory)
    }

    /// Kills slapd and its watchdog.
    ///
    /// SIGKILL, not SIGTERM: a slapd started from the Swift test runner inherits a signal mask
    /// with SIGTERM blocked in all its threads and would never see a polite request. Nothing
    /// is lost: the database is thrown away (or, for the benchmark, was written before).
    private static func terminate(_ watchdog: Process, directory: URL) {
        let slapdPID = (try? String(contentsOf: directory.appendingPathComponent("slapd.pid"), encoding: .utf8))
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        if let slapdPID { kill(slapdPID, SIGKILL) }
        if watchdog.isRunning { kill(watchdog.processIdentifier, SIGKILL) }
        let deadline = Date().addingTimeInterval(5)
        while watchdog.isRunning && Date() < deadline { usleep(10_000) }
        if let slapdPID { waitUntilGone(slapdPID, deadline: deadline) }
    }

    /// Waits until a process has exited (a zombie awaiting its reaper counts as exited).
    private static func waitUntilGone(_ pid: Int32, deadline: Date) {
        while Date() < deadline {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let state = stat.split(separator: ")").last?.split(separator: " ").first,
                state != "Z"
            else { return }
            usleep(10_000)
        }
    }

    static func logTail(_ directory: URL, lines: Int = 20) -> String {
        guard let text = try? String(contentsOf: directory.appendingPathComponent("slapd.log"), encoding: .utf8)
        else { return "(no log)" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    /// A port the kernel just handed out and released; slapd binds it a moment later (a
    /// collision is possible but rare, and `start` retries with another port).
    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SlapdError("socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw SlapdError("bind() failed: errno \(errno)") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw SlapdError("getsockname() failed: errno \(errno)") }
        return UInt16(bigEndian: address.sin_port)
    }

    /// Writes a secret for the ldap-utils' `-y` option: mode 0600, no trailing newline.
    static func writeSecret(_ secret: String, to url: URL) throws {
        guard
            FileManager.default.createFile(
                atPath: url.path, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600])
        else { throw SlapdError("cannot write \(url.path)") }
    }
}

/// Starts a server, runs `body`, and stops the server on every path out, errors included.
public func withSlapd<T>(
    _ configuration: SlapdConfiguration, _ body: (SlapdServer) async throws -> T
) async throws -> T {
    let server = try SlapdServer.start(configuration)
    defer { server.stop() }
    return try await body(server)
}
