import Foundation
import TestSupport

/// `sync --users N`: ccdirsync against OpenLDAP's own tools on the same server and data, in one run.
///
/// A generated organisation is loaded once with `slapadd -q`; its database folder is copied for every measured
/// step so no step sees another's writes. Each step runs in its own process under `/usr/bin/time -v` (peak RSS).
enum SyncBenchmark {
    struct Measurement {
        var seconds: Double
        var peakKB: Int
        var status: Int32
        var output: String
        /// The command's own standard error (without `time -v`'s report).
        var errors: String = ""
    }

    struct Options {
        var users = 100_000
        var runs = 3
        var flavour = "exchange55"
        var document: String?
    }

    static func main(_ arguments: [String]) -> Int32 {
        var options = Options()
        var index = 0
        while index + 1 < arguments.count {
            switch arguments[index] {
            case "--users": options.users = Int(arguments[index + 1]) ?? options.users
            case "--runs": options.runs = max(1, Int(arguments[index + 1]) ?? options.runs)
            case "--flavour": options.flavour = arguments[index + 1]
            case "--doc": options.document = arguments[index + 1]
            default: return StepRunners.usage("sync [--users N] [--runs K] [--flavour F] [--doc FILE]")
            }
            index += 2
        }
        do {
            try run(options)
            return 0
        } catch {
            FileHandle.standardError.write(Data("bench: \(error)\n".utf8))
            return 1
        }
    }

