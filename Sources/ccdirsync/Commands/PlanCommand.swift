import ArgumentParser
import Config
import Foundation
import LDAPClient
import LDAPModel
import LDAPStore
import Reports
import Sync

/// `ccdirsync plan`: reads both directories and shows exactly what would change and why. Writes nothing to LDAP.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Compute the changes that would bring Exchange in step with cc:Mail, without writing them.",
        discussion: """
            Reads the cc:Mail exports and the Exchange directory, and prints a report of every change and \
            finding (text by default). --out writes the plan file that `apply` executes; its hash is printed on \
            standard error. Exit status: 0 (with --detailed-exitcode: 0 no changes, 2 changes pending); 64 bad \
            configuration; 65 bad input data or a plan that fails validation; 69 LDAP server unavailable; 78 a \
            configuration problem found while connecting (certificate not accepted, no StartTLS on the server, \
            customRecipientContainer missing); 1 other errors.
            """
    )

    @OptionGroup var config: ConfigOption

    @Option(help: ArgumentHelp("Write the plan (JSON) to this file, for review and `apply`.", valueName: "file"))
    var out: String?

    @Option(help: "The report printed on standard output: text, json, csv, ldif or html.")
    var format: ReportFormat = .text

    @Option(
        help: ArgumentHelp(
            "Also write a report to this file; its format follows the extension (.html, .csv, .ldif, .json, .txt).",
            valueName: "file"))
    var report: String?

    @Option(
        help: ArgumentHelp(
            "Write the name-rule suggestions as a mapping CSV (ccmail_name,mailbox) to edit and feed back.",
            valueName: "file"))
    var suggestions: String?

    @Flag(help: "Exit 2 when the plan has changes, 0 when it has none.")
    var detailedExitcode = false

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        try Terminal.run(logging: logging) {
            let configuration = try config.load()
            let plan = try Planning.makePlan(configuration)
            if let out {
                try Terminal.writeFile(to: out) { PlanFile.writePrettyJSON(plan, $0) }
            }
            if let report {
                try Terminal.writeFile(
                    try Planning.render(plan, format: ReportFormat(path: report), color: false), to: report)
            }
            if let suggestions {
                try Terminal.writeFile(Array(SuggestionsCSV.render(plan).utf8), to: suggestions)
            }
            Terminal.write(bytes: try Planning.render(plan, format: format, color: Terminal.usesColor))
            Terminal.warn("plan \(plan.planHash): \(Planning.summaryLine(plan))")
            if plan.summary.overThreshold {
                Terminal.warn(
                    "the plan is over a threshold (\(plan.summary.thresholdReasons.joined(separator: "; "))); "
                        + approvalHint(plan))
            }
            return detailedExitcode && !plan.summary.isEmpty ? .changesPending : .success
        }
    }
}

extension PlanCommand {
    /// How to apply an over-threshold plan: with the plan file written by `--out`, or after writing one.
    func approvalHint(_ plan: Plan) -> String {
        let approve = { (file: String) in CommandHint.approve(config: config.path, plan: file, hash: plan.planHash) }
        if let out {
            return "after review, apply it with: \(approve(out))"
        }
        // The same inputs give the same plan, so a second run writes the plan this hash names.
        let file = "plan-\(plan.planHash.prefix(12)).json"
        return "write it with: \(CommandHint.command(["plan", "--config", config.path, "--out", file])), then after "
            + "review apply it with: \(approve(file))"
    }
}

extension ReportFormat: ExpressibleByArgument {
    /// The format a report file's extension names; HTML when it names none.
    init(path: String) {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "txt", "text": self = .text
        case "json": self = .json
        case "csv": self = .csv
        case "ldif": self = .ldif
        default: self = .html
        }
    }
}

/// Passes searches through and reports how many entries have arrived, for the progress bar.
final class CountingStore: DirectoryStore {
    private let inner: any DirectoryStore
    private let report: (Int) -> Void
    private var count = 0

