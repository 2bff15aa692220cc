import CCMail
import LDAPModel

/// How one cc:Mail user came out of the matcher.
package enum Join: Sendable, Hashable {
    /// Joined to exactly one mailbox (an index into `ExchangeDirectory.mailboxes`) by `rule`.
    case joined(mailbox: Int, rule: Plan.Rule)
    /// Two or more mailboxes at the deciding rule, or a mailbox two users claim: nothing is written.
    case disputed(rule: Plan.Rule, candidates: [DistinguishedName], reason: String)
    /// The deciding rule found a mailbox that carries another cc:Mail user's MIGRATE value: nothing is written.
    case conflict(mailbox: Int, rule: Plan.Rule, otherUsers: [String])
    /// The mapping file says something about the user that cannot be followed: nothing is written.
    case held(reason: String)
    /// No mailbox; `suggestion` is a name match waiting for approval.
    case unjoined(suggestion: Int?)
}

/// The matcher's answer: a join per user, and findings about the mapping file.
package struct MatchResult: Sendable {
    /// By user position: `joins[i]` is the join of the matcher's `users[i]`.
    package var joins: [Join]
    /// Mapping rows that name no cc:Mail user.
    package var mappingFindings: [Plan.Finding]

    package init(joins: [Join], mappingFindings: [Plan.Finding]) {
        self.joins = joins
        self.mappingFindings = mappingFindings
    }
}
