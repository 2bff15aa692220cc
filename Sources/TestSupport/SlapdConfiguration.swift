import Foundation

/// What kind of throwaway slapd to start.
public struct SlapdConfiguration: Sendable {
    /// What the database holds before the server starts.
    public enum Seed: Sendable {
        /// `fixtures/<flavour>/seed.ldif`.
        case fixture
        /// Any LDIF file of content records, parents before children (loaded with slapadd).
        case ldif(URL)
        /// Only the suffix entry.
        case suffixOnly
    }

    public var flavour: SchemaFlavour
    public var suffix: String
    public var seed: Seed
    /// Also listen on ldaps and accept StartTLS, with certificates made at start time.
    public var tls: Bool
    /// The global size limit for everybody but the admin, like slapd's default of 500; paged
    /// searches may go past it (`size.prtotal=unlimited`), as on Exchange and AD. nil = none.
    public var sizeLimit: Int?

    public init(
        flavour: SchemaFlavour, suffix: String? = nil, seed: Seed = .fixture, tls: Bool = false,
        sizeLimit: Int? = 500
    ) {
        self.flavour = flavour
        self.suffix = suffix ?? flavour.defaultSuffix
        self.seed = seed
        self.tls = tls
        self.sizeLimit = sizeLimit
    }
}
