import Foundation
import TestSupport

/// One fault and where in a run it strikes.
struct Scenario: Sendable {
    enum Fault: Sendable {
        /// kill -9 of `sync` (or of `apply --plan`, after an uninterrupted `plan`) when `trigger` holds.
        case kill(apply: Bool, Trigger)
        /// Through the proxy: answers lost from `trigger` on, then the connections cut and the server unreachable
        /// until the run ends.
        case loseAnswers(Trigger)
        /// slapd stopped with SIGSTOP for longer than ccdirsync's LDAP timeout, then SIGCONT.
        case stopServer(Trigger)
        /// The state directory a tmpfs too small for the whole journal.
        case fullStateDirectory
    }

    /// A moment of a run, told by what the proxy and the state directory show, not by a delay.
    enum Trigger: Sendable {
        /// Half of the plan's LDAP read has come back.
        case readHalf
        /// The run kept its plan and report: planning done, apply not started.
        case planKept
        /// The journal has its `start` line.
        case started
        /// Half the journal lines of one change kind (`delete`, `modify`, `create`), times `fraction`.
        case phase(String, fraction: Double)
    }

    var name: String
    var point: String
    var fault: Fault

    static let all: [Scenario] = [
        Scenario(name: "kill-read", point: "sync: LDAP read half done", fault: .kill(apply: false, .readHalf)),
        Scenario(
            name: "kill-planned", point: "sync: plan kept, apply not begun", fault: .kill(apply: false, .planKept)),
        Scenario(name: "kill-start", point: "sync: journal start line", fault: .kill(apply: false, .started)),
        Scenario(
            name: "kill-deletes", point: "sync: deletes phase, half journalled",
            fault: .kill(apply: false, .phase("delete", fraction: 0.5))),
        Scenario(
            name: "kill-modifies", point: "sync: modifies phase, half journalled",
            fault: .kill(apply: false, .phase("modify", fraction: 0.5))),
        Scenario(
            name: "kill-creates", point: "sync: creates phase, half journalled",
            fault: .kill(apply: false, .phase("create", fraction: 0.5))),
        Scenario(
            name: "kill-apply", point: "apply --plan: creates, a quarter journalled",
            fault: .kill(apply: true, .phase("create", fraction: 0.25))),
        Scenario(
            name: "proxy-lost-answers", point: "sync: modifies half journalled; answers lost, then cut",
            fault: .loseAnswers(.phase("modify", fraction: 0.5))),
        Scenario(
            name: "sigstop-slapd",
            point: "sync: modifies half journalled; slapd stopped \(FaultSuite.ldapTimeout + 3) s",
            fault: .stopServer(.phase("modify", fraction: 0.5))),
        Scenario(name: "full-state-dir", point: "sync: state tmpfs fills mid-journal", fault: .fullStateDirectory),
    ]
}

/// The figures of one scenario, as the closing table and the JSON file show them.
struct Figures: Codable {
    var scenario: String
    var point: String
    /// Exit code of the interrupted run (137 = killed by SIGKILL).
    var interruptedExit: Int32 = -1
    /// The interruption struck where it should, and the run ended as a clean failure would.
    var cleanStop = false
    var rerunExit: Int32 = -1
    var converged = false
    var undoExact = false
    var foreignKept = false
    /// Journal lines the interrupted run left.
    var journalLines = 0
    /// Where the run was when it ended: the share of the LDAP read done, or the kind of its last journalled change.
    var landed = "-"
    var seconds: Double = 0
    var notes: [String] = []

    init(scenario: String, point: String) {
        self.scenario = scenario
        self.point = point
    }

    var passed: Bool { cleanStop && rerunExit == 0 && converged && undoExact && foreignKept }

    var summary: String {
        "\(passed ? "ok" : "FAILED"): exit \(interruptedExit), re-run \(rerunExit), converged \(converged), "
            + "undo exact \(undoExact), foreign kept \(foreignKept)"
            + (notes.isEmpty ? "" : "; " + notes.joined(separator: "; "))
    }
}

