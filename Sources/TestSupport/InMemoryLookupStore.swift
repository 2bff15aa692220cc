import LDAPModel
import Sync

extension InMemoryDirectoryStore: LookupStore {
    /// Answers each lookup with the matching entries, stopping at `sizeLimit` as a server does; every lookup is
    /// recorded in `requests`, like a search.
    package func lookup(
        _ requests: [SearchRequest], sizeLimit: Int, onAnswer: (Int, LookupResult) -> Void
    ) throws(DirectoryStoreError) {
        for (index, request) in requests.enumerated() {
            var entries: [SelectedEntry] = []
            try searchSelected(request) { entries.append(contentsOf: $0) }
            let truncated = sizeLimit > 0 && entries.count > sizeLimit
            onAnswer(index, LookupResult(entries: Array(entries.prefix(sizeLimit)), truncated: truncated))
        }
    }
}
