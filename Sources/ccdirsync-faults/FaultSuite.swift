import Foundation
import TestSupport

/// The fault suite (`make faults`, docs/FAULTS.md): a generated organisation, one uninterrupted reference run, then
/// each scenario on its own slapd: interrupt a run, re-run it and compare with the reference, undo the interrupted
/// run on a copy of the directory as the interruption left it and compare with the original.
final class FaultSuite {
    struct Options {
        var users = 5000
        var scenarios: [String]?
        var figures: String?
        var keep = false
    }

    let options: Options
    let ccdirsync: String
    let generator: String
    let work: URL
    /// Seconds ccdirsync waits for one LDAP answer in every run here (`ldap.timeout`).
    static let ldapTimeout = 5

    /// The directory before any run, and after the uninterrupted one.
    private(set) var original = Dump(text: "")
    private(set) var reference = Dump(text: "")
    /// The loaded seed's database folder, copied for every server.
    var database: URL { work.appendingPathComponent("template-db") }
    /// Bytes of answers the plan's LDAP read gets (through the proxy), for the kill point in the read.
    private(set) var readBytes = 0
    /// Journal lines per change kind in the reference run (two per change: sent, then the outcome).
    private(set) var journalLines: [String: Int] = [:]
    /// Sizes of what a sync keeps in the state directory, for the full-disk scenario.
    private(set) var keptBytes = 0
    private(set) var journalBytes = 0
    private(set) var changes = 0

