import CCMail
import Config
import LDAPModel
import Sync
import TestSupport
import Testing

/// One test per row of DESIGN.md's situation table, in both profiles.
@Suite("Situations")
struct SituationTests {
    @Test("joined by a secondary ccmail proxy, MIGRATE missing: one value is added", arguments: bothProfiles)
    func migrateMissing(profile: Profile) throws {
        var scenario = Scenario(profile)
        let mailbox = scenario.mailbox(
            "JSmith", given: "John", sur: "Smith", proxies: [scenario.proxy("ccmail", "Smith, John at LONDON")])
        scenario.user("Smith, John", "LONDON")
        let plan = try scenario.plan()
        let change = try #require(plan.changes.first)
        #expect(plan.changes.count == 1)
        #expect(change.kind == .modify)
        #expect(change.dn == mailbox.description)
        #expect(change.situation == .migrateMissing)
        #expect(change.rule == .ccMailProxy)
        #expect(
            change.modifications == [
                Plan.Modification(
                    op: .add, attribute: profile.proxyAttribute, values: [scenario.migrate("Smith, John", "LONDON")])
            ])
        #expect(change.preconditions.first?.absent == [scenario.migrate("Smith, John", "LONDON")])
    }

    @Test("the MIGRATE value is spelled as the profile spells proxies")
    func migrateSpelling() throws {
        #expect(Scenario(.exchange55).migrate("Smith, John", "PO1") == "MIGRATE$CCMAIL:Smith, John at PO1")
        #expect(Scenario(.exchange2000).migrate("Smith, John", "PO1") == "MIGRATE:CCMAIL:Smith, John at PO1")
    }

    @Test(
        "a user who moved post office: old MIGRATE value deleted and new added in one modify, DN kept",
        arguments: bothProfiles)
    func userMoved(profile: Profile) throws {
        var scenario = Scenario(profile)
        let old = scenario.migrate("Smith, John", "PARIS")
        let mailbox = scenario.mailbox("JSmith", given: "John", sur: "Smith", proxies: [old])
        scenario.user("Smith, John", "LONDON")
        let plan = try scenario.plan()
        #expect(plan.changes.count == 1)
        let change = try #require(plan.changes.first)
        #expect(change.dn == mailbox.description)
        #expect(change.situation == .userMoved)
        #expect(change.rule == .migrateValue)
        #expect(
            change.modifications == [
                Plan.Modification(op: .delete, attribute: profile.proxyAttribute, values: [old]),
                Plan.Modification(
                    op: .add, attribute: profile.proxyAttribute, values: [scenario.migrate("Smith, John", "LONDON")]),
            ])
        #expect(change.before[profile.proxyAttribute] == [old])
        #expect(change.preconditions.first?.present == [old])
    }

    @Test("a MIGRATE value that differs only in case and spacing is left alone", arguments: bothProfiles)
    func migrateCaseInsensitive(profile: Profile) throws {
        var scenario = Scenario(profile)
        scenario.mailbox(
            "JSmith", given: "John", sur: "Smith", proxies: [scenario.proxy("migrate", "ccmail:SMITH,  JOHN AT london")]
        )
        scenario.user("Smith, John", "LONDON")
        #expect(try scenario.plan().changes.isEmpty)
    }

    @Test("a user without a mailbox gets a custom recipient with the profile's attributes", arguments: bothProfiles)
    func recipientMissing(profile: Profile) throws {
        var scenario = Scenario(profile)
        scenario.user("Dupont, Hélène", "PARIS")
        let plan = try scenario.plan()
        let change = try #require(plan.changes.first)
        #expect(plan.changes.count == 1)
        #expect(change.kind == .create)
        #expect(change.situation == .recipientMissing)
        #expect(
            change.dn == scenario.container.child(RelativeDistinguishedName(type: "cn", value: "HDupont")).description)
        let attributes = change.attributes
        #expect(attributes[profile.aliasAttribute] == ["HDupont"])
        #expect(attributes[profile.targetAttribute] == ["CCMAIL:Dupont, Hélène at PARIS"])
        #expect(attributes[profile.proxyAttribute] == [scenario.proxy("CCMAIL", "Dupont, Hélène at PARIS")])
        #expect(attributes[profile.markAttribute] == ["ccdirsync:Dupont, Hélène"])
        #expect(attributes["sn"] == ["Dupont"])
        #expect(attributes["givenName"] == ["Hélène"])
        #expect(attributes["objectClass"] == profile.customRecipientObjectClasses)
        if profile.name == .exchange55 {
            #expect(attributes["cn"] == ["HDupont", "Hélène Dupont"])
            #expect(attributes["mail"] == ["HDupont@org.example"])
            #expect(attributes["textEncodedORAddress"] == ["c=US;a= ;p=Org;o=Site;s=Dupont;g=Hélène;"])
        } else {
            #expect(attributes["cn"] == ["HDupont"])
            #expect(attributes["displayName"] == ["Hélène Dupont"])
            #expect(attributes["mail"] == nil)
        }
    }

    @Test("a name without a comma is its own display name and surname", arguments: bothProfiles)
    func nameWithoutComma(profile: Profile) throws {
        var scenario = Scenario(profile)
        scenario.user("Postmaster", "LONDON")
        let change = try #require(try scenario.plan().changes.first)
        #expect(change.attributes["sn"] == ["Postmaster"])
        #expect(change.attributes["givenName"] == nil)
        let display = profile.displayNameInNamingAttribute ? change.attributes["cn"] : change.attributes["displayName"]
        #expect(display == ["Postmaster"])
    }

    @Test("our custom recipient of a user who moved is updated in place: target and proxy", arguments: bothProfiles)
    func recipientMoved(profile: Profile) throws {
        var scenario = Scenario(profile)
        let dn = scenario.ownedRecipient("NGarcon", name: "Garçon, Noël", po: "LONDON", display: "Noël Garçon")
        scenario.user("Garçon, Noël", "PARIS")
        let plan = try scenario.plan()
        #expect(plan.changes.count == 1)
        let change = try #require(plan.changes.first)
        #expect(change.kind == .modify)
        #expect(change.dn == dn.description)
        #expect(change.situation == .recipientChanged)
        #expect(
            change.modifications == [
                Plan.Modification(
                    op: .delete, attribute: profile.targetAttribute, values: ["CCMAIL:Garçon, Noël at LONDON"]),
                Plan.Modification(
                    op: .add, attribute: profile.targetAttribute, values: ["CCMAIL:Garçon, Noël at PARIS"]),
                Plan.Modification(
                    op: .delete, attribute: profile.proxyAttribute,
                    values: [scenario.proxy("CCMAIL", "Garçon, Noël at LONDON")]),
                Plan.Modification(
                    op: .add, attribute: profile.proxyAttribute,
                    values: [scenario.proxy("CCMAIL", "Garçon, Noël at PARIS")]),
            ])
        let mark = try #require(change.preconditions.first { $0.attribute == profile.markAttribute })
        #expect(mark.present == ["ccdirsync:Garçon, Noël"])
    }

    @Test("a display-name change (new template) modifies only the display name", arguments: bothProfiles)
    func displayNameChange(profile: Profile) throws {
        var scenario = Scenario(profile)
        scenario.configuration.exchange.displayNameTemplate = "{sur}, {given} (cc:Mail)"
        let dn = scenario.ownedRecipient("NGarcon", name: "Garçon, Noël", po: "PARIS", display: "Noël Garçon")
        scenario.user("Garçon, Noël", "PARIS")
        let plan = try scenario.plan()
        let change = try #require(plan.changes.first)
        #expect(plan.changes.count == 1)
        #expect(change.dn == dn.description)
        #expect(
            change.modifications == [
                Plan.Modification(op: .delete, attribute: profile.displayNameAttribute, values: ["Noël Garçon"]),
                Plan.Modification(
                    op: .add, attribute: profile.displayNameAttribute, values: ["Garçon, Noël (cc:Mail)"]),
            ])
        #expect(change.before[profile.displayNameAttribute]?.contains("Noël Garçon") == true)
    }

    @Test("an owned recipient already in step gives no change", arguments: bothProfiles)
    func inStep(profile: Profile) throws {
        var scenario = Scenario(profile)
        scenario.ownedRecipient("NGarcon", name: "Garçon, Noël", po: "PARIS", display: "Noël Garçon")
        scenario.user("Garçon, Noël", "PARIS")
        let plan = try scenario.plan()
        #expect(plan.changes.isEmpty)
        #expect(plan.summary.isEmpty)
    }

    @Test("two mailboxes with the same name: disputed, nothing written", arguments: bothProfiles)
    func twoMailboxesSameName(profile: Profile) throws {
        var scenario = Scenario(profile)
        let first = scenario.mailbox("AOster", given: "Åse", sur: "Øster")
        let second = scenario.mailbox("AOster2", given: "Åse", sur: "Øster")
        scenario.user("Øster, Åse", "ZURICH")
        let plan = try scenario.plan()
        #expect(plan.changes.isEmpty)
        let finding = try #require(plan.findings(for: "Øster, Åse").first)
        #expect(finding.situation == .disputed)
        #expect(finding.candidates == [first.description, second.description].sorted())
    }

    @Test("two mailboxes carrying the user's secondary ccmail address: disputed", arguments: bothProfiles)
    func twoProxyCandidates(profile: Profile) throws {
        var scenario = Scenario(profile)
        scenario.mailbox(
            "JSmith", given: "John", sur: "Smith", proxies: [scenario.proxy("ccmail", "Smith, John at LONDON")])
        scenario.mailbox(
            "JohnS", given: "Johnny", sur: "Smith", proxies: [scenario.proxy("ccmail", "smith, john at london")])
        scenario.user("Smith, John", "LONDON")
        let plan = try scenario.plan()
        #expect(plan.changes.isEmpty)
        #expect(plan.findings(for: "Smith, John").map(\.situation) == [.disputed])
        #expect(plan.findings(for: "Smith, John").first?.candidates.count == 2)
    }

    @Test("one mailbox claimed by two users (mapping): both disputed", arguments: bothProfiles)
    func mailboxClaimedTwice(profile: Profile) throws {
        var scenario = Scenario(profile)
        let mailbox = scenario.mailbox("JSmith", given: "John", sur: "Smith")
        scenario.user("Smith, John", "LONDON")
        scenario.user("Smith, J.", "PARIS")
        scenario.mapping = [
            .init(ccmailName: "Smith, John", mailbox: "JSmith", line: 2),
            .init(ccmailName: "Smith, J.", mailbox: "jsmith@org.example", line: 3),
        ]
        let plan = try scenario.plan()
        #expect(plan.changes.isEmpty)
        for name in ["Smith, John", "Smith, J."] {
            let finding = try #require(plan.findings(for: name).first)
            #expect(finding.situation == .disputed)
            #expect(finding.candidates == [mailbox.description])
        }
    }

    @Test("the mapping file joins by DN, alias and SMTP address", arguments: bothProfiles)
    func mappingKinds(profile: Profile) throws {
        var scenario = Scenario(profile)
        let byDN = scenario.mailbox("AA", given: "Ann", sur: "Alpha")
        let byAlias = scenario.mailbox("BB", given: "Ben", sur: "Beta")
        let bySMTP = scenario.mailbox("CC", given: "Cat", sur: "Gamma")
        scenario.user("One, User", "LONDON")
        scenario.user("Two, User", "LONDON")
        scenario.user("Three, User", "LONDON")
        scenario.mapping = [
            .init(ccmailName: "one, user", mailbox: byDN.description.uppercased(), line: 2),
            .init(ccmailName: "Two, User", mailbox: "bb", line: 3),
            .init(ccmailName: "Three, User", mailbox: "CC@ORG.EXAMPLE", line: 4),
        ]
        let plan = try scenario.plan()
        #expect(plan.changes.map(\.dn).sorted() == [byDN, byAlias, bySMTP].map(\.description).sorted())
        #expect(plan.changes.allSatisfy { $0.rule == .mapping && $0.situation == .migrateMissing })
    }

    @Test("a mapping row naming no mailbox holds the user; one naming no user is reported", arguments: bothProfiles)
    func mappingErrors(profile: Profile) throws {
        var scenario = Scenario(profile)
        scenario.user("One, User", "LONDON")
        scenario.mapping = [
            .init(ccmailName: "One, User", mailbox: "nobody", line: 2),
            .init(ccmailName: "Ghost, Casper", mailbox: "nobody", line: 3),
        ]
        let plan = try scenario.plan()
        #expect(plan.changes.isEmpty, "a held user gets no custom recipient either")
        #expect(plan.findings(for: "One, User").map(\.situation) == [.mappingError])
        #expect(plan.findings(for: "Ghost, Casper").map(\.situation) == [.mappingError])
        #expect(plan.findings(for: "Ghost, Casper").first?.detail.contains("mapping.csv:3") == true)
    }

    @Test("a mailbox whose MIGRATE value names another cc:Mail user: conflict, no write", arguments: bothProfiles)
    func migrateConflict(profile: Profile) throws {
        var scenario = Scenario(profile)
        let mailbox = scenario.mailbox(
            "JSmith", given: "John", sur: "Smith",
            proxies: [scenario.migrate("Smith, Jane", "PARIS"), scenario.proxy("ccmail", "Smith, John at LONDON")])
        scenario.user("Smith, John", "LONDON")
        scenario.user("Smith, Jane", "PARIS")
        let plan = try scenario.plan()
        let john = try #require(plan.findings(for: "Smith, John").first)
        #expect(john.situation == .conflict)
        #expect(john.candidates == [mailbox.description])
        #expect(plan.changes(for: "Smith, John").isEmpty)
        #expect(plan.changes.allSatisfy { $0.dn != mailbox.description || $0.ccmailName == "Smith, Jane" })
        #expect(plan.changes(for: "Smith, Jane").isEmpty, "Jane's value is already right")
    }

    @Test(
        "a target already held by a recipient we do not own: represented elsewhere, no create", arguments: bothProfiles)
    func representedElsewhere(profile: Profile) throws {
        var scenario = Scenario(profile)
        let foreign = scenario.foreignRecipient("LBianchi", target: "CCMAIL:Bianchi, Lucia at GENEVA")
        scenario.user("Bianchi, Lucia", "GENEVA")
        let plan = try scenario.plan()
        #expect(plan.changes.isEmpty)
        let finding = try #require(plan.findings(for: "Bianchi, Lucia").first)
        #expect(finding.situation == .representedElsewhere)
        #expect(finding.candidates == [foreign.description])
    }

    @Test("an unmarked object in our container is never touched, and its alias is not reused", arguments: bothProfiles)
    func unmarkedInContainer(profile: Profile) throws {
        var scenario = Scenario(profile)
        let manual = scenario.foreignRecipient("UKeller", target: "CCMAIL:Someone Else at NOWHERE", inContainer: true)
        scenario.user("Keller, Urs", "ZURICH")
        let plan = try scenario.plan()
        #expect(!plan.changes.contains { $0.dn == manual.description })
        let create = try #require(plan.changes.first)
        #expect(create.attributes[profile.aliasAttribute] == ["UKeller2"])
    }

    @Test("a marked recipient outside our container is not ours", arguments: bothProfiles)
    func markOutsideContainer(profile: Profile) throws {
        var scenario = Scenario(profile)
        let outside = scenario.ownedRecipient(
            "FFormer", name: "Former, Fred", po: "LONDON", display: "Fred Former", inContainer: false)
        let plan = try scenario.plan()
        #expect(!plan.changes.contains { $0.dn == outside.description })
    }

    @Test("our recipient whose user is gone is deleted, with preconditions on mark and target", arguments: bothProfiles)
    func userGone(profile: Profile) throws {
        var scenario = Scenario(profile)
        let dn = scenario.ownedRecipient("FFormer", name: "Former, Fred", po: "LONDON", display: "Fred Former")
        let plan = try scenario.plan()
        let change = try #require(plan.changes.first)
        #expect(change.kind == .delete)
        #expect(change.dn == dn.description)
        #expect(change.situation == .userGone)
        #expect(change.ccmailName == "Former, Fred")
        #expect(
            change.preconditions == [
                Plan.Precondition(attribute: profile.markAttribute, present: ["ccdirsync:Former, Fred"]),
                Plan.Precondition(attribute: profile.targetAttribute, present: ["CCMAIL:Former, Fred at LONDON"]),
            ])
        #expect(change.before[profile.targetAttribute] == ["CCMAIL:Former, Fred at LONDON"])
    }

    @Test("onMissing: hide hides instead of deleting, once; a returning user is shown again", arguments: bothProfiles)
    func hidePolicy(profile: Profile) throws {
        var scenario = Scenario(profile)
        scenario.configuration.policy.onMissing = .hide
        let gone = scenario.ownedRecipient("FFormer", name: "Former, Fred", po: "LONDON", display: "Fred Former")
        scenario.ownedRecipient("OGone", name: "Gone, Old", po: "LONDON", display: "Old Gone", hidden: true)
        let back = scenario.ownedRecipient("RBack", name: "Back, Ron", po: "LONDON", display: "Ron Back", hidden: true)
        scenario.user("Back, Ron", "LONDON")
        let plan = try scenario.plan()
        #expect(plan.changes.count == 2)
        let hide = try #require(plan.changes.first { $0.dn == gone.description })
        #expect(hide.situation == .userGoneHidden)
        #expect(hide.modifications == [Plan.Modification(op: .add, attribute: profile.hideAttribute, values: ["TRUE"])])
        let show = try #require(plan.changes.first { $0.dn == back.description })
        #expect(show.situation == .userReturned)
        #expect(
            show.modifications == [Plan.Modification(op: .delete, attribute: profile.hideAttribute, values: ["TRUE"])])
    }

    @Test("joined user with our recipient: kept by default, deleted with retireOnMatch", arguments: bothProfiles)
    func retireOnMatch(profile: Profile) throws {
        var scenario = Scenario(profile)
        scenario.mailbox("JSmith", given: "John", sur: "Smith", proxies: [scenario.migrate("Smith, John", "LONDON")])
        let owned = scenario.ownedRecipient("JSmith2", name: "Smith, John", po: "LONDON", display: "John Smith")
        scenario.user("Smith, John", "LONDON")
        #expect(try scenario.plan().changes.isEmpty)
        scenario.configuration.policy.retireOnMatch = true
        let plan = try scenario.plan()
        let change = try #require(plan.changes.first)
        #expect(plan.changes.count == 1)
        #expect(change.kind == .delete)
        #expect(change.dn == owned.description)
        #expect(change.situation == .retiredOnMatch)
        #expect(change.rule == .migrateValue)
    }

    @Test("a name match is a suggestion by default and a join with byName: apply", arguments: bothProfiles)
    func nameRule(profile: Profile) throws {
        var scenario = Scenario(profile)
        let mailbox = scenario.mailbox("AMiller", given: "Ann", sur: "Miller")
        scenario.user("MILLER,  Ann", "LONDON")
        let suggested = try scenario.plan()
        let finding = try #require(suggested.findings(for: "Miller, Ann").first)
        #expect(finding.situation == .suggestion)
        #expect(finding.candidates == [mailbox.description])
        #expect(
            !suggested.changes.contains { $0.dn == mailbox.description }, "a suggestion never writes to the mailbox")
        scenario.configuration.match.byName = .apply
        let applied = try scenario.plan()
        #expect(applied.changes.count == 1)
        #expect(applied.changes.first?.dn == mailbox.description)
        #expect(applied.changes.first?.rule == .name)
    }

    @Test("diacritics are ignored by the name rule unless configured", arguments: bothProfiles)
    func nameDiacritics(profile: Profile) throws {
        var scenario = Scenario(profile)
        scenario.configuration.match.byName = .apply
        scenario.mailbox("JMueller", given: "Jurgen", sur: "Muller")
        scenario.user("Müller, Jürgen", "ZURICH")
        #expect(try scenario.plan().changes.first?.rule == .name)
        scenario.configuration.match.ignoreDiacritics = false
        #expect(try scenario.plan().changes.first?.kind == .create)
    }
}

