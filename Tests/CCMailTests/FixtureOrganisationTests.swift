import CCMail
import Testing

/// The sample organisation in `fixtures/ccmail/` read through the library: what an administrator would expect.
@Suite struct FixtureOrganisationTests {
    static func directory() throws -> Directory {
        Directory.merge(
            try CCMailFixtures.organisation(),
            configuration: DirectoryConfiguration(gateways: [CCMailName("INTERNET"): .ccMail]))
    }

    @Test func theExportsAreClean() throws {
        let exports = try CCMailFixtures.organisation()
        #expect(exports.allSatisfy { $0.findings.isEmpty })
        #expect(try Self.directory().findings.isEmpty)
    }

    @Test func theExportsAreWrittenAsEXPORTWritesThem() throws {
        for file in ["london.exp", "paris.exp", "zurich.exp"] {
            let bytes = try CCMailFixtures.bytes(file)
            #expect(bytes.last == 0x1A, "\(file) ends with Ctrl-Z")
            #expect(bytes.dropLast().suffix(2) == [0x0D, 0x0A], "\(file) uses CRLF")
            let bareLineFeeds = bytes.indices.filter { bytes[$0] == 0x0A && ($0 == 0 || bytes[$0 - 1] != 0x0D) }
            #expect(bareLineFeeds.isEmpty, "\(file) has no bare LF")
        }
    }

    @Test func accentedNamesAreStoredAsCP850AndReadAsUnicode() throws {
        let paris = try CCMailFixtures.bytes("paris.exp")
        // "Hélène" in CP850: é = 0x82, è = 0x8A.
        #expect(paris.indices.contains { Array(paris[$0...].prefix(6)) == [0x48, 0x82, 0x6C, 0x8A, 0x6E, 0x65] })
        let names = try Self.directory().users.map(\.name.text)
        for name in [
            "Dupont, Hélène", "Lefèvre, François", "Garçon, Noël", "Müller, Jürgen", "Øster, Åse", "Weiß, Günter",
        ] {
            #expect(names.contains(name), "\(name)")
        }
    }

    @Test func usersSeenFromSeveralExportsAreMerged() throws {
        let directory = try Self.directory()
        let smith = try #require(directory.user(named: CCMailName("smith, john")))
        #expect(smith.name.text == "Smith, John")
        #expect(smith.homePostOffice.text == "LONDON")
        #expect(smith.sources.map(\.file) == ["london.exp", "paris.exp", "zurich.exp"])
        let dupont = try #require(directory.user(named: CCMailName("Dupont, Hélène")))
        #expect(dupont.comments == "Direction générale")
    }

    @Test func everyKindOfEntryIsThere() throws {
        let directory = try Self.directory()
        #expect(directory.users.count == 13)
        #expect(
            directory.users.filter { $0.kind == .mobile }.map(\.name.text) == [
                "Garçon, Noël", "Keller, Urs", "Miller, Ann", "Taylor, Sam J.", "Weiß, Günter",
            ])
        #expect(directory.aliases.map(\.name.text) == ["Jones, Bob", "Secrétariat"])
        #expect(
            directory.postOffices.map(\.name.text) == ["EXSITE", "GENEVA", "INTERNET", "LONDON", "PARIS", "ZURICH"])
        #expect(directory.user(named: CCMailName("Bianchi, Lucia"))?.address.description == "Bianchi, Lucia at GENEVA")
        let geneva = try #require(directory.postOffice(named: CCMailName("GENEVA")))
        #expect(geneva.links.filter { $0.route != nil }.map(\.seenFrom.text) == ["LONDON", "PARIS"])
    }

    @Test func gatewayUsersAndTheExchangeSite() throws {
        let directory = try Self.directory()
        #expect(
            directory.user(named: CCMailName("Miller, Ann"))?.address.description
                == "ann.miller@example.com at INTERNET")
        #expect(
            directory.user(named: CCMailName("Keller, Urs"))?.address.description == "urs.keller@example.ch at INTERNET"
        )
        #expect(directory.exclusions.map(\.name.text) == ["EXSITE", "Exchange, Ed", "Exchange, Eve"])
        #expect(directory.user(named: CCMailName("Exchange, Eve")) == nil)
    }

    @Test func theNameWithoutACommaIsAllSurname() throws {
        let postmaster = try #require(try Self.directory().user(named: CCMailName("Postmaster")))
        #expect(postmaster.surname == "Postmaster")
        #expect(postmaster.givenName == nil)
    }
}