    init(_ options: Options) {
        self.options = options
        let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        ccdirsync = binaries.appendingPathComponent("ccdirsync").path
        generator = binaries.appendingPathComponent("ccdirsync-generate").path
        work = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "ccdirsync-faults-\(options.users)-\(getpid())")
    }

    static func say(_ text: String) {
        // Non-throwing FileHandle.write traps on an I/O error; a lost progress line is no reason to stop.
        try? FileHandle.standardError.write(contentsOf: Data((text + "\n").utf8))
    }

    /// Runs the selected scenarios; the figures of each, in order.
    func run() throws -> [Figures] {
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer {
            if options.keep {
                Self.say("kept \(work.path)")
            } else {
                try? FileManager.default.removeItem(at: work)
            }
        }
        try prepare()
        var figures: [Figures] = []
        for scenario in Scenario.all where options.scenarios?.contains(scenario.name) ?? true {
            Self.say("scenario \(scenario.name) (\(scenario.point)) …")
            let started = Date()
            var result: Figures
            do {
                result = try ScenarioRun(suite: self, scenario: scenario).run()
            } catch {
                result = Figures(scenario: scenario.name, point: scenario.point)
                result.notes.append("harness error: \(error)")
            }
            result.seconds = Date().timeIntervalSince(started)
            Self.say("  " + result.summary)
            figures.append(result)
        }
        return figures
    }

    // MARK: - The organisation and the reference run

    private func prepare() throws {
        Self.say("generating \(options.users) users …")
        let generated = try Child.run(
            generator,
            ["--users", "\(options.users)", "--flavour", "exchange55", "--seed", "1", "--out", work.path],
            log: work.appendingPathComponent("generate").path)
        guard generated.status == 0 else {
            throw SlapdError("ccdirsync-generate exited \(generated.status ?? -1): \(generated.standardError)")
        }
        Self.say(generated.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))
        let seed = work.appendingPathComponent("seed.ldif")
        try appendLeavers(to: seed)
        let template = try SlapdServer.start(
            SlapdConfiguration(flavour: .exchange55, seed: .ldif(seed), sizeLimit: nil))
        defer { template.stop() }
        original = try Dump(template)
        try template.copyDatabase(to: database)

        Self.say("reference run (uninterrupted) …")
        let folder = work.appendingPathComponent("reference")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let server = try startServer()
        defer { server.stop() }
        let proxy = try LoopbackProxy(targetPort: server.port)
        defer { proxy.stop() }
        let state = folder.appendingPathComponent("state").path
        let config = try writeConfig("reference", url: proxy.url, server: server, state: state)
        let planFile = folder.appendingPathComponent("plan.json").path
        let plan = try Child.run(
            ccdirsync, ["plan", "--config", config, "--out", planFile], log: folder.appendingPathComponent("plan").path)
        guard plan.status == 0 else {
            throw SlapdError("reference plan exited \(plan.status ?? -1): \(plan.standardError)")
        }
        readBytes = proxy.answerBytes
        let apply = try Child.run(
            ccdirsync, ["apply", "--config", config, "--plan", planFile, "--approve", try Self.planHash(planFile)],
            log: folder.appendingPathComponent("apply").path)
        guard apply.status == 0 else {
            throw SlapdError("reference apply exited \(apply.status ?? -1): \(apply.standardError)")
        }
        reference = try Dump(server)
        let watcher = JournalWatcher(state: state)
        watcher.refresh()
        journalLines = watcher.changes
        changes = journalLines.values.reduce(0, +) / 2
        keptBytes = (Files.matching(state, suffix: "-plan.json") + Files.matching(state, suffix: "-report.html"))
            .map(Files.size).reduce(0, +)
        journalBytes = watcher.path.map(Files.size) ?? 0
        if let lost = reference.lostForeignValues(of: original, allowedToGo: reference) {
            throw SlapdError("the uninterrupted run itself lost foreign values: \(lost)")
        }
        let again = try Child.run(
            ccdirsync, ["plan", "--config", config, "--detailed-exitcode"],
            log: folder.appendingPathComponent("plan-again").path)
        guard again.status == 0 else {
            throw SlapdError("a plan after the reference run is not empty (exit \(again.status ?? -1))")
        }
        let kinds = journalLines.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value / 2)" }
        Self.say(
            "reference: \(changes) changes (\(kinds.joined(separator: ", "))), read \(readBytes) bytes, "
                + "journal \(journalBytes) bytes, \(original.entries.count) entries before, "
                + "\(reference.entries.count) after")
    }

    /// Custom recipients ccdirsync made for users no export holds any more: the plan deletes them, so every run has
    /// a deletes phase (the generator's organisation has none).
    private func appendLeavers(to seed: URL) throws {
        var ldif = ""
        for index in 1...max(10, options.users / 50) {
            let alias = "GONE\(index)"
            let name = "Gone-\(index), Leaver"
            ldif += """
                dn: cn=\(alias),cn=ccMail Users,ou=Site,o=Org
                objectClass: top
                objectClass: person
                objectClass: remote-address
                objectClass: exchangeRecipient
                cn: \(alias)
                cn: Leaver Gone-\(index)
                sn: Gone-\(index)
                givenName: Leaver
                uid: \(alias)
                Target-Address: CCMAIL:\(name) at PO01
                otherMailbox: CCMAIL$\(name) at PO01
                mail: \(alias)@org.example
                Admin-Description: ccdirsync:\(name)


                """
        }
        let handle = try FileHandle(forWritingTo: seed)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(ldif.utf8))
    }

    // MARK: - Helpers for the scenarios

    func startServer(_ database: URL? = nil) throws -> SlapdServer {
        try SlapdServer.start(
            SlapdConfiguration(flavour: .exchange55, seed: .database(database ?? self.database), sizeLimit: nil))
    }

    /// A configuration beside the exports (their paths are relative to it), binding as the server's admin.
    func writeConfig(_ name: String, url: String, server: SlapdServer, state: String) throws -> String {
        let exports = (1...20).map { number in
            let po = "PO" + (number < 10 ? "0" : "") + "\(number)"
            return "{postOffice: \(po), path: \(po.lowercased()).exp}"
        }
        let text = """
            version: 1
            profile: exchange55
            ldap: {url: "\(url)", bindDN: "\(server.adminDN)", passwordFile: "\(server.adminPasswordFile)", tls: {mode: none}, baseDN: "ou=Site,o=Org", pageSize: 1000, timeout: \(Self.ldapTimeout)}
            ccmail:
              codepage: CP850
              exports: [\(exports.joined(separator: ", "))]
              gateways: {INTERNET: ccmail}
            exchange:
              customRecipientContainer: "cn=ccMail Users,ou=Site,o=Org"
              mailTemplate: "{alias}@org.example"
              x400Template: "c=US;a= ;p=Org;o=Site;s={sur};g={given};"
            thresholds: {deletes: {count: 100000000, percent: 1000000}, modifies: {count: 100000000, percent: 1000000}, creates: {count: 100000000, percent: 100000000}}
            state: {directory: "\(state)"}

            """
        let path = work.appendingPathComponent("\(name).yaml").path
        try Files.write(text, to: path)
        return path
    }

    /// The `planHash` of a plan file.
    static func planHash(_ path: String) throws -> String {
        let plan = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        guard let hash = (plan as? [String: Any])?["planHash"] as? String else {
            throw SlapdError("\(path) has no planHash")
        }
        return hash
    }

    /// The number of changes in a plan file.
    static func changeCount(_ path: String) -> Int {
        let plan = (try? Data(contentsOf: URL(fileURLWithPath: path))).flatMap {
            try? JSONSerialization.jsonObject(with: $0)
        }
        return ((plan as? [String: Any])?["changes"] as? [Any])?.count ?? 0
    }
}
