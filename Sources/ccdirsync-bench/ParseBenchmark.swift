import CCMail
import Foundation

/// `ccdirsync-bench parse`: the export parser's throughput on a generated 100,000-user export.
///
/// The goal is under one second for 100,000 users (about 6 MB) in a release build. The export is generated
/// in memory, so the figure is the parser's and the merge's, not the disk's.
enum ParseBenchmark {
    static func main(_ arguments: [String]) -> Int32 {
        let users: Int
        let runs: Int
        do {
            let options = try BenchmarkOptions(arguments, allowed: ["users", "runs"])
            users = try options.positiveInteger("users", default: 100_000)
            runs = try options.positiveInteger("runs", default: 7)
        } catch {
            print("ccdirsync-bench parse: \(error.message)")
            return 64
        }
        let bytes = ExportGenerator.export(users: users)
        let source = ExportSource(
            postOffice: CCMailName(ExportGenerator.postOffice), file: "generated.exp", codePage: .cp850)
        let configuration = DirectoryConfiguration(
            gateways: [CCMailName("INTERNET"): .ccMail], excludedPostOffices: [])
        let megabytes = Double(bytes.count) / 1_000_000
        print("parse: \(users) users, \(bytes.count) bytes (\(format(megabytes, 2)) MB, CP850), \(runs) runs")

        var parseTimes = Timings()
        var mergeTimes = Timings()
        let clock = ContinuousClock()
        var last: Directory?
        for _ in 0..<runs {
            var parsed: ParsedExport?
            parseTimes.record(clock.measure { parsed = ExportParser.parse(bytes, source: source) })
            guard let parsed else {
                return 1
            }
            mergeTimes.record(clock.measure { last = Directory.merge([parsed], configuration: configuration) })
        }
        guard let directory = last, check(directory, users: users) else {
            return 1
        }
        report("parse", parseTimes, megabytes: megabytes)
        report("merge", mergeTimes, megabytes: megabytes)
        let total = parseTimes.median + mergeTimes.median
        print("  total  median \(format(total, 3)) s  \(format(megabytes / total, 1)) MB/s  (goal: under 1 s)")
        return 0
    }

    /// The benchmark measures nothing if the parser read the wrong thing.
    private static func check(_ directory: Directory, users: Int) -> Bool {
        var problems: [String] = []
        if !directory.findings.isEmpty {
            problems.append("\(directory.findings.count) findings, first: \(directory.findings[0])")
        }
        if directory.users.count != users {
            problems.append("read \(directory.users.count) users, expected \(users)")
        }
        let sample = CCMailName(ExportGenerator.expectedName(users / 2))
        if directory.user(named: sample)?.name.text != sample.text {
            problems.append("user '\(sample)' not read as expected")
        }
        for problem in problems {
            print("ccdirsync-bench parse: \(problem)")
        }
        return problems.isEmpty
    }

    private static func report(_ phase: String, _ timings: Timings, megabytes: Double) {
        print(
            "  \(phase)  median \(format(timings.median, 3)) s  \(format(megabytes / timings.median, 1)) MB/s"
                + "  (min \(format(timings.minimum, 3)) s, max \(format(timings.maximum, 3)) s)")
    }

    private static func format(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }
}
