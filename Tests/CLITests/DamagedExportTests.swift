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

    /// `bytes` without the records (blocks between blank lines) whose Name line starts with one of `names`.
    static func removingRecords(_ names: [String], from bytes: [UInt8]) -> [UInt8] {
        let text = String(decoding: bytes, as: UTF8.self)
        let kept = text.components(separatedBy: "\r\n\r\n").filter { record in
            !names.contains { record.hasPrefix("Name: \($0)") }
        }
        return Array(kept.joined(separator: "\r\n\r\n").utf8)
    }

    @Test(
        "an export far smaller than at the last applied run: its users' deletes wait for approval", arguments: flavours)
    func exportShrinkGuard(flavour: SchemaFlavour) async throws {
        try await Self.afterFirstSync(
            flavour, damage: { Self.removingRecords(["O'Brien", "Taylor", "Postmaster"], from: $0) }
        ) { workspace, server in
            let counts = try String(contentsOfFile: workspace.path("state/exports.json"), encoding: .utf8)
            #expect(counts.contains("\"LONDON\""), "the first sync remembered the counts: \(counts)")
            let sync = try workspace.run(["sync", "--config", workspace.configFile.path])
            #expect(sync.status == 3, "\(sync.stderr)")
            #expect(sync.stderr.contains("exportShrink: london.exp (post office LONDON)"), "\(sync.stderr)")
            #expect(try Self.recipient(server, flavour).contains("MOBrien"), "nothing deleted without approval")
            let hash = try #require(
                sync.stderr.firstMatch(of: /--approve ([0-9a-f]{64})/).map { String($0.output.1) }, "\(sync.stderr)")
            let kept = try #require(
                WriteSideTests.stateFiles(workspace, "plan.json").first { $0.contains(hash.prefix(12)) })
            let approved = try workspace.run([
                "apply", "--config", workspace.configFile.path, "--plan", kept, "--approve", hash,
            ])
            #expect(approved.status == 0, "\(approved.stderr)")
            #expect(try Self.recipient(server, flavour).isEmpty, "approved, the deletes ran")
            let again = try workspace.run(["sync", "--config", workspace.configFile.path])
            #expect(again.status == 0, "the approved run is the new reference: \(again.stderr)")
        }
    }

    @Test("an empty export is an error, never 'everyone left'", arguments: flavours)
    func emptyExport(flavour: SchemaFlavour) async throws {
        try await Self.afterFirstSync(flavour, damage: { _ in [] }) { workspace, server in
            let before = try server.userDump()
            let sync = try workspace.run(["sync", "--config", workspace.configFile.path])
            #expect(sync.status == 65, "\(sync.stderr)")
            #expect(sync.stderr.contains("london.exp"), "\(sync.stderr)")
            #expect(try server.userDump() == before)
        }
    }
}
