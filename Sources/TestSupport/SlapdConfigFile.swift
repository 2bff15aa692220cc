import Foundation

/// The `slapd.conf` of a test server, and the LDIF it is seeded with besides the seed file.
///
/// The server is shaped like the production directories ccdirsync meets: an admin (the
/// rootdn) without limits, an ordinary service account that may write everything but is
/// subject to the size limit, and equality indexes on what ccdirsync searches by.
struct SlapdConfigFile {
    var configuration: SlapdConfiguration
    var files: SlapdFiles
    var adminDN: String
    var adminPassword: String
    var serviceDN: String
    var certificates: TestCertificates?

    /// Equality indexes on what ccdirsync searches by, as a production server has them.
    static func indexedAttributes(_ flavour: SchemaFlavour) -> [String] {
        switch flavour {
        case .exchange55: ["otherMailbox", "Target-Address", "uid"]
        case .exchange2000: ["proxyAddresses", "targetAddress", "mailNickname"]
        }
    }

    var text: String {
        var lines = [
            "# A throwaway slapd for ccdirsync's tests, made by TestSupport.SlapdServer.",
            "include /etc/ldap/schema/core.schema",
            "include \(ProjectPaths.schema(configuration.flavour).path)",
            "# No syslog: the default (stats) calls syslog(3) for every operation, and where no syslog daemon",
            "# listens (containers, CI) each call tries to reconnect to /dev/log, which then costs more than the",
            "# operation itself and would be measured in place of slapd.",
            "loglevel 0",
            "modulepath /usr/lib/ldap",
            "moduleload back_mdb",
            "pidfile \(files.pidFile.path)",
            "argsfile \(files.argsFile.path)",
            "",
            "# Everybody but the admin (rootdn, see `limits` below) gets this size limit. Paged",
            "# searches may go past it, as on Exchange and AD: size.prtotal=unlimited.",
            configuration.sizeLimit.map { "sizelimit size.soft=\($0) size.hard=\($0) size.prtotal=unlimited" }
                ?? "sizelimit unlimited",
        ]
        if let certificates {
            lines += [
                "",
                "TLSCACertificateFile \(certificates.caFile.path)",
                "TLSCertificateFile \(certificates.serverCertificate.path)",
                "TLSCertificateKeyFile \(certificates.serverKey.path)",
            ]
        }
        lines += [
            "",
            "database mdb",
            "# 4 GiB of address space; the file is sparse and only grows as entries arrive.",
            "maxsize 4294967296",
            "suffix \(Self.quoted(configuration.suffix))",
            "rootdn \(Self.quoted(adminDN))",
            "rootpw \(adminPassword)",
            "directory \(files.database.path)",
            "# A test database may be lost in a power cut; not syncing makes writes fast.",
            "dbnosync",
            "index objectClass eq",
            "index \(Self.indexedAttributes(configuration.flavour).joined(separator: ",")) eq",
            "limits dn.exact=\(Self.quoted(adminDN)) size=unlimited time=unlimited",
            "",
        ]
        if let accessControl = configuration.accessControl {
            return (lines + [accessControl, ""]).joined(separator: "\n")
        }
        lines += [
            "# The first `access to` that matches an entry/attribute decides (slapd.access(5)).",
            SlapdConfiguration.defaultAccessRules(serviceDN: serviceDN), "",
        ]
        return lines.joined(separator: "\n")
    }

    /// A DN as a double-quoted slapd.conf argument.
    static func quoted(_ dn: String) -> String {
        "\"" + dn.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// The service account: an ordinary entry with a password, so limits and ACLs apply to it.
    static func serviceEntry(dn: String, password: String) -> String {
        """
        dn: \(dn)
        objectClass: organizationalRole
        objectClass: simpleSecurityObject
        cn: ccdirsync
        description: ccdirsync's service account on a test server
        userPassword: \(password)

        """
    }

    /// The suffix entry of an otherwise empty database.
    ///
    /// `o=X` becomes an organization, `dc=x` an organization + dcObject, `ou=X` an
    /// organizationalUnit; other suffixes need their own seed LDIF.
    static func suffixEntry(_ suffix: String) throws -> String {
        let firstRDN = suffix.split(separator: ",", maxSplits: 1).first.map(String.init) ?? suffix
        let parts = firstRDN.split(separator: "=", maxSplits: 1).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard parts.count == 2, !parts[1].isEmpty, !parts[1].contains("\\"), !firstRDN.contains("+") else {
            throw SlapdError("cannot make a suffix entry for \"\(suffix)\": give a seed LDIF that contains it")
        }
        let value = parts[1]
        var lines = [ldifLine("dn", suffix)]
        switch parts[0].lowercased() {
        case "o":
            lines += ["objectClass: organization", ldifLine("o", value)]
        case "dc":
            lines += [
                "objectClass: organization", "objectClass: dcObject", ldifLine("o", value), ldifLine("dc", value),
            ]
        case "ou":
            lines += ["objectClass: organizationalUnit", ldifLine("ou", value)]
        default:
            throw SlapdError(
                "cannot make a suffix entry for \"\(suffix)\" (only o=, dc= and ou= suffixes): give a seed LDIF")
        }
        return lines.joined(separator: "\n") + "\n\n"
    }

    /// One LDIF line; base64 (`::`) unless the value is an RFC 2849 SAFE-STRING.
    static func ldifLine(_ attribute: String, _ value: String) -> String {
        let bytes = Array(value.utf8)
        let safe =
            bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
            && bytes.first.map { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: ":") && $0 != UInt8(ascii: "<") }
                ?? true
            && bytes.last != UInt8(ascii: " ")
        return safe ? "\(attribute): \(value)" : "\(attribute):: \(Data(bytes).base64EncodedString())"
    }
}
