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
package struct AddressLookups: Sendable {
    package var profile: Profile
    package var baseDN: DistinguishedName

    package init(profile: Profile, baseDN: DistinguishedName) {
        self.profile = profile
        self.baseDN = baseDN
    }

    /// The attributes each lookup asks for: enough to tell a mailbox from a custom recipient, and ours from not.
    package var attributes: [String] {
        ["objectClass", profile.markAttribute] + (profile.mailboxRequiredAttribute.map { [$0] } ?? [])
    }

    /// Where each attribute's values are in an answer (`SelectedEntry`): `attributes`, then, in a grouped search's
    /// answer, the proxy and the target attributes.
    package enum Position {
        package static let objectClass = 0
        package static let mark = 1
        /// The mailbox's required attribute, when the profile has one.
        package static let required = 2
    }

    /// The proxy attribute's position in a grouped search's answer.
    package var proxyPosition: Int { attributes.count }
    /// The target attribute's position in a grouped search's answer.
    package var targetPosition: Int { attributes.count + 1 }

    /// What one user's two lookups assert, spelled once: the filters sent, the values answers are matched
    /// against, and the addresses the report shows all come from here.
    package struct Assertions: Sendable, Hashable {
        /// `MIGRATE:CCMAIL:<Name> at <home PO>`: the value `sync` puts on the user's mailbox.
        package var migrate: ProxyAddress
        /// The user's own address, as a custom recipient's target: `CCMAIL:<Name> at <PO>` (or the gateway form).
        package var address: ProxyAddress
        /// `migrate` as a proxy value, in the flavour's spelling.
        package var migrateValue: String
        /// `address` as a proxy value, in the flavour's spelling.
        package var proxyValue: String
        /// `address` as a target value (`TYPE:address`).
        package var targetValue: String
    }

    /// The assertions of `user`'s lookups.
    package func assertions(_ user: CCMailUser) -> Assertions {
        let migrate = ProxyAddress.migrate(CCMailAddress(name: user.name, postOffice: user.homePostOffice))
        let address: ProxyAddress =
            switch user.address {
            case .ccMail(let address): ProxyAddress(type: "CCMAIL", address: address.description)
            case .smtp(let address): ProxyAddress(type: "SMTP", address: address)
            }
        return Assertions(
            migrate: migrate, address: address, migrateValue: profile.proxyValue(migrate),
            proxyValue: profile.proxyValue(address), targetValue: address.description)
    }

    /// The Wizard's filter: `(proxy=MIGRATE:CCMAIL:<Name> at <PO>)`.
    package func migrationFilter(_ assertions: Assertions) -> Filter {
        .equality(profile.proxyAttribute, assertions.migrateValue)
    }

    /// The address lookup's filter: `(|(proxy=CCMAIL:<Name> at <PO>)(target=CCMAIL:<Name> at <PO>))`, the address
    /// as a proxy address (flavour spelling) or as a target address (`TYPE:`).
    package func addressFilter(_ assertions: Assertions) -> Filter {
        .or(addressTerms(assertions))
    }

    /// `migrationFilter(assertions).description`, spelled without building the filter.
    package func migrationFilterText(_ assertions: Assertions) -> String {
        var text = ""
        text.reserveCapacity(profile.proxyAttribute.utf8.count + assertions.migrateValue.utf8.count + 3)
        Filter.appendEquality(profile.proxyAttribute, assertions.migrateValue, to: &text)
        return text
    }

    /// `addressFilter(assertions).description`, spelled without building the filter.
    package func addressFilterText(_ assertions: Assertions) -> String {
        var text = "(|"
        text.reserveCapacity(
            profile.proxyAttribute.utf8.count + assertions.proxyValue.utf8.count + profile.targetAttribute.utf8.count
                + assertions.targetValue.utf8.count + 9)
        Filter.appendEquality(profile.proxyAttribute, assertions.proxyValue, to: &text)
        Filter.appendEquality(profile.targetAttribute, assertions.targetValue, to: &text)
        text += ")"
        return text
    }

    /// The Wizard's search. Answers are reported by the DN the server sends (`dnTextOnly`), parsed only to tell
    /// whether a custom recipient is in ccdirsync's container.
    package func migrationRequest(_ assertions: Assertions) -> SearchRequest {
        SearchRequest(base: baseDN, filter: migrationFilter(assertions), attributes: attributes, dnTextOnly: true)
    }

    /// The address lookup.
    package func addressRequest(_ assertions: Assertions) -> SearchRequest {
        SearchRequest(base: baseDN, filter: addressFilter(assertions), attributes: attributes, dnTextOnly: true)
    }

    /// Both lookups of several users as one search: every user's MIGRATE value and address, any of them.
    ///
    /// The objects come back once each, with their address values, so each can be given to the lookups whose value
    /// it carries: a mailbox answering a user's MIGRATE value and their address is sent once, not twice.
    ///
    /// The terms go by kind, in the order objects usually answer them: every MIGRATE value, then every target, then
    /// every address as a proxy. A server tests a candidate against the terms in order until one holds (slapd
    /// does), and after a sync most answers are mailboxes carrying a MIGRATE value and the rest custom recipients
    /// carrying a target; with each user's three terms side by side, a candidate went through half the disjunction
    /// on average whatever answered it.
    package func request(_ users: ArraySlice<Assertions>) -> SearchRequest {
        var terms: [Filter] = []
        terms.reserveCapacity(users.count * 3)
        for assertions in users {
            terms.append(migrationFilter(assertions))
        }
        for assertions in users {
            terms.append(.equality(profile.targetAttribute, assertions.targetValue))
        }
        for assertions in users {
            terms.append(.equality(profile.proxyAttribute, assertions.proxyValue))
        }
        return SearchRequest(
            base: baseDN, filter: .or(terms),
            attributes: attributes + [profile.proxyAttribute, profile.targetAttribute], dnTextOnly: true)
    }

    /// The two halves of the address lookup.
    private func addressTerms(_ assertions: Assertions) -> [Filter] {
        [
            .equality(profile.proxyAttribute, assertions.proxyValue),
            .equality(profile.targetAttribute, assertions.targetValue),
        ]
    }
}
