import Foundation
import LDAPClient

extension TestDirectoryServer {
    /// A connection to `clientURL`, not bound: plain LDAP on slapd, ldaps with the test CA on Samba AD (which
    /// refuses a simple bind in clear).
    package func openConnection() throws -> LDAPConnection {
        _ = sigpipeIgnored
        let caFile = clientURL.hasPrefix("ldaps://") ? tls?.caFile : nil
        return try LDAPConnection.open(ConnectionOptions(url: clientURL, caFile: caFile))
    }

    /// A connection to `clientURL` bound as `dn`.
    package func connection(_ dn: String, _ password: String) throws -> LDAPConnection {
        let connection = try openConnection()
        try connection.bind(dn: dn, password: Password(password))
        return connection
    }

    /// A connection bound as the ordinary service account (subject to the size limit).
    package func serviceConnection() throws -> LDAPConnection {
        try connection(serviceDN, servicePassword)
    }

    /// A connection bound as the admin (slapd's rootdn, AD's Administrator: no limits).
    package func adminConnection() throws -> LDAPConnection {
        try connection(adminDN, adminPassword)
    }
}

/// SIGPIPE ignored in the test process, as `ccdirsync` ignores it (`CCDirSync.main`): a test that stops its server
/// under an open connection (over TLS to Samba AD, a write on the lost connection raised it in every run tried)
/// gets the write's failure instead of the whole test process killed.
private let sigpipeIgnored: Void = {
    signal(SIGPIPE, SIG_IGN)
}()
