import ArgumentParser
import Foundation
import Sync

/// `ccdirsync sync`: plan and apply in one process, for cron.
struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Plan and apply in one run (for cron): quiet unless something happened.",
        discussion: """
            Takes the run lock (a second run exits 5 at once), plans, keeps the plan and its HTML report in the \
            state directory, and applies it unless it is over a threshold (exit 3; review the kept plan and run \
            apply --approve). Prints one summary line when something changed. Exit status as for apply.
            """
    )

    @OptionGroup var config: ConfigOption

    @OptionGroup var writing: WriteOptions

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        try Terminal.run(logging: logging) {
            let started = Date()
            do {
                let configuration = try config.load()
                let state = try StateDirectory(configuration.state)
                let lock = try RunLock(state: state)
                defer { withExtendedLifetime(lock) {} }
                let plan = try Planning.makePlan(configuration)
                if plan.summary.isEmpty {
                    try ExportHistory.record(plan, in: configuration.state)
                    let figures = RunFigures(
                        result: ApplyResult(), findings: plan.summary.findings,
                        seconds: Date().timeIntervalSince(started),
                        exit: .success)
                    try Execution.writeMetrics(figures, to: writing.metrics)
                    return .success
                }
                let run = try Execution.keep(plan, state: state)
                if plan.summary.overThreshold {
                    let figures = RunFigures(
                        result: ApplyResult(), findings: plan.summary.findings,
                        seconds: Date().timeIntervalSince(started),
                        exit: .thresholdExceeded)
                    try Execution.writeMetrics(figures, to: writing.metrics)
                    throw CommandFailure(
                        .thresholdExceeded,
                        "the plan is over a threshold (\(plan.summary.thresholdReasons.joined(separator: "; "))); nothing "
                            + "was written. Review \(run.plan) and run: "
                            + CommandHint.approve(config: config.path, plan: run.plan, hash: plan.planHash)
                    )
                }
                var figures = try Execution.apply(
                    plan, configuration: configuration, run: run, window: writing.window,
                    maxAttempts: writing.maxAttempts
                )
                figures.seconds = Date().timeIntervalSince(started)
                if figures.isEventful || figures.exit != .success {
                    Terminal.warn(figures.summaryLine)
                }
                try Execution.writeMetrics(figures, to: writing.metrics)
                return figures.exit
            } catch let failure as CommandFailure {
                // Monitoring must see a run that failed before applying (server down, bad password, bad input),
                // not keep showing the last good figures. A locked run leaves the metrics to the run holding the
                // lock; a run over a threshold has already written its own.
                if failure.status != .locked && failure.status != .thresholdExceeded {
                    let figures = RunFigures(
                        result: ApplyResult(), findings: 0, seconds: Date().timeIntervalSince(started),
                        exit: failure.status)
                    try? Execution.writeMetrics(figures, to: writing.metrics)
                }
                throw failure
            }
        }
    }
}
