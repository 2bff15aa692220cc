import Foundation
import LDAPClient
import LDAPModel
import TestSupport

extension TestDirectoryServer {
    var suffixDN: DistinguishedName {
        get throws { try DistinguishedName(parsing: suffix) }
    }

    /// The structural class of the plain entries a test makes: slapd's `person`; AD instantiates no `person`, its
    /// nearest is `contact` (which takes `cn`, `sn` and a multi-valued `description` alike).
    var personClass: String {
        kind == .sambaAD ? "contact" : "person"
    }
}

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
