import Foundation
import LDAPClient
import LDAPModel
import TestSupport

extension TestDirectoryServer {
    /// A connection to `clientURL`, not bound: plain LDAP on slapd, ldaps with the test CA on Samba AD (which
    /// refuses a simple bind in clear).
    func openConnection() throws -> LDAPConnection {
        _ = sigpipeIgnored
        let caFile = clientURL.hasPrefix("ldaps://") ? tls?.caFile : nil
        return try LDAPConnection.open(ConnectionOptions(url: clientURL, caFile: caFile))
    }

    /// A connection to `clientURL` bound as `dn`.
    func connection(_ dn: String, _ password: String) throws -> LDAPConnection {
        let connection = try openConnection()
        try connection.bind(dn: dn, password: Password(password))
        return connection
    }

    /// A connection bound as the ordinary service account (subject to the size limit).
    func serviceConnection() throws -> LDAPConnection {
        try connection(serviceDN, servicePassword)
    }

    /// A connection bound as the admin (slapd's rootdn, AD's Administrator: no limits).
    func adminConnection() throws -> LDAPConnection {
        try connection(adminDN, adminPassword)
    }

    var suffixDN: DistinguishedName {
        get throws { try DistinguishedName(parsing: suffix) }
    }

    /// The structural class of the plain entries a test makes: slapd's `person`; AD instantiates no `person`, its
    /// nearest is `contact` (which takes `cn`, `sn` and a multi-valued `description` alike).
    var personClass: String {
        kind == .sambaAD ? "contact" : "person"
    }
}

/// SIGPIPE ignored in the test process, as `ccdirsync` ignores it (`CCDirSync.main`): a test that stops its server
/// under an open connection (over TLS to Samba AD, a write on the lost connection raised it in every run tried)
/// gets the write's failure instead of the whole test process killed.
private let sigpipeIgnored: Void = {
    signal(SIGPIPE, SIG_IGN)
}()

/// Each flavour's fixture on every server that holds it: exchange55 on slapd, exchange2000 on slapd and Samba AD.
let fixtureServers: [(SchemaFlavour, TestServerKind)] = SchemaFlavour.allCases.flatMap { flavour in
    TestServerKind.servers(for: flavour).map { (flavour, $0) }
}

/// The first entry of a class that carries at least `minimum` proxy values and no MIGRATE one.
func mailboxWithProxies(
    _ connection: LDAPConnection, _ names: FixtureNames, base: DistinguishedName, minimum: Int = 3
)
    throws -> Entry?
{
    try connection.searchAll(
        base: base, filter: .and([.equality("objectClass", names.mailboxClass), .present(names.proxyAttribute)])
    )
    .sorted { $0.dn.normalized < $1.dn.normalized }
    .first { entry in
        let proxies = entry.strings(names.proxyAttribute)
        return proxies.count >= minimum && !proxies.contains { $0.uppercased().hasPrefix("MIGRATE") }
    }
}