/// One scenario on its own slapd (behind a proxy) and its own state directory.
struct ScenarioRun {
    let suite: FaultSuite
    let scenario: Scenario

    var folder: URL { suite.work.appendingPathComponent(scenario.name) }
    var state: String { folder.appendingPathComponent("state").path }

    func log(_ what: String) -> String {
        folder.appendingPathComponent(what).path
    }

    func run() throws -> Figures {
        var figures = Figures(scenario: scenario.name, point: scenario.point)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let server = try suite.startServer()
        defer { server.stop() }
        let proxy = try LoopbackProxy(targetPort: server.port)
        defer { proxy.stop() }
        let config = try suite.writeConfig(scenario.name, url: proxy.url, server: server, state: state)

        try interrupt(config: config, server: server, proxy: proxy, figures: &figures)
        proxy.mode = .forward
        let watcher = JournalWatcher(state: state)
        watcher.refresh()
        figures.journalLines = watcher.lines
        if case .kill(_, .readHalf) = scenario.fault {
            figures.landed = "read \(proxy.answerBytes * 100 / max(1, suite.readBytes)) %"
        } else if let kind = watcher.lastKind {
            figures.landed = ["create": "creates", "modify": "modifies", "delete": "deletes"][kind] ?? kind
        }

        // The directory as the interruption left it (slapd stopped, its database copied) for the re-run and the undo,
        // each on a server of its own; the state directory copied for the undo.
        let snapshot = folder.appendingPathComponent("snapshot-db")
        try server.copyDatabase(to: snapshot)
        let undoState = folder.appendingPathComponent("state-undo").path
        try copyFolder(state, to: undoState)

        // (1) A re-run converges to the uninterrupted result, keeping every foreign value. It runs on a new server
        // from the snapshot, not on the old one restarted: its port may have gone to another test's slapd meanwhile.
        let rerunServer = try suite.startServer(snapshot)
        defer { rerunServer.stop() }
        let rerunConfig = try suite.writeConfig(
            scenario.name + "-rerun", url: rerunServer.url, server: rerunServer, state: state)
        let rerun = try Child.run(suite.ccdirsync, ["sync", "--config", rerunConfig], log: log("rerun"))
        figures.rerunExit = rerun.status ?? -1
        if figures.rerunExit != 0 { figures.notes.append("re-run: \(Self.lastLine(rerun.standardError))") }
        let after = try Dump(rerunServer)
        figures.converged = after == suite.reference
        if !figures.converged {
            figures.notes.append("re-run vs reference: \(after.difference(from: suite.reference))")
        }
        var lost =
            after.lostForeignValues(of: suite.original, allowedToGo: suite.reference).map { ["re-run: " + $0] }
            ?? []

        // (2) Undo of the interrupted run, on the snapshot, gives back the original exactly.
        let undoServer = try suite.startServer(snapshot)
        defer { undoServer.stop() }
        let undoConfig = try suite.writeConfig(
            scenario.name + "-undo", url: undoServer.url, server: undoServer, state: undoState)
        for (index, journal) in Files.matching(undoState, suffix: "-journal.jsonl").reversed().enumerated() {
            let out = folder.appendingPathComponent("undo-\(index).json").path
            let undo = try Child.run(
                suite.ccdirsync, ["undo", "--config", undoConfig, "--journal", journal, "--out", out],
                log: log("undo-\(index)"))
            guard undo.status == 0 else {
                figures.notes.append("undo exited \(undo.status ?? -1): \(Self.lastLine(undo.standardError))")
                continue
            }
            guard FaultSuite.changeCount(out) > 0 else { continue }
            let apply = try Child.run(
                suite.ccdirsync,
                ["apply", "--config", undoConfig, "--plan", out, "--approve", try FaultSuite.planHash(out)],
                log: log("undo-apply-\(index)"))
            if apply.status != 0 {
                figures.notes.append(
                    "undo apply exited \(apply.status ?? -1) (\(Self.count("stale", apply.standardError)) stale, "
                        + "\(Self.count("failed", apply.standardError)) failed)")
            }
        }
        let undone = try Dump(undoServer)
        figures.undoExact = undone == suite.original
        if !figures.undoExact { figures.notes.append("undo vs original: \(undone.difference(from: suite.original))") }
        lost += undone.lostForeignValues(of: suite.original).map { ["undo: " + $0] } ?? []
        figures.foreignKept = lost.isEmpty
        figures.notes += lost
        return figures
    }

