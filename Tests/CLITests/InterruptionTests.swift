import Foundation
import TestSupport
import Testing

/// A 2,000-change apply killed or cut off at several moments always converges with `sync`.
@Suite(.serialized) struct InterruptionTests {
    static let users = 2000

    /// One LONDON export with 2,000 users and nothing else, so the plan is 2,000 creates and 2 deletes.
    static func workspace(_ server: SlapdServer) throws -> PlanWorkspace {
        let workspace = try PlanWorkspace(
            flavour: .exchange55, server: server, exports: [("LONDON", "big.exp")])
        var export = ""
        for index in 1...users {
            export += "Name: Tester\(index), User \(index % 7)\r\nLoc: L\r\n\r\n"
        }
        try Data(export.utf8).write(to: URL(fileURLWithPath: workspace.path("big.exp")))
        var config = try String(contentsOf: workspace.configFile, encoding: .utf8)
        config = config.replacingOccurrences(
            of: "creates: {count: 500, percent: 500}", with: "creates: {count: 5000, percent: 1000000}")
        try Data(config.utf8).write(to: workspace.configFile)
        return workspace
    }

    /// Runs `apply` in the background and returns the process.
    static func startApply(_ workspace: PlanWorkspace, extra: [String] = []) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = try CCDirSyncBinary.locate().url
        process.arguments =
            ["apply", "--config", workspace.configFile.path, "--plan", workspace.path("plan.json")] + extra
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        return (process, errors)
    }

    /// The DNs whose create the journals record as sent, applied or already done.
    static func journalledCreates(_ workspace: PlanWorkspace) throws -> Set<String> {
        var dns = Set<String>()
        for file in WriteSideTests.stateFiles(workspace, "journal.jsonl") {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            for line in text.split(separator: "\n") {
                guard let record = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    record["kind"] as? String == "create",
                    ["sent", "applied", "alreadyDone"].contains(record["outcome"] as? String ?? ""),
                    let dn = record["dn"] as? String
                else { continue }
                dns.insert(dn)
            }
        }
        return dns
    }

    static func plannedCreates(_ workspace: PlanWorkspace) throws -> Set<String> {
        let plan = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: workspace.path("plan.json"))))
        let changes = (plan as? [String: Any])?["changes"] as? [[String: Any]] ?? []
        return Set(changes.filter { $0["kind"] as? String == "create" }.compactMap { $0["dn"] as? String })
    }

    @Test("kill -9 at five moments of a 2,000-change apply, then sync: the same directory as an uninterrupted run")
    func killAndSync() async throws {
        // The uninterrupted run, and how long its apply takes.
        let (reference, seconds) = try await withSlapd(SlapdConfiguration(flavour: .exchange55)) { server in
            let workspace = try Self.workspace(server)
            defer { workspace.remove() }
            let plan = try workspace.run([
                "plan", "--config", workspace.configFile.path, "--out", workspace.path("plan.json"),
            ])
            #expect(plan.status == 0, "\(plan.stderr)")
            let started = Date()
            let apply = try workspace.run([
                "apply", "--config", workspace.configFile.path, "--plan", workspace.path("plan.json"),
            ])
            let seconds = Date().timeIntervalSince(started)
            #expect(apply.status == 0, "\(apply.stderr)")
            return (try server.userDump(), seconds)
        }
        for fraction in [0.1, 0.3, 0.5, 0.7, 0.9] {
            try await withSlapd(SlapdConfiguration(flavour: .exchange55)) { server in
                let workspace = try Self.workspace(server)
                defer { workspace.remove() }
                let plan = try workspace.run([
                    "plan", "--config", workspace.configFile.path, "--out", workspace.path("plan.json"),
                ])
                #expect(plan.status == 0, "\(plan.stderr)")
                let (process, _) = try Self.startApply(workspace)
                usleep(useconds_t(seconds * fraction * 1_000_000))
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                let sync = try workspace.run(["sync", "--config", workspace.configFile.path])
                #expect(sync.status == 0, "after a kill at \(fraction): \(sync.stderr)")
                #expect(try server.userDump() == reference, "after a kill at \(fraction)")
                let journalled = try Self.journalledCreates(workspace)
                #expect(journalled == (try Self.plannedCreates(workspace)), "every create that landed is journalled")
            }
        }
    }

    @Test("slapd stopped during an apply: exit 69 or 4 naming the server; restarted, sync converges")
    func serverStops() async throws {
        try await withSlapd(SlapdConfiguration(flavour: .exchange55)) { server in
            let workspace = try Self.workspace(server)
            defer { workspace.remove() }
            let plan = try workspace.run([
                "plan", "--config", workspace.configFile.path, "--out", workspace.path("plan.json"),
            ])
            #expect(plan.status == 0, "\(plan.stderr)")
            let (process, errors) = try Self.startApply(workspace, extra: ["--max-attempts", "2"])
            usleep(300_000)
            server.kill()
            let output = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect([69, 4].contains(process.terminationStatus), "\(output)")
            #expect(output.contains(server.url), "\(output)")
            try server.restart()
            let sync = try workspace.run(["sync", "--config", workspace.configFile.path])
            #expect(sync.status == 0, "\(sync.stderr)")
            let again = try workspace.run(["plan", "--config", workspace.configFile.path, "--detailed-exitcode"])
            #expect(again.status == 0, "\(again.stdout)")
        }
    }
}
