import Foundation

/// The `slapd.conf` of a test server.
struct SlapdConfigFile {
    var configuration: SlapdConfiguration
    var directory: URL
    var adminPassword: String
    var serviceDN: String
    var certificates: TestCertificates?

    /// Equality indexes on what ccdirsync searches by, as a production server would have them.
    private var indexes: [String] {
        switch configuration.flavour {
        case .exchange55: ["otherMailbox", "Target-Address", "uid", "mail"]
        case .exchange2000: ["proxyAddresses", "targetAddress", "mailNickname", "mail"]
        }
    }

    var text: String {
        let suffix = configuration.suffix
        let size =
            configuration.sizeLimit.map { "sizelimit size.soft=\($0) size.hard=\($0) size.prtotal=unlimited" }
            ?? "sizelimit unlimited"
        var lines = [
            "include /etc/ldap/schema/core.schema",
            "include \(ProjectPaths.schema(configuration.flavour).path)",
            "modulepath /usr/lib/ldap",
            "moduleload back_mdb",
            "pidfile \(directory.appendingPathComponent("slapd.pid").path)",
            "argsfile \(directory.appendingPathComponent("slapd.args").path)",
        ]
        if let certificates {
            lines += [
                "TLSCACertificateFile \(certificates.caFile.path)",
                "TLSCertificateFile \(certificates.serverCertificate.path)",
                "TLSCertificateKeyFile \(certificates.serverKey.path)",
            ]
        }
        lines += [
            "",
            "database mdb",
            "maxsize 4294967296",
            "suffix \"\(suffix)\"",
            "rootdn \"\(SlapdServer.adminDN(suffix))\"",
            "rootpw \(adminPassword)",
            "directory \(directory.appendingPathComponent("db").path)",
            "dbnosync",
            size,
            "limits dn.exact=\"\(SlapdServer.adminDN(suffix))\" size=unlimited time=unlimited",
            "index objectClass eq",
            "index \(indexes.joined(separator: ",")) eq",
            "access to attrs=userPassword",
            "    by self read",
            "    by anonymous auth",
            "    by * none",
            "access to *",
            "    by dn.exact=\"\(serviceDN)\" write",
            "    by users read",
            "    by * none",
            "",
        ]
        return lines.joined(separator: "\n")
    }
}
