import LDAPClient
import LDAPModel
import Sync

/// The engine's `DirectoryStore` over a libldap connection: paged searches, errors translated.
///
/// It lives apart from both `Sync` (which must not know LDAP) and the CLI (so integration tests can use it).
public final class LDAPDirectoryStore: DirectoryStore {
    public let connection: LDAPConnection
    public let pageSize: Int
    /// Most entries one search may return; more is an error, never a silent truncation.
    public let maxEntries: Int

    public init(connection: LDAPConnection, pageSize: Int, maxEntries: Int) {
        self.connection = connection
        self.pageSize = pageSize
        self.maxEntries = maxEntries
    }

    public func search(_ request: SearchRequest, onPage: ([Entry]) -> Void) throws(DirectoryStoreError) {
        let scope: SearchScope =
            switch request.scope {
            case .base: .base
            case .oneLevel: .oneLevel
            case .subtree: .subtree
            }
        do {
            try connection.search(
                base: request.base, scope: scope, filter: request.filter, attributes: request.attributes,
                pageSize: pageSize, sizeLimit: maxEntries, onPage: onPage)
        } catch {
            throw DirectoryStoreError(operation: "search \(request)", failure: error)
        }
    }
}
