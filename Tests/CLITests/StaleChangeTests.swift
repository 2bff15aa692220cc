import Foundation
import TestSupport
import Testing

/// A change whose facts changed after the plan is skipped, never forced; a value that is the same to the server is
/// the same to ccdirsync.
@Suite(.serialized) struct StaleChangeTests {
    /// exchange55 on slapd, exchange2000 on slapd and on Samba AD.
    static let servers: [(SchemaFlavour, TestServerKind)] = [.exchange55, .exchange2000].flatMap { flavour in
        TestServerKind.servers(for: flavour).map { (flavour, $0) }
    }

    /// Müller, Jürgen's mailbox: the fixture plan adds his MIGRATE value (`migrateMissing`).
    static func muellerMailbox(_ flavour: SchemaFlavour) -> String {
        flavour == .exchange55
            ? "cn=JMueller,cn=Recipients,ou=Site,o=Org" : "cn=Jürgen Müller,ou=Users,dc=example,dc=org"
    }

    static func migrate(_ flavour: SchemaFlavour, _ address: String) -> String {
        "MIGRATE\(flavour == .exchange55 ? "$" : ":")CCMAIL:\(address)"
    }

    /// LDIF adding one value to the proxy attribute of `dn`, both base64 (they may be outside ASCII).
    static func addProxy(_ flavour: SchemaFlavour, dn: String, value: String) -> String {
        let attribute = FixtureNames(flavour).proxyAttribute
        return """
            dn:: \(Data(dn.utf8).base64EncodedString())
            changetype: modify
            add: \(attribute)
            \(attribute):: \(Data(value.utf8).base64EncodedString())
            -

            """
    }

    /// The MIGRATE values of `dn`, decoded.
    static func migrateValues(
        _ server: any TestDirectoryServer, _ flavour: SchemaFlavour, dn: String
    ) throws -> [String] {
        let attribute = FixtureNames(flavour).proxyAttribute
        let ldif = try server.ldapsearch(base: dn, scope: "base", attributes: [attribute])
        return ldif.split(separator: "\n").compactMap { line -> String? in
            if line.hasPrefix("\(attribute):: "),
                let data = Data(base64Encoded: String(line.dropFirst(attribute.count + 3)))
            {
                return String(decoding: data, as: UTF8.self)
            }
            if line.hasPrefix("\(attribute): ") {
                return String(line.dropFirst(attribute.count + 2))
            }
            return nil
        }.filter { $0.uppercased().hasPrefix("MIGRATE") }
    }

    /// Plans the fixture organisation, lets `edit` change the directory, then applies the plan.
    static func planEditApply(
        _ flavour: SchemaFlavour, _ kind: TestServerKind, edit: String,
        _ check: (any TestDirectoryServer, (status: Int32, stdout: String, stderr: String)) throws -> Void
    ) async throws {
        try await kind.withServer(flavour) { server in
            let workspace = try PlanWorkspace(flavour: flavour, server: server)
            defer { workspace.remove() }
            let plan = try workspace.run([
                "plan", "--config", workspace.configFile.path, "--out", workspace.path("p.json"),
            ])
            #expect(plan.status == 0, "\(plan.stderr)")
            let edited = try server.ldapmodify(edit)
            #expect(edited.status == 0, "\(edited.output)")
            let apply = try workspace.run([
                "apply", "--config", workspace.configFile.path, "--plan", workspace.path("p.json"),
            ])
            try check(server, apply)
        }
    }

    @Test(
        "another user's MIGRATE value added after the plan: the planned add is stale, not a second value",
        arguments: servers)
    func foreignMigrateValueMakesTheAddStale(flavour: SchemaFlavour, kind: TestServerKind) async throws {
        let dn = Self.muellerMailbox(flavour)
        let foreign = Self.migrate(flavour, "Other, Olga at PARIS")
        try await Self.planEditApply(flavour, kind, edit: Self.addProxy(flavour, dn: dn, value: foreign)) {
            server, apply in
            #expect(apply.status == 4, "\(apply.stderr)")
            #expect(apply.stderr.contains("stale, skipped: change"), "\(apply.stderr)")
            #expect(apply.stderr.contains("stale 1, failed 0"), "\(apply.stderr)")
            let values = try Self.migrateValues(server, flavour, dn: dn)
            #expect(values == [foreign], "the foreign value alone stays")
        }
    }

    @Test(
        "the planned MIGRATE value added by hand in another case and spacing: the change is done, not failed",
        arguments: servers)
    func sameValueOtherSpellingIsDone(flavour: SchemaFlavour, kind: TestServerKind) async throws {
        let dn = Self.muellerMailbox(flavour)
        let spelled = Self.migrate(flavour, "MÜLLER,  JÜRGEN   AT ZURICH")
        try await Self.planEditApply(flavour, kind, edit: Self.addProxy(flavour, dn: dn, value: spelled)) {
            server, apply in
            #expect(apply.status == 0, "\(apply.stderr)")
            #expect(apply.stderr.contains("stale 0, failed 0"), "\(apply.stderr)")
            let values = try Self.migrateValues(server, flavour, dn: dn)
            #expect(values == [spelled], "one value, as the admin wrote it")
        }
    }
}
