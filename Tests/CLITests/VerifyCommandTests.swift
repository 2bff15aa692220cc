import Foundation
import TestSupport
import Testing

/// `ccdirsync verify` against a real server (slapd, and Samba AD for exchange2000): after `sync` every user
/// resolves; hand-made changes produce each verdict with the right objects; the lookups are exact searches.
@Suite(.serialized) struct VerifyCommandTests {
    static let flavours: [SchemaFlavour] = [.exchange55, .exchange2000]

    /// Each flavour's fixture on every server that holds it.
    static let servers: [(SchemaFlavour, TestServerKind)] = flavours.flatMap { flavour in
        TestServerKind.servers(for: flavour).map { (flavour, $0) }
    }

    /// The verification JSON of one run.
    struct Report {
        let json: [String: Any]

        init(_ output: String) throws {
            json = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        }

        var users: [[String: Any]] { json["users"] as? [[String: Any]] ?? [] }
        var orphans: [[String: Any]] { json["orphans"] as? [[String: Any]] ?? [] }
        var summary: [String: Any] { json["summary"] as? [String: Any] ?? [:] }

        func user(_ name: String) -> [String: Any]? {
            users.first { $0["name"] as? String == name }
        }

        func status(_ name: String) -> String? {
            user(name)?["status"] as? String
        }

        /// The DNs that answered one of the user's lookups (`migration` or `address`), lower-cased: the report
        /// spells them as the server returns them, which on AD is `CN=John Smith,OU=Users,DC=example,DC=org` for
        /// the fixture's `cn=John Smith,ou=Users,dc=example,dc=org` (the fixture's DNs have no escapes, so case is
        /// all that differs).
        func answers(_ name: String, _ lookup: String) -> [String] {
            let objects = (user(name)?[lookup] as? [String: Any])?["objects"] as? [[String: Any]] ?? []
            return objects.compactMap { ($0["dn"] as? String)?.lowercased() }
        }

        func stale(_ name: String) -> [String] {
            (user(name)?["stale"] as? [[String: Any]] ?? []).compactMap { $0["value"] as? String }
        }

        /// Status → user names, for failure messages.
        var byStatus: [String: [String]] {
            Dictionary(grouping: users, by: { $0["status"] as? String ?? "" }).mapValues { group in
                group.compactMap { $0["name"] as? String }.sorted()
            }
        }
    }

    static func verify(
        _ workspace: PlanWorkspace, _ extra: [String] = []
    ) throws -> (
        status: Int32, report: Report, stderr: String
    ) {
        let result = try workspace.run(["verify", "--config", workspace.configFile.path, "--format", "json"] + extra)
        return (result.status, try Report(result.stdout), result.stderr)
    }

