import Foundation
import TestSupport
import Testing

/// The state directory and the journal at the edges: files never overwritten, answers lost mid-apply, a journal
/// that cannot be written, a killed run's temporary files, the lock when its file is removed.
@Suite(.serialized) struct StateDirectoryTests {
    /// The journal's change lines, as JSON objects.
    static func journalLines(_ file: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.filter { $0["record"] as? String == "change" }
    }

    /// The workspace's configuration with its server URL replaced.
    static func pointConfig(_ workspace: PlanWorkspace, from: String, to: String) throws {
        let config = try String(contentsOf: workspace.configFile, encoding: .utf8)
        try Data(config.replacingOccurrences(of: from, with: to).utf8).write(to: workspace.configFile)
    }

    @Test("the same plan applied four times in a row: four journals, plans and reports, none overwritten")
    func runFilesNeverOverwritten() async throws {
        try await withSlapd(SlapdConfiguration(flavour: .exchange2000)) { server in
            let workspace = try PlanWorkspace(flavour: .exchange2000, server: server)
            defer { workspace.remove() }
            let plan = try workspace.run([
                "plan", "--config", workspace.configFile.path, "--out", workspace.path("plan.json"),
            ])
            #expect(plan.status == 0, "\(plan.stderr)")
            // The first run writes; the others find everything done, quickly enough to share a second.
            for _ in 0..<4 {
                let apply = try workspace.run([
                    "apply", "--config", workspace.configFile.path, "--plan", workspace.path("plan.json"),
                ])
                #expect(apply.status == 0, "\(apply.stderr)")
            }
            let journals = WriteSideTests.stateFiles(workspace, "-journal.jsonl")
            #expect(journals.count == 4, "\(journals)")
            #expect(WriteSideTests.stateFiles(workspace, "-plan.json").count == 4)
            #expect(WriteSideTests.stateFiles(workspace, "-report.html").count == 4)
            // The first run's journal is still the one that created the entries, and undo can use it.
            let first = try #require(
                journals.first { path in
                    (try? Self.journalLines(path).contains { $0["outcome"] as? String == "applied" }) ?? false
                })
            let ids = journals.map { ($0 as NSString).lastPathComponent.dropLast("-journal.jsonl".count) }
            #expect(Set(ids).count == 4)
            #expect(try Self.journalLines(first).count { $0["outcome"] as? String == "applied" } == 11)
        }
    }

    @Test(
        "answers lost after the writes went out: journalled as unknown, sent lines only for what went out, undo restores",
        arguments: [LoopbackProxy.Mode.forward, .refuse])
    func answersLost(afterLoss: LoopbackProxy.Mode) async throws {
        try await withSlapd(SlapdConfiguration(flavour: .exchange55)) { server in
            let workspace = try PlanWorkspace(flavour: .exchange55, server: server)
            defer { workspace.remove() }
            let before = try server.userDump()
            let plan = try workspace.run([
                "plan", "--config", workspace.configFile.path, "--out", workspace.path("plan.json"),
            ])
            #expect(plan.status == 0, "\(plan.stderr)")
            let proxy = try LoopbackProxy(targetPort: server.port)
            proxy.loseAnswersFromFirstWrite(then: afterLoss)
            defer { proxy.stop() }
            let proxied = "ldap://127.0.0.1:\(proxy.port)"
            try Self.pointConfig(workspace, from: server.url, to: proxied)
            let apply = try workspace.run([
                "apply", "--config", workspace.configFile.path, "--plan", workspace.path("plan.json"),
                "--max-attempts", "2",
            ])
            #expect(proxy.hasLost)
            #expect(afterLoss == .forward ? apply.status == 0 : [4, 69].contains(apply.status), "\(apply.stderr)")
            let journal = try #require(WriteSideTests.stateFiles(workspace, "-journal.jsonl").first)
            let lines = try Self.journalLines(journal)
            #expect(
                lines.count { $0["outcome"] as? String == "sent" } == proxy.forwardedWrites,
                "a sent line for each write that went out, and for nothing else")
            // The first write (the delete) landed and its answer was lost.
            let delete = try #require(lines.last { $0["kind"] as? String == "delete" })
            #expect(delete["outcome"] as? String == "unknown", "\(delete)")
            #expect((delete["entry"] as? [String: Any])?["objectClass"] != nil, "the entry, for undo")

            try Self.pointConfig(workspace, from: proxied, to: server.url)
            try workspace.undo(journal: journal)
            #expect(try server.userDump() == before, "undo reversed exactly what landed")
        }
    }

    @Test("a journal that cannot be written (file size limit): exit 74 with the summary, no write after it")
    func journalNotWritable() async throws {
        try await withSlapd(SlapdConfiguration(flavour: .exchange55)) { server in
            let workspace = try InterruptionTests.workspace(server)
            defer { workspace.remove() }
            let plan = try workspace.run([
                "plan", "--config", workspace.configFile.path, "--out", workspace.path("plan.json"),
            ])
            #expect(plan.status == 0, "\(plan.stderr)")
            let report = try workspace.run(["report", "--plan", workspace.path("plan.json"), "--format", "html"])
            let planSize = try FileManager.default.attributesOfItem(atPath: workspace.path("plan.json"))[.size] as? Int
            // Room for the kept plan and report, not for the journal (two lines per create, each with the entry).
            let limit = max(planSize ?? 0, report.stdout.utf8.count) + 65536
            let binary = try CCDirSyncBinary.locate().url.path
            let limited = try Self.runShell(
                "trap '' XFSZ; exec prlimit --fsize=\(limit) \"$0\" apply --config \"$1\" --plan \"$2\"",
                [binary, workspace.configFile.path, workspace.path("plan.json")])
            #expect(limited.status == 74, "\(limited.stderr)")
            #expect(limited.stderr.contains("cannot write the journal"), "\(limited.stderr)")
            #expect(limited.stderr.contains("stopped before the next write"), "\(limited.stderr)")
            #expect(
                limited.stderr.contains(/created \d+, modified 0, deleted \d+, stale 0, failed 0/), "\(limited.stderr)")
            let journal = try #require(WriteSideTests.stateFiles(workspace, "-journal.jsonl").first)
            let sent = Set(
                try Self.journalLines(journal).filter { $0["outcome"] as? String == "sent" }.compactMap {
                    $0["dn"] as? String
                })
            let planned = try InterruptionTests.plannedCreates(workspace)
            let dump = try server.userDump()
            let landed = planned.filter { dump.contains("dn: \($0)\n") }
            #expect(!landed.isEmpty && landed.count < planned.count, "\(landed.count) of \(planned.count)")
            // Every write that went out is journalled; the message names the change whose line was lost.
            #expect(landed.subtracting(sent).isEmpty, "\(landed.subtracting(sent))")
            #expect(
                limited.stderr.contains(/change \d+ \(cn=[^)]+\) was not sent|the outcome of change \d+/),
                "\(limited.stderr)")
        }
    }

    @Test("temporary files a killed run left in the state directory are removed by the next run; others are kept")
    func staleTemporariesRemoved() async throws {
        try await withSlapd(SlapdConfiguration(flavour: .exchange2000)) { server in
            let workspace = try PlanWorkspace(flavour: .exchange2000, server: server)
            defer { workspace.remove() }
            let state = workspace.path("state")
            try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
            let ours = [
                ".20260101T000000Z-0123456789ab-1f2e3d-plan.json.tmp",
                ".20260101T000000Z-0123456789ab-1f2e3d-report.html.tmp", ".ccdirsync.lock.tmp",
            ]
            let theirs = [".notes.tmp", "keep.tmp"]
            for name in ours + theirs {
                try Data("half".utf8).write(to: URL(fileURLWithPath: (state as NSString).appendingPathComponent(name)))
            }
            let sync = try workspace.run(["sync", "--config", workspace.configFile.path])
            #expect(sync.status == 0, "\(sync.stderr)")
            let left = Set(try FileManager.default.contentsOfDirectory(atPath: state))
            #expect(left.isDisjoint(with: ours), "\(left)")
            #expect(left.isSuperset(of: theirs), "\(left)")
        }
    }

    /// A sync that holds the lock while it waits on a server that never answers, and the lock file it wrote.
    static func holdingSync(_ workspace: PlanWorkspace, _ silent: SilentListener) throws -> Process {
        var config = try String(contentsOf: workspace.configFile, encoding: .utf8)
        config = config.replacingOccurrences(
            of: #"url: ldap://127.0.0.1:\d+"#, with: "url: ldap://127.0.0.1:\(silent.port)\n  timeout: 4",
            options: .regularExpression)
        try Data(config.utf8).write(to: workspace.configFile)
        let first = Process()
        first.executableURL = try CCDirSyncBinary.locate().url
        first.arguments = ["sync", "--config", workspace.configFile.path]
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        let lockFile = workspace.path("state/ccdirsync.lock")
        for _ in 0..<100
        where !((try? String(contentsOfFile: lockFile, encoding: .utf8)) ?? "").contains(
            "pid \(first.processIdentifier) ")
        {
            usleep(20_000)
        }
        return first
    }

    @Test("the lock file removed while a sync runs: a second sync still exits 5, naming the holder")
    func lockFileRemoved() throws {
        let silent = try SilentListener()
        let workspace = try PlanWorkspace(flavour: .exchange2000, server: nil, extra: "")
        defer { workspace.remove() }
        let first = try Self.holdingSync(workspace, silent)
        defer {
            first.terminate()
            first.waitUntilExit()
        }
        try FileManager.default.removeItem(atPath: workspace.path("state/ccdirsync.lock"))
        let second = try workspace.run(["sync", "--config", workspace.configFile.path])
        #expect(second.status == 5, "\(second.stderr)")
        #expect(second.stderr.contains("pid \(first.processIdentifier) on "), "\(second.stderr)")
    }

    @Test("the lock file still naming a finished run: the second sync names the run that holds the lock now")
    func lockHolderNamed() throws {
        let silent = try SilentListener()
        let workspace = try PlanWorkspace(flavour: .exchange2000, server: nil, extra: "")
        defer { workspace.remove() }
        let first = try Self.holdingSync(workspace, silent)
        defer {
            first.terminate()
            first.waitUntilExit()
        }
        // What a reader sees between the winner taking the lock and writing its name: the previous holder's words.
        try Data("pid 1 on elsewhere since 2026-01-01T00:00:00Z\n".utf8).write(
            to: URL(fileURLWithPath: workspace.path("state/ccdirsync.lock")))
        let second = try workspace.run(["sync", "--config", workspace.configFile.path])
        #expect(second.status == 5, "\(second.stderr)")
        #expect(second.stderr.contains("pid \(first.processIdentifier) on "), "\(second.stderr)")
        #expect(!second.stderr.contains("pid 1 on"), "\(second.stderr)")
    }

    @Test(
        "an undo that deletes most owned recipients is over the threshold: exit 3, and the printed command applies it")
    func undoOverThreshold() async throws {
        try await withSlapd(SlapdConfiguration(flavour: .exchange55)) { server in
            let workspace = try PlanWorkspace(flavour: .exchange55, server: server)
            defer { workspace.remove() }
            let before = try server.userDump()
            let sync = try workspace.run(["sync", "--config", workspace.configFile.path])
            #expect(sync.status == 0, "\(sync.stderr)")
            var config = try String(contentsOf: workspace.configFile, encoding: .utf8)
            config = config.replacingOccurrences(
                of: "deletes: {count: 50, percent: 100}", with: "deletes: {count: 50, percent: 20}")
            try Data(config.utf8).write(to: workspace.configFile)
            let journal = try #require(WriteSideTests.stateFiles(workspace, "-journal.jsonl").first)
            let undo = try workspace.run([
                "undo", "--config", workspace.configFile.path, "--journal", journal, "--out",
                workspace.path("undo.json"),
            ])
            #expect(undo.status == 3, "\(undo.stderr)")
            let planned = try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: workspace.path("undo.json"))))
            #expect(((planned as? [String: Any])?["summary"] as? [String: Any])?["overThreshold"] as? Bool == true)
            let refused = try workspace.run([
                "apply", "--config", workspace.configFile.path, "--plan", workspace.path("undo.json"),
            ])
            #expect(refused.status == 3, "\(refused.stderr)")
            // The hint runs as printed.
            let match = try #require(
                undo.stderr.firstMatch(of: /ccdirsync (apply --config \S+ --plan \S+ --approve \S+)/))
            let arguments = match.1.split(separator: " ").map(String.init)
            #expect(arguments[2] == workspace.configFile.path)
            let approved = try workspace.run(arguments)
            #expect(approved.status == 0, "\(approved.stderr)")
            #expect(try server.userDump() == before)
        }
    }

    static func runShell(_ script: String, _ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script] + arguments
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stderr, as: UTF8.self))
    }
}
