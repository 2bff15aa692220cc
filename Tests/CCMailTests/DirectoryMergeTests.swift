import CCMail
import TestSupport
import Testing

@Suite struct DirectoryMergeTests {
    static func po1(_ lines: [String]) -> ParsedExport {
        Export.parse(lines: lines, postOffice: "PO1", file: "po1.exp")
    }

    static func po2(_ lines: [String]) -> ParsedExport {
        Export.parse(lines: lines, postOffice: "PO2", file: "po2.exp")
    }

    @Test func aUserSeenFromTwoExportsIsOneUser() throws {
        let directory = Directory.merge([
            Self.po1(["Name: Smith, John", "Addr:", "Loc: L", "Comments: jsmith"]),
            Self.po2(["Name: PO1", "Loc: P", "", "Name: SMITH,  JOHN", "Addr: po1", "Loc: l"]),
        ])
        #expect(directory.findings.isEmpty)
        let user = try #require(directory.users.first)
        #expect(directory.users.count == 1)
        #expect(user.name.text == "Smith, John", "the spelling of the entry held on its home post office wins")
        #expect(user.homePostOffice.text == "PO1", "post offices are spelled as the export's name spells them")
        #expect(user.comments == "jsmith")
        #expect(user.address.description == "Smith, John at PO1")
        #expect(user.sources == [Location(file: "po1.exp", line: 1), Location(file: "po2.exp", line: 4)])
        #expect(user.surname == "Smith")
        #expect(user.givenName == "John")
    }

