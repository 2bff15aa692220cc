import Foundation
import LDAPModel

/// The `exchange2000` fixture as Active Directory takes it.
///
/// The fixture is written for slapd, which starts empty. In a provisioned domain the suffix entry (the domain
/// object) already exists, so it is left out; and `homeMDB` is a DN-valued (linked) attribute in AD, whose
/// target must exist, so the mailbox stores the fixture's mailboxes name are created first, as plain
/// `container` objects below `CN=Services` of the configuration partition (where Exchange keeps them). Users
/// need nothing more: AD gives each a `sAMAccountName` and a disabled account without a password.
enum SambaADSeed {
    /// LDIF content records (for `ldapadd`) of the fixture's entries below `suffix`, the stores first; without the
    /// entries of `existing`, which the domain holds already (an `.empty` template's organizational units).
    static func ldif(
        fixture: URL, suffix: String, leavingOut existing: Set<DistinguishedName> = []
    ) throws -> String {
        let (all, domain) = try entries(fixture: fixture, suffix: suffix)
        let entries = all.filter { !existing.contains($0.dn) }
        let stores = try containers(for: entries.flatMap { $0.strings("homeMDB") }, domain: domain)
        return LDIFWriter().write(entries: stores + entries)
    }

    /// LDIF content records of the fixture's organizational units only (parents first, as in the fixture): the
    /// places ccdirsync reads and writes, empty, which need no schema extension.
    static func organizationalUnits(fixture: URL, suffix: String) throws -> String {
        let units = try entries(fixture: fixture, suffix: suffix).entries.filter { entry in
            entry.strings("objectClass").contains { $0.caseInsensitiveCompare("organizationalUnit") == .orderedSame }
        }
        return LDIFWriter().write(entries: units)
    }

    /// The fixture's entries below `suffix` (the domain object left out) and the domain's DN.
    private static func entries(fixture: URL, suffix: String) throws -> (entries: [Entry], domain: DistinguishedName) {
        let text: String
        do {
            text = try String(contentsOf: fixture, encoding: .utf8)
        } catch {
            throw SlapdError("cannot read the seed \(fixture.path): \(error)", server: "samba")
        }
        let records: [LDIFRecord]
        do {
            records = try LDIFReader().read(text, file: fixture.path)
        } catch {
            throw SlapdError("cannot parse the seed \(fixture.path): \(error)", server: "samba")
        }
        let domain: DistinguishedName
        do {
            domain = try DistinguishedName(parsing: suffix)
        } catch {
            throw SlapdError("the suffix \(suffix) is not a DN: \(error)", server: "samba")
        }
        var entries: [Entry] = []
        for record in records {
            guard case .content(let entry) = record else {
                throw SlapdError(
                    "the seed \(fixture.path) holds a change record; only entries are loaded", server: "samba")
            }
            if entry.dn != domain { entries.append(entry) }
        }
        return (entries, domain)
    }

    /// `container` entries for every DN in `values` and its parents below `CN=Services,CN=Configuration,<domain>`,
    /// parents first, each once.
    private static func containers(for values: [String], domain: DistinguishedName) throws -> [Entry] {
        let services = try DistinguishedName(parsing: "CN=Services,CN=Configuration,\(domain)")
        var made: [Entry] = []
        var seen = Set<DistinguishedName>()
        for value in values {
            let store: DistinguishedName
            do {
                store = try DistinguishedName(parsing: value)
            } catch {
                throw SlapdError("homeMDB value \(value) is not a DN: \(error)", server: "samba")
            }
            guard store.isDescendant(of: services) else {
                throw SlapdError("homeMDB value \(value) is not below \(services)", server: "samba")
            }
            var chain: [DistinguishedName] = []
            var current: DistinguishedName? = store
            while let dn = current, dn != services {
                chain.append(dn)
                current = dn.parent
            }
            for dn in chain.reversed() where seen.insert(dn).inserted {
                guard let rdn = dn.rdn else { continue }
                var entry = Entry(dn: dn)
                entry.add("objectClass", strings: ["top", "container"])
                entry.add("cn", strings: rdn.attributes.map(\.value))
                made.append(entry)
            }
        }
        return made
    }
}
