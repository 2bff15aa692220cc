/// What an apply did: every change's outcome, and the reasons for those that did not land.
package struct ApplyResult: Sendable, Hashable {
    /// A change that was not applied, and why.
    package struct Problem: Sendable, Hashable {
        package var change: Plan.Change
        package var reason: String
        /// The LDAP result code, when the server gave one.
        package var code: Int?
        /// Whether the last failure was the server being unreachable.
        package var wasUnavailable: Bool

        package init(change: Plan.Change, reason: String, code: Int? = nil, wasUnavailable: Bool = false) {
            self.change = change
            self.reason = reason
            self.code = code
            self.wasUnavailable = wasUnavailable
        }
    }

    package var created = 0
    package var modified = 0
    package var deleted = 0
    /// Changes whose result the directory already held.
    package var alreadyDone = 0
    package var stale: [Problem] = []
    package var failed: [Problem] = []
    /// Why the journal could not be written, naming the change whose line was lost; the apply stopped there.
    package var journalFailure: String?

    package init() {}

    /// Whether every change landed (or was already done), and the journal says so.
    package var isComplete: Bool { stale.isEmpty && failed.isEmpty && journalFailure == nil }

    mutating func count(_ kind: Plan.ChangeKind) {
        switch kind {
        case .create: created += 1
        case .modify: modified += 1
        case .delete: deleted += 1
        }
    }
}
