/// What an apply did: every change's outcome, and the reasons for those that did not land.
public struct ApplyResult: Sendable, Hashable {
    /// A change that was not applied, and why.
    public struct Problem: Sendable, Hashable {
        public var change: Plan.Change
        public var reason: String
        /// The LDAP result code, when the server gave one.
        public var code: Int?
        /// Whether the last failure was the server being unreachable.
        public var wasUnavailable: Bool

        public init(change: Plan.Change, reason: String, code: Int? = nil, wasUnavailable: Bool = false) {
            self.change = change
            self.reason = reason
            self.code = code
            self.wasUnavailable = wasUnavailable
        }
    }

    public var created = 0
    public var modified = 0
    public var deleted = 0
    /// Changes whose result the directory already held.
    public var alreadyDone = 0
    public var stale: [Problem] = []
    public var failed: [Problem] = []
    /// Why the journal could not be written, naming the change whose line was lost; the apply stopped there.
    public var journalFailure: String?

    public init() {}

    /// Whether every change landed (or was already done), and the journal says so.
    public var isComplete: Bool { stale.isEmpty && failed.isEmpty && journalFailure == nil }

    mutating func count(_ kind: Plan.ChangeKind) {
        switch kind {
        case .create: created += 1
        case .modify: modified += 1
        case .delete: deleted += 1
        }
    }
}
