import Foundation
import TestSupport

/// `sync --users N`: ccdirsync against OpenLDAP's own tools on the same server and data, in one run.
///
/// A generated organisation is loaded once with `slapadd -q`; its database folder is copied for every measured
/// step so no step sees another's writes. Each step runs in its own process under `/usr/bin/time -v` (peak RSS).
/// `sync-ad` (`SambaADBenchmark`) does the same on Samba AD with the shared parts in `BenchmarkRun`.
enum SyncBenchmark {
    typealias Measurement = BenchmarkRun.Measurement

    struct Options {
        var users = 100_000
        var runs = 3
        var flavour = "exchange55"
        var document: String?
    }

    static func main(_ arguments: [String]) -> Int32 {
        BenchmarkRun.main(
            "sync",
            parse: { () throws(BenchmarkUsageError) -> Options in
                let parsed = try BenchmarkOptions(arguments, allowed: ["users", "runs", "flavour", "doc"])
                let flavour = parsed.string("flavour") ?? "exchange55"
                guard ["exchange55", "exchange2000"].contains(flavour) else {
                    throw BenchmarkUsageError(message: "--flavour is exchange55 or exchange2000, not '\(flavour)'")
                }
                return Options(
                    users: try parsed.positiveInteger("users", default: 100_000),
                    runs: try parsed.positiveInteger("runs", default: 3), flavour: flavour,
                    document: parsed.string("doc"))
            }, run: run)
    }

    static func say(_ text: String) {
        BenchmarkRun.say(text)
    }

    static func measure(_ command: [String], environment: [String: String] = [:]) throws -> Measurement {
        try BenchmarkRun.measure(command, environment: environment)
    }

    static func run(_ options: Options) throws {
        let flavour: SchemaFlavour = options.flavour == "exchange2000" ? .exchange2000 : .exchange55
        let run = try BenchmarkRun(users: options.users, flavour: flavour, name: "ccdirsync-bench-\(options.users)")
        defer { run.removeWork() }
        let work = run.work
        let (ccdirsync, bench) = (run.ccdirsync, run.bench)
        try run.generate()
        say("loading the Exchange side with slapadd -q …")
        let loadStart = Date()
        let template = try SlapdServer.start(
            SlapdConfiguration(flavour: flavour, seed: .ldif(run.seed), sizeLimit: nil))
        let database = work.appendingPathComponent("template-db")
        try template.copyDatabase(to: database)
        template.stop()
        say(String(format: "loaded in %.1f s", Date().timeIntervalSince(loadStart)))

        func server() throws -> SlapdServer {
            try SlapdServer.start(SlapdConfiguration(flavour: flavour, seed: .database(database), sizeLimit: nil))
        }

        // (a) the read, against ldapsearch asking for the same attributes with the same filters.
        var ours: [Measurement] = []
        var theirs: [Measurement] = []
        do {
            let reader = try server()
            defer { reader.stop() }
            let file = try run.config(reader, "read")
            let searches = try BenchmarkRun.searchCommand(reader, config: file)
            for _ in 0..<options.runs {
                ours.append(try measure([bench, "read", "--config", file]))
                let searched = try measure(["/bin/sh", "-c", searches], environment: reader.toolEnvironment)
                guard searched.status == 0 else {
                    throw SlapdError("ldapsearch exited \(searched.status): \(searched.errors)")
                }
                theirs.append(searched)
            }
            say("read: " + (ours.last?.output.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""))
        }
        // (b) plan computation without the LDAP read.
        var planCPU: [Double] = []
        var planRSS: [Int] = []
        do {
            let file = try run.config(nil, "offline")
            for _ in 0..<options.runs {
                let result = try measure([
                    bench, "plan-offline", "--config", file, "--seed", run.seed.path,
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
            let file = try run.config(left, "apply")
            let compared = try run.applyBoth(left: left, right: right, config: file)
            planRuns.append(compared.planned)
            changes = compared.changes
            applies.append(compared.applied)
            modifies.append(compared.modified)
            same = same && compared.sameDirectory
            noops.append(try measure([ccdirsync, "sync", "--config", file]))
            // (f) verify on the synced directory, against one paged ldapsearch of the recipients.
            let verified = try measure([ccdirsync, "verify", "--config", file])
            guard verified.status == 0 || verified.status == 2 else {
                throw SlapdError("verify exited \(verified.status): \(verified.errors)")
            }
            verifies.append(verified)
            say(verified.errors.split(separator: "\n").last { $0.contains("verify:") }.map(String.init) ?? "")
            recipientSearches.append(
                try measure(
                    ["/bin/sh", "-c", recipientSearch(left, flavour: flavour)], environment: left.toolEnvironment))
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

    /// One paged ldapsearch of every recipient (mailboxes and custom recipients) with the address attributes:
    /// what a client reading the whole address book costs, the yardstick for `verify`.
    static func recipientSearch(_ server: SlapdServer, flavour: SchemaFlavour) -> String {
        let (base, filter, attributes) =
            flavour == .exchange55
            ? (
                "ou=Site,o=Org", "(|(objectClass=organizationalPerson)(objectClass=remote-address))",
                ["objectClass", "otherMailbox", "Target-Address", "Admin-Description"]
            )
            : (
                "dc=example,dc=org", "(|(&(objectClass=user)(mailNickname=*))(objectClass=contact))",
                ["objectClass", "mailNickname", "proxyAddresses", "targetAddress", "adminDescription"]
            )
        return BenchmarkRun.ldapsearch(server, base: base, filter: filter, attributes: attributes)
    }
}
