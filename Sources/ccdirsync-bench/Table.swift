import Foundation

/// The benchmark's results: medians, ratios and targets, as a Markdown table.
struct Table {
    let options: SyncBenchmark.Options
    let changes: Int
    let readOurs: [SyncBenchmark.Measurement]
    let readTheirs: [SyncBenchmark.Measurement]
    let planCPU: [Double]
    let planRSS: [Int]
    let planRuns: [SyncBenchmark.Measurement]
    let applies: [SyncBenchmark.Measurement]
    let modifies: [SyncBenchmark.Measurement]
    let noops: [SyncBenchmark.Measurement]
    let verifies: [SyncBenchmark.Measurement]
    let recipientSearches: [SyncBenchmark.Measurement]
    let sameDirectory: Bool

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else {
            return 0
        }
        let middle = sorted.count / 2
        if sorted.count % 2 == 1 {
            return sorted[middle]
        }
        let lower: Double = sorted[middle - 1]
        let upper: Double = sorted[middle]
        return (lower + upper) / 2
    }

    static func seconds(_ value: Double) -> String { String(format: "%.2f s", value) }
    static func megabytes(_ kilobytes: Int) -> String { String(format: "%.0f MB", Double(kilobytes) / 1024) }
    static func verdict(_ ok: Bool) -> String { ok ? "met" : "**missed**" }

    var markdown: String {
        let read = Self.median(readOurs.map(\.seconds))
        let search = Self.median(readTheirs.map(\.seconds))
        let apply = Self.median(applies.map(\.seconds))
        let modify = Self.median(modifies.map(\.seconds))
        let noop = Self.median(noops.map(\.seconds))
        let cpu = Self.median(planCPU)
        let large = options.users >= 1_000_000
        let rssLimitKB = large ? 4 * 1024 * 1024 : 500 * 1024
        let readPeak: Int = readOurs.map(\.peakKB).max() ?? 0
        let offlinePeak: Int = planRSS.max() ?? 0
        let planPeak: Int = planRuns.map(\.peakKB).max() ?? 0
        let applyPeak: Int = applies.map(\.peakKB).max() ?? 0
        let noopPeak: Int = noops.map(\.peakKB).max() ?? 0
        let verify = Self.median(verifies.map(\.seconds))
        let recipients = Self.median(recipientSearches.map(\.seconds))
        let peaks: [(String, Int)] = [
            ("read", readPeak), ("plan (offline)", offlinePeak), ("plan (with read)", planPeak), ("apply", applyPeak),
            ("no-op sync", noopPeak), ("verify", verifies.map(\.peakKB).max() ?? 0),
        ]
        let machine = ProcessInfo.processInfo
        var lines = [
            "### \(options.users.formatted()) users, \(options.flavour) — \(Self.date())",
            "",
            "Machine: \(machine.activeProcessorCount) cores, \(machine.physicalMemory / 1_073_741_824) GB RAM; "
                + "\(options.runs) run(s) per step, medians; the plan had \(changes.formatted()) changes.",
            "",
            "| step | ccdirsync | reference | ratio | target | |",
            "|---|---|---|---|---|---|",
            "| (a) read the Exchange side | \(Self.seconds(read)) | ldapsearch \(Self.seconds(search)) | "
                + String(format: "%.2f×", search > 0 ? read / search : 0) + " | ≤ 1.2 × ldapsearch | "
                + Self.verdict(read <= 1.2 * search) + " |",
            "| (b) plan without the read (CPU) | \(Self.seconds(cpu)) | | | ≤ 2 CPU-s at 100,000 | "
                + (options.users <= 100_000 ? Self.verdict(cpu <= 2) : "(\(options.users.formatted()) users)") + " |",
            "| (c) apply the first plan | \(Self.seconds(apply)) | ldapmodify \(Self.seconds(modify)) | "
                + String(format: "%.2f× faster", apply > 0 ? modify / apply : 0)
                + " | ≥ 1.5 × faster, same directory | "
                + Self.verdict(modify >= 1.5 * apply && sameDirectory) + (sameDirectory ? "" : " (directories differ)")
                + " |",
            "| (d) no-op sync after | \(Self.seconds(noop)) | | | ≤ 10 s at 100,000 | "
                + (options.users <= 100_000 ? Self.verdict(noop <= 10) : "(\(options.users.formatted()) users)") + " |",
            "| (f) verify every user (2 lookups each) | \(Self.seconds(verify)) | ldapsearch of the recipients "
                + "\(Self.seconds(recipients)) | " + String(format: "%.2f×", recipients > 0 ? verify / recipients : 0)
                + " | ≤ 3 × ldapsearch | " + Self.verdict(verify <= 3 * recipients) + " |",
        ]
        for (step, peak) in peaks {
            lines.append(
                "| (e) peak RSS, \(step) | \(Self.megabytes(peak)) | | | ≤ \(large ? "4 GB" : "500 MB") | "
                    + Self.verdict(peak <= rssLimitKB) + " |")
        }
        lines.append("")
        lines.append("Final directories of apply and ldapmodify identical: \(sameDirectory ? "yes" : "NO").")
        return lines.joined(separator: "\n") + "\n"
    }

    static func date() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: Date())
    }

    /// Puts the table in `path` in place of the last one for the same size and flavour.
    func write(into path: String) throws {
        try Self.write(markdown, key: "\(options.users) users, \(options.flavour)", into: path)
    }

    /// Puts `markdown` in `path` in place of the last table of the same `key` (between its markers), or, for a key
    /// not there yet, where the current tables end: the page holds one current table per size and server, and the
    /// history is in git.
    static func write(_ markdown: String, key name: String, into path: String) throws {
        let document = try String(contentsOfFile: path, encoding: .utf8)
        let key = "<!-- table: \(name) -->"
        let end = "<!-- end of table -->"
        let block = "\(key)\n\(markdown)\(end)\n"
        if let start = document.range(of: key),
            let stop = document.range(of: end, range: start.upperBound..<document.endIndex)
        {
            var next = stop.upperBound
            if next < document.endIndex, document[next] == "\n" {
                next = document.index(after: next)
            }
            try Data((document[..<start.lowerBound] + block + document[next...]).utf8).write(
                to: URL(fileURLWithPath: path))
        } else if let tablesEnd = document.range(of: Self.tablesEnd) {
            try Data((document[..<tablesEnd.lowerBound] + block + "\n" + document[tablesEnd.lowerBound...]).utf8)
                .write(to: URL(fileURLWithPath: path))
        } else {
            throw BenchmarkDocumentError(path: path, missing: Self.tablesEnd)
        }
    }

    /// Where the current tables end in docs/BENCHMARKS.md.
    static let tablesEnd = "<!-- end of the current tables -->"
}

/// docs/BENCHMARKS.md lacks the marker the benchmark writes its table before.
struct BenchmarkDocumentError: Error, CustomStringConvertible {
    var path: String
    var missing: String
    var description: String { "\(path): no '\(missing)' line to put the table before" }
}
