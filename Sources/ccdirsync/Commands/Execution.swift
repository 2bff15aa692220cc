import Config
import Foundation
import LDAPClient
import LDAPStore
import Reports
import Sync

/// Applying a plan, shared by `apply` and `sync`: checks, lock-free part only (the caller holds the lock).
enum Execution {
    /// Refuses a plan made for another directory or profile.
    static func checkTarget(_ plan: Plan, _ configuration: Configuration, file: String) throws(CommandFailure) {
        let expected = [
            ("profile", plan.profile.rawValue, configuration.profile.rawValue),
            ("baseDN", plan.baseDN, configuration.ldap.baseDN.description),
            (
                "customRecipientContainer", plan.customRecipientContainer,
                configuration.exchange.customRecipientContainer.description
            ),
        ]
        for (key, planned, configured) in expected where planned != configured {
            throw CommandFailure(
                .dataError, "\(file): the plan was made for \(key) '\(planned)', the configuration says '\(configured)'"
            )
        }
    }

    /// Refuses an over-threshold plan unless `approve` is its hash, and any approval of another plan; the refusal
    /// prints the command that approves it, with the plan `file` and the `config` path as given.
    static func checkApproval(_ plan: Plan, approve: String?, file: String, config: String) throws(CommandFailure) {
        if let approve, approve != plan.planHash {
            throw CommandFailure(
                .thresholdExceeded, "--approve \(approve) does not name this plan (its hash is \(plan.planHash))")
        }
        if plan.summary.overThreshold, approve == nil {
            throw CommandFailure(
                .thresholdExceeded,
                "the plan is over a threshold (\(plan.summary.thresholdReasons.joined(separator: "; "))); nothing "
                    + "was written. Review it and run: \(CommandHint.approve(config: config, plan: file, hash: plan.planHash))"
            )
        }
    }

    /// Applies the plan, journalling into the state directory; returns the figures and the exit status.
    static func apply(
        _ plan: Plan, configuration: Configuration, run: RunFiles, window: Int, maxAttempts: Int
    ) throws(CommandFailure) -> RunFigures {
        let started = Date()
        let settings = configuration.ldap
        let password = try ServerConnection.password(settings)
        let writer: LDAPDirectoryWriter
        do {
            writer = try LDAPDirectoryWriter { () throws(LDAPError) -> LDAPConnection in
                try ServerConnection.bound(settings, password: password)
            }
        } catch {
            throw ServerConnection.failure(error, url: settings.url)
        }
        let journal = try FileJournal(path: run.journal)
        var options = Applier.Options()
        options.window = window
        options.maxAttempts = maxAttempts
        let applier = Applier(writer: writer, journal: journal, options: options)
        let bar = ProgressBar("writing")
        applier.progress = { done, total in bar.update(done, of: total) }
        let result = applier.apply(plan)
        bar.finish()
        for problem in result.stale {
            Terminal.warn("stale, skipped: change \(problem.change.id) \(problem.change.dn): \(problem.reason)")
        }
        for problem in result.failed {
            Terminal.warn("failed: change \(problem.change.id) \(problem.change.dn): \(problem.reason)")
        }
        let exit: ExitStatus
        if let failure = result.journalFailure {
            Terminal.warn("\(failure); stopped before the next write to the directory")
            exit = .stateNotWritable
        } else if !result.failed.isEmpty, result.failed.allSatisfy(\.wasUnavailable) {
            Terminal.warn("LDAP server \(settings.url) became unavailable; a later run converges")
            exit = .unavailable
        } else if !result.isComplete {
            exit = .someChangesFailed
        } else {
            exit = .success
        }
        Terminal.warn("journal: \(journal.path)")
        if exit != .stateNotWritable {
            try ExportHistory.record(plan, in: configuration.state)
        }
        return RunFigures(
            result: result, findings: plan.summary.findings, seconds: Date().timeIntervalSince(started), exit: exit)
    }

    /// Keeps the plan (`bytes`, when the caller has the file as read) and its HTML report in the state directory,
    /// as a new run's files; the run's journal goes beside them.
    static func keep(_ plan: Plan, bytes: [UInt8]? = nil, state: StateDirectory) throws(CommandFailure) -> RunFiles {
        let run = state.newRun(planHash: plan.planHash)
        if let bytes {
            try Terminal.writeFile(bytes, to: run.plan, exclusive: true, failure: .stateNotWritable)
        } else {
            try Terminal.writeFile(to: run.plan, exclusive: true, failure: .stateNotWritable) {
                PlanFile.writePrettyJSON(plan, $0)
            }
        }
        try Terminal.writeFile(
            Array(HTMLReport.render(plan).utf8), to: run.report, exclusive: true, failure: .stateNotWritable)
        return run
    }

    /// Writes the metrics file atomically (node_exporter must never read half a file).
    static func writeMetrics(_ figures: RunFigures, to path: String?) throws(CommandFailure) {
        guard let path else {
            return
        }
        try Terminal.writeFile(Array(figures.prometheus.utf8), to: path)
    }
}
