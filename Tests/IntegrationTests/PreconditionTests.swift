import LDAPClient
import LDAPModel
import LDAPStore
import Sync
import TestSupport
import Testing

/// The applier's writer, reporting assertions unsupported when asked to: the re-read path that servers without
/// RFC 4528 (Active Directory) take, against the real server.
final class AssertionlessWriter: DirectoryWriter {
    let base: LDAPDirectoryWriter
    let supportsAssertions: Bool

    init(_ base: LDAPDirectoryWriter, assertions: Bool) {
        self.base = base
        supportsAssertions = assertions && base.supportsAssertions
    }

    func read(_ dn: DistinguishedName, attributes: [String]) throws(DirectoryStoreError) -> Entry? {
        try base.read(dn, attributes: attributes)
    }

    func write(
        _ operations: [WriteOperation], window: Int, onSend: (Int) -> Bool, onResult: (Int, WriteOutcome) -> Void
    ) {
        base.write(operations, window: window, onSend: onSend, onResult: onResult)
    }

    func reconnect() throws(DirectoryStoreError) {
        try base.reconnect()
    }
}

@Suite struct PreconditionTests {
    /// Each flavour's fixture on slapd with the assertion control and without it (the re-read path); on Samba AD,
    /// which has no assertion control, once: the writer asks the server, finds none and takes the re-read path.
    static let cases: [(SchemaFlavour, TestServerKind, Bool)] = fixtureServers.flatMap { flavour, kind in
        kind == .sambaAD ? [(flavour, kind, true)] : [(flavour, kind, true), (flavour, kind, false)]
    }

    /// A MIGRATE add as the planner makes it for a mailbox that had `had` as its MIGRATE values.
    static func migrateChange(
        _ flavour: SchemaFlavour, dn: DistinguishedName, adding value: String, had: [String], deleting: [String] = []
    ) -> Plan {
        let names = FixtureNames(flavour)
        var modifications: [Plan.Modification] = []
        if !deleting.isEmpty {
            modifications.append(Plan.Modification(op: .delete, attribute: names.proxyAttribute, values: deleting))
        }
        modifications.append(Plan.Modification(op: .add, attribute: names.proxyAttribute, values: [value]))
        let change = Plan.Change(
            id: 1, kind: .modify, dn: dn.description, ccmailName: "Doe, Jane",
            situation: deleting.isEmpty ? .migrateMissing : .userMoved, rule: .ccMailProxy,
            modifications: modifications, before: [names.proxyAttribute: had],
            preconditions: [
                Plan.Precondition(
                    attribute: names.proxyAttribute, present: had, absent: [value],
                    noOthersStartingWith: names.migrate(""))
            ])
        return Plan(
            profile: flavour == .exchange55 ? .exchange55 : .exchange2000, baseDN: "", customRecipientContainer: "",
            inputs: [], summary: Plan.Summary(modify: 1), changes: [change], findings: [])
    }

    static func apply(_ plan: Plan, _ server: any TestDirectoryServer, assertions: Bool) throws -> ApplyResult {
        let connection = try server.serviceConnection()
        let writer = try LDAPDirectoryWriter { () throws(LDAPError) -> LDAPConnection in connection }
        #expect(writer.supportsAssertions == (server.kind == .slapd), "AD has no assertion control")
        return Applier(writer: AssertionlessWriter(writer, assertions: assertions), journal: MemoryJournal()).apply(
            plan)
    }

    @Test("another user's MIGRATE value that appeared after the plan makes the add stale", arguments: cases)
    func foreignValueAppeared(flavour: SchemaFlavour, kind: TestServerKind, assertions: Bool) async throws {
        try await kind.withServer(flavour) { server in
            let names = FixtureNames(flavour)
            let admin = try server.adminConnection()
            let mailbox = try #require(try mailboxWithProxies(admin, names, base: server.suffixDN))
            let foreign = names.migrate("Other, Olga at PARIS")
            try admin.modify(mailbox.dn, [.add(names.proxyAttribute, foreign)])
            let plan = Self.migrateChange(flavour, dn: mailbox.dn, adding: names.migrate("Doe, Jane at PO1"), had: [])
            let result = try Self.apply(plan, server, assertions: assertions)
            #expect(result.stale.count == 1 && result.failed.isEmpty, "\(result)")
            let after = try #require(try admin.read(mailbox.dn, attributes: [names.proxyAttribute]))
            #expect(after.strings(names.proxyAttribute).filter { $0.hasPrefix(names.migrate("")) } == [foreign])
        }
    }

    @Test("a user who moved: a third MIGRATE value that appeared makes the replacement stale", arguments: cases)
    func otherValueBesideTheOldOne(flavour: SchemaFlavour, kind: TestServerKind, assertions: Bool) async throws {
        try await kind.withServer(flavour) { server in
            let names = FixtureNames(flavour)
            let admin = try server.adminConnection()
            let mailbox = try #require(try mailboxWithProxies(admin, names, base: server.suffixDN))
            let old = names.migrate("Doe, Jane at PARIS")
            try admin.modify(mailbox.dn, [.add(names.proxyAttribute, old)])
            let plan = Self.migrateChange(
                flavour, dn: mailbox.dn, adding: names.migrate("Doe, Jane at PO1"), had: [old], deleting: [old])
            let foreign = names.migrate("Other, Olga at PARIS")
            try admin.modify(mailbox.dn, [.add(names.proxyAttribute, foreign)])
            let result = try Self.apply(plan, server, assertions: assertions)
            #expect(result.stale.count == 1 && result.failed.isEmpty, "\(result)")
            let after = try #require(try admin.read(mailbox.dn, attributes: [names.proxyAttribute]))
            #expect(
                Set(after.strings(names.proxyAttribute).filter { $0.hasPrefix(names.migrate("")) }) == [old, foreign])
        }
    }

    @Test("nothing changed since the plan: the add lands on both paths", arguments: cases)
    func unchangedMailboxGetsTheValue(flavour: SchemaFlavour, kind: TestServerKind, assertions: Bool) async throws {
        try await kind.withServer(flavour) { server in
            let names = FixtureNames(flavour)
            let admin = try server.adminConnection()
            let mailbox = try #require(try mailboxWithProxies(admin, names, base: server.suffixDN))
            let value = names.migrate("Doe, Jane at PO1")
            let result = try Self.apply(
                Self.migrateChange(flavour, dn: mailbox.dn, adding: value, had: []), server, assertions: assertions)
            #expect(result.stale.isEmpty && result.failed.isEmpty, "\(result)")
            let after = try #require(try admin.read(mailbox.dn, attributes: [names.proxyAttribute]))
            #expect(after.strings(names.proxyAttribute).contains(value))
        }
    }
}
