import LDAPModel
import Sync

/// A `DirectoryStore` over entries held in memory, for testing the engine's rules without a server.
///
/// It evaluates filters the way the test slapd does for the schemas here (case-insensitive values), honours base
/// and scope, returns only the attributes asked for, and pages. It records every request, so a test can assert
/// what the engine asked for.
package final class InMemoryDirectoryStore: DirectoryStore, @unchecked Sendable {
    package var entries: [Entry]
    package let pageSize: Int
    /// Whether the writer side honours assertions (else `apply` re-reads).
    package var assertionsSupported = true
    /// Failures to inject into writes, consumed in order (see `DirectoryWriter` conformance).
    package var faults: [Fault] = []
    /// Every operation sent, in order.
    package internal(set) var sentOperations: [WriteOperation] = []
    /// How often `reconnect` was called.
    package internal(set) var reconnects = 0
    /// Every search made, in order.
    package private(set) var requests: [SearchRequest] = []
    /// When set, every search fails with it.
    package var failure: DirectoryStoreError?
    /// The most values of one attribute a search or read returns at once, as AD's MaxValRange: an attribute with more
    /// is sent in parts (`proxyAddresses;range=0-1499`, the plain name absent), and a part is asked for by name
    /// (`proxyAddresses;range=1500-*`). Nil returns every value at once, as slapd and Samba do.
    package var maxValueRange: Int?
    /// Whether a part asked for by name is sent; false plays a server that sends a first part and then not the rest.
    package var sendsValueParts = true

    package init(entries: [Entry], pageSize: Int = 3) {
        self.entries = entries
        self.pageSize = max(1, pageSize)
    }

    package func search(_ request: SearchRequest, onPage: ([Entry]) -> Void) throws(DirectoryStoreError) {
        requests.append(request)
        if let failure {
            throw failure
        }
        let matching = entries.filter { entry in
            inScope(entry.dn, request) && Self.matches(request.filter, entry)
        }.map { returned($0, asked: request.attributes) }
        var start = 0
        while start < matching.count {
            let end = min(start + pageSize, matching.count)
            onPage(Array(matching[start..<end]))
            start = end
        }
    }

    /// What a server returns of `entry` for the attributes `names` (all of them when empty), each in parts when
    /// `maxValueRange` says so.
    func returned(_ entry: Entry, asked names: [String]) -> Entry {
        var returned = Entry(dn: entry.dn)
        for attribute in entry.attributes
        where names.isEmpty || names.contains(where: { Entry.sameName($0, attribute.name) }) {
            returned.attributes.append(part(of: attribute, from: 0, askedByPart: false))
        }
        for range in names.compactMap(ValueRange.init(name:)) where sendsValueParts {
            if let attribute = entry.attribute(range.attribute) {
                returned.attributes.append(part(of: attribute, from: range.first, askedByPart: true))
            }
        }
        return returned
    }

    /// The values of `attribute` from index `first` on, at most `maxValueRange` of them, named as AD names a part.
    private func part(of attribute: Attribute, from first: Int, askedByPart: Bool) -> Attribute {
        let values = Array(attribute.values.dropFirst(first))
        if let maxValueRange, values.count > maxValueRange {
            let range = ValueRange(attribute: attribute.name, first: first, last: first + maxValueRange - 1)
            return Attribute(range.name, values: Array(values.prefix(maxValueRange)))
        }
        guard askedByPart else {
            return attribute
        }
        return Attribute(ValueRange(attribute: attribute.name, first: first, last: nil).name, values: values)
    }

    private func inScope(_ dn: DistinguishedName, _ request: SearchRequest) -> Bool {
        switch request.scope {
        case .base: dn == request.base
        case .oneLevel: dn.parent == request.base
        case .subtree: dn.isWithin(request.base)
        }
    }

    /// Evaluates `filter` against `entry`; values compare without regard to case.
    package static func matches(_ filter: Filter, _ entry: Entry) -> Bool {
        switch filter {
        case .equality(let attribute, let value):
            return entry.strings(attribute).contains { CaseIgnoreMatch.equal($0, value) }
        case .present(let attribute):
            return attribute.lowercased() == "objectclass" || !entry.values(attribute).isEmpty
        case .substring(let attribute, let initial, let any, let final):
            return entry.strings(attribute).contains { value in
                matchesSubstring(
                    value.lowercased(), initial?.lowercased(), any.map { $0.lowercased() },
                    final?.lowercased())
            }
        case .greaterOrEqual(let attribute, let value):
            return entry.strings(attribute).contains { $0.lowercased() >= value.lowercased() }
        case .lessOrEqual(let attribute, let value):
            return entry.strings(attribute).contains { $0.lowercased() <= value.lowercased() }
        case .approx(let attribute, let value):
            return entry.strings(attribute).contains { CaseIgnoreMatch.equal($0, value) }
        case .and(let filters):
            return filters.allSatisfy { matches($0, entry) }
        case .or(let filters):
            return filters.contains { matches($0, entry) }
        case .not(let inner):
            return !matches(inner, entry)
        }
    }

    private static func matchesSubstring(
        _ value: String, _ initial: String?, _ any: [String], _ final: String?
    )
        -> Bool
    {
        var rest = Substring(value)
        if let initial {
            guard rest.hasPrefix(initial) else {
                return false
            }
            rest = rest.dropFirst(initial.count)
        }
        for part in any {
            guard let range = rest.range(of: part) else {
                return false
            }
            rest = rest[range.upperBound...]
        }
        if let final {
            return rest.hasSuffix(final)
        }
        return true
    }
}
