import CCMail
import Config
import LDAPModel
import TestSupport
import Testing

@testable import Sync

/// The plan as a whole: inputs from real export text, aliases, order, validation, thresholds, determinism.
@Suite("Plan")
struct PlanTests {
    /// A directory merged from export text, through the real parser.
    static func directory(
        _ exports: [(po: String, text: String)], gateways: [String: GatewayMode] = [:]
    ) -> Directory {
        let parsed = exports.map { export in
            ExportParser.parse(
                Array(export.text.utf8),
                source: ExportSource(
                    postOffice: CCMailName(export.po), file: "\(export.po.lowercased()).exp", codePage: .utf8))
        }
        let configuration = DirectoryConfiguration(
            gateways: Dictionary(uniqueKeysWithValues: gateways.map { (CCMailName($0.key), $0.value) }))
        return Directory.merge(parsed, configuration: configuration)
    }

    static let gatewayExport = """
        Name: INTERNET
        Loc: P
        Comments: SMTP gateway

        Name: Miller, Ann
        Addr: INTERNET ann.miller@example.com
        Loc: r

        """

    @Test("`;` and `=` in a name cannot add fields to the X.400 address")
    func x400FieldsStayFields() throws {
        var scenario = Scenario(.exchange55)
        scenario.user("Semi;Colon, Eq=Ual", "LONDON")
        let plan = try scenario.plan()
        let create = try #require(plan.changes(for: "Semi;Colon, Eq=Ual").first)
        let x400 = try #require(create.attributes["textEncodedORAddress"]?.first)
        #expect(x400 == "c=US;a= ;p=Org;o=Site;s=Semi?Colon;g=Eq?Ual;")
        #expect(create.attributes["sn"] == ["Semi;Colon"], "only the X.400 address is escaped")
    }