    static func say(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func run(_ options: Options) throws {
        let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        let ccdirsync = binaries.appendingPathComponent("ccdirsync").path
        let generator = binaries.appendingPathComponent("ccdirsync-generate").path
        let bench = binaries.appendingPathComponent("ccdirsync-bench").path
        let work = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "ccdirsync-bench-\(options.users)")
        try? FileManager.default.removeItem(at: work)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let flavour: SchemaFlavour = options.flavour == "exchange2000" ? .exchange2000 : .exchange55

        say("generating \(options.users) users …")
        let generated = try measure([
            generator, "--users", "\(options.users)", "--flavour", options.flavour, "--seed", "1", "--out", work.path,
        ])
        say(generated.output.trimmingCharacters(in: .whitespacesAndNewlines))
        say("loading the Exchange side with slapadd -q …")
        let loadStart = Date()
        let template = try SlapdServer.start(
            SlapdConfiguration(flavour: flavour, seed: .ldif(work.appendingPathComponent("seed.ldif")), sizeLimit: nil))
        let database = work.appendingPathComponent("template-db")
        try template.copyDatabase(to: database)
        template.stop()
        say(String(format: "loaded in %.1f s", Date().timeIntervalSince(loadStart)))

        func server() throws -> SlapdServer {
            try SlapdServer.start(SlapdConfiguration(flavour: flavour, seed: .database(database), sizeLimit: nil))
        }
        func config(_ server: SlapdServer?, _ name: String) throws -> String {
            let url = server?.url ?? "ldap://127.0.0.1:1"
            let adminDN = server?.adminDN ?? (flavour == .exchange55 ? "cn=admin,o=Org" : "cn=admin,dc=example,dc=org")
            let passwordFile = server?.adminPasswordFile ?? "/dev/null"
            let base = flavour == .exchange55 ? "ou=Site,o=Org" : "dc=example,dc=org"
            let container =
                flavour == .exchange55 ? "cn=ccMail Users,ou=Site,o=Org" : "ou=ccMail Contacts,dc=example,dc=org"
            let exports = (1...20).map {
                "{postOffice: PO\($0 < 10 ? "0" : "")\($0), path: po\($0 < 10 ? "0" : "")\($0).exp}"
            }
            let templates =
                flavour == .exchange55
                ? "\n  mailTemplate: \"{alias}@org.example\"\n  x400Template: \"c=US;a= ;p=Org;o=Site;s={sur};g={given};\""
                : ""
            let text = """
                version: 1
                profile: \(options.flavour)
                ldap: {url: "\(url)", bindDN: "\(adminDN)", passwordFile: "\(passwordFile)", tls: {mode: none}, baseDN: "\(base)", pageSize: 1000}
                ccmail:
                  codepage: CP850
                  exports: [\(exports.joined(separator: ", "))]
                  gateways: {INTERNET: ccmail}
                exchange:
                  customRecipientContainer: "\(container)"\(templates)
                thresholds: {deletes: {count: 100000000, percent: 1000000}, modifies: {count: 100000000, percent: 1000000}, creates: {count: 100000000, percent: 100000000}}
                state: {directory: state-\(name)}

                """
            let path = work.appendingPathComponent("\(name).yaml").path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }

        // (a) the read, against ldapsearch asking for the same attributes with the same filters.
        var ours: [Measurement] = []
        var theirs: [Measurement] = []
        do {
            let reader = try server()
            defer { reader.stop() }
            let file = try config(reader, "read")
            let searches = try searchCommands(reader, flavour: flavour)
            for _ in 0..<options.runs {
                ours.append(try measure([bench, "read", "--config", file]))
                theirs.append(try measure(["/bin/sh", "-c", searches]))
            }
            say("read: " + (ours.last?.output.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""))
        }
        // (b) plan computation without the LDAP read.
        var planCPU: [Double] = []
        var planRSS: [Int] = []
        do {
            let file = try config(nil, "offline")
            for _ in 0..<options.runs {
                let result = try measure([
                    bench, "plan-offline", "--config", file, "--seed", work.appendingPathComponent("seed.ldif").path,
                ])
                planRSS.append(result.peakKB)
                if let value = result.output.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) {
                    planCPU.append(value)
                }
                say("plan: \(result.output.trimmingCharacters(in: .whitespacesAndNewlines))")
            }
        }
        // (c) apply against ldapmodify of the plan's own LDIF, on identical copies; (d) a no-op sync after.
        var applies: [Measurement] = []
        var modifies: [Measurement] = []
        var noops: [Measurement] = []
        var verifies: [Measurement] = []
        var recipientSearches: [Measurement] = []
        var planRuns: [Measurement] = []
        var same = true
        var changes = 0
        for _ in 0..<options.runs {
            let left = try server()
            defer { left.stop() }
            let right = try server()
            defer { right.stop() }
            let file = try config(left, "apply")
            let planFile = work.appendingPathComponent("plan.json").path
            let ldifFile = work.appendingPathComponent("plan.ldif").path
            let planned = try measure([ccdirsync, "plan", "--config", file, "--out", planFile, "--format", "ldif"])
            planRuns.append(planned)
            try Data(planned.output.utf8).write(to: URL(fileURLWithPath: ldifFile))
            let plan =
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: planFile)))
                as? [String: Any]
            let hash = plan?["planHash"] as? String ?? ""
            changes = (plan?["changes"] as? [Any])?.count ?? 0
            let applied = try measure([ccdirsync, "apply", "--config", file, "--plan", planFile, "--approve", hash])
            guard applied.status == 0 else {
                throw SlapdError("apply exited \(applied.status)")
            }
            applies.append(applied)
            let modified = try measure([
                "/usr/bin/ldapmodify", "-x", "-H", right.url, "-D", right.adminDN, "-y", right.adminPasswordFile, "-f",
                ldifFile,
            ])
            guard modified.status == 0 else {
                throw SlapdError("ldapmodify exited \(modified.status)")
            }
            modifies.append(modified)
            let leftDump = try left.userDump()
            let rightDump = try right.userDump()
            same = same && leftDump == rightDump
            noops.append(try measure([ccdirsync, "sync", "--config", file]))
            // (f) verify on the synced directory, against one paged ldapsearch of the recipients.
            let verified = try measure([ccdirsync, "verify", "--config", file])
            guard verified.status == 0 || verified.status == 2 else {
                throw SlapdError("verify exited \(verified.status): \(verified.errors)")
            }
            verifies.append(verified)
            say(verified.errors.split(separator: "\n").last { $0.contains("verify:") }.map(String.init) ?? "")
            recipientSearches.append(try measure(["/bin/sh", "-c", try recipientSearch(left, flavour: flavour)]))
        }
        let table = Table(
            options: options, changes: changes, readOurs: ours, readTheirs: theirs, planCPU: planCPU, planRSS: planRSS,
            planRuns: planRuns, applies: applies, modifies: modifies, noops: noops, verifies: verifies,
            recipientSearches: recipientSearches, sameDirectory: same)
        print(table.markdown)
        if let document = options.document {
            try table.write(into: document)
        }
    }

    /// The three searches the reader makes, as ldapsearch commands writing to /dev/null.
    static func searchCommands(_ server: SlapdServer, flavour: SchemaFlavour) throws -> String {
        let base = flavour == .exchange55 ? "ou=Site,o=Org" : "dc=example,dc=org"
        let profile: (mailbox: String, custom: String, other: String, attributes: String) =
            flavour == .exchange55
            ? (
                "(&(objectClass=organizationalPerson)(objectClass=exchangeRecipient)(!(objectClass=remote-address)))",
                "(objectClass=remote-address)",
                "(&(|(uid=*)(otherMailbox=*)(Target-Address=*))(!(&(objectClass=organizationalPerson)(objectClass=exchangeRecipient)(!(objectClass=remote-address))))(!(objectClass=remote-address)))",
                "objectClass cn uid givenName sn otherMailbox Target-Address Admin-Description Hide-From-Address-Book mail"
            )
            : (
                "(&(objectClass=user)(mailNickname=*)(!(objectClass=contact)))", "(objectClass=contact)",
                "(&(|(mailNickname=*)(proxyAddresses=*)(targetAddress=*))(!(&(objectClass=user)(mailNickname=*)(!(objectClass=contact))))(!(objectClass=contact)))",
                "objectClass cn mailNickname displayName givenName sn proxyAddresses targetAddress adminDescription msExchHideFromAddressLists mail"
            )
        return [profile.mailbox, profile.custom, profile.other].map { filter in
            "/usr/bin/ldapsearch -x -H \(server.url) -D '\(server.adminDN)' -y \(server.adminPasswordFile) -E pr=1000/noprompt -b '\(base)' '\(filter)' \(profile.attributes) > /dev/null"
        }.joined(separator: " && ")
    }

    /// One paged ldapsearch of every recipient (mailboxes and custom recipients) with the address attributes:
    /// what a client reading the whole address book costs, the yardstick for `verify`.
    static func recipientSearch(_ server: SlapdServer, flavour: SchemaFlavour) throws -> String {
        let (base, filter, attributes) =
            flavour == .exchange55
            ? (
                "ou=Site,o=Org", "(|(objectClass=organizationalPerson)(objectClass=remote-address))",
                "objectClass otherMailbox Target-Address Admin-Description"
            )
            : (
                "dc=example,dc=org", "(|(&(objectClass=user)(mailNickname=*))(objectClass=contact))",
                "objectClass mailNickname proxyAddresses targetAddress adminDescription"
            )
        return "/usr/bin/ldapsearch -x -H \(server.url) -D '\(server.adminDN)' -y \(server.adminPasswordFile) "
            + "-E pr=1000/noprompt -b '\(base)' '\(filter)' \(attributes) > /dev/null"
    }

    /// Runs a command under `/usr/bin/time -v`: wall seconds, peak RSS, status and standard output.
    static func measure(_ command: [String]) throws -> Measurement {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        process.arguments = ["-v"] + command
        let out = Pipe()
        let errorFile = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "bench-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let errorHandle = try FileHandle(forWritingTo: errorFile)
        process.standardOutput = out
        process.standardError = errorHandle
        let started = Date()
        try process.run()
        // Standard error goes to a file so neither pipe can fill up while the other is read.
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? errorHandle.close()
        let errors = (try? Data(contentsOf: errorFile)) ?? Data()
        let seconds = Date().timeIntervalSince(started)
        let text = String(decoding: errors, as: UTF8.self)
        let peak =
            text.split(separator: "\n").first { $0.contains("Maximum resident set size") }
            .flatMap { $0.split(separator: ":").last }.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 0
        let ownErrors = text.split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { !$0.hasPrefix("\tCommand being timed:") && !$0.hasPrefix("Command exited with") }
            .joined(separator: "\n")
        return Measurement(
            seconds: seconds, peakKB: peak, status: process.terminationStatus,
            output: String(decoding: output, as: UTF8.self), errors: ownErrors)
    }
}
