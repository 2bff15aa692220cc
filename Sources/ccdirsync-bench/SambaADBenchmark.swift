import Foundation
import TestSupport

/// `sync-ad --users N`: ccdirsync's read, plan and apply on Samba AD against OpenLDAP's own tools on the same server
/// and data, with the end states of both applies compared.
///
/// The generated `exchange2000` organisation is loaded once, with ldapadd over ldaps, into a Samba AD domain that has
/// the Exchange schema extension and the organisation's two organizational units (`SambaADConfiguration(seed:
/// .empty)`); samba is stopped and its directory kept,
/// and every measured server starts on a copy of it, so no step sees another's writes. The steps and the way they
/// are measured are `sync`'s (`BenchmarkRun`).
enum SambaADBenchmark {
    struct Options {
        var users = 5000
        var runs = 3
        var document: String?
    }

    static func main(_ arguments: [String]) -> Int32 {
        BenchmarkRun.main(
            "sync-ad",
            parse: { () throws(BenchmarkUsageError) -> Options in
                let parsed = try BenchmarkOptions(arguments, allowed: ["users", "runs", "doc"])
                return Options(
                    users: try parsed.positiveInteger("users", default: 5000),
                    runs: try parsed.positiveInteger("runs", default: 3), document: parsed.string("doc"))
            }, run: run)
    }

    static func run(_ options: Options) throws {
        let say = BenchmarkRun.say
        let measure = BenchmarkRun.measure
        let run = try BenchmarkRun(
            users: options.users, flavour: .exchange2000, name: "ccdirsync-bench-ad-\(options.users)")
        defer { run.removeWork() }
        try run.generate()

        // The domain without the seed is a template provisioned once per machine (minutes the first time).
        let configuration = SambaADConfiguration(seed: .empty)
        let domain = run.work.appendingPathComponent("domain")
        let loadSeconds: Double
        do {
            let loader = try SambaADServer.start(configuration)
            defer { loader.stop() }
            say("loading the Exchange side into Samba AD with ldapadd over ldaps …")
            let loadStart = Date()
            try loader.load(seed: run.seed)
            loadSeconds = Date().timeIntervalSince(loadStart)
            try loader.stop(keepingDirectoryAt: domain)
        }
        say(String(format: "loaded in %.1f s", loadSeconds))
        func server() throws -> SambaADServer {
            try SambaADServer.start(configuration, copying: domain)
        }

        // (a) the read, against ldapsearch asking for the same attributes with the same filters.
        var ours: [BenchmarkRun.Measurement] = []
        var theirs: [BenchmarkRun.Measurement] = []
        do {
            let reader = try server()
            defer { reader.stop() }
            let file = try run.config(reader, "read")
            let searches = try BenchmarkRun.searchCommand(reader, config: file)
            for number in 1...options.runs {
                let read = try measure([run.bench, "read", "--config", file], [:])
                guard read.status == 0 else {
                    throw SlapdError("the read exited \(read.status): \(read.errors)", server: "samba")
                }
                ours.append(read)
                let searched = try measure(["/bin/sh", "-c", searches], reader.toolEnvironment)
                guard searched.status == 0 else {
                    throw SlapdError("ldapsearch exited \(searched.status): \(searched.errors)", server: "samba")
                }
                theirs.append(searched)
                say(
                    "read run \(number): ccdirsync \(Table.seconds(read.seconds)) (\(Table.seconds(read.cpuSeconds)) "
                        + "CPU), ldapsearch \(Table.seconds(searched.seconds)) (\(Table.seconds(searched.cpuSeconds)) CPU)"
                )
            }
            say("read: " + (ours.last?.output.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""))
        }
        // (b) plan with its read, (c) apply against ldapmodify of the plan's own LDIF on an identical copy,
        // (d) plan again after the apply: nothing may be left to do.
        var comparisons: [BenchmarkRun.ApplyComparison] = []
        var replans: [BenchmarkRun.Measurement] = []
        for number in 1...options.runs {
            let left = try server()
            defer { left.stop() }
            let right = try server()
            defer { right.stop() }
            let file = try run.config(left, "apply")
            let compared = try run.applyBoth(left: left, right: right, config: file)
            comparisons.append(compared)
            let replanned = try measure([run.ccdirsync, "plan", "--config", file, "--detailed-exitcode"], [:])
            guard replanned.status == 0 || replanned.status == 2 else {
                throw SlapdError("plan after apply exited \(replanned.status): \(replanned.errors)", server: "samba")
            }
            replans.append(replanned)
            say(
                "run \(number): plan \(Table.seconds(compared.planned.seconds)), apply "
                    + "\(Table.seconds(compared.applied.seconds)), ldapmodify \(Table.seconds(compared.modified.seconds)), "
                    + "same directory: \(compared.sameDirectory ? "yes" : "NO"), plan after apply: "
                    + (replanned.status == 0 ? "nothing to do" : "CHANGES LEFT"))
        }
        let table = SambaADTable(
            users: options.users, runs: options.runs, sambaVersion: try sambaVersion(), loadSeconds: loadSeconds,
            readOurs: ours, readTheirs: theirs, comparisons: comparisons, replans: replans)
        print(table.markdown)
        if let document = options.document {
            try Table.write(table.markdown, key: table.key, into: document)
        }
    }