    @Test func disagreeingHomePostOfficesAreAConflictNamingBothPlaces() throws {
        let directory = Directory.merge([
            Self.po1(["Name: Other", "Loc: L", "", "Name: Doe, Jane", "Addr: PO3", "Loc: l"]),
            Self.po2(["Name: doe, jane", "Addr:", "Loc: L"]),
        ])
        #expect(directory.users.map(\.name.text) == ["Other"], "the disputed user is left out")
        let conflict = try #require(directory.conflicts.first)
        #expect(conflict.subject == .homePostOffice)
        #expect(conflict.claims.map(\.value) == ["PO3", "PO2"])
        #expect(
            directory.findings.map(\.description) == [
                "po2.exp:1:1: error: 'Doe, Jane' is homed on PO2 here but on PO3 at po1.exp:4; left out"
            ])
        #expect(directory.hasErrors)
    }

    @Test func threeExportsWithThreeHomesNameAllOtherPlaces() throws {
        let directory = Directory.merge([
            Self.po1(["Name: X", "Addr: PO7", "Loc: l"]),
            Self.po2(["Name: X", "Addr: PO8", "Loc: l"]),
            Export.parse(lines: ["Name: X", "Addr: PO9", "Loc: l"], postOffice: "PO3", file: "po3.exp"),
        ])
        let finding = try #require(directory.findings.first)
        #expect(finding.message == "'X' is homed on PO8 here but on PO7 at po1.exp:1 and PO9 at po3.exp:1; left out")
    }

    @Test func disagreeingForeignAliasNamesAreAConflict() {
        let directory = Directory.merge([
            Self.po1(["Name: Miller, Ann", "Addr: INTERNET ann@example.com", "Loc: r"]),
            Self.po2(["Name: Miller, Ann", "Addr: INTERNET ann.miller@example.com", "Loc: r"]),
        ])
        #expect(directory.users.isEmpty)
        #expect(directory.conflicts.map(\.subject) == [.foreignAliasName])
    }

    @Test func aForeignAliasNameGivenByOneExportOnlyIsKept() throws {
        let directory = Directory.merge(
            [
                Self.po1(["Name: Miller, Ann", "Addr: INTERNET", "Loc: r"]),
                Self.po2(["Name: Miller, Ann", "Addr: INTERNET ann@example.com", "Loc: r"]),
            ], configuration: DirectoryConfiguration(gateways: [CCMailName("INTERNET"): .ccMail]))
        #expect(directory.findings.isEmpty)
        #expect(try #require(directory.users.first).address.description == "ann@example.com at INTERNET")
    }

    @Test func aNameThatIsAUserAndAnAliasIsLeftOutAsBoth() {
        let directory = Directory.merge([
            Self.po1(["Name: Smith, John", "Loc: L"]),
            Self.po2(["Name: smith, john", "Addr: Doe, Jane", "Loc: A"]),
        ])
        #expect(directory.users.isEmpty)
        #expect(directory.aliases.isEmpty)
        #expect(directory.conflicts.map(\.subject) == [.entryKind])
        #expect(
            directory.findings.map(\.description) == [
                "po2.exp:1:1: error: 'Smith, John' is an alias here but a user at po1.exp:1; left out"
            ])
    }

    @Test func aUserNamedLikeAPostOfficeIsLeftOutButThePostOfficeStays() {
        let directory = Directory.merge([Self.po1(["Name: PO2", "Loc: P", "", "Name: po2", "Loc: L"])])
        #expect(directory.users.isEmpty)
        #expect(directory.postOffices.map(\.name.text) == ["PO1", "PO2"])
        #expect(directory.conflicts.first?.claims.map(\.value) == ["post office", "user"])
    }

    @Test func aUserNamedLikeAnExportedPostOfficeIsAConflict() {
        let directory = Directory.merge([Self.po1(["Name: A", "Loc: L"]), Self.po2(["Name: PO1", "Loc: L"])])
        #expect(directory.users.map(\.name.text) == ["A"])
        #expect(directory.conflicts.count == 1)
    }

    @Test func aNameTwiceInOneExportIsMergedWithAWarning() {
        let directory = Directory.merge([Self.po1(["Name: A", "Loc: L", "", "Name: a", "Loc: L"])])
        #expect(directory.users.count == 1)
        #expect(
            directory.findings.map(\.description) == [
                "po1.exp:4:1: warning: 'a' appears again in this export (first at line 1)"
            ])
    }

    @Test func twoExportsOfOnePostOfficeAreAnError() {
        let directory = Directory.merge([Self.po1(["Name: A", "Loc: L"]), Export.parse(lines: ["Name: B", "Loc: L"])])
        #expect(
            directory.findings.map(\.message) == ["two exports are taken from post office PO1 (the other is po1.exp)"])
    }

    @Test func postOfficesMergeWithHowEachExportSeesThem() throws {
        let directory = Directory.merge([
            Self.po1(["Name: HUB", "Loc: P", "", "Name: FAR", "Addr: HUB", "Loc: p"]),
            Self.po2(["Name: far", "Addr: PO1", "Loc: p", "", "Name: PO1", "Loc: P"]),
        ])
        #expect(directory.postOffices.map(\.name.text) == ["FAR", "HUB", "PO1", "PO2"])
        let far = try #require(directory.postOffice(named: CCMailName("far")))
        #expect(far.connection == .indirect(via: CCMailName("HUB")))
        #expect(far.links.map(\.seenFrom.text) == ["PO1", "PO2"])
        #expect(far.links.map(\.route?.text) == ["HUB", "PO1"])
        let po1 = try #require(directory.postOffice(named: CCMailName("PO1")))
        #expect(po1.connection == .exported)
        #expect(po1.exportFile == "po1.exp")
        #expect(directory.postOffice(named: CCMailName("HUB"))?.connection == .direct)
    }

    @Test func directBeatsIndirect() {
        let directory = Directory.merge([
            Self.po1(["Name: FAR", "Addr: PO2", "Loc: p"]), Self.po2(["Name: FAR", "Loc: P"]),
        ])
        #expect(directory.postOffice(named: CCMailName("FAR"))?.connection == .direct)
    }

    @Test func aliasesMerge() throws {
        let directory = Directory.merge([
            Self.po1(["Name: Jones, Bob", "Addr: Smith, John", "Loc: a"]),
            Self.po2(["Name: Jones, Bob", "Addr: Smith, John", "Loc: A", "Comments: old name"]),
        ])
        let alias = try #require(directory.alias(named: CCMailName("JONES, BOB")))
        #expect(directory.aliases.count == 1)
        #expect(alias.target == "Smith, John")
        #expect(alias.comments == "old name")
        #expect(alias.isHeldOnExportedPostOffice)
        #expect(alias.sources.count == 2)
    }

    @Test func resultIsSortedAndDoesNotDependOnInputOrder() {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        let lines = (0..<40).flatMap { index in
            let letter = letters[(index * 7) % 26]
            let code = index % 2 == 0 ? "L" : "R"
            return ["Name: User \(letter)\(index)", "Loc: \(code)", ""]
        }
        var generator = SeededGenerator(seed: 7)
        var records = stride(from: 0, to: lines.count, by: 3).map { Array(lines[$0..<$0 + 3]) }
        let forward = Directory.merge([Self.po1(records.flatMap { $0 })])
        records.shuffle(using: &generator)
        let shuffled = Directory.merge([Self.po1(records.flatMap { $0 })])
        #expect(forward.users.map(\.name) == shuffled.users.map(\.name))
        #expect(forward.users.map(\.name) == forward.users.map(\.name).sorted())
        #expect(forward.users.count == 40)
    }
}

@Suite struct ExclusionTests {
    static let exports = [
        Export.parse(
            lines: [
                "Name: EXSITE", "Addr:", "Loc: P", "Comments: MSExchangeCCMC EXCH01", "",
                "Name: OLDPO", "Loc: P", "",
                "Name: Smith, John", "Loc: L", "",
                "Name: Exchange, Eve", "Addr: EXSITE eve@example.com", "Loc: l", "",
                "Name: Old, Otto", "Addr: OLDPO", "Loc: l", "",
                "Name: Gone, Gina", "Addr: NOWHERE", "Loc: l",
            ], postOffice: "PO1", file: "po1.exp")
    ]

