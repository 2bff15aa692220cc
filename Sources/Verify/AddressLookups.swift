import CCMail
import LDAPModel
import Sync

/// The two lookups that must work for every cc:Mail user, built as the clients that depend on them build them:
/// an LDAP equality search for the exact address string over the whole base DN.
///
/// - The Migration Wizard looks for the mailbox whose proxy address is `MIGRATE:CCMAIL:<Name> at <PO>`.
/// - An address lookup (a client resolving a cc:Mail address, the connector routing mail) looks for the one
///   recipient that has the user's address as a proxy address or as its target address.
///
/// Values go into the filter through `Filter.equality`, which escapes every RFC 4515 special character, so a
/// user called `*` or `Smith*, John` is looked up literally and matches nobody else.
public struct AddressLookups: Sendable {
    public var profile: Profile
    public var baseDN: DistinguishedName

    public init(profile: Profile, baseDN: DistinguishedName) {
        self.profile = profile
        self.baseDN = baseDN
    }

    /// The attributes each lookup asks for: enough to tell a mailbox from a custom recipient, and ours from not.
    public var attributes: [String] {
        ["objectClass", profile.markAttribute] + (profile.mailboxRequiredAttribute.map { [$0] } ?? [])
    }

    /// `MIGRATE:CCMAIL:<Name> at <home PO>`: the value `sync` puts on the user's mailbox.
    public func migrateAddress(_ user: CCMailUser) -> ProxyAddress {
        ProxyAddress.migrate(CCMailAddress(name: user.name, postOffice: user.homePostOffice))
    }

    /// The user's own address, as a custom recipient's target: `CCMAIL:<Name> at <PO>` (or the gateway form).
    public func address(_ user: CCMailUser) -> ProxyAddress {
        switch user.address {
        case .ccMail(let address): ProxyAddress(type: "CCMAIL", address: address.description)
        case .smtp(let address): ProxyAddress(type: "SMTP", address: address)
        }
    }

    /// The Wizard's search: the MIGRATE value as a proxy address, spelled for the flavour.
    public func migrationRequest(_ user: CCMailUser) -> SearchRequest {
        SearchRequest(
            base: baseDN,
            filter: .equality(profile.proxyAttribute, profile.proxyValue(migrateAddress(user))),
            attributes: attributes)
    }

    /// The Wizard's searches of several users as one: every user's MIGRATE value, any of them.
    ///
    /// The objects come back with their proxy values, so each can be given to the users whose value it carries.
    public func migrationRequest(_ users: ArraySlice<CCMailUser>) -> SearchRequest {
        SearchRequest(
            base: baseDN,
            filter: .or(users.map { .equality(profile.proxyAttribute, profile.proxyValue(migrateAddress($0))) }),
            attributes: attributes + [profile.proxyAttribute])
    }

    /// The address lookups of several users as one search.
    public func addressRequest(_ users: ArraySlice<CCMailUser>) -> SearchRequest {
        SearchRequest(
            base: baseDN,
            filter: .or(
                users.flatMap { user in
                    let address = address(user)
                    return [
                        Filter.equality(profile.proxyAttribute, profile.proxyValue(address)),
                        .equality(profile.targetAttribute, address.description),
                    ]
                }),
            attributes: attributes + [profile.proxyAttribute, profile.targetAttribute])
    }

    /// The address lookup: the address as a proxy address (flavour spelling) or as a target address (`TYPE:`).
    public func addressRequest(_ user: CCMailUser) -> SearchRequest {
        let address = address(user)
        return SearchRequest(
            base: baseDN,
            filter: .or([
                .equality(profile.proxyAttribute, profile.proxyValue(address)),
                .equality(profile.targetAttribute, address.description),
            ]),
            attributes: attributes)
    }
}
