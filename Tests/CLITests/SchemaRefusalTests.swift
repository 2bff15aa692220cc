import Foundation
import TestSupport
import Testing

/// plan, sync, undo and check: a server without the profile's attributes and classes is refused, never read as empty.
@Suite(.serialized) struct SchemaRefusalTests {
    /// A server that lacks the exchange2000 profile's schema, and the fixture flavour its workspace is made for.
    ///
    /// slapd: the exchange55 schema and fixture (no `user`, no `mailNickname`); the configuration's profile is then
    /// edited to exchange2000. Samba AD: a domain without the Exchange schema extension (an AD before Exchange's
    /// schema preparation) holding the fixture's organizational units, where a filter on `mailNickname` is
    /// Undefined and finds nothing instead of failing.
    static func startWithoutSchema(_ kind: TestServerKind) throws -> (any TestDirectoryServer, SchemaFlavour) {
        switch kind {
        case .slapd: (try SlapdServer.start(SlapdConfiguration(flavour: .exchange55)), .exchange55)
        case .sambaAD: (try SambaADServer.start(.withoutExchangeSchema), .exchange2000)
        }
    }

    @Test(
        "plan, sync and undo refuse a server without the profile's schema, as check does, and write nothing",
        arguments: TestServerKind.allCases)
    func missingSchema(kind: TestServerKind) async throws {
        let (server, flavour) = try Self.startWithoutSchema(kind)
        defer { server.stop() }
        // Without the schema check every user would be planned a custom recipient: the searches find nothing.
        let workspace = try PlanWorkspace(flavour: flavour, server: server)
        defer { workspace.remove() }
        if flavour != .exchange2000 {
            try workspace.editConfig(["profile: exchange55": "profile: exchange2000"])
        }
        let before = try PlanWorkspace.dump(server)
        let check = try workspace.run(["check", "--config", workspace.configFile.path])
        #expect(check.status == 1, "\(check.stdout)\(check.stderr)")
        #expect((check.stdout + check.stderr).contains("mailNickname"), "\(check.stdout)\(check.stderr)")
        // An empty journal: undo reads the directory before it plans anything.
        try Data().write(to: URL(fileURLWithPath: workspace.path("journal.jsonl")))
        let commands = [
            ["plan", "--out", workspace.path("plan.json")], ["sync"],
            ["undo", "--journal", workspace.path("journal.jsonl"), "--out", workspace.path("undo.json")],
        ]
        for command in commands {
            let result = try workspace.run(command + ["--config", workspace.configFile.path])
            let name = command[0]
            #expect(result.status == 1, "\(name): \(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("schema: missing attribute"), "\(name): \(result.stderr)")
            #expect(result.stderr.contains("mailNickname"), "\(name): \(result.stderr)")
            #expect(!result.stdout.contains("create"), "\(name): \(result.stdout)")
        }
        for file in ["plan.json", "undo.json"] {
            #expect(!FileManager.default.fileExists(atPath: workspace.path(file)), "\(file) was written")
        }
        #expect(try PlanWorkspace.dump(server) == before, "nothing was written")
    }
}
