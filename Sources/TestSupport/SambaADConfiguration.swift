/// What kind of throwaway Samba AD domain controller `SambaADServer.start` makes.
///
/// The defaults give the fixture organisation of the `exchange2000` flavour in the domain `EXAMPLE.ORG`, whose
/// naming context `dc=example,dc=org` is the fixture's suffix, with the Exchange schema extension
/// (`schemas/exchange2000-ad.ldif`) loaded.
package struct SambaADConfiguration: Sendable, Hashable {
    /// What the domain holds besides what provisioning creates.
    package enum Seed: Sendable, Hashable {
        /// `fixtures/exchange2000/seed.ldif`, as AD takes it (see `SambaADSeed`).
        case fixture
        /// Only the Exchange schema extension and the service account.
        case empty
    }

    /// The Kerberos realm, which names the domain: `EXAMPLE.ORG` gives `dc=example,dc=org`.
    package var realm: String
    /// The NetBIOS domain name.
    package var domain: String
    /// What the domain holds at start.
    package var seed: Seed

    /// A configuration; the fixture needs the default realm.
    package init(realm: String = "EXAMPLE.ORG", domain: String = "EXAMPLE", seed: Seed = .fixture) {
        self.realm = realm
        self.domain = domain
        self.seed = seed
    }

    /// The domain's naming context, `dc=<label>,…` from the realm.
    package var suffix: String {
        realm.lowercased().split(separator: ".").map { "dc=\($0)" }.joined(separator: ",")
    }
}
