import Config
import Foundation
import Sync
import TestSupport

/// What `sync` (slapd) and `sync-ad` (Samba AD) share: the executables next to this one, a work directory with a
/// generated organisation, ccdirsync configurations for a server, the reference commands of OpenLDAP's tools, and
/// the apply of one plan by ccdirsync and by ldapmodify on two identical servers.
struct BenchmarkRun {
    /// One command run under `/usr/bin/time -v`.
    struct Measurement {
        var seconds: Double
        /// User plus system CPU time.
        var cpuSeconds: Double = 0
        var peakKB: Int
        var status: Int32
        var output: String
        /// The command's own standard error (without `time -v`'s report).
        var errors: String = ""
    }

    /// A plan applied by ccdirsync on one server and, as its own LDIF, by ldapmodify on an identical one.
    struct ApplyComparison {
        /// `ccdirsync plan` (its read included).
        var planned: Measurement
        var applied: Measurement
        var modified: Measurement
        var changes: Int
        /// The plan's summary: creates, modifies, deletes.
        var summary: (create: Int, modify: Int, delete: Int)
        /// Whether the two servers' `userDump`s are equal afterwards.
        var sameDirectory: Bool
    }

    let users: Int
    let flavour: SchemaFlavour
    let ccdirsync: String
    let generator: String
    let bench: String
    /// Removed by `removeWork()`.
    let work: URL

    /// The executables beside this one, and an empty work directory `name` in the temporary directory.
    init(users: Int, flavour: SchemaFlavour, name: String) throws {
        self.users = users
        self.flavour = flavour
        let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        ccdirsync = binaries.appendingPathComponent("ccdirsync").path
        generator = binaries.appendingPathComponent("ccdirsync-generate").path
        bench = binaries.appendingPathComponent("ccdirsync-bench").path
        work = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(name)
        try? FileManager.default.removeItem(at: work)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    }

    func removeWork() {
        try? FileManager.default.removeItem(at: work)
    }

    /// The Exchange side `generate` writes, as LDIF for slapd.
    var seed: URL { work.appendingPathComponent("seed.ldif") }