    @Test func exchangeSitePostOfficesAndTheirUsersAreExcluded() throws {
        let directory = Directory.merge(Self.exports)
        #expect(directory.users.map(\.name.text) == ["Gone, Gina", "Old, Otto", "Smith, John"])
        let site = try #require(directory.postOffice(named: CCMailName("EXSITE")))
        #expect(site.isExchangeSite)
        #expect(site.isExcluded)
        #expect(
            directory.exclusions.map(\.description) == [
                "post office 'EXSITE': Exchange site post office (comment 'MSExchangeCCMC EXCH01')",
                "user 'Exchange, Eve': homed on excluded post office EXSITE",
            ])
        #expect(
            directory.exclusions.map(\.sources) == [
                [Location(file: "po1.exp", line: 1)], [Location(file: "po1.exp", line: 12)],
            ])
        #expect(directory.findings.isEmpty, "exclusions are not problems")
    }

    @Test func configuredPostOfficesAndTheirUsersAreExcluded() {
        let configuration = DirectoryConfiguration(excludedPostOffices: [CCMailName("oldpo"), CCMailName("NOWHERE")])
        let directory = Directory.merge(Self.exports, configuration: configuration)
        #expect(directory.users.map(\.name.text) == ["Smith, John"])
        #expect(
            directory.exclusions.map(\.description) == [
                "post office 'EXSITE': Exchange site post office (comment 'MSExchangeCCMC EXCH01')",
                "post office 'OLDPO': excluded by configuration",
                "user 'Exchange, Eve': homed on excluded post office EXSITE",
                "user 'Gone, Gina': homed on excluded post office NOWHERE",
                "user 'Old, Otto': homed on excluded post office OLDPO",
            ])
    }

    @Test func excludingTheExportedPostOfficeExcludesItsLocalUsers() {
        let directory = Directory.merge(
            Self.exports, configuration: DirectoryConfiguration(excludedPostOffices: [CCMailName("PO1")]))
        #expect(!directory.users.contains { $0.name.text == "Smith, John" })
        #expect(directory.exclusions.contains { $0.name.text == "PO1" && $0.sources.first?.line == 1 })
    }
}

@Suite struct GatewayAddressTests {
    static let export = Export.parse(
        lines: [
            "Name: INTERNET", "Loc: P", "",
            "Name: Miller, Ann", "Addr: INTERNET ann.miller@example.com", "Loc: r", "",
            "Name: mrochek@example.com", "Addr: internet", "Loc: r", "",
            "Name: Doe, Jane", "Addr: INTERNET", "Loc: l", "",
            "Name: Smith, John", "Loc: L",
        ], postOffice: "PO1", file: "po1.exp")

    static func addresses(_ mode: GatewayMode?) -> [String: String] {
        let gateways = mode.map { [CCMailName("Internet"): $0] } ?? [:]
        let directory = Directory.merge([export], configuration: DirectoryConfiguration(gateways: gateways))
        return Dictionary(uniqueKeysWithValues: directory.users.map { ($0.name.text, $0.address.description) })
    }

    @Test func ccMailModeAddressesTheForeignAliasNameAtTheGateway() {
        let addresses = Self.addresses(.ccMail)
        #expect(addresses["Miller, Ann"] == "ann.miller@example.com at INTERNET")
        #expect(addresses["mrochek@example.com"] == "mrochek@example.com at INTERNET")
        #expect(addresses["Doe, Jane"] == "Doe, Jane at INTERNET")
        #expect(addresses["Smith, John"] == "Smith, John at PO1")
    }

    @Test func smtpModeAddressesTheForeignAliasNameBySMTP() {
        let addresses = Self.addresses(.smtp)
        #expect(addresses["Miller, Ann"] == "SMTP:ann.miller@example.com")
        #expect(addresses["mrochek@example.com"] == "SMTP:mrochek@example.com")
        #expect(addresses["Smith, John"] == "Smith, John at PO1")
    }

    @Test func smtpModeWithoutAnAddressKeepsTheCCMailFormAndWarns() {
        let directory = Directory.merge(
            [Self.export], configuration: DirectoryConfiguration(gateways: [CCMailName("INTERNET"): .smtp]))
        #expect(directory.user(named: CCMailName("Doe, Jane"))?.address.description == "Doe, Jane at INTERNET")
        #expect(directory.warnings.map(\.category) == [.gateway])
        #expect(directory.warnings.first?.location.line == 12)
    }

    @Test func withoutGatewayConfigurationTheGatewayIsAnOrdinaryPostOffice() {
        let addresses = Self.addresses(nil)
        #expect(addresses["Miller, Ann"] == "Miller, Ann at INTERNET")
    }

    @Test func gatewayModeIsShownOnThePostOffice() {
        let directory = Directory.merge(
            [Self.export], configuration: DirectoryConfiguration(gateways: [CCMailName("INTERNET"): .smtp]))
        #expect(directory.postOffice(named: CCMailName("INTERNET"))?.gateway == .smtp)
    }

    @Test func gatewayUsersKeepTheirForeignAliasName() throws {
        let directory = Directory.merge([Self.export])
        #expect(
            try #require(directory.user(named: CCMailName("Miller, Ann"))).foreignAliasName == "ann.miller@example.com")
    }
}