    // MARK: - The interruptions

    private func interrupt(config: String, server: SlapdServer, proxy: LoopbackProxy, figures: inout Figures) throws {
        switch scenario.fault {
        case .kill(let apply, let trigger):
            var arguments = ["sync", "--config", config]
            if apply {
                let planFile = folder.appendingPathComponent("plan.json").path
                let plan = try Child.run(
                    suite.ccdirsync, ["plan", "--config", config, "--out", planFile], log: log("plan"))
                guard plan.status == 0 else { throw SlapdError("plan exited \(plan.status ?? -1)") }
                arguments = [
                    "apply", "--config", config, "--plan", planFile, "--approve", try FaultSuite.planHash(planFile),
                ]
            }
            let child = try Child(suite.ccdirsync, arguments, log: log("interrupted"))
            let reached = wait(for: trigger, child: child, proxy: proxy)
            figures.interruptedExit = child.killNow()
            figures.cleanStop = reached && figures.interruptedExit == 128 + SIGKILL
            if !reached {
                figures.notes.append("the run ended (exit \(figures.interruptedExit)) before the kill point")
            } else if !figures.cleanStop {
                figures.notes.append("the run ended (exit \(figures.interruptedExit)) before the kill landed")
            }

        case .loseAnswers(let trigger):
            // Three attempts, not the default six: the server stays unreachable, so more only add backoff time.
            let child = try Child(
                suite.ccdirsync, ["sync", "--config", config, "--max-attempts", "3"], log: log("interrupted"))
            let reached = wait(for: trigger, child: child, proxy: proxy)
            proxy.mode = .loseAnswers
            usleep(300_000)
            proxy.mode = .refuse
            proxy.dropConnections()
            figures.interruptedExit = child.wait()
            // Lost answers are a failure the run must report: 4 (some changes failed) or 69 (server unavailable).
            figures.cleanStop = reached && [4, 69].contains(figures.interruptedExit)
            if !reached { figures.notes.append("the run ended before the answers were lost") }
            if !figures.cleanStop { figures.notes.append("interrupted: \(Self.lastLine(child.standardError))") }

        case .stopServer(let trigger):
            let child = try Child(suite.ccdirsync, ["sync", "--config", config], log: log("interrupted"))
            let reached = wait(for: trigger, child: child, proxy: proxy)
            let pid = try slapdPID(server)
            kill(pid, SIGSTOP)
            sleep(UInt32(FaultSuite.ldapTimeout + 3))
            kill(pid, SIGCONT)
            figures.interruptedExit = child.wait()
            // Either it rode the stop out (0) or it gave up cleanly (4, 69).
            figures.cleanStop = reached && [0, 4, 69].contains(figures.interruptedExit)
            if !reached { figures.notes.append("the run ended before slapd was stopped") }
            if !figures.cleanStop { figures.notes.append("interrupted: \(Self.lastLine(child.standardError))") }

        case .fullStateDirectory:
            try fillStateDirectory(config: config, figures: &figures)
        }
    }

