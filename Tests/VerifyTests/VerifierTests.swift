import CCMail
import LDAPModel
import Sync
import TestSupport
import Testing

@testable import Verify

/// The verdicts of `verify`, their precedence and the objects each lists, on in-memory organisations.
@Suite struct VerifierTests {
    static func verify(_ scenario: Scenario, only: String? = nil, usersPerSearch: Int = 1) throws -> Verification {
        let store = InMemoryDirectoryStore(entries: scenario.entries)
        var verifier = Verifier(
            profile: scenario.profile, baseDN: Scenario.base(scenario.profile), container: scenario.container)
        verifier.usersPerSearch = usersPerSearch
        return try verifier.verify(
            directory: scenario.directory, only: only.map(CCMailName.init), lookups: store, scan: store)
    }

    @Test("every verdict, with the objects that cause it", arguments: bothProfiles)
    func verdicts(profile: Profile) throws {
        var scenario = Scenario(profile)
        scenario.user("Smith, John", "LONDON")
        let smith = scenario.mailbox(
            "JSmith", given: "John", sur: "Smith", proxies: [scenario.migrate("Smith, John", "LONDON")])
        scenario.user("Doe, Ann", "LONDON")
        let doe = scenario.ownedRecipient("ADoe", name: "Doe, Ann", po: "LONDON", display: "Ann Doe")
        scenario.user("Gone, Greta", "LONDON")
        scenario.user("Twin, Tom", "LONDON")
        let twin1 = scenario.mailbox(
            "TTwin", given: "Tom", sur: "Twin", proxies: [scenario.migrate("Twin, Tom", "LONDON")])
        let twin2 = scenario.mailbox(
            "TTwin2", given: "Tom", sur: "Twin", proxies: [scenario.migrate("Twin, Tom", "LONDON")])
        scenario.user("Moved, Max", "LONDON")
        let moved = scenario.mailbox(
            "MMoved", given: "Max", sur: "Moved", proxies: [scenario.migrate("Moved, Max", "PARIS")])
        // Bea's mailbox is right, but a connector-made recipient still sends her mail to PARIS: stale wins.
        scenario.user("Both, Bea", "LONDON")
        scenario.mailbox("BBoth", given: "Bea", sur: "Both", proxies: [scenario.migrate("Both, Bea", "LONDON")])
        let beaOld = scenario.foreignRecipient("BBothOld", target: "CCMAIL:Both, Bea at PARIS")
        // Cy is answered twice and also stale: ambiguous wins.
        scenario.user("Clash, Cy", "LONDON")
        scenario.foreignRecipient("CClash1", target: "CCMAIL:Clash, Cy at LONDON")
        scenario.foreignRecipient("CClash2", target: "CCMAIL:Clash, Cy at LONDON")
        scenario.foreignRecipient("CClashOld", target: "CCMAIL:Clash, Cy at ZURICH")
        // A MIGRATE value on a custom recipient is no use to the Migration Wizard.
        scenario.user("Odd, Olga", "LONDON")
        var odd = Entry(dn: scenario.container.child(RelativeDistinguishedName(type: "cn", value: "OOdd")))
        odd.add("objectClass", strings: profile.customRecipientObjectClasses)
        odd.add(profile.proxyAttribute, strings: [scenario.migrate("Odd, Olga", "LONDON")])
        scenario.entries.append(odd)
        // Nobody in cc:Mail is called Ned.
        let orphanHolder = scenario.mailbox(
            "Extra", given: nil, sur: "Extra", proxies: [scenario.migrate("Nobody, Ned", "LONDON")])

        let verification = try Self.verify(scenario)
        // Many users per search give exactly the answers of one search per lookup, whatever the grouping.
        for usersPerSearch in [2, 3, 200] {
            #expect(try Self.verify(scenario, usersPerSearch: usersPerSearch) == verification, "\(usersPerSearch)")
        }
        // Split over three stores, one part each, the lookups give the verdicts of one store, in the same order.
        var verifier = Verifier(profile: profile, baseDN: Scenario.base(profile), container: scenario.container)
        verifier.smallestPart = 1
        let stores = (0..<3).map { _ in InMemoryDirectoryStore(entries: scenario.entries) }
        let split = try verifier.lookUp(directory: scenario.directory, stores: stores)
        let single = try verifier.lookUp(
            directory: scenario.directory, store: InMemoryDirectoryStore(entries: scenario.entries))
        #expect(split == single)
        #expect(stores.allSatisfy { !$0.requests.isEmpty }, "every store answers a part")
        func user(_ name: String) throws -> Verification.User {
            try #require(verification.users.first { $0.name == name })
        }
        #expect(try user("Smith, John").status == .migrationReady)
        #expect(try user("Smith, John").migration.objects.map(\.dn) == [smith.description])
        #expect(try user("Smith, John").migration.objects.first?.kind == "mailbox")
        #expect(try user("Doe, Ann").status == .addressable)
        #expect(
            try user("Doe, Ann").address.objects == [
                Verification.Object(dn: doe.description, kind: "customRecipient", owned: true)
            ])
        #expect(try user("Gone, Greta").status == .unresolved)
        #expect(try user("Twin, Tom").status == .ambiguous)
        #expect(Set(try user("Twin, Tom").migration.objects.map(\.dn)) == [twin1.description, twin2.description])
        #expect(try user("Moved, Max").status == .stale)
        #expect(
            try user("Moved, Max").stale == [
                Verification.Value(
                    dn: moved.description, attribute: profile.proxyAttribute,
                    value: scenario.migrate("Moved, Max", "PARIS"), postOffice: "PARIS")
            ])
        #expect(try user("Both, Bea").status == .stale)
        #expect(try user("Both, Bea").stale.map(\.dn) == [beaOld.description])
        #expect(try user("Clash, Cy").status == .ambiguous)
        #expect(try user("Clash, Cy").address.objects.count == 2)
        #expect(try user("Clash, Cy").address.objects.allSatisfy { !$0.owned })
        #expect(try user("Odd, Olga").status == .unresolved)
        #expect(try user("Odd, Olga").migration.objects.first?.kind == "customRecipient")
        #expect(verification.orphans.map(\.dn) == [orphanHolder.description])
        #expect(verification.orphans.map(\.value) == [scenario.migrate("Nobody, Ned", "LONDON")])
        #expect(verification.summary.passes == false)
        #expect(verification.summary.ambiguous == 2 && verification.summary.stale == 2)
        #expect(verification.summary.unresolved == 2 && verification.summary.migrationReady == 1)
        #expect(verification.summary.addressable == 1 && verification.summary.orphans == 1)
    }

    @Test("a clean organisation passes; a user in `--user` mode gets only their lookups", arguments: bothProfiles)
    func passesAndOneUser(profile: Profile) throws {
        var scenario = Scenario(profile)
        scenario.user("Smith, John", "LONDON")
        scenario.mailbox("JSmith", given: "John", sur: "Smith", proxies: [scenario.migrate("Smith, John", "LONDON")])
        scenario.user("Doe, Ann", "LONDON")
        scenario.ownedRecipient("ADoe", name: "Doe, Ann", po: "LONDON", display: "Ann Doe")
        scenario.mailbox("Extra", given: nil, sur: "Extra", proxies: [scenario.migrate("Nobody, Ned", "LONDON")])
        let all = try Self.verify(scenario)
        #expect(all.summary.passes, "orphans are reported but do not fail the users")
        #expect(all.summary.orphans == 1)
        let one = try Self.verify(scenario, only: "doe,  ann")
        #expect(one.users.map(\.name) == ["Doe, Ann"])
        #expect(one.orphans.isEmpty && one.onlyUser == "doe,  ann")
        #expect(throws: VerificationError.self) { try Self.verify(scenario, only: "Nobody, Ned") }
    }

    @Test("lookups are equality searches over the base for the exact address, escaped", arguments: bothProfiles)
    func exactRequests(profile: Profile) throws {
        var scenario = Scenario(profile)
        scenario.user("Smith*, John", "LONDON")
        scenario.user("*", "LONDON")
        scenario.user("Smith, John", "LONDON")
        scenario.ownedRecipient("JSmith", name: "Smith, John", po: "LONDON", display: "John Smith")
        let store = InMemoryDirectoryStore(entries: scenario.entries)
        var verifier = Verifier(profile: profile, baseDN: Scenario.base(profile), container: scenario.container)
        verifier.usersPerSearch = 1
        let verification = try verifier.verify(directory: scenario.directory, lookups: store, scan: store)
        #expect(verification.users.first { $0.name == "*" }?.status == .unresolved)
        #expect(verification.users.first { $0.name == "Smith*, John" }?.status == .unresolved)
        #expect(verification.users.first { $0.name == "Smith, John" }?.status == .addressable)
        let lookups = store.requests.dropFirst()  // the first search is the scan of MIGRATE values and targets
        #expect(lookups.count == 6)
        #expect(lookups.allSatisfy { $0.base == Scenario.base(profile) && $0.scope == .subtree })
        let star = try #require(verification.users.first { $0.name == "*" })
        let proxy = profile.proxyValue(ProxyAddress(type: "MIGRATE", address: "CCMAIL:\\2a at LONDON"))
        #expect(star.migration.filter == "(\(profile.proxyAttribute)=\(proxy))")
        #expect(star.address.filter.contains("(\(profile.targetAttribute)=CCMAIL:\\2a at LONDON)"))
        #expect(!star.address.filter.contains("*"))
        // Grouped, the same users get the same verdicts from one disjunction of the same escaped assertions.
        let grouped = InMemoryDirectoryStore(entries: scenario.entries)
        verifier.usersPerSearch = 200
        #expect(try verifier.verify(directory: scenario.directory, lookups: grouped, scan: grouped) == verification)
        let disjunction = try #require(grouped.requests.dropFirst().first)
        #expect(disjunction.filter.description.contains("\\2a at LONDON"))
        #expect(grouped.requests.count == 2, "the scan, then one search for both lookups of every user")
    }

    @Test("a group whose answer reaches the size limit is asked again one lookup at a time")
    func truncatedGroupFallsBack() throws {
        var scenario = Scenario(.exchange2000)
        scenario.user("Smith, John", "LONDON")
        scenario.user("Doe, Ann", "LONDON")
        for index in 0..<25 {
            scenario.foreignRecipient("Copy\(index)", target: "CCMAIL:Smith, John at LONDON")
        }
        scenario.ownedRecipient("ADoe", name: "Doe, Ann", po: "LONDON", display: "Ann Doe")
        let store = InMemoryDirectoryStore(entries: scenario.entries)
        var verifier = Verifier(
            profile: .exchange2000, baseDN: Scenario.base(.exchange2000), container: scenario.container)
        verifier.usersPerSearch = 2
        let verification = try verifier.verify(directory: scenario.directory, lookups: store, scan: store)
        #expect(verification.users.first { $0.name == "Doe, Ann" }?.status == .addressable)
        let smith = try #require(verification.users.first { $0.name == "Smith, John" })
        #expect(smith.status == .ambiguous && smith.address.truncated && smith.address.objects.count == 10)
        #expect(store.requests.count == 1 + 1 + 4, "scan, the group's search, then two lookups per user")
    }

    @Test("exports with errors are not verified")
    func exportErrors() throws {
        var scenario = Scenario(.exchange2000)
        scenario.user("Smith, John", "LONDON")
        var directory = scenario.directory
        directory.findings = [
            Finding(.error, .syntax, "a record without a name", at: Location(file: "london.exp", line: 7))
        ]
        let store = InMemoryDirectoryStore(entries: scenario.entries)
        #expect(throws: VerificationError.self) {
            try Verifier(profile: .exchange2000, baseDN: Scenario.base(.exchange2000), container: scenario.container)
                .verify(directory: directory, lookups: store, scan: store)
        }
        #expect(store.requests.isEmpty, "nothing is sent before the inputs are known good")
    }

    @Test("values are folded as caseIgnoreMatch folds them: case, and leading, trailing and repeated spaces")
    func matchKeyFolds() {
        #expect(
            CaseIgnoreMatch.key("MIGRATE$CCMAIL:Smith,  John AT  London ") == "migrate$ccmail:smith, john at london")
        #expect(CaseIgnoreMatch.key("  CCMAIL:ÅSE ØSTER at ZÜRICH") == "ccmail:åse øster at zürich")
        #expect(CaseIgnoreMatch.key("CCMAIL:ŁUKASZ at PO") == "ccmail:łukasz at po")
        #expect(CaseIgnoreMatch.key(" CCMAIL:ÅSE   ØSTER\tat  ΟΔΥΣΣΕΥΣ  ") == "ccmail:åse øster\tat οδυσσευσ")
        #expect(CaseIgnoreMatch.key("CCMAIL:Smith*, John at PO") != CaseIgnoreMatch.key("CCMAIL:Smith, John at PO"))
    }

    @Test("the scan reads a value's address as the general parse does, fast path or not")
    func scannedValueReader() {
        let values = [
            "MIGRATE$CCMAIL:Smith, John at PO1", "migrate$ccmail:Smith, John at PO1", "MiGrAtE:CcMaIl:Zo\u{EB} at PO",
            "MIGRATE:CCMAIL:Smith, John at PO1", "MIGRATE$CCMAIL:", "MIGRATE$CCMAIL:Smith", "MIGRATE$CCMAIL:at PO",
            "MIGRATE$SMTP:a@b", "MIGRATE$CCMAIL$x at y", "MIGRATE$$CCMAIL:x at y", "MIGRATE $CCMAIL:x at y",
            "m\u{131}grate$CCMAIL:x at y", "MIGRATE$CCMAIL :x at y", "CCMAIL:Smith, John at PO1", "ccmail:Smith at PO",
            "CCMAIL:", "CCMAIL$Smith, John at PO1", "SMTP:a@b", "CCMAIL:Smith (Sales) at PO1", "CCMAIL:a:b at c",
            "", "MIGRATE", "CCMAI:x at y", "CCMAIL:  Smith,   John   at   PO1  ",
        ]
        for separator in ["$", ":"] as [Character] {
            let reader = ScannedValueReader(separator: separator)
            for value in values {
                #expect(
                    reader.migrateTarget(value) == ProxyAddress(parsing: value, separator: separator)?.migrateTarget,
                    "\(value) with \(separator)")
                #expect(
                    reader.target(value) == ProxyAddress(parsing: value, separator: ":")?.ccMailAddress,
                    "\(value) as a target")
            }
        }
        #expect(ScannedValueReader(separator: "$").migrateTarget("migrate$ccmail:Smith, John at PO1") != nil)
    }

    @Test("each user's filters in the report are spelled as the filters they stand for, escapes included")
    func filterTexts() {
        for profile in [Profile.exchange55, Profile.exchange2000] {
            let lookups = AddressLookups(profile: profile, baseDN: DistinguishedName.root)
            for name in ["Smith, John", "*", "Smith*, John", "O(Brien), Pat", "Back\\slash, X", "Zo\u{EB}, Ann"] {
                let local = CCMailUser(name: CCMailName(name), kind: .user, homePostOffice: CCMailName("PO1"))
                let gateway = CCMailUser(
                    name: CCMailName(name), kind: .user, homePostOffice: CCMailName("INTERNET"),
                    address: .smtp("\(name)@example.com"))
                for user in [local, gateway] {
                    let assertions = lookups.assertions(user)
                    #expect(lookups.migrationFilterText(assertions) == lookups.migrationFilter(assertions).description)
                    #expect(lookups.addressFilterText(assertions) == lookups.addressFilter(assertions).description)
                    #expect(assertions.targetValue == assertions.address.description)
                }
            }
        }
    }

    @Test("the scan turns a proxy away on its bytes only when its parsed type is not MIGRATE")
    func scanTypeTest() {
        // Types before a well-formed MIGRATE target: only those the parse calls MIGRATE give an address.
        let types = [
            "MIGRATE", "migrate", "MiGrAtE", "MIGRAT", "MIGRATEX", "", "SMTP", "X400", "CCMAIL", " MIGRATE",
            "MIGRATE ", "m\u{131}grate", "MIGRATE\u{307}", "MIGR\u{C0}TE", "MIG$RATE", "MIG:RATE", "MIGRATE\u{2024}",
        ]
        for separator in ["$", ":"] as [Character] {
            let reader = ScannedValueReader(separator: separator)
            for type in types {
                for rest in ["CCMAIL:Smith, John at PO1", "x", "", "\u{301}CCMAIL:Smith, John at PO1"] {
                    let value = type + String(separator) + rest
                    let parsed = ProxyAddress(parsing: value, separator: separator)?.migrateTarget
                    #expect(reader.migrateTarget(value) == parsed, "\(value) with \(separator)")
                }
            }
        }
        // Upper-cased, `ı` is `I`: such a type is MIGRATE to the parse, and the scan keeps it.
        #expect(ProxyAddress(parsing: "m\u{131}grate$x", separator: "$")?.normalizedType == "MIGRATE")
        #expect(ScannedValueReader(separator: "$").migrateTarget("m\u{131}grate$CCMAIL:A at B") != nil)
    }

    @Test("a value turned away by its fingerprint could not have matched when folded")
    func fingerprintsAgreeWithTheMatchKey() {
        let spellings = [
            "CCMAIL$Smith, John at PO1", "ccmail$SMITH,  JOHN AT po1 ", " CCMAIL$smith, john at Po1",
            "CCMAIL$Zoë Brønn at PO2",
            "ccmail$ZOË BRØNN at po2", "CCMAIL$×Ÿÿ ÀÞ at PO3", "ccmail$×ÿÿ àþ at po3", "CCMAIL$Smith, Joan at PO1",
            "CCMAIL$Smith, John at PO2", "CCMAIL$ÉCOLE at X", "CCMAIL$Ecole at X",
        ]
        for left in spellings {
            for right in spellings {
                let lhs = LookupRunner.Claims.fingerprint(left)
                let rhs = LookupRunner.Claims.fingerprint(right)
                // Beyond Latin-1 (nil) the value is always folded; otherwise equal keys must mean equal prints.
                if let lhs, let rhs, CaseIgnoreMatch.key(left) == CaseIgnoreMatch.key(right) {
                    #expect(lhs == rhs, "\(left) / \(right)")
                }
            }
        }
        #expect(LookupRunner.Claims.fingerprint("CCMAIL$Łukasz at PO") == nil)
        #expect(LookupRunner.Claims.fingerprint("CCMAIL$Ÿ at PO") == nil)
        var claims = LookupRunner.Claims(capacity: 2)
        claims.add("CCMAIL$Zoë Brønn at PO2", 0)
        claims.add("CCMAIL$Smith, John at PO1", 1)
        #expect(claims.users("ccmail$ZOË   BRØNN at po2").map(\.index) == [0])
        #expect(claims.users("CCMAIL$Smith, John at PO3").map(\.index).isEmpty)
        claims.add("CCMAIL$Łukasz at PO", 2)
        #expect(claims.users("ccmail$ŁUKASZ AT po").map(\.index) == [2])
    }

    @Test("claims hold more values than they were sized for, each found by its own spelling and its folded one")
    func claimsGrowPastTheirCapacity() {
        var claims = LookupRunner.Claims(capacity: 1)
        let values = (0..<100).map { "CCMAIL$User \($0), Zoë at PO\($0 % 7)" }
        for (index, value) in values.enumerated() {
            claims.add(value, index, isMigrate: index.isMultiple(of: 3))
        }
        for (index, value) in values.enumerated() {
            #expect(claims.users(value).map(\.index) == [index], "\(value)")
            #expect(claims.users(value.uppercased()).map(\.index) == [index], "\(value) in capitals")
            #expect(claims.users(value).map(\.isMigrate) == [index.isMultiple(of: 3)])
        }
        #expect(claims.users("CCMAIL$User 100, Zoë at PO2").map(\.index).isEmpty)
        #expect(claims.users("CCMAIL$User 1, Zoë at PO2").map(\.index).isEmpty)
    }

    @Test("exact claims compare bytes but ASCII case: canonically equivalent spellings are different keys")
    func valueBytesCompareBytes() {
        let composed = LookupRunner.ValueBytes("CCMAIL$Zo\u{EB} at PO")
        let decomposed = LookupRunner.ValueBytes("CCMAIL$Zoe\u{308} at PO")
        #expect(composed.text == decomposed.text)  // String equality is canonical equivalence
        #expect(composed != decomposed)
        #expect(Set([composed, decomposed]).count == 2)
        #expect(composed == LookupRunner.ValueBytes("CCMAIL$Zoë at PO"))
        // ASCII letters fold, and only they: `Ë` is not `ë` here, nor are spaces collapsed, nor is `@` (0x40) `` ` ``.
        let lowered = LookupRunner.ValueBytes("ccmail$zo\u{EB} AT po")
        #expect(composed == lowered)
        #expect(Set([composed, lowered]).count == 1)
        #expect(composed != LookupRunner.ValueBytes("CCMAIL$Zo\u{CB} at PO"))
        #expect(composed != LookupRunner.ValueBytes("CCMAIL$Zo\u{EB}  at PO"))
        #expect(LookupRunner.ValueBytes("a@b") != LookupRunner.ValueBytes("a`b"))
        #expect(LookupRunner.ValueBytes("[x]") != LookupRunner.ValueBytes("{x}"))
        var claims = LookupRunner.Claims(capacity: 1)
        claims.add("CCMAIL$Zo\u{EB} at PO", 0)
        #expect(claims.users("ccmail$ZO\u{EB} AT PO").map(\.index) == [0])
        #expect(claims.folded == nil, "a difference in ASCII case alone is answered without the folded table")
        // Two claims on one value (and on its folded form) are both kept, in order.
        claims.add("CCMAIL$zo\u{EB} at po", 1, isMigrate: true)
        claims.add("CCMAIL$Zo\u{EB} at PO", 2)
        #expect(claims.users("CCMAIL$ZO\u{EB} AT PO").map(\.index) == [0, 1, 2])
        #expect(claims.users("CCMAIL$ZO\u{EB} AT PO").map(\.isMigrate) == [false, true, false])
        #expect(claims.users("CCMAIL$ZO\u{CB}  at PO").map(\.index) == [0, 1, 2])
    }
}
