/// Parses DNs that share their parents once per parent: every mailbox of a site sits in
/// `cn=Recipients,ou=Site,o=Org`, and a read of 100,000 recipients would otherwise parse and normalise that tail
/// 100,000 times and keep 100,000 copies of it.
///
/// Only the first RDN of each DN is parsed; the rest is looked up by its text. DNs built from a cached parent share
/// its RDNs' storage. The result is the same `DistinguishedName` that `DistinguishedName(parsing:)` gives, and text
/// that does not parse is handed to it, so errors read the same too.
public struct DistinguishedNameParentCache: Sendable {
    /// The most parents kept: a directory has a handful of containers; past this, DNs are parsed whole.
    public static let capacity = 4096

    private var parents: [String: [RelativeDistinguishedName]] = [:]

    public init() {}

    public mutating func parse(_ text: String) throws(DistinguishedNameError) -> DistinguishedName {
        var parser = DistinguishedNameParser(text)
        guard let (first, restOffset) = try parser.parseLeadingRDN() else {
            return try DistinguishedName(parsing: text)
        }
        guard let restOffset else {
            return DistinguishedName([first])
        }
        let rest = String(decoding: text.utf8.dropFirst(restOffset), as: UTF8.self)
        if let known = parents[rest] {
            return DistinguishedName([first] + known)
        }
        var restParser = DistinguishedNameParser(rest)
        guard let parsed = try? restParser.parseDistinguishedName(), !parsed.isEmpty else {
            return try DistinguishedName(parsing: text)
        }
        if parents.count < Self.capacity {
            parents[rest] = parsed
        }
        return DistinguishedName([first] + parsed)
    }
}
