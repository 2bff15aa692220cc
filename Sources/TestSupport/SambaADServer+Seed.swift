import Foundation
import LDAPModel

extension SambaADServer {
    /// Adds the entries of `seed`, LDIF written for slapd (a fixture, or `ccdirsync-generate`'s `seed.ldif`), as AD
    /// takes them (`SambaADSeed`: without the domain object, with the mailbox stores `homeMDB` names), with ldapadd
    /// as the Administrator over ldaps. Organizational units the domain has already (an `.empty` template holds the
    /// fixture's) are left out. One write at a time: about 10 ms an entry.
    package func load(seed: URL) throws {
        let units = try ldapsearch(filter: "(objectClass=organizationalUnit)", attributes: ["1.1"])
        var existing = Set<DistinguishedName>()
        for line in units.split(separator: "\n") where line.hasPrefix("dn:") {
            let value = line.dropFirst("dn:".count)
            let text =
                value.hasPrefix(":")
                ? Data(base64Encoded: String(value.dropFirst()).trimmingCharacters(in: .whitespaces))
                    .map { String(decoding: $0, as: UTF8.self) } ?? ""
                : value.trimmingCharacters(in: .whitespaces)
            do {
                existing.insert(try DistinguishedName(parsing: text))
            } catch {
                throw SlapdError("ldapsearch returned '\(line)', which is not a DN: \(error)", server: "samba")
            }
        }
        try ldapadd(try SambaADSeed.ldif(fixture: seed, suffix: suffix, leavingOut: existing))
    }
}
