import LDAPClient
import TestSupport

extension TestDirectoryServer {
    /// A connection to `clientURL` bound as the admin: plain LDAP on slapd, ldaps with the test CA on Samba AD
    /// (which refuses a simple bind in clear).
    func adminConnection() throws -> LDAPConnection {
        let caFile = clientURL.hasPrefix("ldaps://") ? tls?.caFile : nil
        let connection = try LDAPConnection.open(ConnectionOptions(url: clientURL, caFile: caFile))
        try connection.bind(dn: adminDN, password: Password(adminPassword))
        return connection
    }
}
