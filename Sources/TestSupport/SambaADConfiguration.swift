/// What kind of throwaway Samba AD domain controller `SambaADServer.start` makes.
///
/// The defaults give the fixture organisation of the `exchange2000` flavour in the domain `EXAMPLE.ORG`, whose
/// naming context `dc=example,dc=org` is the fixture's suffix, with the Exchange schema extension
/// (`schemas/exchange2000-ad.ldif`) loaded. Each configuration is a template of its own (`SambaADTemplate`),
/// provisioned once per machine.
package struct SambaADConfiguration: Sendable, Hashable {
    /// What the domain holds besides what provisioning creates and the service account.
    package enum Seed: Sendable, Hashable {
        /// `fixtures/exchange2000/seed.ldif`, as AD takes it (see `SambaADSeed`); needs the Exchange schema.
        case fixture
        /// The fixture's organizational units only (`ou=Users` and the custom recipient container, empty), for
        /// tests that add their own entries or that need a domain without mailboxes.
        case empty
    }

    /// The Kerberos realm, which names the domain: `EXAMPLE.ORG` gives `dc=example,dc=org`.
    package var realm: String
    /// The NetBIOS domain name.
    package var domain: String
    /// What the domain holds at start.
    package var seed: Seed
    /// Whether `schemas/exchange2000-ad.ldif` is loaded. Without it the domain is an AD before Exchange's schema
    /// preparation: no `mailNickname`, `targetAddress`, … (so the seed must be `.empty`), and a filter on such an
    /// attribute is Undefined rather than an error.
    package var exchangeSchema: Bool

    /// A configuration; the fixture needs the default realm.
    package init(
        realm: String = "EXAMPLE.ORG", domain: String = "EXAMPLE", seed: Seed = .fixture, exchangeSchema: Bool = true
    ) {
        self.realm = realm
        self.domain = domain
        self.seed = seed
        self.exchangeSchema = exchangeSchema
    }

    /// A domain without the Exchange schema extension holding only the fixture's organizational units.
    package static let withoutExchangeSchema = SambaADConfiguration(seed: .empty, exchangeSchema: false)

    /// The domain's naming context, `dc=<label>,…` from the realm.
    package var suffix: String {
        realm.lowercased().split(separator: ".").map { "dc=\($0)" }.joined(separator: ",")
    }
}
