import Foundation

/// One running samba over a prepared directory: its address, its certificates and its process.
///
/// Shared by `SambaADServer` (a copy of the template) and `SambaADTemplate` (the template while it is being
/// filled), so both start and probe samba the same way.
struct SambaADInstance {
    static let samba = "/usr/sbin/samba"
    /// AD's fixed LDAP ports: LDAP, LDAPS, global catalog and global catalog over TLS.
    static let ports = [389, 636, 3268, 3269]

    let directory: URL
    let lease: LoopbackAddressLease
    let certificates: TestCertificates
    let process: ServerProcess

    /// The environment of the ldap-utils against a samba whose CA is `caFile`: the certificate is checked, and
    /// ~/.ldaprc is not read (`LDAPNOINIT` would also drop the TLS settings).
    static func toolEnvironment(caFile: String) -> [String: String] {
        ["LDAPTLS_CACERT": caFile, "LDAPTLS_REQCERT": "demand", "LDAPRC": "ccdirsync-no-ldaprc"]
    }

    /// Why samba cannot run here, or nil when it can.
    static func missingSamba() -> String? {
        let needed = [samba, "/usr/bin/samba-tool"]
        let missing = needed.filter { !FileManager.default.isExecutableFile(atPath: $0) }
        guard !missing.isEmpty else { return nil }
        return "Samba AD is not installed (\(missing.joined(separator: ", ")) missing): `make deps` installs "
            + "samba, samba-ad-dc and samba-ad-provision (with its recommended packages)"
    }

    /// Takes a free loopback address, writes certificates and `smb.conf` into `directory`, starts samba and
    /// returns once the Administrator can bind over ldaps and read the suffix.
    static func launch(directory: URL, configuration: SambaADConfiguration, adminDN: String) throws -> SambaADInstance {
        if let missing = missingSamba() { throw SlapdError(missing, server: "samba") }
        let lease = try LoopbackAddressLease.take(ports: ports)
        do {
            let tls = directory.appendingPathComponent("tls", isDirectory: true)
            try? FileManager.default.removeItem(at: tls)
            try FileManager.default.createDirectory(at: tls, withIntermediateDirectories: true)
            let certificates = try TestCertificates.make(in: tls, address: lease.address)
            try SambaADConfigFile(
                directory: directory, configuration: configuration, address: lease.address,
                certificates: certificates
            ).write()
            let log = SambaADConfigFile.log(in: directory)
            let process = try ServerProcess.launch(
                samba, ["-i", "-M", "single", "-s", SambaADConfigFile.path(in: directory).path], log: log)
            let instance = SambaADInstance(
                directory: directory, lease: lease, certificates: certificates, process: process)
            try instance.waitUntilAnswering(configuration: configuration, adminDN: adminDN)
            return instance
        } catch {
            lease.release()
            throw error
        }
    }

    /// Stops samba and frees the address.
    func stop() {
        process.stop(timeout: 10)
        lease.release()
    }

    /// Removes what a run of samba leaves in `directory` that a copy must not inherit: the log, sockets, the TLS
    /// files of this address.
    static func removeRunLeftovers(in directory: URL) {
        for name in ["samba.log", "tls", "msg.sock", "msg.lock", "ncalrpc", "samba.pid"] {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
    }

    /// The last `lines` lines of a log file.
    static func logTail(of log: URL, lines: Int) -> String {
        guard let data = try? Data(contentsOf: log) else { return "(no log at \(log.path))" }
        let text = String(decoding: data, as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: true).suffix(lines).joined(separator: "\n")
    }

    /// Polls every 50 ms for up to 120 s (provisioned domains start in seconds, slower on a loaded machine).
    ///
    /// The probe is a real ldaps bind with this template's Administrator password and a base search of the
    /// suffix: it proves the server is ours, TLS works with our CA, and the database is readable.
    private func waitUntilAnswering(configuration: SambaADConfiguration, adminDN: String) throws {
        let seconds = 120
        let deadline = Date().addingTimeInterval(TimeInterval(seconds))
        let log = SambaADConfigFile.log(in: directory)
        var lastProbe = "no TCP connection yet"
        while Date() < deadline {
            if let status = process.exitStatus() {
                throw SlapdError(
                    "samba exited with status \(status) while starting on \(lease.address)",
                    logTail: Self.logTail(of: log, lines: 30), server: "samba")
            }
            if Loopback.isOpen(host: lease.host, port: 636) {
                let arguments = [
                    "-x", "-H", "ldaps://\(lease.address)", "-D", adminDN, "-y",
                    SambaADTemplate.adminPasswordFile(in: directory).path, "-o", "nettimeout=5", "-LLL",
                    "-s", "base", "-b", configuration.suffix, "1.1",
                ]
                do {
                    let probe = try ToolRunner.run(
                        "/usr/bin/ldapsearch", arguments,
                        environment: Self.toolEnvironment(caFile: certificates.caFile.path), timeout: 20)
                    if probe.status == 0 { return }
                    lastProbe = "ldapsearch exit \(probe.status): \(probe.transcript)"
                } catch {
                    lastProbe = "\(error)"
                }
            }
            usleep(50_000)
        }
        process.stop(timeout: 5)
        throw SlapdError(
            "samba did not answer on ldaps://\(lease.address) within \(seconds) s; last probe: \(lastProbe)",
            logTail: Self.logTail(of: log, lines: 30), server: "samba")
    }
}