    /// Polls every millisecond until `trigger` holds (true) or the run ends first (false).
    private func wait(for trigger: Scenario.Trigger, child: Child, proxy: LoopbackProxy) -> Bool {
        let watcher = JournalWatcher(state: state)
        while child.poll() == nil {
            switch trigger {
            case .readHalf:
                if proxy.answerBytes >= suite.readBytes / 2 { return true }
            case .planKept:
                if !Files.matching(state, suffix: "-report.html").isEmpty { return true }
            case .started:
                watcher.refresh()
                if watcher.lines >= 1 { return true }
            case .phase(let kind, let fraction):
                watcher.refresh()
                let target = max(1, Int(Double(suite.journalLines[kind] ?? 0) * fraction))
                if watcher.count(kind) >= target { return true }
            }
            usleep(1_000)
        }
        return false
    }

    /// A tmpfs as the state directory with room for the kept plan and report and half the journal; the run must stop
    /// cleanly (exit 74) when it fills. Then the space is freed (the files moved to an ordinary folder) for the rest.
    private func fillStateDirectory(config: String, figures: inout Figures) throws {
        let page = 4096
        let pages = (suite.keptBytes + page - 1) / page + 3 + suite.journalBytes / 2 / page
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let mount = try Child.run(
            "/bin/mount", ["-t", "tmpfs", "-o", "size=\(pages * page),mode=0755", "tmpfs", state], log: log("mount"))
        guard mount.status == 0 else {
            figures.notes.append(
                "cannot mount a tmpfs as the state directory (needs root or CAP_SYS_ADMIN): \(Self.lastLine(mount.standardError))"
            )
            return
        }
        var mounted = true
        defer { if mounted { _ = try? Child.run("/bin/umount", [state], log: log("umount")) } }
        let child = try Child(suite.ccdirsync, ["sync", "--config", config], log: log("interrupted"))
        figures.interruptedExit = child.wait()
        let watcher = JournalWatcher(state: state)
        watcher.refresh()
        // EX_IOERR: the state directory refused a write and the run stopped before the next LDAP write.
        figures.cleanStop = figures.interruptedExit == 74 && watcher.lines > 0
        if watcher.lines == 0 { figures.notes.append("the state directory filled before the journal began") }
        if figures.interruptedExit == 132 { figures.notes.append("trapped (SIGILL) writing the journal") }
        if !figures.cleanStop { figures.notes.append("interrupted: \(Self.lastLine(child.standardError))") }
        let saved = folder.appendingPathComponent("state-saved").path
        try copyFolder(state, to: saved)
        let unmount = try Child.run("/bin/umount", [state], log: log("umount"))
        guard unmount.status == 0 else { throw SlapdError("umount \(state): \(unmount.standardError)") }
        mounted = false
        try FileManager.default.removeItem(atPath: state)
        try copyFolder(saved, to: state)
    }

    private func slapdPID(_ server: SlapdServer) throws -> pid_t {
        let file = server.directory.appendingPathComponent("slapd.pid").path
        guard let text = try? String(contentsOfFile: file, encoding: .utf8),
            let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else { throw SlapdError("no slapd pid in \(file)") }
        return pid
    }

    private func copyFolder(_ source: String, to destination: String) throws {
        try? FileManager.default.removeItem(atPath: destination)
        guard FileManager.default.fileExists(atPath: source) else {
            try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
            return
        }
        let copy = try Child.run("/bin/cp", ["-R", source, destination], log: log("copy"))
        guard copy.status == 0 else { throw SlapdError("cp -R \(source) \(destination): \(copy.standardError)") }
    }

    /// The line of a run's standard error that says why it ended: a trap's message, else its last own line.
    static func lastLine(_ text: String) -> String {
        let lines = text.split(separator: "\n")
        let line =
            lines.first { $0.contains("Fatal error:") }
            ?? lines.last { $0.hasPrefix("ccdirsync:") && !$0.hasPrefix("ccdirsync: journal:") } ?? lines.last
        return line.map(String.init) ?? "(nothing on stderr)"
    }

    static func count(_ prefix: String, _ text: String) -> Int {
        text.split(separator: "\n").count { $0.hasPrefix(prefix) }
    }
}