@Suite("A doubt never deletes")
struct UnreadInputTests {
    /// A directory of `scenario`'s users whose exports skipped one record.
    static func directory(_ scenario: Scenario) -> Directory {
        var directory = scenario.directory
        directory.findings = [
            Finding(
                .warning, .unknownLocationCode,
                "unknown location code 'X' (expected one of P p L l R r A a); "
                    + "'Gone, Gary' skipped", at: Location(file: "london.exp", line: 12, column: 6))
        ]
        return directory
    }

    @Test(
        "a recipient whose user is missing is neither deleted nor hidden when a record was skipped",
        arguments: bothProfiles, [PolicySettings.OnMissing.delete, .hide])
    func skippedRecordWithholdsRetirement(profile: Profile, onMissing: PolicySettings.OnMissing) throws {
        var scenario = Scenario(profile)
        scenario.configuration.policy.onMissing = onMissing
        let dn = scenario.ownedRecipient("GGone", name: "Gone, Gary", po: "LONDON", display: "Gary Gone")
        scenario.user("Here, Harry", "LONDON")
        let complete = try scenario.plan()
        #expect(complete.changes(for: "Gone, Gary").count == 1, "with every record read, the user is gone")
        let plan = try scenario.plan(directory: Self.directory(scenario))
        #expect(plan.changes(for: "Gone, Gary").isEmpty)
        let finding = try #require(plan.findings(for: "Gone, Gary").first)
        #expect(finding.situation == .userUnknown)
        #expect(finding.detail.contains("london.exp:12:6"), "\(finding.detail)")
        #expect(finding.candidates == [dn.description])
        #expect(plan.changes(for: "Here, Harry").count == 1, "the rest of the plan is made as usual")
    }
}

