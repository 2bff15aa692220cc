import Foundation

extension SambaADServer {
    /// Adds the entries of `seed`, LDIF written for slapd (a fixture, or `ccdirsync-generate`'s `seed.ldif`), as AD
    /// takes them (`SambaADSeed`: without the domain object, with the mailbox stores `homeMDB` names), with ldapadd
    /// as the Administrator over ldaps. One write at a time: about 5 ms an entry.
    package func load(seed: URL) throws {
        try ldapadd(try SambaADSeed.ldif(fixture: seed, suffix: suffix))
    }
}
