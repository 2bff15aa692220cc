import Foundation
import LDAPClient
import LDAPModel
import LDAPStore
import Sync
import TestSupport
import Testing

/// The engine's reader over a real server (slapd, and Samba AD for exchange2000) sees exactly what it sees over the
/// in-memory store loaded from the same seed LDIF: so the in-memory tests of every rule speak for the real servers
/// too.
@Suite(.serialized) struct ExchangeReaderTests {
    static func profile(_ flavour: SchemaFlavour) -> Profile {
        flavour == .exchange55 ? .exchange55 : .exchange2000
    }

    static func reader(_ flavour: SchemaFlavour) throws -> ExchangeReader {
        let names = FixtureNames(flavour)
        let base = try DistinguishedName(parsing: flavour == .exchange55 ? "ou=Site,o=Org" : "dc=example,dc=org")
        return ExchangeReader(
            profile: profile(flavour), baseDN: base, container: try DistinguishedName(parsing: names.contactContainer))
    }

    /// Mailboxes, owned and foreign objects as sorted, comparable text.
    static func picture(_ directory: ExchangeDirectory) -> [String] {
        directory.mailboxes.map { "mailbox \($0.dn.normalized) \($0.proxyValues.sorted())" }
            + directory.owned.map {
                "owned \($0.ccMailName.normalized) \($0.object.dn.normalized) \($0.object.target ?? "")"
            }
            + directory.foreign.map { "foreign \($0.kind.rawValue) \($0.dn.normalized) \($0.target ?? "")" }
    }

    @Test(
        "the server and the in-memory store give the same picture of the seed, page by page",
        arguments: fixtureServers)
    func sameAsInMemory(flavour: SchemaFlavour, kind: TestServerKind) async throws {
        let seed = try Data(contentsOf: ProjectPaths.seedLDIF(flavour))
        let entries = try LDIFReader().read([UInt8](seed)).compactMap { record -> Entry? in
            if case .content(let entry) = record { return entry }
            return nil
        }
        let reader = try Self.reader(flavour)
        let memory = InMemoryDirectoryStore(entries: entries)
        let expected = try reader.read(from: memory)
        #expect(!expected.mailboxes.isEmpty)
        try await kind.withServer(flavour) { server in
            let store = LDAPDirectoryStore(connection: try server.serviceConnection(), pageSize: 2, maxEntries: 10_000)
            let read = try reader.read(from: store)
            #expect(Self.picture(read) == Self.picture(expected))
            #expect(read.mailboxes.count == expected.mailboxes.count)
            // Two connections, the second on its own thread: the same picture.
            let both = try reader.read(
                from: LDAPDirectoryStore(connection: try server.serviceConnection(), pageSize: 2, maxEntries: 10_000)
            ) {
                LDAPDirectoryStore(connection: try server.serviceConnection(), pageSize: 3, maxEntries: 10_000)
            }
            #expect(Self.picture(both) == Self.picture(expected))
            #expect(both.knownDNs == expected.knownDNs)
        }
    }

    /// slapd only: the failure is the caller's, no server's behaviour is involved.
    @Test("when the second connection cannot be opened, the read fails with its error")
    func secondConnectionFails() async throws {
        struct Refused: Error {}
        try await withSlapd(SlapdConfiguration(flavour: .exchange55)) { server in
            let store = LDAPDirectoryStore(connection: try server.serviceConnection(), pageSize: 2, maxEntries: 10_000)
            #expect(throws: Refused.self) {
                try Self.reader(.exchange55).read(from: store) { () throws -> any DirectoryStore in throw Refused() }
            }
        }
    }

    @Test("a search that returns more than maxEntries is an error, not a truncated read", arguments: fixtureServers)
    func maxEntries(flavour: SchemaFlavour, kind: TestServerKind) async throws {
        try await kind.withServer(flavour) { server in
            let store = LDAPDirectoryStore(connection: try server.serviceConnection(), pageSize: 2, maxEntries: 3)
            #expect(throws: DirectoryStoreError.self) { try Self.reader(flavour).read(from: store) }
        }
    }

    @Test("a server that went away is reported as unavailable", arguments: TestServerKind.allCases)
    func unavailable(kind: TestServerKind) async throws {
        var store: LDAPDirectoryStore?
        try await kind.withServer(.exchange2000) { server in
            store = LDAPDirectoryStore(connection: try server.serviceConnection(), pageSize: 100, maxEntries: 100)
        }
        let stopped = try #require(store)
        let error = try #require(throws: DirectoryStoreError.self) {
            try Self.reader(.exchange2000).read(from: stopped)
        }
        #expect(error.isUnavailable, "\(error)")
    }
}
