import CCMail
import LDAPModel
import Sync

/// Reads every MIGRATE value and every cc:Mail target address below the base DN, with one paged search.
///
/// Exact lookups cannot see a value that names the user at the wrong post office (`Smith, John at PARIS` after
/// John moved to LONDON), nor a MIGRATE value whose user has left cc:Mail: finding those takes reading the values
/// themselves. The search asks for the two address attributes only, with a substring filter on their type
/// prefix (`MIGRATE…*`, `CCMAIL:*`), so the server hands over the objects that carry such values and nothing
/// else.
public struct AddressScan: Sendable {
    /// One value naming a cc:Mail address.
    public struct Found: Sendable, Hashable {
        /// The DN of the object carrying the value, as the server spelled it.
        public var dn: String
        public var attribute: String
        public var value: String
        public var address: CCMailAddress
        /// A MIGRATE value (else a target address).
        public var isMigrate: Bool
    }

    public var profile: Profile
    public var baseDN: DistinguishedName

    public init(profile: Profile, baseDN: DistinguishedName) {
        self.profile = profile
        self.baseDN = baseDN
    }

    /// The search: every MIGRATE proxy and CCMAIL target, or, for one user, only those that begin with their name.
    public func request(migrateName: CCMailName? = nil, targetName: CCMailName? = nil) -> SearchRequest {
        let migratePrefix =
            profile.proxyValue(ProxyAddress(type: "MIGRATE", address: ""))
            + (migrateName.map { "CCMAIL:\($0.text) at " } ?? "")
        let targetPrefix = "CCMAIL:" + (targetName.map { "\($0.text) at " } ?? "")
        return SearchRequest(
            base: baseDN,
            filter: .or([
                .substring(profile.proxyAttribute, initial: migratePrefix, any: [], final: nil),
                .substring(profile.targetAttribute, initial: targetPrefix, any: [], final: nil),
            ]),
            attributes: [profile.proxyAttribute, profile.targetAttribute], dnTextOnly: true)
    }

    /// The values read, in the server's order; values that do not parse as cc:Mail addresses are left out.
    public func read(_ request: SearchRequest, from store: any DirectoryStore) throws(DirectoryStoreError) -> [Found] {
        // `request` asks for the proxy attribute, then the target attribute.
        let separator = profile.proxySeparator.asciiValue ?? 0
        let reader = ScannedValueReader(separator: profile.proxySeparator)
        var found: [Found] = []
        try store.searchSelected(request) { page in
            for entry in page {
                for value in entry[0] where Self.mayHaveType(value, "MIGRATE", separator: separator) {
                    if let address = reader.migrateTarget(value) {
                        found.append(
                            Found(
                                dn: entry.dnText, attribute: profile.proxyAttribute, value: value, address: address,
                                isMigrate: true))
                    }
                }
                for value in entry[1] {
                    if let address = reader.target(value) {
                        found.append(
                            Found(
                                dn: entry.dnText, attribute: profile.targetAttribute, value: value, address: address,
                                isMigrate: false))
                    }
                }
            }
        }
        return found
    }

    /// Whether `value` may be a proxy of type `type` (ASCII capitals), decided on the bytes: a mailbox's SMTP, X400
    /// and CCMAIL values outnumber its MIGRATE value four to one, and parsing each into a `ProxyAddress` only to find
    /// its type was a tenth of the scan's cost. False only where `ProxyAddress.normalizedType == type` is false:
    /// the type is everything before the first separator, and ASCII letters fold only to each other. A type with
    /// anything beyond ASCII is left to the parse (`ı` is upper-cased to `I`).
    static func mayHaveType(_ value: String, _ type: StaticString, separator: UInt8) -> Bool {
        var bytes = value.utf8.makeIterator()
        for index in 0..<type.utf8CodeUnitCount {
            guard let byte = bytes.next() else {
                return false
            }
            if byte >= 0x80 {
                return true
            }
            if ASCIIFolding.lowercased(byte) != ASCIIFolding.lowercased(type.utf8Start[index]) {
                return false
            }
        }
        guard let next = bytes.next() else {
            return false
        }
        return next == separator || next >= 0x80
    }
}

/// The cc:Mail address a MIGRATE proxy or a target names, exactly as `ProxyAddress.migrateTarget` and
/// `ProxyAddress.ccMailAddress` read it. The usual spelling, `MIGRATE<sep>CCMAIL:` or `CCMAIL:` in any ASCII case, is
/// recognised on the bytes and only the address after it is parsed: the split the general path makes (the first
/// separator ends the type), without its four intermediate strings per value. Anything else takes the general path.
struct ScannedValueReader {
    let separator: Character
    private let migratePrefix: [UInt8]
    private static let targetPrefix = Array("ccmail:".utf8)

    init(separator: Character) {
        self.separator = separator
        migratePrefix = Array("migrate\(separator)ccmail:".utf8)
    }

    /// What `ProxyAddress(parsing: value, separator: separator)?.migrateTarget` gives.
    func migrateTarget(_ value: String) -> CCMailAddress? {
        guard let rest = Self.after(migratePrefix, in: value) else {
            return ProxyAddress(parsing: value, separator: separator)?.migrateTarget
        }
        return try? CCMailAddress(parsing: rest)
    }

    /// What `ProxyAddress(parsing: value, separator: ":")?.ccMailAddress` gives.
    func target(_ value: String) -> CCMailAddress? {
        guard let rest = Self.after(Self.targetPrefix, in: value) else {
            return ProxyAddress(parsing: value, separator: ":")?.ccMailAddress
        }
        return try? CCMailAddress(parsing: rest)
    }

    /// The text after `prefix` (ASCII, small letters) when `value` begins with it in any ASCII case.
    private static func after(_ prefix: [UInt8], in value: String) -> String? {
        var bytes = value.utf8.makeIterator()
        for expected in prefix {
            guard let byte = bytes.next(), ASCIIFolding.lowercased(byte) == expected else {
                return nil
            }
        }
        return String(value[value.utf8.index(value.startIndex, offsetBy: prefix.count)...])
    }
}
