/// The Exchange directory flavour a test server models.
///
/// ccdirsync talks to two kinds of Exchange directory with different names for the same
/// things; `schemas/<rawValue>.schema` and `fixtures/<rawValue>/seed.ldif` model each, so a
/// test can run one scenario against both.
package enum SchemaFlavour: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Exchange Server 5.5's own LDAP directory.
    case exchange55
    /// Exchange 2000 and later: Active Directory.
    case exchange2000

    /// The suffix the fixture organisation of this flavour lives under.
    ///
    /// Fixed by the seed LDIF: `o=Org` for Exchange 5.5, `dc=example,dc=org` for AD.
    package var defaultSuffix: String {
        switch self {
        case .exchange55: "o=Org"
        case .exchange2000: "dc=example,dc=org"
        }
    }

    /// The raw value, so test names read `exchange55` rather than `SchemaFlavour.exchange55`.
    package var description: String { rawValue }
}
