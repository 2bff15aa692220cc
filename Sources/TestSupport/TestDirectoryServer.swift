import Foundation

/// A real directory server a test starts on loopback: OpenLDAP's slapd or Samba's Active Directory.
///
/// What a test needs from either, so one test body runs against both (see `TestServerKind`): where ccdirsync
/// connects and how it checks TLS, the admin and service identities, and where OpenLDAP's command-line tools
/// reach the server as the admin (`TestDirectoryServer+Tools`).
package protocol TestDirectoryServer: AnyObject, Sendable {
    /// Which kind of server.
    var kind: TestServerKind { get }
    /// `ldap://` on the server's address: StartTLS when the server has TLS (and, on slapd, binds in clear).
    var url: String { get }
    /// Where ldaps answers and the CA files a client needs; nil for a slapd started without TLS.
    var tls: TestServerTLS? { get }
    /// The URL a ccdirsync configuration uses (plain LDAP on slapd; ldaps on AD, which refuses a clear bind).
    var clientURL: String { get }
    /// The `ldap.tls` mapping (YAML flow style) a ccdirsync configuration uses with `clientURL`.
    var clientTLS: String { get }
    /// The naming context the fixture lives in.
    var suffix: String { get }
    /// The administrator: every right.
    var adminDN: String { get }
    var adminPassword: String { get }
    /// A file holding `adminPassword` (mode 0600, no newline).
    var adminPasswordFile: String { get }
    /// The service account ccdirsync binds as, with the rights docs/SECURITY.md describes.
    var serviceDN: String { get }
    var servicePassword: String { get }
    /// A file holding `servicePassword` (mode 0600, no newline).
    var servicePasswordFile: String { get }
    /// The server's temporary directory; gone after `stop()`.
    var directory: URL { get }
    /// Where OpenLDAP's tools reach the server as the admin.
    var toolURL: String { get }
    /// The environment of OpenLDAP's tools for `toolURL`.
    var toolEnvironment: [String: String] { get }
    /// The entries `userDump` shows.
    var dumpFilter: String { get }
    /// Attributes the server assigns itself, which `userDump` leaves out besides `userPassword`.
    var dumpIgnoredAttributes: [String] { get }
    /// Stops the server and removes its directory. Idempotent.
    func stop()
}

/// The TLS side of a test server.
package struct TestServerTLS: Sendable {
    /// `ldaps://…`.
    package var ldapsURL: String
    /// PEM of the test CA that signed the server certificate.
    package var caFile: String
    /// PEM of a second CA that did not sign it.
    package var untrustedCAFile: String
}

extension SlapdServer: TestDirectoryServer {
    package var kind: TestServerKind { .slapd }
    package var tls: TestServerTLS? {
        guard let ldapsURL, let caFile, let untrustedCAFile else { return nil }
        return TestServerTLS(ldapsURL: ldapsURL, caFile: caFile, untrustedCAFile: untrustedCAFile)
    }
    package var clientURL: String { url }
    package var clientTLS: String { "{mode: none}" }
    package var toolURL: String { url }
    package var toolEnvironment: [String: String] { ToolRunner.ldapEnvironment }
    package var dumpFilter: String { "(objectClass=*)" }
    package var dumpIgnoredAttributes: [String] { [] }
}

extension SambaADServer: TestDirectoryServer {
    package var kind: TestServerKind { .sambaAD }
    package var tls: TestServerTLS? {
        TestServerTLS(ldapsURL: ldapsURL, caFile: caFile, untrustedCAFile: untrustedCAFile)
    }
    package var clientURL: String { ldapsURL }
    package var clientTLS: String { "{mode: ldaps, caFile: \"\(caFile)\"}" }
    package var toolURL: String { ldapsURL }
    package var toolEnvironment: [String: String] { SambaADInstance.toolEnvironment(caFile: caFile) }
    /// What ccdirsync reads or writes and the containers of the fixture: the rest of a domain (its built-in
    /// accounts, groups, policies) changes by itself, for example an account's last logon at each bind.
    package var dumpFilter: String {
        "(|(objectClass=contact)(objectClass=organizationalUnit)(mailNickname=*)(proxyAddresses=*))"
    }
    package var dumpIgnoredAttributes: [String] {
        [
            "objectGUID", "objectSid", "whenCreated", "whenChanged", "uSNCreated", "uSNChanged", "instanceType",
            "objectCategory", "distinguishedName", "name", "dSCorePropagationData", "sAMAccountName",
            "sAMAccountType", "userAccountControl", "pwdLastSet", "accountExpires", "primaryGroupID",
            "badPasswordTime", "badPwdCount", "codePage", "countryCode", "lastLogoff", "lastLogon", "logonCount",
            "lastLogonTimestamp",
        ]
    }
}
