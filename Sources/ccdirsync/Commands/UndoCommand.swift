import ArgumentParser
import Config
import Crypto
import Reports
import Sync

/// `ccdirsync undo`: a plan that reverses what one run applied, from its journal.
struct UndoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Turn a run's journal into a plan that reverses it (review it, then apply it).",
        discussion: """
            Reads the directory as it is now, and writes the plan to --out and prints its text report; nothing is \
            written to the directory. Changes whose outcome the journal does not know (sent, never answered) are \
            reversed too, guarded so that a reversal of a write that never landed is skipped as stale. The plan is \
            validated and held by the thresholds like any plan: exit 3 when it is over one (apply it with \
            --approve), 65 when it fails validation.
            """
    )

    @OptionGroup var config: ConfigOption

    @Option(help: ArgumentHelp("The journal of the run to reverse (in the state directory).", valueName: "file"))
    var journal: String

    @Option(help: ArgumentHelp("Write the undo plan to this file.", valueName: "file"))
    var out: String?

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        try Terminal.run(logging: logging) {
            let configuration = try config.load()
            let bytes = try FileReading.bytes(journal)
            let records: [JournalRecord]
            do {
                records = try JournalRecord.read(bytes, file: journal)
            } catch {
                throw CommandFailure(.dataError, "\(error)")
            }
            let exchange = try Planning.readExchange(configuration, profile: Profile.named(configuration.profile))
                .directory
            let plan: Plan
            do {
                plan = PlanFile.sealed(
                    try UndoPlanner(settings: configuration.planSettings).plan(
                        journal: records,
                        input: Plan.Input(path: journal, role: "journal", sha256: SHA256.hex(of: bytes)),
                        exchange: exchange))
            } catch {
                throw CommandFailure(.dataError, "\(error)")
            }
            if let out {
                try Terminal.writeFile(to: out) { PlanFile.writePrettyJSON(plan, $0) }
            }
            Terminal.write(TextReport.render(plan, color: Terminal.usesColor))
            Terminal.warn("undo plan \(plan.planHash): \(Planning.summaryLine(plan))")
            guard plan.summary.overThreshold else {
                return .success
            }
            let reasons = plan.summary.thresholdReasons.joined(separator: "; ")
            if let out {
                Terminal.warn(
                    "the undo plan is over a threshold (\(reasons)); review \(out) and run "
                        + CommandHint.approve(config: config.path, plan: out, hash: plan.planHash))
            } else {
                Terminal.warn(
                    "the undo plan is over a threshold (\(reasons)); write it with "
                        + CommandHint.command([
                            "undo", "--config", config.path, "--journal", journal, "--out", "undo.json",
                        ])
                        + ", review it, and apply it with --approve \(plan.planHash)")
            }
            return .thresholdExceeded
        }
    }
}
