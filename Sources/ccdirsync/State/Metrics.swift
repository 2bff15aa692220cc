import Foundation
import Sync

/// The figures of one run, as the summary line and in the Prometheus text format.
struct RunFigures {
    var result: ApplyResult
    var findings: Int
    var seconds: Double
    var exit: ExitStatus

    /// `created N, modified N, deleted N, stale N, failed N, findings N in S s`.
    var summaryLine: String {
        "created \(result.created), modified \(result.modified), deleted \(result.deleted), stale "
            + "\(result.stale.count), failed \(result.failed.count), findings \(findings) in "
            + String(format: "%.1f", seconds) + " s"
    }

    /// Whether anything happened worth a line under cron.
    var isEventful: Bool {
        result.created + result.modified + result.deleted + result.stale.count + result.failed.count > 0
    }

    /// node_exporter's textfile collector format.
    var prometheus: String {
        var lines = [
            "# HELP ccdirsync_changes Changes the last run applied, by kind.",
            "# TYPE ccdirsync_changes gauge",
            "ccdirsync_changes{kind=\"create\"} \(result.created)",
            "ccdirsync_changes{kind=\"modify\"} \(result.modified)",
            "ccdirsync_changes{kind=\"delete\"} \(result.deleted)",
        ]
        for (name, help, value) in [
            ("ccdirsync_already_done", "Changes the directory already held.", Double(result.alreadyDone)),
            (
                "ccdirsync_stale", "Changes skipped because their preconditions no longer held.",
                Double(result.stale.count)
            ),
            ("ccdirsync_failed", "Changes the server refused or that could not be sent.", Double(result.failed.count)),
            ("ccdirsync_findings", "Findings of the plan.", Double(findings)),
            ("ccdirsync_duration_seconds", "Wall time of the last run.", seconds),
            ("ccdirsync_exit_code", "Exit status of the last run.", Double(exit.rawValue)),
            (
                "ccdirsync_last_run_timestamp_seconds", "When the last run ended (Unix time).",
                Date().timeIntervalSince1970.rounded()
            ),
        ] {
            lines += ["# HELP \(name) \(help)", "# TYPE \(name) gauge", "\(name) \(Self.number(value))"]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
