import CCMail
import Foundation
import TestSupport
import Testing

/// `apply`, `sync` and `undo` against a real slapd: convergence, undo, stale changes, locks, thresholds, kills.
@Suite(.serialized) struct WriteSideTests {
    static let flavours: [SchemaFlavour] = [.exchange55, .exchange2000]

    /// The files in the workspace's state directory whose names end with `suffix`, sorted (by time).
    static func stateFiles(_ workspace: PlanWorkspace, _ suffix: String) -> [String] {
        let state = workspace.path("state")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: state)) ?? []
        return names.filter { $0.hasSuffix(suffix) }.sorted().map { (state as NSString).appendingPathComponent($0) }
    }

    /// Each flavour's fixture on every server that holds it: exchange55 on slapd, exchange2000 on slapd and on
    /// Samba AD.
    static let servers: [(SchemaFlavour, TestServerKind)] = flavours.flatMap { flavour in
        TestServerKind.servers(for: flavour).map { (flavour, $0) }
    }

    @Test("check, plan, apply that plan file, plan again: nothing left; verify", arguments: servers)
    func planApplyPlan(flavour: SchemaFlavour, kind: TestServerKind) async throws {
        try await kind.withServer(flavour) { server in
            let workspace = try PlanWorkspace(flavour: flavour, server: server)
            defer { workspace.remove() }
            let before = try server.userDump()
            let check = try workspace.run(["check", "--config", workspace.configFile.path])
            #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
            let plan = try workspace.run([
                "plan", "--config", workspace.configFile.path, "--out", workspace.path("plan.json"),
                "--detailed-exitcode",
            ])
            #expect(plan.status == 2, "\(plan.stderr)")
            let apply = try workspace.run([
                "apply", "--config", workspace.configFile.path, "--plan", workspace.path("plan.json"),
            ])
            #expect(apply.status == 0, "\(apply.stderr)")
            #expect(apply.stderr.contains("created 7, modified 3, deleted 1, stale 0, failed 0"), "\(apply.stderr)")
            #expect(try server.userDump() != before)
            let again = try workspace.run(["plan", "--config", workspace.configFile.path, "--detailed-exitcode"])
            #expect(again.status == 0, "\(again.stdout)")
            // Every address resolves but Øster, Åse's: two mailboxes match her by name, so she stays unresolved
            // until a mapping row says which is hers (exit 2).
            let verify = try workspace.run([
                "verify", "--config", workspace.configFile.path, "--report", workspace.path("verify.html"),
            ])
            #expect(verify.status == 2, "\(verify.stdout)\(verify.stderr)")
        }
    }

    /// On AD the run deletes a contact that carries what the server keeps for itself (`objectGUID`, `whenCreated`…):
    /// undo recreates it from the profile's attributes only.
    @Test("sync, then plan gives nothing; undo of that run restores the directory exactly", arguments: servers)
    func syncAndUndo(flavour: SchemaFlavour, kind: TestServerKind) async throws {
        try await kind.withServer(flavour) { server in
            let workspace = try PlanWorkspace(flavour: flavour, server: server)
            defer { workspace.remove() }
            let before = try server.userDump()
            let sync = try workspace.run([
                "sync", "--config", workspace.configFile.path, "--metrics", workspace.path("ccdirsync.prom"),
            ])
            #expect(sync.status == 0, "\(sync.stderr)")
            #expect(sync.stderr.contains("created 7, modified 3, deleted 1, stale 0, failed 0, findings 6 in "))
            let metrics = try String(contentsOfFile: workspace.path("ccdirsync.prom"), encoding: .utf8)
            for line in [
                "ccdirsync_changes{kind=\"create\"} 7", "ccdirsync_changes{kind=\"modify\"} 3",
                "ccdirsync_changes{kind=\"delete\"} 1", "ccdirsync_stale 0", "ccdirsync_failed 0",
                "ccdirsync_findings 6",
                "ccdirsync_exit_code 0", "# TYPE ccdirsync_duration_seconds gauge",
            ] {
                #expect(metrics.contains(line + "\n"), "\(line)")
            }
            #expect(
                Self.stateFiles(workspace, "plan.json").count == 1
                    && Self.stateFiles(workspace, "report.html").count == 1)
            let again = try workspace.run(["plan", "--config", workspace.configFile.path, "--detailed-exitcode"])
            #expect(again.status == 0, "\(again.stdout)")
            let quiet = try workspace.run(["sync", "--config", workspace.configFile.path])
            #expect(quiet.status == 0)
            #expect(!quiet.stderr.contains("created"), "a sync with nothing to do prints no summary")
            let journal = try #require(Self.stateFiles(workspace, "journal.jsonl").first)
            try workspace.undo(journal: journal)
            #expect(try server.userDump() == before)
        }
    }

    @Test("changes made stale between plan and apply are skipped and listed; the rest applies; exit 4")
    func staleChanges() async throws {
        try await withSlapd(SlapdConfiguration(flavour: .exchange55)) { server in
            let workspace = try PlanWorkspace(flavour: .exchange55, server: server)
            defer { workspace.remove() }
            let plan = try workspace.run([
                "plan", "--config", workspace.configFile.path, "--out", workspace.path("p.json"),
            ])
            #expect(plan.status == 0, "\(plan.stderr)")
            let edits = """
                dn: cn=JSmith,cn=Recipients,ou=Site,o=Org
                changetype: modify
                delete: otherMailbox
                otherMailbox: MIGRATE$CCMAIL:Smith, John at PARIS
                -

                dn: cn=NGarcon,cn=ccMail Users,ou=Site,o=Org
                changetype: modify
                delete: Admin-Description
                -

                dn: cn=JMueller,cn=Recipients,ou=Site,o=Org
                changetype: delete

                """
            let edited = try server.ldapmodify(edits)
            #expect(edited.status == 0, "\(edited.output)")
            let applied = try workspace.run([
                "apply", "--config", workspace.configFile.path, "--plan", workspace.path("p.json"),
            ])
            #expect(applied.status == 4, "\(applied.stderr)")
            for dn in ["cn=JSmith,", "cn=NGarcon,", "cn=JMueller,"] {
                #expect(applied.stderr.contains("stale, skipped: change") && applied.stderr.contains(dn), "\(dn)")
            }
            #expect(applied.stderr.contains("created 7, modified 0, deleted 1, stale 3, failed 0"), "\(applied.stderr)")
            let garcon = try server.ldapsearch(base: "cn=NGarcon,cn=ccMail Users,ou=Site,o=Org", scope: "base")
            #expect(
                garcon.contains("Target-Address: CCMAIL:Garçon") || garcon.contains("LONDON")
                    || garcon.contains("Target-Address::"))
            #expect(!garcon.contains("PARIS"), "an unmarked recipient is never modified")
        }
    }

    @Test("two syncs at once: the second exits 5 within a second, naming the holder")
    func concurrentSyncs() async throws {
        let silent = try SilentListener()
        let workspace = try PlanWorkspace(flavour: .exchange2000, server: nil, extra: "")
        defer { workspace.remove() }
        var config = try String(contentsOf: workspace.configFile, encoding: .utf8)
        config = config.replacingOccurrences(
            of: #"url: ldap://127.0.0.1:\d+"#, with: "url: ldap://127.0.0.1:\(silent.port)\n  timeout: 4",
            options: .regularExpression)
        try Data(config.utf8).write(to: workspace.configFile)
        let binary = try CCDirSyncBinary.locate()
        let first = Process()
        first.executableURL = binary.url
        first.arguments = ["sync", "--config", workspace.configFile.path]
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        defer {
            first.terminate()
            first.waitUntilExit()
        }
        // Wait until the first run holds the lock.
        let lockFile = workspace.path("state/ccdirsync.lock")
        for _ in 0..<100 where ((try? String(contentsOfFile: lockFile, encoding: .utf8)) ?? "").isEmpty {
            usleep(20_000)
        }
        let started = Date()
        let second = try workspace.run(["sync", "--config", workspace.configFile.path])
        let seconds = Date().timeIntervalSince(started)
        #expect(second.status == 5, "\(second.stderr)")
        #expect(seconds < 1, "\(seconds) s")
        #expect(second.stderr.contains("pid \(first.processIdentifier) on "), "\(second.stderr)")
    }

    @Test(
        "exports cut to 40% of the users: over the delete threshold, nothing written, exit 3; --approve applies that plan"
    )
    func threshold() async throws {
        try await withSlapd(SlapdConfiguration(flavour: .exchange55)) { server in
            let workspace = try PlanWorkspace(flavour: .exchange55, server: server)
            defer { workspace.remove() }
            let first = try workspace.run(["sync", "--config", workspace.configFile.path])
            #expect(first.status == 0, "\(first.stderr)")
            var config = try String(contentsOf: workspace.configFile, encoding: .utf8)
            config = config.replacingOccurrences(
                of: "deletes: {count: 50, percent: 100}", with: "deletes: {count: 50, percent: 20}")
            try Data(config.utf8).write(to: workspace.configFile)
            let users = { () throws -> [String] in
                let arguments = ["LONDON", "PARIS", "ZURICH"].map {
                    "\($0)=\(workspace.path($0.lowercased() + ".exp"))"
                }
                let parsed = try workspace.run(
                    ["parse"] + arguments + ["--codepage", "CP850", "--gateway", "INTERNET", "--format", "csv"])
                // One user per line after the header; the name is the first (quoted) field.
                return parsed.stdout.split(separator: "\n").dropFirst().map { line in
                    line.hasPrefix("\"")
                        ? String(line.dropFirst().prefix { $0 != "\"" }) : String(line.prefix { $0 != "," })
                }
            }
            let everybody = try users()
            let keptUsers = Set(everybody.prefix(everybody.count * 40 / 100).map { CCMailName($0) })
            let decoder = try CodePageDecoder(.cp850)
            for file in ["london.exp", "paris.exp", "zurich.exp"] {
                let url = URL(fileURLWithPath: workspace.path(file))
                let cut = Self.keepingUsers(keptUsers, of: [UInt8](try Data(contentsOf: url)), decoder: decoder)
                try Data(cut).write(to: url)
            }
            let left = try users()
            #expect(
                left.count * 100 <= everybody.count * 40 && !left.isEmpty, "\(left.count) of \(everybody.count) left")
            let before = try server.userDump()
            let refused = try workspace.run(["sync", "--config", workspace.configFile.path])
            #expect(refused.status == 3, "\(refused.stderr)")
            #expect(refused.stderr.contains("over a threshold"))
            #expect(try server.userDump() == before, "nothing written")
            // The message names the kept plan and its hash, in a command that runs as printed.
            let match = try #require(
                refused.stderr.firstMatch(of: /\sapply --config (\S+) --plan (\S+) --approve ([0-9a-f]{64})/))
            #expect(String(match.1) == workspace.configFile.path)
            let kept = String(match.2)
            let hash = match.3
            let withoutApproval = try workspace.run(["apply", "--config", workspace.configFile.path, "--plan", kept])
            #expect(withoutApproval.status == 3)
            let approved = try workspace.run([
                "apply", "--config", workspace.configFile.path, "--plan", kept, "--approve", String(hash),
            ])
            #expect(approved.status == 0, "\(approved.stderr)")
            let planned = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: kept)))
            let deletes = ((planned as? [String: Any])?["summary"] as? [String: Any])?["delete"] as? Int ?? -1
            #expect(deletes > 0)
            #expect(approved.stderr.contains("deleted \(deletes),"), "\(approved.stderr)")
        }
    }

    /// An export cut short: every post office and alias record, and the records of the `kept` users only.
    ///
    /// Works on the bytes (the exports are CP850), record by record (records end with an empty CRLF line).
    static func keepingUsers(_ kept: Set<CCMailName>, of bytes: [UInt8], decoder: CodePageDecoder) -> [UInt8] {
        let body = bytes.last == 0x1A ? Array(bytes.dropLast()) : bytes
        var records: [[UInt8]] = []
        var start = 0
        var index = 0
        while index + 3 < body.count {
            if body[index..<index + 4].elementsEqual([0x0D, 0x0A, 0x0D, 0x0A]) {
                records.append(Array(body[start..<index + 4]))
                start = index + 4
                index += 4
            } else {
                index += 1
            }
        }
        if start < body.count {
            records.append(Array(body[start...]))
        }
        func isUser(_ record: [UInt8]) -> Bool {
            ["Loc: L", "Loc: l", "Loc: R", "Loc: r"].contains { marker in
                let needle = Array(marker.utf8)
                return record.indices.contains { record[$0...].starts(with: needle) }
            }
        }
        func name(_ record: [UInt8]) -> CCMailName? {
            let text = (try? decoder.decode(record).get()) ?? ""
            return text.split(separator: "\r\n").first { $0.hasPrefix("Name:") }.map {
                CCMailName(String($0.dropFirst(5)))
            }
        }
        var output: [UInt8] = []
        for record in records where !isUser(record) || name(record).map(kept.contains) == true {
            output += record
        }
        return output + [0x1A]
    }
}

/// A loopback port that accepts connections and never answers: a server that hangs.
final class SilentListener {
    let port: Int
    private let descriptor: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, size) }
        }
        guard fd >= 0, bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw CLITestError("cannot listen on loopback")
        }
        var length = size
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        descriptor = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit {
        close(descriptor)
    }
}