    @Test("a gateway user in ccmail mode: CCMAIL:<FAN> at INTERNET", arguments: bothProfiles)
    func gatewayCCMail(profile: Profile) throws {
        let scenario = Scenario(profile)
        let plan = try scenario.plan(
            directory: Self.directory([("LONDON", Self.gatewayExport)], gateways: ["INTERNET": .ccMail]))
        let create = try #require(plan.changes.first)
        #expect(create.attributes[profile.targetAttribute] == ["CCMAIL:ann.miller@example.com at INTERNET"])
        #expect(
            create.attributes[profile.proxyAttribute] == [
                scenario.proxy("CCMAIL", "ann.miller@example.com at INTERNET")
            ])
        #expect(create.attributes[profile.markAttribute] == ["ccdirsync:Miller, Ann"])
    }

    @Test("a gateway user in smtp mode: SMTP:<FAN>", arguments: bothProfiles)
    func gatewaySMTP(profile: Profile) throws {
        let scenario = Scenario(profile)
        let plan = try scenario.plan(
            directory: Self.directory([("LONDON", Self.gatewayExport)], gateways: ["INTERNET": .smtp]))
        let create = try #require(plan.changes.first)
        #expect(create.attributes[profile.targetAttribute] == ["SMTP:ann.miller@example.com"])
        #expect(create.attributes[profile.proxyAttribute] == [scenario.proxy("SMTP", "ann.miller@example.com")])
    }

    @Test(
        "users homed on an MSExchangeCCMC post office are excluded, and our recipients for them kept",
        arguments: bothProfiles)
    func exchangeSiteExcluded(profile: Profile) throws {
        var scenario = Scenario(profile)
        let kept = scenario.ownedRecipient("EExchange", name: "Exchange, Ed", po: "EXSITE", display: "Ed Exchange")
        let export = """
            Name: EXSITE
            Loc: P
            Comments: MSExchangeCCMC EXCH01

            Name: Exchange, Ed
            Addr: EXSITE
            Loc: l

            Name: Real, Rita
            Loc: L

            """
        let plan = try scenario.plan(directory: Self.directory([("LONDON", export)]))
        #expect(plan.changes.map(\.ccmailName) == ["Real, Rita"])
        #expect(!plan.changes.contains { $0.dn == kept.description })
        let findings = plan.findings(for: "Exchange, Ed")
        #expect(findings.map(\.situation) == [.excluded, .excluded])
        #expect(findings.contains { $0.candidates == [kept.description] })
    }

    @Test("three users whose aliases collide with each other and with an existing mailbox", arguments: bothProfiles)
    func aliasCollisions(profile: Profile) throws {
        var scenario = Scenario(profile)
        scenario.mailbox("JSmith", given: "Jack", sur: "Smithers")
        scenario.configuration.match.byName = .off
        scenario.user("Smith, John", "LONDON")
        scenario.user("Smith, Jane", "PARIS")
        scenario.user("Smith, Józef", "ZURICH")
        let plan = try scenario.plan()
        let aliases = plan.changes.map { $0.attributes[profile.aliasAttribute]?.first ?? "" }
        #expect(Set(aliases) == ["JSmith2", "JSmith3", "JSmith4"])
        // Deterministic: users are planned in name order, so the same name gets the same alias every run.
        let byName = Dictionary(
            uniqueKeysWithValues: plan.changes.map {
                ($0.ccmailName, $0.attributes[profile.aliasAttribute]?.first ?? "")
            })
        #expect(byName == ["Smith, Jane": "JSmith2", "Smith, John": "JSmith3", "Smith, Józef": "JSmith4"])
        #expect(aliases.allSatisfy { $0.unicodeScalars.allSatisfy(\.isASCII) })
        for change in plan.changes {
            let dn = try DistinguishedName(parsing: change.dn)
            #expect(dn.parent == scenario.container)
            #expect(dn.rdn?.value == change.attributes[profile.aliasAttribute]?.first)
        }
    }

    @Test(
        "aliases are ASCII letters and digits",
        arguments: [
            ("Øster, Åse", "AOster"), ("Weiß, Günter", "GWeiss"), ("O'Brien, Mary", "MOBrien"),
            ("Garçon, Noël", "NGarcon"), ("Postmaster", "Postmaster"), ("李, 小龍", "ccmail"),
        ])
    func asciiAliases(name: String, alias: String) throws {
        var scenario = Scenario(.exchange2000)
        scenario.user(name, "LONDON")
        let plan = try scenario.plan()
        #expect(plan.changes.first?.attributes["mailNickname"] == [alias])
    }

    @Test("changes are ordered deletes, modifies, creates and numbered from 1", arguments: bothProfiles)
    func ordering(profile: Profile) throws {
        var scenario = Scenario(profile)
        scenario.ownedRecipient("ZGone", name: "Gone, Zed", po: "LONDON", display: "Zed Gone")
        scenario.mailbox("AAlpha", given: "Al", sur: "Alpha", proxies: [scenario.migrate("Alpha, Al", "PARIS")])
        scenario.user("Alpha, Al", "LONDON")
        scenario.user("Aardvark, Ann", "LONDON")
        let plan = try scenario.plan()
        #expect(plan.changes.map(\.kind) == [.delete, .modify, .create])
        #expect(plan.changes.map(\.id) == [1, 2, 3])
        #expect(plan.summary.create == 1 && plan.summary.modify == 1 && plan.summary.delete == 1)
    }

    @Test("the same inputs in any order give the same plan, byte for byte", arguments: bothProfiles)
    func determinism(profile: Profile) throws {
        var scenario = Scenario(profile)
        scenario.ownedRecipient("ZGone", name: "Gone, Zed", po: "LONDON", display: "Zed Gone")
        scenario.mailbox("AAlpha", given: "Al", sur: "Alpha", proxies: [scenario.migrate("Alpha, Al", "PARIS")])
        scenario.mailbox("BMiller", given: "Bea", sur: "Miller")
        for index in 0..<20 {
            scenario.user("User\(index), Some", "LONDON")
        }
        scenario.user("Alpha, Al", "LONDON")
        scenario.user("Miller, Bea", "LONDON")
        let first = try scenario.plan()
        var shuffled = scenario
        var generator = SeededGenerator(seed: 7)
        shuffled.entries.shuffle(using: &generator)
        shuffled.users.shuffle(using: &generator)
        let second = try shuffled.plan()
        #expect(PlanFile.prettyJSON(first) == PlanFile.prettyJSON(second))
        #expect(first.planHash == second.planHash)
        #expect(first.planHash.count == 64)
    }

    @Test("thresholds: count or percent over the limit marks the plan, with reasons")
    func thresholds() throws {
        var scenario = Scenario(.exchange55)
        for index in 0..<4 {
            scenario.ownedRecipient(
                "Gone\(index)", name: "Gone\(index), User", po: "LONDON", display: "User Gone\(index)")
        }
        scenario.ownedRecipient("Stay", name: "Stay, User", po: "LONDON", display: "User Stay")
        scenario.user("Stay, User", "LONDON")
        scenario.configuration.thresholds.deletes = .init(count: 10, percent: 100)
        let under = try scenario.plan()
        #expect(under.summary.delete == 4)
        #expect(!under.summary.overThreshold)
        #expect(under.summary.thresholdReasons.isEmpty)
        scenario.configuration.thresholds.deletes = .init(count: 3, percent: 100)
        #expect(try scenario.plan().summary.thresholdReasons == ["deletes: 4 > 3"])
        scenario.configuration.thresholds.deletes = .init(count: 10, percent: 50)
        let percent = try scenario.plan()
        #expect(percent.summary.overThreshold)
        #expect(percent.summary.thresholdReasons == ["deletes: 4 of 5 custom recipients ccdirsync owns = 80% > 50%"])
    }

    @Test("validation refuses a plan that would give one address to two objects, or create a DN twice")
    func validation() throws {
        var scenario = Scenario(.exchange2000)
        let mailbox = scenario.mailbox("JSmith", given: "John", sur: "Smith", proxies: ["smtp:john@old.example"])
        let exchange = try scenario.read(.init(entries: scenario.entries))
        let validator = PlanValidator(profile: .exchange2000, exchange: exchange)
        let create = Plan.Change(
            kind: .create, dn: "cn=X,ou=ccMail Contacts,dc=example,dc=org", ccmailName: "X",
            situation: .recipientMissing,
            rule: .ownRecipient, attributes: ["targetAddress": ["SMTP:JOHN@old.example"]])
        let problems = validator.problems(in: [create, create])
        #expect(problems.contains("cn=X,ou=ccMail Contacts,dc=example,dc=org is created twice"))
        #expect(
            problems.contains(
                "address SMTP:john@old.example would be held by \(mailbox.description) and cn=X,ou=ccMail Contacts,dc=example,dc=org"
            ))
        // A problem names a DN as the last change that adds an address to it spells it.
        let shout = Plan.Change(
            kind: .modify, dn: mailbox.description.uppercased(), ccmailName: "John", situation: .userMoved,
            rule: .mapping,
            modifications: [.init(op: .add, attribute: "proxyAddresses", values: ["smtp:john@old.example"])])
        let quiet = Plan.Change(
            kind: .modify, dn: mailbox.description, ccmailName: "John", situation: .userMoved, rule: .mapping,
            modifications: [.init(op: .delete, attribute: "mail", values: ["x"])])
        #expect(
            validator.problems(in: [shout, quiet, create]).contains(
                "address SMTP:john@old.example would be held by \(mailbox.description.uppercased()) and "
                    + "cn=X,ou=ccMail Contacts,dc=example,dc=org"))
        // An address freed by an earlier change in the same plan may be reused.
        let free = Plan.Change(
            kind: .modify, dn: mailbox.description, ccmailName: "John", situation: .userMoved, rule: .mapping,
            modifications: [.init(op: .delete, attribute: "proxyAddresses", values: ["smtp:john@old.example"])])
        #expect(validator.problems(in: [free, create]).isEmpty)
        let onExisting = Plan.Change(
            kind: .create, dn: mailbox.description, ccmailName: "J", situation: .recipientMissing, rule: .ownRecipient)
        #expect(
            validator.problems(in: [onExisting]) == [
                "\(mailbox.description) is created but an entry with that DN exists"
            ])
    }

    @Test("exports with errors refuse the plan; conflicts alone do not, and their recipients are kept")
    func exportErrors() throws {
        var scenario = Scenario(.exchange55)
        let kept = scenario.ownedRecipient("DJane", name: "Doe, Jane", po: "PO2", display: "Jane Doe")
        let po1 = "Name: Doe, Jane\nAddr: PO3\nLoc: l\n"
        let po2 = "Name: Doe, Jane\nLoc: L\n"
        let conflicted = Self.directory([("PO1", po1), ("PO2", po2)])
        #expect(conflicted.conflicts.count == 1)
        let plan = try scenario.plan(directory: conflicted)
        #expect(plan.changes.isEmpty, "a user in conflict is unknown, never gone")
        #expect(
            plan.findings(for: "Doe, Jane").contains {
                $0.situation == .conflict && $0.candidates == [kept.description]
            })
        let broken = Self.directory([("PO1", "Name: Doe, Jane\nLoc: L\n\nthis line has no label\n")])
        #expect(broken.hasErrors)
        #expect(throws: PlanningError.self) { try scenario.plan(directory: broken) }
    }

    @Test("hostile names: DNs escaped, searches fixed, marks verbatim", arguments: bothProfiles)
    func hostileNames(profile: Profile) throws {
        var scenario = Scenario(profile)
        scenario.configuration.exchange.aliasTemplate = "{name}"
        scenario.user("<script>alert(1)</script>, X", "LONDON")
        scenario.user("*)(uid=*, Y", "LONDON")
        scenario.user("Smith\\, \"J\" + K; L=M #1", "LONDON")
        scenario.mailbox("JSmith", given: "John", sur: "Smith")
        scenario.mapping = [.init(ccmailName: "*)(uid=*, Y", mailbox: "*", line: 2)]
        let store = InMemoryStoreProbe(scenario)
        let plan = try scenario.plan()
        #expect(plan.changes.count == 2, "the user mapped to '*' is held, not matched to every mailbox")
        #expect(plan.findings(for: "*)(uid=*, Y").map(\.situation) == [.mappingError])
        for change in plan.changes {
            let dn = try DistinguishedName(parsing: change.dn)
            #expect(dn.parent == scenario.container, "every DN is inside the container")
            #expect(change.attributes[profile.markAttribute] == ["ccdirsync:\(change.ccmailName)"])
        }
        #expect(store.filtersMentionUserText == false)
    }

    @Test("a container whose DN needs escaping gets correctly escaped child DNs", arguments: bothProfiles)
    func escapedContainer(profile: Profile) throws {
        var scenario = Scenario(profile)
        let container = try DistinguishedName(parsing: "ou=cc\\,Mail \\\"Users\\\" \\+ 1,\(Scenario.base(profile))")
        scenario.configuration.exchange.customRecipientContainer = container
        scenario.user("Dupont, Hélène", "PARIS")
        let change = try #require(try scenario.plan().changes.first)
        let dn = try DistinguishedName(parsing: change.dn)
        #expect(dn.parent == container)
        #expect(dn.rdn?.value == "HDupont")
        #expect(change.dn.hasSuffix(container.description))
    }

    @Test("the reader asks only for the profile's attributes, below the base DN", arguments: bothProfiles)
    func readerRequests(profile: Profile) throws {
        let scenario = Scenario(profile)
        let store = InMemoryStoreProbe(scenario)
        #expect(store.requests.count == 3)
        #expect(store.requests.allSatisfy { $0.base == scenario.configuration.ldap.baseDN && $0.scope == .subtree })
        #expect(store.requests.allSatisfy { Set($0.attributes) == Set(profile.readAttributes) })
        #expect(!profile.readAttributes.contains("*"))
    }

    @Test("a plan file round-trips, and an edited plan is refused")
    func planFile() throws {
        var scenario = Scenario(.exchange55)
        scenario.user("Dupont, Hélène", "PARIS")
        let plan = try scenario.plan()
        let bytes = PlanFile.prettyJSON(plan)
        #expect(try PlanFile.decode(bytes, file: "plan.json") == plan)
        var text = String(decoding: bytes, as: UTF8.self)
        text = text.replacingOccurrences(of: "Dupont, Hélène at PARIS", with: "Dupont, Hélène at LONDON")
        #expect(throws: PlanFile.Error.self) { try PlanFile.decode(Array(text.utf8), file: "plan.json") }
        var newer = plan
        newer.schemaVersion = 2
        newer = PlanFile.sealed(newer)
        let error = try #require(throws: PlanFile.Error.self) {
            try PlanFile.decode(PlanFile.prettyJSON(newer), file: "p.json")
        }
        #expect(error.description.contains("schema version 2"))
    }
}

/// Runs the scenario's reads against an in-memory store and keeps the requests.
struct InMemoryStoreProbe {
    let requests: [SearchRequest]
    let filtersMentionUserText: Bool

    init(_ scenario: Scenario) {
        let store = InMemoryDirectoryStore(entries: scenario.entries)
        _ = try? scenario.read(store)
        requests = store.requests
        let userText = scenario.users.map(\.name.text)
        filtersMentionUserText = requests.contains { request in
            userText.contains { request.filter.description.contains($0) }
        }
    }
}
