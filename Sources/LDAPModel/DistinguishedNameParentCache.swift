/// Parses DNs that share their parents once per parent: every mailbox of a site sits in
/// `cn=Recipients,ou=Site,o=Org`, and a read of 100,000 recipients would otherwise parse and normalise that tail
/// 100,000 times and keep 100,000 copies of it.
///
/// Only the first RDN of each DN is parsed; the rest is looked up by its text. DNs built from a cached parent share
/// its RDNs' storage. The result is the same `DistinguishedName` that `DistinguishedName(parsing:keepingSpelling:)`
/// gives, and text
/// that does not parse is handed to it, so errors read the same too.
package struct DistinguishedNameParentCache: Sendable {
    /// The most parents kept: a directory has a handful of containers; past this, DNs are parsed whole.
    package static let capacity = 4096

    /// A parent's RDNs and its comparison key, by the parent's text.
    private var parents: [String: (rdns: [RelativeDistinguishedName], normalized: String)] = [:]
    /// The DNs name entries as a server spelled them (`DistinguishedName(parsing:keepingSpelling:)`).
    private let keepingSpelling: Bool

    package init(keepingSpelling: Bool = false) {
        self.keepingSpelling = keepingSpelling
    }

    package mutating func parse(_ text: String) throws(DistinguishedNameError) -> DistinguishedName {
        let rdns: [RelativeDistinguishedName]
        switch try split(text) {
        case .whole(let dn): rdns = dn.rdns
        case .child(let first, let parent): rdns = [first] + parent.rdns
        }
        return keepingSpelling ? DistinguishedName(rdns, parsedFrom: text) : DistinguishedName(rdns)
    }

    /// `DistinguishedName(parsing: text).normalized`, or nil when the text does not parse, with the parent's part
    /// of the key worked out once too (a plan sorts its changes by this key).
    package mutating func normalized(_ text: String) -> String? {
        switch try? split(text) {
        case .whole(let dn): dn.normalized
        case .child(let first, let parent): first.normalized + "," + parent.normalized
        case nil: nil
        }
    }

    private enum Split {
        case whole(DistinguishedName)
        case child(RelativeDistinguishedName, parent: (rdns: [RelativeDistinguishedName], normalized: String))
    }

    private mutating func split(_ text: String) throws(DistinguishedNameError) -> Split {
        var parser = DistinguishedNameParser(text)
        guard let (first, restOffset) = try parser.parseLeadingRDN() else {
            return .whole(try DistinguishedName(parsing: text))
        }
        guard let restOffset else {
            return .whole(DistinguishedName([first]))
        }
        let rest = String(decoding: text.utf8.dropFirst(restOffset), as: UTF8.self)
        if let known = parents[rest] {
            return .child(first, parent: known)
        }
        var restParser = DistinguishedNameParser(rest)
        guard let parsed = try? restParser.parseDistinguishedName(), !parsed.isEmpty else {
            return .whole(try DistinguishedName(parsing: text))
        }
        let parent = (rdns: parsed, normalized: DistinguishedName(parsed).normalized)
        if parents.count < Self.capacity {
            parents[rest] = parent
        }
        return .child(first, parent: parent)
    }
}
