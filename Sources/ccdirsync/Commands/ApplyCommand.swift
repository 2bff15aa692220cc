import ArgumentParser
import Sync

/// `ccdirsync apply`: executes exactly a reviewed plan.
struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply a reviewed plan file to the Exchange directory.",
        discussion: """
            Checks the plan's hash and schema version, refuses an over-threshold plan unless --approve names its \
            hash, then writes phase by phase (deletes, modifies, creates), pipelined. A change whose \
            preconditions no longer hold is skipped as stale. Every applied change is journalled in the state \
            directory. Exit status: 0 all applied; 3 over threshold; 4 some changes stale or failed; 5 another run \
            holds the lock; 64 bad configuration; 65 bad plan file; 69 server unavailable; 74 the state directory \
            could not be written (nothing more was written to the directory); 78 TLS refused (certificate not \
            accepted, or no StartTLS on the server).
            """
    )

    @OptionGroup var config: ConfigOption

    @Option(help: ArgumentHelp("The plan file `plan --out` wrote.", valueName: "file"))
    var plan: String

    @Option(help: ArgumentHelp("Apply an over-threshold plan: its planHash, as printed by plan.", valueName: "hash"))
    var approve: String?

    @OptionGroup var writing: WriteOptions

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        try Terminal.run(logging: logging) {
            let configuration = try config.load()
            let decoded: Plan
            let bytes = try FileReading.bytes(plan)
            do {
                decoded = try PlanFile.decode(bytes, file: plan)
            } catch let failure as CommandFailure {
                throw failure
            } catch {
                throw CommandFailure(.dataError, "\(error)")
            }
            try Execution.checkTarget(decoded, configuration, file: plan)
            try Execution.checkApproval(decoded, approve: approve, file: plan, config: config.path)
            let state = try StateDirectory(configuration.state)
            let lock = try RunLock(state: state)
            defer { withExtendedLifetime(lock) {} }
            for warning in ServerConnection.warnings(configuration.ldap) {
                Terminal.warn(warning)
            }
            let run = try Execution.keep(decoded, bytes: bytes, state: state)
            let figures = try Execution.apply(
                decoded, configuration: configuration, run: run, window: writing.window,
                maxAttempts: writing.maxAttempts)
            Terminal.warn(figures.summaryLine)
            try Execution.writeMetrics(figures, to: writing.metrics)
            return figures.exit
        }
    }
}
