import Foundation

/// What kind of throwaway slapd `SlapdServer.start` makes.
///
/// The defaults give the fixture organisation of a flavour, plain LDAP only, and slapd's own
/// default size limit of 500, so a test that reads more than that without paging fails the
/// way it would against a real Exchange server.
package struct SlapdConfiguration: Sendable {
    /// What the database holds before the server starts.
    ///
    /// Every seed is loaded offline with `slapadd -q`, which is fast enough for the
    /// benchmark's hundreds of thousands of entries.
    package enum Seed: Sendable, Equatable {
        /// `fixtures/<flavour>/seed.ldif`, the fixture organisation.
        case fixture
        /// Any LDIF file of entries, parents before children, that includes the suffix entry.
        case ldif(URL)
        /// Only the suffix entry (organization for `o=`, organization + dcObject for `dc=`).
        case suffixOnly
        /// A copy of a database folder `SlapdServer.copyDatabase(to:)` saved: the fastest way to many identical
        /// servers (the benchmark). Bind as the admin: the service account in the copy has another server's password.
        case database(URL)
    }

    /// The schema the server loads besides core.schema.
    package var flavour: SchemaFlavour
    /// The database suffix; the fixture seed needs the flavour's default.
    package var suffix: String
    /// What the database holds at start.
    package var seed: Seed
    /// Also listen on ldaps (and accept StartTLS), with certificates made at start time.
    package var tls: Bool
    /// Size limit for everybody but the admin; `nil` means unlimited.
    ///
    /// Soft and hard limit alike, as slapd's default (500) is. Paged searches may go past it
    /// (`size.prtotal=unlimited`), which is how Exchange 5.5 and AD behave too.
    package var sizeLimit: Int?
    /// `access to` rules (and any `limits` lines) replacing the default rules in the database section, where the
    /// service account may write everything; for tests of a restricted identity such as docs/SECURITY.md's sample.
    package var accessControl: String?

    /// A configuration for `flavour`; every other setting has a default that suits most tests.
    package init(
        flavour: SchemaFlavour, suffix: String? = nil, seed: Seed = .fixture, tls: Bool = false,
        sizeLimit: Int? = 500, accessControl: String? = nil
    ) {
        self.flavour = flavour
        self.suffix = suffix ?? flavour.defaultSuffix
        self.seed = seed
        self.tls = tls
        self.sizeLimit = sizeLimit
        self.accessControl = accessControl
    }

    /// The access rules a server has when `accessControl` is nil, for `serviceDN`: a test that adds a rule of its
    /// own puts it before these.
    package static func defaultAccessRules(serviceDN: String) -> String {
        [
            "# Passwords: a bind may check them, their owner may read them, nobody else sees them.",
            "access to attrs=userPassword",
            "    by self read",
            "    by anonymous auth",
            "    by * none",
            "# Everything else: the service account writes, other bound users read, anonymous nothing.",
            "access to *",
            "    by dn.exact=\(SlapdConfigFile.quoted(serviceDN)) write",
            "    by users read",
            "    by * none",
        ].joined(separator: "\n")
    }
}
