import LDAPModel

/// What `verify` needs from a directory server besides paged searches: many small exact searches, run the way
/// mail clients run them (one equality search per address), pipelined.
package protocol LookupStore {
    /// Runs every request, calling `onAnswer` with the request's index and its answer as each completes (in any
    /// order). A lookup that reaches `sizeLimit` entries is answered `truncated`; any other failure throws. Each
    /// entry's values come by the position of their attribute in its request's `attributes`.
    func lookup(
        _ requests: [SearchRequest], sizeLimit: Int, onAnswer: (Int, LookupResult) -> Void
    ) throws(DirectoryStoreError)
}

/// The entries one lookup found.
package struct LookupResult: Sendable, Hashable {
    package var entries: [SelectedEntry]
    /// The server stopped at the size limit: there are at least `entries.count` answers.
    package var truncated: Bool

    package init(entries: [SelectedEntry], truncated: Bool) {
        self.entries = entries
        self.truncated = truncated
    }
}
