import CCMail
import Testing

@Suite struct LocationCodeTests {
    @Test(arguments: [
        ("P", LocationCode.directPostOffice, LocationCode.EntryKind.postOffice, true),
        ("p", .indirectPostOffice, .postOffice, false),
        ("L", .localUser, .user, true),
        ("l", .remoteUser, .user, false),
        ("R", .localMobileUser, .mobileUser, true),
        ("r", .remoteMobileUser, .mobileUser, false),
        ("A", .localAlias, .alias, true),
        ("a", .remoteAlias, .alias, false),
    ])
    func everyLetterHasItsMeaning(letter: String, code: LocationCode, kind: LocationCode.EntryKind, isHeldHere: Bool) {
        #expect(LocationCode(text: letter) == code)
        #expect(code.entryKind == kind)
        #expect(code.isHeldHere == isHeldHere)
        #expect(code.description == letter)
    }

    @Test(arguments: ["B", "x", "1", "LL", "Lr", "", "ß", "P "])
    func otherTextIsNotALocationCode(text: String) {
        #expect(LocationCode(text: text) == nil)
    }

    @Test(arguments: ["B", "Z", "m", "?"])
    func unknownLetterIsAWarningAndTheRecordIsSkipped(letter: String) throws {
        let parsed = Export.parse(lines: [
            "Name: Smith, John", "Addr:", "Loc: \(letter)", "", "Name: Doe, Jane", "Loc: L",
        ])
        let warning = try #require(parsed.findings.first)
        #expect(parsed.findings.count == 1)
        #expect(warning.severity == .warning)
        #expect(warning.category == .unknownLocationCode)
        #expect(warning.location == Location(file: "po1.exp", line: 3, column: 6))
        #expect(warning.message.contains("'\(letter)'"))
        #expect(parsed.entries.map(\.name.text) == ["Doe, Jane"])
    }

    @Test func twoLetterCodeIsAWarningToo() throws {
        let warning = try #require(Export.parse(lines: ["Name: A", "Loc: LL"]).findings.first)
        #expect(warning.severity == .warning)
        #expect(warning.message.hasPrefix("location code 'LL' is not one letter"))
    }

    @Test func emptyCodeIsAnError() throws {
        let finding = try #require(Export.parse(lines: ["Name: A", "Loc:"]).findings.first)
        #expect(finding.severity == .error)
        #expect(finding.description == "po1.exp:2:5: error: Loc of 'A' is empty")
    }
}

@Suite struct ExportEntryTests {
    @Test func directPostOffice() throws {
        let entry = try #require(Export.parse(lines: ["Name: PO2", "Addr:", "Loc: P", "Comments: hub"]).entries.first)
        guard case .postOffice(let postOffice) = entry else {
            Issue.record("not a post office: \(entry)")
            return
        }
        #expect(postOffice.name.text == "PO2")
        #expect(postOffice.code == .directPostOffice)
        #expect(postOffice.route == nil)
        #expect(postOffice.comments == "hub")
        #expect(!postOffice.isExchangeSite)
    }

    @Test func indirectPostOfficeHasItsRoute() throws {
        let entry = try #require(Export.parse(lines: ["Name: FAR", "Addr: HUB2", "Loc: p"]).entries.first)
        guard case .postOffice(let postOffice) = entry else {
            Issue.record("not a post office: \(entry)")
            return
        }
        #expect(postOffice.code == .indirectPostOffice)
        #expect(postOffice.route?.text == "HUB2")
    }

    @Test func indirectPostOfficeWithoutRouteIsAnError() throws {
        let finding = try #require(Export.parse(lines: ["Name: FAR", "Loc: p"]).findings.first)
        #expect(finding.location == Location(file: "po1.exp", line: 2, column: 6))
        #expect(finding.message.contains("needs Addr"))
    }

    @Test(arguments: ["MSExchangeCCMC EXCH01", "msexchangeccmc", "MSExchangeCCMC"])
    func exchangeSiteIsRecognisedByItsComment(comment: String) throws {
        let entry = try #require(Export.parse(lines: ["Name: EX", "Loc: P", "Comments: \(comment)"]).entries.first)
        guard case .postOffice(let postOffice) = entry else {
            Issue.record("not a post office")
            return
        }
        #expect(postOffice.isExchangeSite)
    }