@Suite("One address, several objects")
struct SharedAddressTests {
    @Test("our recipient and one made by hand with the same target: the plan reports both", arguments: bothProfiles)
    func raceWithAForeignRecipient(profile: Profile) throws {
        var scenario = Scenario(profile)
        let ours = scenario.ownedRecipient("MOBrien", name: "O'Brien, Mary", po: "LONDON", display: "Mary O'Brien")
        let theirs = scenario.foreignRecipient("MaryOB", target: "CCMAIL:O'Brien,  Mary AT LONDON")
        scenario.user("O'Brien, Mary", "LONDON")
        let plan = try scenario.plan()
        #expect(plan.changes.isEmpty, "nothing is deleted or rewritten: \(plan.changes)")
        let finding = try #require(plan.findings(for: "O'Brien, Mary").first { $0.situation == .duplicateAddress })
        #expect(finding.candidates == [ours.description, theirs.description].sorted())
        #expect(finding.detail.contains("CCMAIL:O'Brien, Mary at LONDON"), "\(finding.detail)")
    }

    @Test("a joined mailbox that carries the address as a secondary, beside our kept recipient, is no finding")
    func joinedMailboxAndOurRecipient() throws {
        var scenario = Scenario(.exchange2000)
        scenario.mailbox(
            "JSmith", given: "John", sur: "Smith", proxies: [scenario.proxy("ccmail", "Smith, John at LONDON")])
        scenario.ownedRecipient("JSmith2", name: "Smith, John", po: "LONDON", display: "John Smith")
        scenario.user("Smith, John", "LONDON")
        let plan = try scenario.plan()
        #expect(plan.findings.allSatisfy { $0.situation != .duplicateAddress }, "\(plan.findings)")
    }

    @Test("smtp gateway: a contact made by hand whose mail is the user's address keeps ccdirsync from making another")
    func smtpGatewayAndAHandMadeContact() throws {
        var scenario = Scenario(.exchange2000)
        let dn = Scenario.mailboxes(.exchange2000).child(RelativeDistinguishedName(type: "cn", value: "Ann Miller"))
        scenario.entries.append(
            Entry(
                dn: dn,
                attributes: [
                    Attribute("objectClass", strings: ["contact"]), Attribute("cn", strings: ["Ann Miller"]),
                    Attribute("sn", strings: ["Miller"]), Attribute("mail", strings: ["Ann.Miller@Example.com"]),
                ]))
        scenario.users.append(
            CCMailUser(
                name: CCMailName("Miller, Ann"), kind: .user, homePostOffice: CCMailName("INTERNET"),
                foreignAliasName: "ann.miller@example.com", address: .smtp("ann.miller@example.com")))
        let plan = try scenario.plan()
        #expect(plan.changes.isEmpty, "no second contact: \(plan.changes)")
        let finding = try #require(plan.findings(for: "Miller, Ann").first)
        #expect(finding.situation == .representedElsewhere)
        #expect(finding.candidates == [dn.description])
    }
}