    /// `4.17.12-Debian`, as `samba --version` prints it after `Version `.
    private static func sambaVersion() throws -> String {
        let version = try BenchmarkRun.measure(["/usr/sbin/samba", "--version"])
        let text = version.output.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.hasPrefix("Version ") ? String(text.dropFirst("Version ".count)) : text
    }
}

/// The results of `sync-ad` as a Markdown table: medians and ratios, no targets yet.
struct SambaADTable {
    let users: Int
    let runs: Int
    let sambaVersion: String
    let loadSeconds: Double
    let readOurs: [BenchmarkRun.Measurement]
    let readTheirs: [BenchmarkRun.Measurement]
    let comparisons: [BenchmarkRun.ApplyComparison]
    let replans: [BenchmarkRun.Measurement]

    /// The marker of this size's table in docs/BENCHMARKS.md.
    var key: String { "\(users) users, exchange2000, Samba AD" }

    var sameDirectory: Bool { comparisons.allSatisfy(\.sameDirectory) }

    var markdown: String {
        let median = Table.median
        let seconds = Table.seconds
        let read = median(readOurs.map(\.seconds))
        let readCPU = median(readOurs.map(\.cpuSeconds))
        let search = median(readTheirs.map(\.seconds))
        let plan = median(comparisons.map(\.planned.seconds))
        let planCPU = median(comparisons.map(\.planned.cpuSeconds))
        let apply = median(comparisons.map(\.applied.seconds))
        let applyCPU = median(comparisons.map(\.applied.cpuSeconds))
        let modify = median(comparisons.map(\.modified.seconds))
        let replan = median(replans.map(\.seconds))
        let changes = comparisons.last?.changes ?? 0
        let summary: (create: Int, modify: Int, delete: Int) = comparisons.last?.summary ?? (0, 0, 0)
        let settled = replans.allSatisfy { $0.status == 0 }
        func perChange(_ value: Double) -> String {
            changes > 0 ? String(format: "%.1f ms a change", 1000 * value / Double(changes)) : ""
        }
        let machine = ProcessInfo.processInfo
        let readRatio: String = String(format: "%.2f×", search > 0 ? read / search : 0)
        let applyRatio: String = String(format: "%.2f× faster", apply > 0 ? modify / apply : 0)
        let readPeak: String = Table.megabytes(readOurs.map(\.peakKB).max() ?? 0)
        let planPeak: String = Table.megabytes(comparisons.map(\.planned.peakKB).max() ?? 0)
        let applyPeak: String = Table.megabytes(comparisons.map(\.applied.peakKB).max() ?? 0)
        let replanPeak: String = Table.megabytes(replans.map(\.peakKB).max() ?? 0)
        let load: String = String(format: "%.0f s", loadSeconds)
        let plural: String = runs == 1 ? "run" : "runs"
        let heading = "\(users.formatted()) users, exchange2000 on Active Directory (Samba \(sambaVersion))"
        let hardware = "\(machine.activeProcessorCount) cores, \(machine.physicalMemory / 1_073_741_824) GB RAM"
        let counts = "\(summary.create.formatted()) creates, \(summary.modify.formatted()) modifies, "
        let planned = counts + "\(summary.delete.formatted()) deletes"
        var lines: [String] = []
        lines.append("### \(heading) — \(Table.date())")
        lines.append("")
        lines.append(
            "Machine: \(hardware); \(runs) \(plural) per step, medians; the plan had \(changes.formatted()) changes "
                + "(\(planned)); loading the seed with ldapadd took \(load).")
        lines.append("")
        lines.append("| step | ccdirsync | reference | ratio | peak RSS |")
        lines.append("|---|---|---|---|---|")
        lines.append(
            "| (a) read the Exchange side | \(seconds(read)) (\(seconds(readCPU)) CPU) | "
                + "ldapsearch \(seconds(search)) | \(readRatio) | \(readPeak) |")
        lines.append("| (b) plan, with its read | \(seconds(plan)) (\(seconds(planCPU)) CPU) | | | \(planPeak) |")
        lines.append(
            "| (c) apply the first plan | \(seconds(apply)) (\(seconds(applyCPU)) CPU), \(perChange(apply)) | "
                + "ldapmodify \(seconds(modify)), \(perChange(modify)) | \(applyRatio) | \(applyPeak) |")
        let left: String = settled ? "nothing to do" : "**changes left**"
        lines.append("| (d) plan after apply | \(seconds(replan)), \(left) | | | \(replanPeak) |")
        lines.append("")
        lines.append("Final directories of apply and ldapmodify identical: \(sameDirectory ? "yes" : "NO").")
        return lines.joined(separator: "\n") + "\n"
    }
}