    init(_ inner: any DirectoryStore, report: @escaping (Int) -> Void) {
        self.inner = inner
        self.report = report
    }

    func search(_ request: SearchRequest, onPage: ([Entry]) -> Void) throws(DirectoryStoreError) {
        try inner.search(request) { page in
            count += page.count
            report(count)
            onPage(page)
        }
    }

    func searchSelected(_ request: SearchRequest, onPage: ([SelectedEntry]) -> Void) throws(DirectoryStoreError) {
        try inner.searchSelected(request) { page in
            count += page.count
            report(count)
            onPage(page)
        }
    }
}

/// The steps `plan`, `sync` and `check` share: read inputs, read Exchange, build the plan.
enum Planning {
    /// Reads everything and makes the plan; every failure carries its exit status.
    static func makePlan(_ configuration: Configuration) throws(CommandFailure) -> Plan {
        let inputs = try PlanInputs.load(configuration)
        let usersAtLastApply = try ExportHistory.usersAtLastApply(configuration.state)
        let checked: PlanBuilder.CheckedDirectory
        do {
            checked = try PlanBuilder.checkInputs(inputs.directory)
        } catch {
            throw CommandFailure(.dataError, "\(error)")
        }
        var builder = PlanBuilder(settings: configuration.planSettings)
        let (exchange, limits) = try readExchange(configuration, profile: builder.profile)
        builder.limits = builder.limits.overridden(by: limits)
        do {
            return PlanFile.sealed(
                try builder.build(
                    directory: checked, exchange: exchange, mapping: inputs.mapping,
                    inputs: inputs.fingerprints,
                    usersAtLastApply: usersAtLastApply))
        } catch {
            throw CommandFailure(.dataError, "\(error)")
        }
    }

    /// Reads the Exchange directory as the configuration names it, after confirming the custom recipient container
    /// exists and the server's schema has the profile's names; `plan`, `sync` and `undo` (which validates and counts
    /// its plan against the directory as it is now). Also returns the value length bounds the schema publishes.
    static func readExchange(
        _ configuration: Configuration, profile: Profile
    ) throws(CommandFailure) -> (directory: ExchangeDirectory, limits: AttributeLimits) {
        for warning in ServerConnection.warnings(configuration.ldap) {
            Terminal.warn(warning)
        }
        let store = try ServerConnection.store(configuration.ldap)
        try ServerConnection.requireContainer(configuration, on: store.connection)
        let schema = try ServerConnection.requireSchema(configuration, on: store.connection)
        let reader = ExchangeReader(
            profile: profile, baseDN: configuration.ldap.baseDN,
            container: configuration.exchange.customRecipientContainer)
        let bar = ProgressBar("reading")
        defer { bar.finish() }
        do {
            let ldap = configuration.ldap
            let directory = try reader.read(
                from: CountingStore(store) { bar.update(count: $0, unit: "mailboxes") }
            ) {
                try ServerConnection.store(ldap)
            }
            return (directory, schema.limits)
        } catch let failure as CommandFailure {
            throw failure
        } catch let error as DirectoryStoreError {
            throw CommandFailure(
                error.isUnavailable ? .unavailable : .failure,
                error.isUnavailable
                    ? "LDAP server \(configuration.ldap.url) is unavailable: \(error)"
                    : "\(configuration.ldap.url): \(error)")
        } catch {
            throw CommandFailure(.failure, "\(configuration.ldap.url): \(error)")
        }
    }

    static func render(_ plan: Plan, format: ReportFormat, color: Bool) throws(CommandFailure) -> [UInt8] {
        do {
            return try Report.render(plan, format: format, color: color)
        } catch {
            throw CommandFailure(.failure, "cannot render the \(format.rawValue) report: \(error)")
        }
    }

    static func summaryLine(_ plan: Plan) -> String {
        let summary = plan.summary
        return "create \(summary.create), modify \(summary.modify), delete \(summary.delete), "
            + "findings \(summary.findings)"
    }
}
