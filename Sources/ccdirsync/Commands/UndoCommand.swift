import ArgumentParser
import Reports
import Sync

/// `ccdirsync undo`: a plan that reverses what one run applied, from its journal.
struct UndoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Turn a run's journal into a plan that reverses it (review it, then apply it).",
        discussion: "Writes the plan to --out and prints its text report; nothing is written to the directory."
    )

    @OptionGroup var config: ConfigOption

    @Option(help: ArgumentHelp("The journal of the run to reverse (in the state directory).", valueName: "file"))
    var journal: String

    @Option(help: ArgumentHelp("Write the undo plan to this file.", valueName: "file"))
    var out: String?

    func run() throws {
        try Terminal.run {
            let configuration = try config.load()
            let bytes = try FileReading.bytes(journal)
            let records: [JournalRecord]
            do {
                records = try JournalRecord.read(bytes, file: journal)
            } catch {
                throw CommandFailure(.dataError, "\(error)")
            }
            let plan = UndoPlanner(configuration: configuration).plan(
                journal: records, input: Plan.Input(path: journal, role: "journal", sha256: SHA256.hex(of: bytes)))
            if let out {
                try Terminal.writeFile(to: out) { PlanFile.writePrettyJSON(plan, $0) }
            }
            Terminal.write(TextReport.render(plan, color: Terminal.usesColor))
            Terminal.warn("undo plan \(plan.planHash): \(Planning.summaryLine(plan))")
            return .success
        }
    }
}
