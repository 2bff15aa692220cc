import Foundation
import TestSupport
import Testing

/// `check` reports the bind identity's effective rights where the server offers them.
@Suite(.serialized) struct RightsCheckTests {
    @Test("check says when the server does not report effective rights")
    func rightsNotOffered() async throws {
        try await withSlapd(SlapdConfiguration(flavour: .exchange2000)) { server in
            let workspace = try PlanWorkspace(flavour: .exchange2000, server: server)
            defer { workspace.remove() }
            let check = try workspace.run(["check", "--config", workspace.configFile.path])
            #expect(check.status == 0, "\(check.stdout)")
            #expect(check.stdout.contains("warn rights: not offered by this server"), "\(check.stdout)")
        }
    }
}
