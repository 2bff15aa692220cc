import ArgumentParser
import Reports
import Sync

/// `ccdirsync report`: shows a plan file in another format, after checking its hash.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render a plan file as text, JSON, CSV, LDIF or HTML.",
        discussion: "The plan's hash is checked first: an edited plan is refused (exit 65)."
    )

    @Option(help: ArgumentHelp("The plan file `plan --out` wrote.", valueName: "file"))
    var plan: String

    @Option(help: "text, json, csv, ldif or html.")
    var format: ReportFormat = .text

    @Option(help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "file"))
    var out: String?

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        try Terminal.run(logging: logging) {
            let bytes = try FileReading.bytes(plan)
            let decoded: Plan
            do {
                decoded = try PlanFile.decode(bytes, file: plan)
            } catch {
                throw CommandFailure(.dataError, "\(error)")
            }
            let rendered = try Planning.render(decoded, format: format, color: out == nil && Terminal.usesColor)
            if let out {
                try Terminal.writeFile(rendered, to: out)
            } else {
                Terminal.write(bytes: rendered)
            }
            return .success
        }
    }
}
