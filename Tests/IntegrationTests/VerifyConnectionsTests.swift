import CCMail
import LDAPClient
import LDAPModel
import LDAPStore
import Sync
import TestSupport
import Testing
import Verify

/// `verify` spreads a large organisation's lookups over several connections, one thread each: on a real server the
/// verdicts are the ones a single connection gets, in the users' order.
@Suite struct VerifyConnectionsTests {
    @Test("lookups split over three connections give the verdicts of one", arguments: fixtureServers)
    func splitEqualsSingle(flavour: SchemaFlavour, kind: TestServerKind) async throws {
        try await kind.withServer(flavour) { server in
            let names = FixtureNames(flavour)
            let separator = try #require(names.proxySeparator.first)
            let base = try server.suffixDN
            let seeded = try server.adminConnection().searchAll(base: base, filter: .present("objectClass"))
            // Users the directory knows (by its MIGRATE values and cc:Mail targets) and users it does not.
            var addresses: [CCMailAddress] = []
            for entry in seeded {
                addresses += entry.strings(names.proxyAttribute).compactMap {
                    ProxyAddress(parsing: $0, separator: separator)?.migrateTarget
                }
                addresses += entry.strings(names.targetAttribute).compactMap {
                    ProxyAddress(parsing: $0, separator: ":")?.ccMailAddress
                }
            }
            #expect(addresses.count >= 3)
            for index in 0..<9 {
                addresses.append(CCMailAddress(name: CCMailName("Nobody\(index), Nina"), postOffice: CCMailName("PO9")))
            }
            var seen = Set<CCMailName>()
            let users = addresses.filter { seen.insert($0.name).inserted }.map {
                CCMailUser(name: $0.name, kind: .user, homePostOffice: $0.postOffice)
            }
            let directory = Directory(
                users: users, aliases: [], postOffices: [], conflicts: [], exclusions: [], findings: [])
            var verifier = Verifier(
                profile: ExchangeReaderTests.profile(flavour), baseDN: base,
                container: try DistinguishedName(parsing: names.contactContainer))
            verifier.usersPerSearch = 2
            let one = try verifier.lookUp(directory: directory, store: store(server))
            #expect(one.map(\.name) == users.map(\.name.text))
            #expect(one.contains { $0.status == .migrationReady })
            #expect(one.contains { $0.status == .unresolved })
            verifier.smallestPart = 1
            let three = try verifier.lookUp(
                directory: directory, stores: [try store(server), try store(server), try store(server)])
            #expect(three == one)
        }
    }

    private func store(_ server: any TestDirectoryServer) throws -> LDAPDirectoryStore {
        LDAPDirectoryStore(connection: try server.serviceConnection(), pageSize: 100, maxEntries: 10_000)
    }
}
