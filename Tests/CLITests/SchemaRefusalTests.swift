import Foundation
import TestSupport
import Testing

/// plan, sync and check: a server without the profile's attributes and classes is refused, never read as empty.
@Suite(.serialized) struct SchemaRefusalTests {
    @Test("plan and sync refuse a server without the profile's schema, as check does, and write nothing")
    func missingSchema() async throws {
        // An exchange2000 configuration against a server with the exchange55 schema: no `user`, no mailNickname.
        // The searches find nothing rather than fail; without the schema check every user would be planned a
        // custom recipient.
        try await withSlapd(SlapdConfiguration(flavour: .exchange55)) { server in
            let workspace = try PlanWorkspace(flavour: .exchange55, server: server)
            defer { workspace.remove() }
            try workspace.editConfig(["profile: exchange55": "profile: exchange2000"])
            let before = try PlanWorkspace.dump(server)
            let check = try workspace.run(["check", "--config", workspace.configFile.path])
            #expect(check.status == 1)
            for command in ["plan", "sync"] {
                let result = try workspace.run([command, "--config", workspace.configFile.path])
                #expect(result.status == 1, "\(command): \(result.stdout)\(result.stderr)")
                #expect(result.stderr.contains("schema: missing attribute"), "\(command): \(result.stderr)")
                #expect(result.stderr.contains("mailNickname"), "\(command): \(result.stderr)")
                #expect(!result.stdout.contains("create"), "\(command): \(result.stdout)")
            }
            #expect(try PlanWorkspace.dump(server) == before, "nothing was written")
        }
    }
}
