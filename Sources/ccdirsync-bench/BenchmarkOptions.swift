/// `--name value` options of a benchmark, read without a parsing library.
struct BenchmarkOptions {
    private var values: [String: String] = [:]

    /// Reads `--name value` pairs; anything else is an error message.
    init(_ arguments: [String], allowed: Set<String>) throws(BenchmarkUsageError) {
        var index = 0
        while index < arguments.count {
            let name = arguments[index]
            guard name.hasPrefix("--"), allowed.contains(String(name.dropFirst(2))) else {
                throw BenchmarkUsageError(message: "unknown option '\(name)'")
            }
            guard index + 1 < arguments.count else {
                throw BenchmarkUsageError(message: "\(name) needs a value")
            }
            values[String(name.dropFirst(2))] = arguments[index + 1]
            index += 2
        }
    }

    /// A text option, or nil when absent.
    func string(_ name: String) -> String? {
        values[name]
    }

    /// A positive integer option, or `defaultValue` when absent.
    func positiveInteger(_ name: String, default defaultValue: Int) throws(BenchmarkUsageError) -> Int {
        guard let text = values[name] else {
            return defaultValue
        }
        guard let value = Int(text), value > 0 else {
            throw BenchmarkUsageError(message: "--\(name) needs a positive integer, not '\(text)'")
        }
        return value
    }
}

/// A mistake on the benchmark's command line.
struct BenchmarkUsageError: Error {
    var message: String
}

/// Median, minimum and maximum of repeated timings, in seconds.
struct Timings {
    private(set) var seconds: [Double] = []

    mutating func record(_ duration: Duration) {
        let parts = duration.components
        seconds.append(Double(parts.seconds) + Double(parts.attoseconds) / 1e18)
    }

    var median: Double {
        let sorted = seconds.sorted()
        guard !sorted.isEmpty else {
            return 0
        }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    var minimum: Double { seconds.min() ?? 0 }
    var maximum: Double { seconds.max() ?? 0 }
}
