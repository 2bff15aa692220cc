import LDAPModel

/// What the engine needs from a directory server: paged subtree searches.
///
/// The engine never talks LDAP itself; the CLI plugs in a store backed by libldap and tests plug in an
/// in-memory one, so every rule runs the same way in both. Stores deliver entries page by page so that
/// 100,000 recipients never sit in memory twice.
package protocol DirectoryStore {
    /// Runs `request`, calling `onPage` once per page of entries, in the server's order.
    func search(_ request: SearchRequest, onPage: ([Entry]) -> Void) throws(DirectoryStoreError)

    /// Runs `request` as `search(_:onPage:)` does, handing over each entry's values by the position of their
    /// attribute in `request.attributes`.
    ///
    /// The engine's reader turns every entry into an object of its own; a store that reads from a server can give it
    /// the values without making an `Entry` first. The default makes them from `search(_:onPage:)`'s entries.
    func searchSelected(_ request: SearchRequest, onPage: ([SelectedEntry]) -> Void) throws(DirectoryStoreError)
}

extension DirectoryStore {
    package func searchSelected(
        _ request: SearchRequest, onPage: ([SelectedEntry]) -> Void
    ) throws(DirectoryStoreError) {
        let selection = AttributeSelection(request.attributes, dnTextOnly: request.dnTextOnly)
        try search(request) { page in onPage(page.map(selection.select)) }
    }
}

/// One search: where, how deep, what, and which attributes.
package struct SearchRequest: Sendable, Hashable, CustomStringConvertible {
    /// How deep below `base` a search looks.
    package enum Scope: String, Sendable, Hashable {
        case base
        case oneLevel
        case subtree
    }

    package var base: DistinguishedName
    package var scope: Scope
    package var filter: Filter
    /// The attributes wanted; the engine always names them, so no search returns whole entries.
    package var attributes: [String]
    /// Selected answers need their DN as text only (see `AttributeSelection.dnTextOnly`).
    package var dnTextOnly: Bool

    package init(
        base: DistinguishedName, scope: Scope = .subtree, filter: Filter, attributes: [String],
        dnTextOnly: Bool = false
    ) {
        self.base = base
        self.scope = scope
        self.filter = filter
        self.attributes = attributes
        self.dnTextOnly = dnTextOnly
    }

    /// `base scope filter`, as an administrator would type it for ldapsearch.
    package var description: String { "base \"\(base)\" scope \(scope.rawValue) filter \(filter)" }
}

/// Why a store could not answer: what a person needs to act, without LDAP types leaking into the engine.
package struct DirectoryStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The operation and its target, such as `search base "ou=Site,o=Org"`.
    package var operation: String
    /// The LDAP result code, when the server or libldap gave one.
    package var resultCode: Int?
    /// The result code's name and the server's diagnostic text.
    package var message: String
    /// Whether the server could not be reached or went away (exit 69), as opposed to refusing the request.
    package var isUnavailable: Bool

    package init(operation: String, resultCode: Int?, message: String, isUnavailable: Bool) {
        self.operation = operation
        self.resultCode = resultCode
        self.message = message
        self.isUnavailable = isUnavailable
    }

    package var description: String {
        let code = resultCode.map { " (result \($0))" } ?? ""
        return "\(operation): \(message)\(code)"
    }
}
