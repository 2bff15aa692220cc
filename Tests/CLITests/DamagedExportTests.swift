import Foundation
import TestSupport
import Testing

/// A damaged export never deletes or hides: a user who could be in the part that was not read is unknown, not gone.
@Suite(.serialized) struct DamagedExportTests {
    static let flavours: [SchemaFlavour] = [.exchange55, .exchange2000]

    /// Syncs the fixture organisation once, so that O'Brien, Mary (london.exp) has a custom recipient, then gives
    /// london.exp the damage `damage` does to its bytes and runs `body`.
    static func afterFirstSync(
        _ flavour: SchemaFlavour, extra: String = "", damage: ([UInt8]) -> [UInt8],
        _ body: (PlanWorkspace, SlapdServer) throws -> Void
    ) async throws {
        try await withSlapd(SlapdConfiguration(flavour: flavour)) { server in
            let workspace = try PlanWorkspace(flavour: flavour, server: server, extra: extra)
            defer { workspace.remove() }
            let first = try workspace.run(["sync", "--config", workspace.configFile.path])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(try Self.recipient(server, flavour).contains("MOBrien"), "the first sync created the recipient")
            let london = URL(fileURLWithPath: workspace.path("london.exp"))
            try Data(damage(Array(try Data(contentsOf: london)))).write(to: london)
            try body(workspace, server)
        }
    }

    /// O'Brien's custom recipient as LDIF (empty when it is gone).
    static func recipient(_ server: SlapdServer, _ flavour: SchemaFlavour) throws -> String {
        try server.ldapsearch(base: FixtureNames(flavour).contactContainer, filter: "(cn=MOBrien)")
    }

    /// `bytes` with the first occurrence of `old` replaced by `new`.
    static func replacing(_ old: String, with new: [UInt8], in bytes: [UInt8]) -> [UInt8] {
        let needle = Array(old.utf8)
        guard let start = bytes.indices.first(where: { bytes[$0...].starts(with: needle) }) else {
            Issue.record("'\(old)' is not in the export")
            return bytes
        }
        return Array(bytes[..<start]) + new + Array(bytes[(start + needle.count)...])
    }

    @Test("records after an end-of-file mark: no plan (65), nothing deleted", arguments: flavours)
    func recordsAfterControlZ(flavour: SchemaFlavour) async throws {
        try await Self.afterFirstSync(
            flavour, damage: { Self.replacing("Name: O'Brien", with: [0x1A] + Array("Name: O'Brien".utf8), in: $0) }
        ) { workspace, server in
            let before = try server.userDump()
            let sync = try workspace.run(["sync", "--config", workspace.configFile.path])
            #expect(sync.status == 65, "\(sync.stderr)")
            #expect(sync.stderr.contains("london.exp:"), "the error names the file and line: \(sync.stderr)")
            #expect(sync.stderr.contains("Ctrl-Z"), "\(sync.stderr)")
            #expect(try server.userDump() == before, "nothing was written")
        }
    }

    @Test(
        "a user record skipped for an unknown Loc letter: its recipient is kept, and the plan says why",
        arguments: flavours)
    func unknownLocationLetter(flavour: SchemaFlavour) async throws {
        try await Self.afterFirstSync(
            flavour,
            damage: {
                Self.replacing(
                    "Name: O'Brien, Mary\r\nAddr:\r\nLoc: L",
                    with: Array("Name: O'Brien, Mary\r\nAddr:\r\nLoc: X".utf8), in: $0)
            }
        ) { workspace, server in
            let plan = try workspace.run([
                "plan", "--config", workspace.configFile.path, "--format", "json", "--detailed-exitcode",
            ])
            #expect(plan.status == 0, "nothing to change: \(plan.stderr)")
            #expect(plan.stdout.contains("userUnknown"), "\(plan.stdout)")
            #expect(plan.stdout.contains("london.exp:"), "the finding names the place not read")
            let sync = try workspace.run(["sync", "--config", workspace.configFile.path])
            #expect(sync.status == 0, "\(sync.stderr)")
            #expect(try Self.recipient(server, flavour).contains("MOBrien"), "the recipient is kept")
        }
    }
}
