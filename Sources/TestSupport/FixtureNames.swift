/// The names the fixture organisation uses in each flavour, for tests that run one scenario
/// against both.
///
/// Production code takes these from the Sync profiles; tests keep their own copy on purpose,
/// so a mistake in a profile cannot hide behind the same mistake in its test.
package struct FixtureNames: Sendable {
    /// The multi-valued proxy attribute (`otherMailbox` / `proxyAddresses`).
    package var proxyAttribute: String
    /// Between proxy type and address (`$` / `:`).
    package var proxySeparator: String
    package var targetAttribute: String
    package var adminDescription: String
    /// A class every mailbox has and no custom recipient has.
    package var mailboxClass: String
    package var janeDoe: String
    package var johnSmith: String
    /// Where ccdirsync's custom recipients go; the seed puts two of its own (NGarcon, FFormer) and one made by
    /// hand (UKeller) there.
    package var contactContainer: String

    package init(_ flavour: SchemaFlavour) {
        switch flavour {
        case .exchange55:
            proxyAttribute = "otherMailbox"
            proxySeparator = "$"
            targetAttribute = "Target-Address"
            adminDescription = "Admin-Description"
            mailboxClass = "organizationalPerson"
            janeDoe = "cn=JDoe,cn=Recipients,ou=Site,o=Org"
            johnSmith = "cn=JSmith,cn=Recipients,ou=Site,o=Org"
            contactContainer = "cn=ccMail Users,ou=Site,o=Org"
        case .exchange2000:
            proxyAttribute = "proxyAddresses"
            proxySeparator = ":"
            targetAttribute = "targetAddress"
            adminDescription = "adminDescription"
            mailboxClass = "user"
            janeDoe = "cn=Jane Doe,ou=Users,dc=example,dc=org"
            johnSmith = "cn=John Smith,ou=Users,dc=example,dc=org"
            contactContainer = "ou=ccMail Contacts,dc=example,dc=org"
        }
    }

    /// The proxy-type prefix of a MIGRATE value (`MIGRATE$` / `MIGRATE:`).
    package var migratePrefix: String { "MIGRATE\(proxySeparator)" }

    /// `MIGRATE$CCMAIL:<address>` or `MIGRATE:CCMAIL:<address>`.
    package func migrate(_ address: String) -> String { "\(migratePrefix)CCMAIL:\(address)" }
}
