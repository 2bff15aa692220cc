import LDAPClient
import LDAPModel
import TestSupport

extension SlapdServer {
    /// A connection bound as the ordinary service account (subject to the size limit).
    func serviceConnection() throws -> LDAPConnection {
        let connection = try LDAPConnection.open(ConnectionOptions(url: url))
        try connection.bind(dn: serviceDN, password: Password(servicePassword))
        return connection
    }

    /// A connection bound as the admin (rootdn, no limits).
    func adminConnection() throws -> LDAPConnection {
        let connection = try LDAPConnection.open(ConnectionOptions(url: url))
        try connection.bind(dn: adminDN, password: Password(adminPassword))
        return connection
    }

    var suffixDN: DistinguishedName {
        get throws { try DistinguishedName(parsing: suffix) }
    }
}

/// A comparable picture of a directory: normalised DN → attribute name → sorted values.
///
/// `userPassword` is left out: each test server gets its own random service password.
func snapshot(_ entries: [Entry]) -> [String: [String: [[UInt8]]]] {
    var result: [String: [String: [[UInt8]]]] = [:]
    for entry in entries {
        var attributes: [String: [[UInt8]]] = [:]
        for attribute in entry.attributes where attribute.name.lowercased() != "userpassword" {
            attributes[attribute.name.lowercased(), default: []].append(contentsOf: attribute.values)
        }
        result[entry.dn.normalized] = attributes.mapValues { $0.sorted { $0.lexicographicallyPrecedes($1) } }
    }
    return result
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
