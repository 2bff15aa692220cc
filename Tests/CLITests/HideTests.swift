import Foundation
import TestSupport
import Testing

/// `policy: {onMissing: hide}` end to end on a real server: a custom recipient of ccdirsync's whose user has left
/// the exports is hidden from the address book, not deleted; when the user is back it is shown again.
@Suite(.serialized) struct HideTests {
    /// The attribute that hides a recipient (docs/CONFIG.md, `policy.onMissing`).
    static func hideAttribute(_ flavour: SchemaFlavour) -> String {
        flavour == .exchange55 ? "Hide-From-Address-Book" : "msExchHideFromAddressLists"
    }

    /// Sam Taylor's record in london.exp: a user with a custom recipient of ccdirsync's once the first sync ran.
    static let taylor = "Name: Taylor, Sam J.\r\nAddr:\r\nLoc: R\r\nComments: laptop\r\n\r\n"

    /// The values of `attribute` on the entry `dn`, read with ldapsearch as the admin (base64 ones decoded).
    static func values(_ server: any TestDirectoryServer, _ dn: String, _ attribute: String) throws -> [String] {
        let ldif = try server.ldapsearch(base: dn, scope: "base", attributes: [attribute])
        let name = attribute.lowercased()
        return ldif.split(separator: "\n").compactMap { line in
            let lower = line.lowercased()
            if lower.hasPrefix(name + ":: ") {
                return Data(base64Encoded: String(line.dropFirst(name.count + 3))).map {
                    String(decoding: $0, as: UTF8.self)
                }
            }
            return lower.hasPrefix(name + ": ") ? String(line.dropFirst(name.count + 2)) : nil
        }
    }

    @Test(
        "a user leaves the exports: the recipient is hidden, reported, not deleted (undo shows it); back: shown again",
        arguments: WriteSideTests.servers)
    func hideAndShowAgain(flavour: SchemaFlavour, kind: TestServerKind) async throws {
        try await kind.withServer(flavour) { server in
            let names = FixtureNames(flavour)
            let hide = Self.hideAttribute(flavour)
            let workspace = try PlanWorkspace(flavour: flavour, server: server, extra: "policy: {onMissing: hide}")
            defer { workspace.remove() }
            // One user fewer on LONDON is more than the default export shrink guard lets through.
            try workspace.editConfig(["thresholds: {": "thresholds: {exportShrink: {percent: 100}, "])
            let former = "cn=FFormer,\(names.contactContainer)"
            let taylor = "cn=STaylor,\(names.contactContainer)"

            // Fred Former left before the first run: his recipient is hidden where the default deletes it.
            let first = try workspace.run(["sync", "--config", workspace.configFile.path])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stderr.contains("created 7, modified 4, deleted 0, stale 0, failed 0"), "\(first.stderr)")
            #expect(try Self.values(server, former, hide) == ["TRUE"])
            #expect(try Self.values(server, taylor, hide).isEmpty)
            // The fixture's moves on that first run: John Smith's MIGRATE value and Noël Garçon's target follow
            // their new post offices.
            let smith = try Self.values(server, names.johnSmith, names.proxyAttribute)
            #expect(smith.contains(names.migrate("Smith, John at LONDON")), "\(smith)")
            #expect(!smith.contains(names.migrate("Smith, John at PARIS")), "\(smith)")
            let garcon = "cn=NGarcon,\(names.contactContainer)"
            #expect(try Self.values(server, garcon, names.targetAttribute) == ["CCMAIL:Garçon, Noël at PARIS"])

            // Sam Taylor leaves: the plan says his recipient is hidden, and the sync hides it.
            let london = URL(fileURLWithPath: workspace.path("london.exp"))
            let export = try Data(contentsOf: london)
            let without = try #require(
                String(data: export, encoding: .isoLatin1)?.replacingOccurrences(
                    of: Self.taylor, with: ""))
            #expect(without.utf8.count < export.count, "Taylor's record is in london.exp")
            try #require(without.data(using: .isoLatin1)).write(to: london)
            let plan = try workspace.run(["plan", "--config", workspace.configFile.path, "--detailed-exitcode"])
            #expect(plan.status == 2, "\(plan.stderr)")
            #expect(plan.stdout.contains("User gone from cc:Mail: custom recipient hidden"), "\(plan.stdout)")
            #expect(plan.stdout.contains("Taylor, Sam J."), "\(plan.stdout)")
            let earlier = Set(WriteSideTests.stateFiles(workspace, ""))
            let gone = try workspace.run(["sync", "--config", workspace.configFile.path])
            // The files this run added: names start with the time in seconds, so a run in the same second as the
            // one before may sort before it.
            let added = WriteSideTests.stateFiles(workspace, "").filter { !earlier.contains($0) }
            #expect(gone.status == 0, "\(gone.stderr)")
            #expect(gone.stderr.contains("created 0, modified 1, deleted 0, stale 0, failed 0"), "\(gone.stderr)")
            #expect(try Self.values(server, taylor, hide) == ["TRUE"])
            let report = try #require(added.first { $0.hasSuffix("report.html") })
            let html = try String(contentsOfFile: report, encoding: .utf8)
            #expect(html.contains("User gone from cc:Mail: custom recipient hidden") && html.contains("Taylor, Sam J."))
            #expect(try Self.values(server, taylor, names.targetAttribute) == ["CCMAIL:Taylor, Sam J. at LONDON"])

            // Undo of that run shows him again; the next sync hides him again.
            let journal = try #require(added.first { $0.hasSuffix("journal.jsonl") })
            try workspace.undo(journal: journal)
            #expect(try Self.values(server, taylor, hide).isEmpty)
            let again = try workspace.run(["sync", "--config", workspace.configFile.path])
            #expect(again.stderr.contains("created 0, modified 1, deleted 0, stale 0, failed 0"), "\(again.stderr)")
            #expect(try Self.values(server, taylor, hide) == ["TRUE"])

            // He is back: shown again, and nothing is left to do.
            try export.write(to: london)
            let back = try workspace.run(["plan", "--config", workspace.configFile.path, "--detailed-exitcode"])
            #expect(back.status == 2, "\(back.stderr)")
            #expect(back.stdout.contains("User back in cc:Mail: custom recipient shown again"), "\(back.stdout)")
            let returned = try workspace.run(["sync", "--config", workspace.configFile.path])
            #expect(returned.status == 0, "\(returned.stderr)")
            #expect(returned.stderr.contains("created 0, modified 1, deleted 0"), "\(returned.stderr)")
            #expect(try Self.values(server, taylor, hide).isEmpty)
            #expect(try Self.values(server, former, hide) == ["TRUE"], "Fred Former is still gone")
            let empty = try workspace.run(["plan", "--config", workspace.configFile.path, "--detailed-exitcode"])
            #expect(empty.status == 0, "\(empty.stdout)\(empty.stderr)")
        }
    }
}
