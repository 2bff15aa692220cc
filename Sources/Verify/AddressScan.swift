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
package struct AddressScan: Sendable {
    /// One value naming a cc:Mail address.
    package struct Found: Sendable, Hashable {
        /// The DN of the object carrying the value, as the server spelled it.
        package var dn: String
        package var attribute: String
        package var value: String
        package var address: CCMailAddress
        /// A MIGRATE value (else a target address).
        package var isMigrate: Bool
    }

    package var profile: Profile
    package var baseDN: DistinguishedName

    package init(profile: Profile, baseDN: DistinguishedName) {
        self.profile = profile
        self.baseDN = baseDN
    }

    /// The search: every MIGRATE proxy and CCMAIL target, or, for one user, only those that begin with their name.
    package func request(migrateName: CCMailName? = nil, targetName: CCMailName? = nil) -> SearchRequest {
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
    package func read(_ request: SearchRequest, from store: any DirectoryStore) throws(DirectoryStoreError) -> [Found] {
        // `request` asks for the proxy attribute, then the target attribute.
        let reader = ScannedValueReader(separator: profile.proxySeparator)
        var found: [Found] = []
        try store.searchSelected(request) { page in
            for entry in page {
                for value in entry[0] {
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
}

/// The cc:Mail address a MIGRATE proxy or a target names, exactly as `ProxyAddress.migrateTarget` and
/// `ProxyAddress.ccMailAddress` read it. The usual spelling, `MIGRATE<sep>CCMAIL:` or `CCMAIL:` in any ASCII case, is
/// recognised on the bytes and only the address after it is parsed: the split the general path makes (the first
/// separator ends the type), without its four intermediate strings per value. A proxy whose type is plainly not
/// MIGRATE (a mailbox's SMTP, X400 and CCMAIL values outnumber its MIGRATE value four to one) is turned away
/// without being split. Anything else takes the general path.
struct ScannedValueReader {
    let separator: Character
    private let separatorByte: UInt8?
    private let migratePrefix: [UInt8]
    private static let targetPrefix = Array("ccmail:".utf8)

    init(separator: Character) {
        self.separator = separator
        separatorByte = separator.asciiValue
        migratePrefix = Array("migrate\(separator)ccmail:".utf8)
    }

    /// What `ProxyAddress(parsing: value, separator: separator)?.migrateTarget` gives.
    func migrateTarget(_ value: String) -> CCMailAddress? {
        if let rest = Self.after(migratePrefix, in: value) {
            return try? CCMailAddress(parsing: rest)
        }
        // The type ends at the first separator character, which is the first separator byte unless a mark is joined
        // to that byte; then the type holds the separator and is no MIGRATE either. So a type that is not MIGRATE
        // up to the first separator byte is not MIGRATE at all.
        if let separatorByte, let end = value.utf8.firstIndex(of: separatorByte),
            !ProxyAddress.hasType(Substring(value.utf8[..<end]), "MIGRATE")
        {
            return nil
        }
        return ProxyAddress(parsing: value, separator: separator)?.migrateTarget
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
