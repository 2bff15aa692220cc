import Foundation

/// The `smb.conf` of a test domain controller: every path inside its own directory, only the LDAP service, on one
/// loopback address and bound to it alone.
///
/// Written fresh for each copy of the template (so no path points into the template or another copy), and for
/// the template while it is being prepared.
struct SambaADConfigFile {
    /// The domain controller's directory (`private/`, `state/`, … inside it).
    var directory: URL
    var configuration: SambaADConfiguration
    /// The address the server listens on, `127.0.0.N`.
    var address: String
    /// The TLS key, certificate (for `address`) and CA.
    var certificates: TestCertificates

    /// The domain controller's host name, given to provisioning, and its NetBIOS name (15 characters at most).
    static let hostName = "ccdirsync-dc"
    static let netbiosName = "CCDIRSYNC-DC"

    /// `etc/smb.conf` inside `directory`.
    static func path(in directory: URL) -> URL {
        directory.appendingPathComponent("etc", isDirectory: true).appendingPathComponent("smb.conf")
    }

    /// The server's log file inside `directory`.
    static func log(in directory: URL) -> URL {
        directory.appendingPathComponent("samba.log")
    }

    var text: String {
        let root = directory.path
        let lines = [
            "[global]",
            "netbios name = \(SambaADConfigFile.netbiosName)",
            "workgroup = \(configuration.domain)",
            "realm = \(configuration.realm)",
            "server role = active directory domain controller",
            // The LDAP server alone; the rest of a DC (SMB, Kerberos, RPC, DNS…) is not needed to read and write.
            "server services = ldap",
            // A bare address matches no interface; with a netmask it is bound exactly.
            "interfaces = \(address)/8",
            "bind interfaces only = yes",
            "private dir = \(root)/private",
            "lock directory = \(root)",
            "state directory = \(root)/state",
            "cache directory = \(root)/cache",
            "pid directory = \(root)",
            "binddns dir = \(root)/bind-dns",
            "ncalrpc dir = \(root)/ncalrpc",
            "winbindd socket directory = \(root)/winbindd",
            "ntp signd socket directory = \(root)/ntp_signd",
            "log file = \(SambaADConfigFile.log(in: directory).path)",
            "logging = file",
            "log level = 1",
            // Schema changes over LDAP (the Exchange extension) are refused without this.
            "dsdb:schema update allowed = true",
            // No fsync of the database: a test domain is thrown away, and fsync is most of a write's time.
            "ldb:nosync = true",
            // AD refuses a simple bind without TLS (strongerAuthRequired): ldaps and StartTLS with our certificate.
            "tls enabled = yes",
            "tls keyfile = \(certificates.serverKey.path)",
            "tls certfile = \(certificates.serverCertificate.path)",
            "tls cafile = \(certificates.caFile.path)",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes `text` to `etc/smb.conf`.
    func write() throws {
        let url = SambaADConfigFile.path(in: directory)
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        } catch {
            throw SlapdError("cannot write \(url.path): \(error)", server: "samba")
        }
    }
}
