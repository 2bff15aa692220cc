import LDAPClient
import LDAPModel
import Sync

/// The engine's `DirectoryStore` over a libldap connection: paged searches, errors translated.
///
/// It lives apart from both `Sync` (which must not know LDAP) and the CLI (so integration tests can use it).
package final class LDAPDirectoryStore: DirectoryStore {
    package let connection: LDAPConnection
    package let pageSize: Int
    /// Most entries one search may return; more is an error, never a silent truncation.
    package let maxEntries: Int
    /// How many lookups are outstanding at once (`lookup`).
    package var lookupWindow = 128

    package init(connection: LDAPConnection, pageSize: Int, maxEntries: Int) {
        self.connection = connection
        self.pageSize = pageSize
        self.maxEntries = maxEntries
    }

    package func search(_ request: SearchRequest, onPage: ([Entry]) -> Void) throws(DirectoryStoreError) {
        do {
            try connection.search(
                base: request.base, scope: SearchScope(request.scope), filter: request.filter,
                attributes: request.attributes,
                pageSize: pageSize, sizeLimit: maxEntries, onPage: onPage)
        } catch {
            throw DirectoryStoreError(operation: "search \(request)", failure: error)
        }
    }

    package func searchSelected(
        _ request: SearchRequest, onPage: ([SelectedEntry]) -> Void
    ) throws(DirectoryStoreError) {
        do {
            try connection.search(
                base: request.base, scope: SearchScope(request.scope), filter: request.filter,
                selecting: AttributeSelection(request.attributes, dnTextOnly: request.dnTextOnly), pageSize: pageSize,
                sizeLimit: maxEntries,
                onPage: onPage)
        } catch {
            throw DirectoryStoreError(operation: "search \(request)", failure: error)
        }
    }
}

extension LDAPDirectoryStore: LookupStore {
    /// Lookups go out pipelined, `lookupWindow` at a time.
    package func lookup(
        _ requests: [SearchRequest], sizeLimit: Int, onAnswer: (Int, LookupResult) -> Void
    ) throws(DirectoryStoreError) {
        let lookups = requests.map { request in
            LookupRequest(
                base: request.base, scope: SearchScope(request.scope), filter: request.filter,
                attributes: request.attributes, dnTextOnly: request.dnTextOnly)
        }
        do {
            try connection.selectingLookup(lookups, window: lookupWindow, sizeLimit: sizeLimit) { index, answer in
                onAnswer(index, LookupResult(entries: answer.entries, truncated: answer.truncated))
            }
        } catch {
            throw DirectoryStoreError(
                operation: "lookup below \"\(requests.first?.base.description ?? "")\"", failure: error)
        }
    }
}

extension SearchScope {
    init(_ scope: SearchRequest.Scope) {
        switch scope {
        case .base: self = .base
        case .oneLevel: self = .oneLevel
        case .subtree: self = .subtree
        }
    }
}
