/// A name about which the exports disagree; the entry is left out of the directory.
///
/// cc:Mail names are unique across the whole directory, so two exports describing one name differently means
/// at least one export is stale or edited. Guessing would risk writing a wrong address into Exchange, so the
/// name is left out and both places are named. Callers that maintain Exchange objects must treat a conflicted
/// name as "unknown", never as "gone".
package struct Conflict: Sendable, Hashable {
    /// What the exports disagree about.
    package enum Subject: String, Sendable, Hashable {
        /// The user's home post office.
        case homePostOffice = "home post office"
        /// The user's foreign alias name (which is the address of a gateway user).
        case foreignAliasName = "foreign alias name"
        /// Whether the name is a user, an alias or a post office.
        case entryKind = "kind of entry"
    }

    /// One export's statement about the name.
    package struct Claim: Sendable, Hashable {
        /// What the export says (a post office name, a foreign alias name, or `user`/`alias`/`post office`).
        package var value: String
        /// The record that says it.
        package var location: Location

        /// Creates a claim.
        package init(value: String, location: Location) {
            self.value = value
            self.location = location
        }
    }

    /// The disputed name.
    package var name: CCMailName

    /// What is disputed.
    package var subject: Subject

    /// Every statement read about the name, in order; at least two disagree.
    package var claims: [Claim]

    /// Creates a conflict.
    package init(name: CCMailName, subject: Subject, claims: [Claim]) {
        self.name = name
        self.subject = subject
        self.claims = claims
    }

    /// The error finding that reports the conflict: placed at the first claim that disagrees with the first one,
    /// and naming the other claims by `file:line`.
    package var finding: Finding {
        guard let first = claims.first else {
            return Finding(.error, .conflict, "'\(name)' is disputed; left out", at: Location(file: "", line: 1))
        }
        let dissent = claims.first { !Self.same($0.value, first.value) } ?? first
        var others: [String] = []
        for claim in claims where !Self.same(claim.value, dissent.value) {
            let text = "\(describe(claim.value)) at \(claim.location.fileAndLine)"
            if !others.contains(text) {
                others.append(text)
            }
        }
        let verb =
            switch subject {
            case .homePostOffice: "is homed on"
            case .foreignAliasName: "has the foreign alias name"
            case .entryKind: "is"
            }
        let preposition = subject == .homePostOffice ? "on " : ""
        let message =
            "'\(name)' \(verb) \(describe(dissent.value)) here but \(preposition)\(others.joined(separator: " and ")); "
            + "left out"
        return Finding(.error, .conflict, message, at: dissent.location)
    }

    /// Claim values are compared as cc:Mail compares names.
    static func same(_ lhs: String, _ rhs: String) -> Bool {
        CCMailName(lhs) == CCMailName(rhs)
    }

    /// A claim value as it reads in a sentence: `an alias`, `a user`, or the value itself.
    private func describe(_ value: String) -> String {
        guard subject == .entryKind else {
            return value
        }
        return value.hasPrefix("a") ? "an \(value)" : "a \(value)"
    }
}