    /// A benchmark subcommand's `main`: the options `parse` reads (a mistake exits 64 naming it), then `run` (a
    /// failure exits 1).
    static func main<Options>(
        _ command: String, parse: () throws(BenchmarkUsageError) -> Options, run: (Options) throws -> Void
    ) -> Int32 {
        let options: Options
        do throws(BenchmarkUsageError) {
            options = try parse()
        } catch {
            FileHandle.standardError.write(Data("ccdirsync-bench \(command): \(error.message)\n".utf8))
            return 64
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

    /// The organisation: 20 exports and `seed`, always from generator seed 1.
    func generate() throws {
        Self.say("generating \(users) users …")
        let generated = try Self.measure([
            generator, "--users", "\(users)", "--flavour", flavour.rawValue, "--seed", "1", "--out", work.path,
        ])
        guard generated.status == 0 else {
            throw SlapdError("ccdirsync-generate exited \(generated.status): \(generated.errors)")
        }
        Self.say(generated.output.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Writes `<name>.yaml`, a configuration for the generated organisation on `server`, bound as its admin with
    /// no thresholds in the way; without a server, one for the offline plan (nothing listens at its URL).
    func config(_ server: (any TestDirectoryServer)?, _ name: String) throws -> String {
        let url = server?.clientURL ?? "ldap://127.0.0.1:1"
        let tls = server?.clientTLS ?? "{mode: none}"
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
            profile: \(flavour.rawValue)
            ldap: {url: "\(url)", bindDN: "\(adminDN)", passwordFile: "\(passwordFile)", tls: \(tls), baseDN: "\(base)", pageSize: 1000}
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

    /// The searches ccdirsync's read makes for the configuration `file` (the profile's filters and attributes), as
    /// one shell command of paged ldapsearches on `server` writing to /dev/null; run it with
    /// `server.toolEnvironment`.
    static func searchCommand(_ server: any TestDirectoryServer, config file: String) throws -> String {
        let configuration = try ConfigurationLoader.load(file: file)
        let reader = ExchangeReader(
            profile: Profile.named(configuration.profile), baseDN: configuration.ldap.baseDN,
            container: configuration.exchange.customRecipientContainer)
        return reader.requests.map { _, request in
            ldapsearch(server, base: "\(request.base)", filter: "\(request.filter)", attributes: request.attributes)
        }.joined(separator: " && ")
    }

    /// A paged ldapsearch on `server` as its admin, writing to /dev/null, as a shell command.
    static func ldapsearch(
        _ server: any TestDirectoryServer, base: String, filter: String, attributes: [String]
    ) -> String {
        (["/usr/bin/ldapsearch", "-x", "-H", server.toolURL, "-D", server.adminDN, "-y", server.adminPasswordFile]
            + ["-E", "pr=1000/noprompt", "-b", base, filter] + attributes).map(shellQuoted).joined(separator: " ")
            + " > /dev/null"
    }

    static func shellQuoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Plans on `left` with the configuration `file` (which must name `left`), applies the plan there with
    /// `ccdirsync apply`, applies the plan's own LDIF report to `right` with ldapmodify, and compares the two
    /// directories. Throws when either apply fails.
    func applyBoth(
        left: any TestDirectoryServer, right: any TestDirectoryServer, config file: String
    ) throws -> ApplyComparison {
        let planFile = work.appendingPathComponent("plan.json").path
        let ldifFile = work.appendingPathComponent("plan.ldif").path
        let planned = try Self.measure([ccdirsync, "plan", "--config", file, "--out", planFile, "--format", "ldif"])
        guard planned.status == 0 || planned.status == 2 else {
            throw SlapdError("plan exited \(planned.status): \(planned.errors)")
        }
        try Data(planned.output.utf8).write(to: URL(fileURLWithPath: ldifFile))
        let plan =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: planFile))) as? [String: Any]
        let hash = plan?["planHash"] as? String ?? ""
        let summary = plan?["summary"] as? [String: Any]
        func count(_ key: String) -> Int { summary?[key] as? Int ?? 0 }
        let applied = try Self.measure([ccdirsync, "apply", "--config", file, "--plan", planFile, "--approve", hash])
        guard applied.status == 0 else {
            throw SlapdError("apply exited \(applied.status): \(applied.errors.suffix(2000))")
        }
        let modified = try Self.measure(
            [
                "/usr/bin/ldapmodify", "-x", "-H", right.toolURL, "-D", right.adminDN, "-y", right.adminPasswordFile,
                "-f", ldifFile,
            ], environment: right.toolEnvironment)
        guard modified.status == 0 else {
            throw SlapdError("ldapmodify exited \(modified.status): \(modified.errors.suffix(2000))")
        }
        let leftDump = try left.userDump()
        let rightDump = try right.userDump()
        if leftDump != rightDump {
            Self.say(
                "the directories differ after apply and ldapmodify; first difference:\n"
                    + firstDifference(leftDump, rightDump))
        }
        return ApplyComparison(
            planned: planned, applied: applied, modified: modified, changes: (plan?["changes"] as? [Any])?.count ?? 0,
            summary: (count("create"), count("modify"), count("delete")), sameDirectory: leftDump == rightDump)
    }

    /// The first line where two dumps differ, from each side, for the message when they do.
    private func firstDifference(_ left: String, _ right: String) -> String {
        let leftLines = left.split(separator: "\n", omittingEmptySubsequences: false)
        let rightLines = right.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(leftLines.count, rightLines.count) {
            let one = index < leftLines.count ? String(leftLines[index]) : "(end)"
            let other = index < rightLines.count ? String(rightLines[index]) : "(end)"
            if one != other {
                return
                    "  line \(index + 1), after ccdirsync apply: \(one)\n  line \(index + 1), after ldapmodify: \(other)"
            }
        }
        return "  (none)"
    }

    /// Runs a command under `/usr/bin/time -v`, with `environment` added to this process's: wall seconds, CPU
    /// seconds, peak RSS, status and standard output.
    static func measure(_ command: [String], environment: [String: String] = [:]) throws -> Measurement {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        process.arguments = ["-v"] + command
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, added in added }
        }
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
        let lines = text.split(separator: "\n")
        func figure(_ label: String) -> Substring? {
            lines.first { $0.contains(label) }.flatMap { $0.split(separator: ":").last }
        }
        let peak = figure("Maximum resident set size").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 0
        let cpu = ["User time (seconds)", "System time (seconds)"].compactMap {
            figure($0).flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        }.reduce(0, +)
        let ownErrors = text.split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { !$0.hasPrefix("\tCommand being timed:") && !$0.hasPrefix("Command exited with") }
            .joined(separator: "\n")
        return Measurement(
            seconds: seconds, cpuSeconds: cpu, peakKB: peak, status: process.terminationStatus,
            output: String(decoding: output, as: UTF8.self), errors: ownErrors)
    }
}
