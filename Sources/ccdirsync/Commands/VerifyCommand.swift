import ArgumentParser
import CCMail
import Config
import LDAPModel
import LDAPStore
import Reports
import Sync
import Verify

/// `ccdirsync verify`: proves that every cc:Mail user can be found, by sending the directory the searches the
/// Migration Wizard and an address lookup send. Writes nothing.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Prove that every cc:Mail user resolves: the Migration Wizard's lookup and an address lookup.",
        discussion: """
            For every user in the exports (or the one named by --user), sends the live directory an equality \
            search for MIGRATE:CCMAIL:<Name> at <PO> on the proxy attribute, and one for the user's address on \
            the proxy and target attributes, over the whole base DN, and classifies the user as migrationReady, \
            addressable, unresolved, ambiguous or stale. Also lists MIGRATE values that name no cc:Mail user. \
            Exit status: 0 every user is migrationReady or addressable; 2 some are not; 64 bad configuration or \
            --user names nobody; 65 the exports have errors; 69 LDAP server unavailable; 78 TLS refused (certificate \
            not accepted, or no StartTLS on the server); 1 other errors.
            """
    )

    /// Connections the lookups of a whole organisation are spread over. At 100,000 users on two cores: 2.74 s over
    /// one, 2.62 over two, 2.53 over three, 2.55 over four (medians of 4); each is one more bind on the server.
    static let lookupConnections = 3

    @OptionGroup var config: ConfigOption

    @Option(help: "The report printed on standard output: text, json, csv or html.")
    var format: VerificationFormat = VerificationFormat(.text)

    @Option(
        help: ArgumentHelp(
            "Also write the report to this file; its format follows the extension (.html, .csv, .json, .txt).",
            valueName: "file"))
    var report: String?

    @Option(help: ArgumentHelp("Verify only this user (their cc:Mail name, e.g. \"Smith, John\").", valueName: "name"))
    var user: String?

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        try Terminal.run(logging: logging) {
            let configuration = try config.load()
            if let report, !VerificationReport.formats.contains(ReportFormat(path: report)) {
                throw CommandFailure(
                    .usage, "--report \(report): a verification is written as .html, .csv, .json or .txt")
            }
            let (verification, sources) = try Self.verify(configuration, only: user.map(CCMailName.init))
            // `finish` ends the process without freeing anything; until then the users and the scan's values are
            // kept, rather than freed on one core before the report is made (about 0.05 s at 100,000 users).
            defer { withExtendedLifetime(sources) {} }
            if let report {
                try Terminal.writeFile(
                    VerificationReport.render(verification, format: ReportFormat(path: report), color: false) ?? [],
                    to: report)
            }
            Terminal.write(
                bytes: VerificationReport.render(verification, format: format.format, color: Terminal.usesColor) ?? [])
            Terminal.warn("verify: \(VerificationWording.summaryLine(verification.summary))")
            Terminal.finish(verification.summary.passes ? .success : .changesPending)
        }
    }

    /// What a verification was made from: the exports read and the work beside the lookups, with its values.
    struct Sources {
        var inputs: PlanInputs
        var work: [AnyObject] = []
    }

    /// Reads the exports, connects, and runs the lookups; every failure carries its exit status. The sources are
    /// handed back so the caller decides when they are freed.
    static func verify(
        _ configuration: Configuration, only: CCMailName?
    ) throws(CommandFailure) -> (Verification, Sources) {
        let verifier = Verifier(
            profile: Profile.named(configuration.profile), baseDN: configuration.ldap.baseDN,
            container: configuration.exchange.customRecipientContainer)
        guard only == nil else {
            let inputs = try PlanInputs.load(configuration, fingerprinting: false)
            do throws(VerificationError) {
                try verifier.checkInputs(inputs.directory, only: only)
            } catch {
                throw failure(error, configuration)
            }
            warnAboutConnection(configuration)
            let store = try ServerConnection.store(configuration.ldap)
            do throws(VerificationError) {
                return (
                    try verifier.verify(directory: inputs.directory, only: only, lookups: store, scan: store),
                    Sources(inputs: inputs)
                )
            } catch {
                throw failure(error, configuration)
            }
        }
        // The scan of address values needs nothing from the exports and the lookups need nothing from the scan: the
        // scan reads on a second connection of its own, on another thread, while this one reads the exports and
        // then sends the lookups. What it read is sorted out once the exports are known.
        warnAboutConnection(configuration)
        let scan = BackgroundWork { () throws(CommandFailure) -> [AddressScan.Found] in
            let scanStore = try ServerConnection.store(configuration.ldap)
            do throws(VerificationError) {
                return try verifier.readAddressValues(store: scanStore)
            } catch {
                throw Self.failure(error, configuration)
            }
        }
        do throws(CommandFailure) {
            // Errors in the exports come first, as they would without the scan running.
            let inputs = try PlanInputs.load(configuration, fingerprinting: false)
            let directory = inputs.directory
            do throws(VerificationError) {
                try verifier.checkInputs(directory, only: nil)
            } catch {
                throw failure(error, configuration)
            }
            // Sorting out what the scan found waits for the scan, beside the lookups rather than after them.
            let findings = BackgroundWork { () throws(CommandFailure) -> Verifier.ScanFindings in
                verifier.findings(try scan.wait(), directory: directory)
            }
            let users: [Verification.User]
            do throws(CommandFailure) {
                let connections = verifier.parts(users: directory.users.count, stores: Self.lookupConnections)
                let stores = try (0..<connections).map { _ throws(CommandFailure) in
                    try ServerConnection.store(configuration.ldap)
                }
                do throws(VerificationError) {
                    users = try verifier.lookUp(directory: directory, stores: stores)
                } catch {
                    throw failure(error, configuration)
                }
            } catch {
                _ = try? findings.wait()
                throw error
            }
            return (
                verifier.verification(directory: directory, users: users, findings: try findings.wait()),
                Sources(inputs: inputs, work: [scan, findings])
            )
        } catch {
            _ = try? scan.wait()
            throw error
        }
    }

    /// Warnings about the connection settings (TLS off, certificates not checked), once per run.
    private static func warnAboutConnection(_ configuration: Configuration) {
        for warning in ServerConnection.warnings(configuration.ldap) {
            Terminal.warn(warning)
        }
    }

    /// A verification error as the command reports it, with its exit status.
    static func failure(_ error: VerificationError, _ configuration: Configuration) -> CommandFailure {
        switch error {
        case .unreadableExports: CommandFailure(.dataError, "\(error)")
        case .unknownUser: CommandFailure(.usage, "\(error)")
        case .directory(let failure):
            CommandFailure(
                failure.isUnavailable ? .unavailable : .failure,
                failure.isUnavailable
                    ? "LDAP server \(configuration.ldap.url) is unavailable: \(failure)"
                    : "\(configuration.ldap.url): \(failure)")
        }
    }
}

/// `verify --format`: only the formats a verification is shown in, so `--help` and a wrong value's message list
/// exactly those (LDIF describes changes, and verify changes nothing).
struct VerificationFormat: ExpressibleByArgument {
    var format: ReportFormat

    init(_ format: ReportFormat) {
        self.format = format
    }

    init?(argument: String) {
        guard let format = ReportFormat(rawValue: argument), VerificationReport.formats.contains(format) else {
            return nil
        }
        self.format = format
    }

    static var allValueStrings: [String] { VerificationReport.formats.map(\.rawValue) }

    var defaultValueDescription: String { format.rawValue }
}