    /// `attr: value`, or `attr:: base64` when the value is not plain ASCII (LDIF's rule).
    static func line(_ attribute: String, _ value: String) -> String {
        value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) && !value.hasPrefix(" ") && !value.hasPrefix(":")
            ? "\(attribute): \(value)" : "\(attribute):: \(Data(value.utf8).base64EncodedString())"
    }

    /// Settles the fixtures' one disputed name (two mailboxes match `Øster, Åse`) the way an administrator does.
    static func settleDispute(_ workspace: PlanWorkspace) throws {
        try Data("ccmail_name,mailbox\r\n\"Øster, Åse\",AOster\r\n".utf8).write(
            to: URL(fileURLWithPath: workspace.path("mapping.csv")))
    }

    static func syncedWorkspace(_ flavour: SchemaFlavour, _ server: any TestDirectoryServer) throws -> PlanWorkspace {
        let workspace = try PlanWorkspace(flavour: flavour, server: server, extra: "match: {mappingFile: mapping.csv}")
        try settleDispute(workspace)
        let sync = try workspace.run(["sync", "--config", workspace.configFile.path])
        #expect(sync.status == 0, "\(sync.stderr)")
        return workspace
    }

    @Test(
        "before sync: moved users are stale, users without a recipient unresolved; after sync all resolve",
        arguments: servers)
    func everyUserVerifiesAfterSync(flavour: SchemaFlavour, kind: TestServerKind) async throws {
        try await kind.withServer(flavour) { server in
            let names = FixtureNames(flavour)
            let workspace = try PlanWorkspace(
                flavour: flavour, server: server, extra: "match: {mappingFile: mapping.csv}")
            defer { workspace.remove() }
            try Self.settleDispute(workspace)
            let dump = try server.userDump()
            let before = try Self.verify(workspace)
            #expect(before.status == 2)
            #expect(try server.userDump() == dump, "verify writes nothing")
            // John Smith's mailbox still says PARIS; Noël Garçon's recipient still targets his old office.
            #expect(before.report.status("Smith, John") == "stale")
            #expect(before.report.stale("Smith, John") == [names.migrate("Smith, John at PARIS")])
            #expect(before.report.status("Garçon, Noël") == "stale")
            #expect(before.report.status("Dupont, Hélène") == "unresolved")
            #expect(before.report.status("Müller, Jürgen") == "addressable", "a secondary ccmail proxy answers")

            let sync = try workspace.run(["sync", "--config", workspace.configFile.path])
            #expect(sync.status == 0, "\(sync.stderr)")
            let after = try Self.verify(workspace)
            #expect(after.status == 0, "\(after.report.byStatus)")
            #expect(after.report.users.count == 13)
            #expect(after.report.summary["passes"] as? Bool == true)
            #expect(after.report.summary["skipped"] as? Int == 2, "the two users of the excluded Exchange site")
            #expect(after.report.status("Smith, John") == "migrationReady")
            #expect(after.report.answers("Smith, John", "migration") == [names.johnSmith.lowercased()])
            #expect(after.report.status("Øster, Åse") == "migrationReady")
            // Recipients made by the connector and by hand answer too; they are not ccdirsync's.
            #expect(after.report.status("Bianchi, Lucia") == "addressable")
            #expect(after.report.status("Keller, Urs") == "addressable")
            let postmaster = try #require(after.report.user("Postmaster"))
            let objects = try #require((postmaster["address"] as? [String: Any])?["objects"] as? [[String: Any]])
            #expect(objects.count == 1 && objects[0]["owned"] as? Bool == true)
            #expect((objects[0]["dn"] as? String)?.lowercased().hasSuffix(names.contactContainer.lowercased()) == true)
            #expect(after.report.orphans.isEmpty)
            for format in ["text", "csv", "html"] {
                let report = try workspace.run(["verify", "--config", workspace.configFile.path, "--format", format])
                #expect(report.status == 0, "\(format): \(report.stderr)")
                #expect(report.stdout.contains("Postmaster"), "\(format)")
            }
        }
    }

    @Test("hand-made changes produce every verdict, each with the objects that cause it", arguments: servers)
    func eachVerdict(flavour: SchemaFlavour, kind: TestServerKind) async throws {
        try await kind.withServer(flavour) { server in
            let names = FixtureNames(flavour)
            let workspace = try Self.syncedWorkspace(flavour, server)
            defer { workspace.remove() }
            let synced = try Self.verify(workspace)
            #expect(synced.status == 0, "\(synced.report.byStatus)")
            let report = synced.report
            let proxy = names.proxyAttribute
            let sep = names.proxySeparator
            func office(_ name: String) throws -> String { try #require(report.user(name)?["postOffice"] as? String) }
            let dupont = try #require(report.answers("Dupont, Hélène", "address").first)
            let lefevre = try #require(report.answers("Lefèvre, François", "address").first)
            let weiss = try #require(report.answers("Weiß, Günter", "address").first)
            let mueller = try #require(report.answers("Müller, Jürgen", "migration").first)
            let elsewhere = try office("Weiß, Günter") == "PARIS" ? "ZURICH" : "PARIS"
            let muellerElsewhere = try office("Müller, Jürgen") == "PARIS" ? "LONDON" : "PARIS"
            let changes = [
                // unresolved: the custom recipient is gone.
                [Self.line("dn", dupont), "changetype: delete"],
                // ambiguous: Jane Doe's mailbox also answers François's address and carries John's MIGRATE value;
                // orphan: and a MIGRATE value for somebody cc:Mail never heard of.
                [
                    Self.line("dn", names.janeDoe), "changetype: modify", "add: \(proxy)",
                    Self.line(proxy, "ccmail\(sep)Lefèvre, François at \(try office("Lefèvre, François"))"),
                    Self.line(proxy, names.migrate("Smith, John at \(try office("Smith, John"))")),
                    Self.line(proxy, names.migrate("Nobody, Ned at LONDON")), "-",
                ],
                // stale: Jürgen's MIGRATE value and Günter's target name an office they are not on.
                [
                    Self.line("dn", mueller), "changetype: modify", "delete: \(proxy)",
                    Self.line(proxy, names.migrate("Müller, Jürgen at \(try office("Müller, Jürgen"))")), "-",
                    "add: \(proxy)", Self.line(proxy, names.migrate("Müller, Jürgen at \(muellerElsewhere)")), "-",
                ],
                [
                    Self.line("dn", weiss), "changetype: modify", "replace: \(names.targetAttribute)",
                    Self.line(names.targetAttribute, "CCMAIL:Weiß, Günter at \(elsewhere)"), "-",
                ],
            ]
            let ldif = changes.map { $0.joined(separator: "\n") }.joined(separator: "\n\n") + "\n"
            let modified = try server.ldapmodify(ldif)
            #expect(modified.status == 0, "\(modified.output)")

            let (status, after, _) = try Self.verify(workspace)
            #expect(status == 2)
            #expect(after.status("Dupont, Hélène") == "unresolved")
            #expect(after.answers("Dupont, Hélène", "address").isEmpty)
            #expect(after.status("Lefèvre, François") == "ambiguous")
            #expect(Set(after.answers("Lefèvre, François", "address")) == [lefevre, names.janeDoe.lowercased()])
            #expect(after.status("Smith, John") == "ambiguous")
            #expect(
                Set(after.answers("Smith, John", "migration")) == [
                    names.johnSmith.lowercased(), names.janeDoe.lowercased(),
                ])
            #expect(after.status("Müller, Jürgen") == "stale")
            #expect(after.stale("Müller, Jürgen") == [names.migrate("Müller, Jürgen at \(muellerElsewhere)")])
            #expect(after.status("Weiß, Günter") == "stale")
            #expect(after.stale("Weiß, Günter") == ["CCMAIL:Weiß, Günter at \(elsewhere)"])
            #expect(after.status("Postmaster") == "addressable")
            #expect(after.status("Øster, Åse") == "migrationReady")
            #expect(after.orphans.count == 1)
            #expect((after.orphans.first?["dn"] as? String)?.lowercased() == names.janeDoe.lowercased())
            #expect(after.orphans.first?["value"] as? String == names.migrate("Nobody, Ned at LONDON"))
            #expect(after.summary["passes"] as? Bool == false)

            // The full run groups many users' assertions per search; `--user` sends each lookup on its own, as
            // the Wizard does. Both must see the same directory the same way.
            for user in after.users {
                let name = try #require(user["name"] as? String)
                let alone = try Self.verify(workspace, ["--user", name])
                #expect(alone.report.status(name) == after.status(name), "\(name)")
                for lookup in ["migration", "address"] {
                    #expect(alone.report.answers(name, lookup) == after.answers(name, lookup), "\(name) \(lookup)")
                }
                #expect(alone.report.stale(name) == after.stale(name), "\(name)")
            }

            // One user, and the text report naming both objects.
            let one = try Self.verify(workspace, ["--user", "Smith, John"])
            #expect(one.status == 2)
            #expect(one.report.users.count == 1 && one.report.status("Smith, John") == "ambiguous")
            let text = try workspace.run([
                "verify", "--config", workspace.configFile.path, "--user", "Lefèvre, François",
            ])
            #expect(
                text.stdout.contains("Ambiguous") && text.stdout.lowercased().contains(names.janeDoe.lowercased()),
                "\(text.stdout)")
            #expect(text.stderr.contains("verify: 1 user: "), "one user, in the singular: \(text.stderr)")
            #expect(text.stdout.contains("NOT VERIFIED: 1 user cannot be found"), "\(text.stdout)")
            let nobody = try workspace.run(["verify", "--config", workspace.configFile.path, "--user", "Nobody, Ned"])
            #expect(nobody.status == 64 && nobody.stderr.contains("no such user"), "\(nobody.stderr)")
            let ldifFormat = try workspace.run(["verify", "--config", workspace.configFile.path, "--format", "ldif"])
            #expect(ldifFormat.status == 64)
        }
    }

    @Test(
        "the lookups are exact: `*` and `Smith*, John` match only their own objects, and Smith only his",
        arguments: TestServerKind.allCases)
    func exactSearches(kind: TestServerKind) async throws {
        try await kind.withServer(.exchange2000) { server in
            let names = FixtureNames(.exchange2000)
            let workspace = try PlanWorkspace(
                flavour: .exchange2000, server: server, exports: [("LONDON", "london.exp")])
            defer { workspace.remove() }
            let export =
                "Name: Smith, John\r\nLoc: L\r\n\r\nName: Smith*, John\r\nLoc: L\r\n\r\nName: *\r\nLoc: L\r\n\r\n"
            try Data(export.utf8).write(to: URL(fileURLWithPath: workspace.path("london.exp")))
            let sync = try workspace.run(["sync", "--config", workspace.configFile.path])
            #expect(sync.status == 0, "\(sync.stderr)")
            let first = try Self.verify(workspace)
            #expect(first.status == 0, "\(first.report.byStatus)")
            #expect(first.report.status("Smith, John") == "migrationReady")
            #expect(first.report.answers("Smith, John", "migration") == [names.johnSmith.lowercased()])
            #expect(first.report.answers("Smith, John", "address").isEmpty)
            let star = try #require(first.report.answers("*", "address").first)
            let smithStar = try #require(first.report.answers("Smith*, John", "address").first)
            #expect(first.report.answers("*", "address") == [star])
            #expect(first.report.answers("Smith*, John", "address") == [smithStar])
            #expect(first.report.answers("*", "migration").isEmpty)
            #expect(first.report.answers("Smith*, John", "migration").isEmpty)
            #expect(star != smithStar)
            // The filter sent spells the star escaped.
            let filter = (first.report.user("*")?["address"] as? [String: Any])?["filter"] as? String
            #expect(filter == "(|(proxyAddresses=CCMAIL:\\2a at LONDON)(targetAddress=CCMAIL:\\2a at LONDON))")

            // Without their own recipients, the two starred names resolve to nothing at all.
            let removed = try server.ldapmodify(
                "dn: \(star)\nchangetype: delete\n\ndn: \(smithStar)\nchangetype: delete\n")
            #expect(removed.status == 0, "\(removed.output)")
            let second = try Self.verify(workspace)
            #expect(second.status == 2)
            #expect(second.report.status("*") == "unresolved")
            #expect(second.report.status("Smith*, John") == "unresolved")
            #expect(second.report.answers("*", "migration").isEmpty && second.report.answers("*", "address").isEmpty)
            #expect(second.report.answers("Smith*, John", "migration").isEmpty)
            #expect(second.report.status("Smith, John") == "migrationReady")
            #expect(second.report.answers("Smith, John", "migration") == [names.johnSmith.lowercased()])
        }
    }

    @Test("the usual statuses: 69 server unreachable, 65 exports with errors, 64 bad configuration")
    func exitStatuses() throws {
        let unreachable = try PlanWorkspace(flavour: .exchange2000, server: nil)
        defer { unreachable.remove() }
        let down = try unreachable.run(["verify", "--config", unreachable.configFile.path])
        #expect(down.status == 69, "\(down.stderr)")
        #expect(down.stdout.isEmpty)

        let broken = try PlanWorkspace(flavour: .exchange2000, server: nil, exports: [("LONDON", "london.exp")])
        defer { broken.remove() }
        try FileManager.default.removeItem(atPath: broken.path("london.exp"))
        try FileManager.default.copyItem(
            atPath: PlanWorkspace.root.appendingPathComponent("fixtures/ccmail/bad/missing-name.exp").path,
            toPath: broken.path("london.exp"))
        let bad = try broken.run(["verify", "--config", broken.configFile.path])
        #expect(bad.status == 65, "\(bad.stderr)")
        #expect(bad.stderr.contains("london.exp:"), "the message names the file and line")

        try Data("version: 1\nprofile: exchange2000\nldap: {}\n".utf8).write(to: broken.configFile)
        let config = try broken.run(["verify", "--config", broken.configFile.path])
        #expect(config.status == 64, "\(config.stderr)")
    }
}