    @Test(arguments: [("L", UserKind.user), ("R", .mobile)])
    func localUsersAreHomedOnTheExportsPostOffice(letter: String, kind: UserKind) throws {
        let parsed = Export.parse(
            lines: ["Name: Smith, John", "Addr:", "Loc: \(letter)", "Comments: jsmith;43/3019"], postOffice: "HQ")
        let user = try #require(parsed.users.first)
        #expect(user.homePostOffice.text == "HQ")
        #expect(user.kind == kind)
        #expect(user.foreignAliasName == nil)
        #expect(user.comments == "jsmith;43/3019")
        #expect(user.location == Location(file: "po1.exp", line: 1))
    }

    @Test(arguments: [("l", UserKind.user), ("r", .mobile)])
    func remoteUsersAreHomedOnTheFirstWordOfAddr(letter: String, kind: UserKind) throws {
        let parsed = Export.parse(lines: [
            "Name: Miller, Ann", "Addr: INTERNET  ann.miller@example.com ", "Loc: \(letter)",
        ])
        let user = try #require(parsed.users.first)
        #expect(user.homePostOffice.text == "INTERNET")
        #expect(user.foreignAliasName == "ann.miller@example.com")
        #expect(user.kind == kind)
    }

    @Test func foreignAliasNameKeepsItsInnerSpaces() throws {
        let user = try #require(Export.parse(lines: ["Name: X", "Addr: GW Ann  Miller", "Loc: r"]).users.first)
        #expect(user.foreignAliasName == "Ann  Miller")
    }

    @Test func remoteUserWithoutFANHasNone() throws {
        let user = try #require(Export.parse(lines: ["Name: Doe, Jane", "Addr: PO2", "Loc: l"]).users.first)
        #expect(user.homePostOffice.text == "PO2")
        #expect(user.foreignAliasName == nil)
    }

    @Test(arguments: ["l", "r"])
    func remoteUserWithEmptyAddrIsAnError(letter: String) throws {
        let finding = try #require(
            Export.parse(lines: ["Name: Doe, Jane", "Addr:  ", "Loc: \(letter)"]).findings.first)
        #expect(finding.severity == .error)
        #expect(finding.location == Location(file: "po1.exp", line: 2, column: 6))
        #expect(finding.message == "'Doe, Jane' (Loc \(letter)) needs Addr: <home post office> [foreign alias name]")
    }

    @Test func remoteUserWithoutAddrLineIsAnErrorAtItsLoc() throws {
        let finding = try #require(Export.parse(lines: ["Name: Doe, Jane", "Loc: l"]).findings.first)
        #expect(finding.location == Location(file: "po1.exp", line: 2, column: 6))
    }

    @Test(arguments: [("A", LocationCode.localAlias), ("a", .remoteAlias)])
    func aliasesKeepTheirTarget(letter: String, code: LocationCode) throws {
        let entry = try #require(
            Export.parse(lines: ["Name: Jones, Bob", "Addr: Smith, John", "Loc: \(letter)"]).entries.first)
        guard case .alias(let alias) = entry else {
            Issue.record("not an alias: \(entry)")
            return
        }
        #expect(alias.code == code)
        #expect(alias.target == "Smith, John")
    }

    @Test(arguments: ["Name:", "Name:    ", "Name: \t "])
    func nameOfOnlySpacesIsAnError(line: String) throws {
        let finding = try #require(Export.parse(lines: [line, "Loc: L"]).findings.first)
        #expect(finding.message == "Name is empty")
        #expect(finding.location == Location(file: "po1.exp", line: 1, column: 6))
    }

    @Test func recordWithoutNameIsAnError() {
        let parsed = Export.parse(lines: ["Addr:", "Loc: L"])
        #expect(parsed.findings.map(\.description) == ["po1.exp:1:1: error: record has no Name line"])
    }
}
