import ArgumentParser
import Foundation
import Logging

/// `--verbose`, `--quiet` and `--log-level`, shared by every command: how much diagnostic logging goes to standard
/// error.
///
/// Logging is in addition to what a command reports (its summary, warnings, stale and failed changes), which it
/// prints whatever the level. The default, `notice`, prints no log line on a normal run, so cron stays quiet; the
/// libraries log at `info` and below (swift-log's practice for libraries).
struct LoggingOptions: ParsableArguments {
    @Flag(
        name: .shortAndLong,
        help: "Log each LDAP operation (ldap.op, ldap.dn, ldap.result), the pages read, retries and reconnects.")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Log errors only.")
    var quiet = false

    @Option(help: ArgumentHelp("The least severe log level printed (default: notice).", valueName: "level"))
    var logLevel: Logger.Level?

    func validate() throws {
        guard [verbose, quiet, logLevel != nil].filter({ $0 }).count <= 1 else {
            throw ValidationError("--verbose, --quiet and --log-level exclude each other.")
        }
    }

    /// The level the options ask for.
    var level: Logger.Level {
        if let logLevel {
            return logLevel
        }
        return verbose ? .debug : quiet ? .error : .notice
    }

    /// Sets up logging for the process and returns the command's logger; a command calls it once, before anything
    /// logs (`LoggingSystem.bootstrap` may run only once per process).
    ///
    /// Every line carries a `run.id` that tells one run's lines from another's in a shared log. It comes from the
    /// system's metadata provider, so a logger made anywhere (the fallback of `Logger.current` on a thread of its
    /// own too) has it and the chosen level.
    func bootstrap() -> Logger {
        let level = level
        let color = Terminal.usesColor(on: STDERR_FILENO)
        let runID: Logger.MetadataValue = "\(String(format: "%08x", UInt32.random(in: 0...UInt32.max)))"
        LoggingSystem.bootstrap(
            { label, provider in
                StandardErrorLogHandler(label: label, logLevel: level, color: color, metadataProvider: provider)
            }, metadataProvider: Logger.MetadataProvider { ["run.id": runID] })
        return Logger(label: "ccdirsync")
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
