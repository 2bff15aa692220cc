import ArgumentParser
import CCMail
import Foundation

/// `ccdirsync parse`: reads cc:Mail directory exports, merges them, and prints what was read.
///
/// It is the way to check exports before a sync: every problem of every file is printed as
/// `file:line:column: severity: message` on standard error, and the merged directory on standard output.
struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Read cc:Mail directory exports and print the merged directory.",
        discussion: """
            Give each export as PO=path: the post office the export was taken on, and the file cc:Mail's \
            EXPORT /DIRECTORY/PROP wrote there. Problems are printed on standard error as \
            file:line:column: severity: message. Exit status: 0 when every export was read cleanly; 65 when \
            any export is malformed, holds an entry that was skipped, or disagrees with another export; \
            64 for usage errors; 1 when a file cannot be read.
            """
    )

    @Argument(help: ArgumentHelp("The exports, one per post office.", valueName: "PO=path"))
    var exports: [String]

    @Option(
        name: .customLong("codepage"),
        help: ArgumentHelp(
            "The exports' code page (CP437, CP850, CP1252, ISO-8859-1, UTF-8), or PO=CODEPAGE for one export. "
                + "Repeatable; the default is CP437.",
            valueName: "codepage"))
    var codePages: [String] = []

    @Option(
        name: .customLong("gateway"),
        help: ArgumentHelp(
            "A gateway post office, as NAME or NAME=MODE with MODE ccmail (default: <FAN> at NAME) or smtp "
                + "(SMTP:<FAN>). Repeatable.",
            valueName: "post-office"))
    var gateways: [String] = []

    @Option(
        name: .customLong("exclude-post-office"),
        help: ArgumentHelp("Leave out this post office and the users homed on it. Repeatable.", valueName: "name"))
    var excludedPostOffices: [String] = []

    @Option(help: "The output format: text, json or csv (csv lists users only).")
    var format: ParseOutputFormat = .text

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        _ = try request()
    }

    func run() throws {
        // parse reads files only and logs nothing yet; the options are accepted as on every command.
        _ = logging.bootstrap()
        let request = try request()
        var parsed: [ParsedExport] = []
        var unreadable: [String] = []
        for source in request.sources {
            switch ExportFileReader.read(source, limits: .default) {
            case .success(let read):
                parsed.append(read.export)
            case .failure(let failure):
                unreadable.append("ccdirsync: cannot read \(source.file): \(failure.message)")
            }
        }
        let directory = Directory.merge(parsed, configuration: request.configuration)
        let output = ParseOutput(directory: directory, exports: parsed)
        Terminal.write(output.render(format))
        let messages = unreadable + directory.findings.map(\.description)
        if !messages.isEmpty {
            Terminal.writeError(messages.map { $0 + "\n" }.joined())
        }
        if !unreadable.isEmpty {
            throw ExitCode.failure
        }
        if !directory.findings.isEmpty {
            throw ExitCode(ExitStatus.dataError.rawValue)
        }
    }

    /// The exports and configuration the arguments describe, or a usage error.
    private func request() throws(ValidationError) -> ParseRequest {
        try ParseRequest(
            exports: exports, codePages: codePages, gateways: gateways, excludedPostOffices: excludedPostOffices)
    }
}

/// What the command line asks `parse` to read, checked.
struct ParseRequest {
    /// The exports, in command-line order.
    var sources: [ExportSource]

    /// Gateways and excluded post offices.
    var configuration: DirectoryConfiguration

    init(
        exports: [String], codePages: [String], gateways: [String], excludedPostOffices: [String]
    )
        throws(ValidationError)
    {
        guard !exports.isEmpty else {
            throw ValidationError("Give at least one export as PO=path, for example PO1=po1.exp.")
        }
        var defaultCodePage = CodePage.default
        var perPostOffice: [CCMailName: CodePage] = [:]
        for value in codePages {
            if let assignment = Self.split(value) {
                perPostOffice[CCMailName(assignment.name)] = try Self.codePage(assignment.value)
            } else {
                defaultCodePage = try Self.codePage(value)
            }
        }
        var sources: [ExportSource] = []
        for argument in exports {
            guard let assignment = Self.split(argument) else {
                throw ValidationError("'\(argument)' is not PO=path: name the post office the export was taken on.")
            }
            let (postOffice, path) = (assignment.name, assignment.value)
            let name = CCMailName(postOffice)
            guard !name.text.contains(" "), !name.text.contains("\t") else {
                throw ValidationError("'\(postOffice)' is not a post office name: post office names are one word.")
            }
            if let earlier = sources.first(where: { $0.postOffice == name }) {
                throw ValidationError("Post office \(name) is given twice (\(earlier.file) and \(path)).")
            }
            sources.append(ExportSource(postOffice: name, file: path, codePage: perPostOffice[name] ?? defaultCodePage))
        }
        for postOffice in perPostOffice.keys where !sources.contains(where: { $0.postOffice == postOffice }) {
            throw ValidationError("--codepage names post office \(postOffice), which has no export.")
        }
        var gatewayModes: [CCMailName: GatewayMode] = [:]
        for value in gateways {
            if let assignment = Self.split(value) {
                guard let mode = GatewayMode(rawValue: assignment.value.lowercased()) else {
                    throw ValidationError(
                        "Unknown gateway mode '\(assignment.value)' in '\(value)': use ccmail or smtp.")
                }
                gatewayModes[CCMailName(assignment.name)] = mode
            } else if !CCMailName(value).isEmpty {
                gatewayModes[CCMailName(value)] = .ccMail
            } else {
                throw ValidationError("--gateway needs a post office name.")
            }
        }
        let excluded = Set(excludedPostOffices.map(CCMailName.init))
        if excluded.contains(where: \.isEmpty) {
            throw ValidationError("--exclude-post-office needs a post office name.")
        }
        self.sources = sources
        self.configuration = DirectoryConfiguration(gateways: gatewayModes, excludedPostOffices: excluded)
    }

    /// `NAME=value` split at the first `=`, both sides non-empty; `nil` when there is no `=`.
    private static func split(_ text: String) -> (name: String, value: String)? {
        guard let equals = text.firstIndex(of: "=") else {
            return nil
        }
        let name = String(text[..<equals])
        let value = String(text[text.index(after: equals)...])
        guard !CCMailName(name).isEmpty, !value.isEmpty else {
            return nil
        }
        return (name, value)
    }

    private static func codePage(_ name: String) throws(ValidationError) -> CodePage {
        guard let codePage = CodePage(name: name) else {
            let known = CodePage.allCases.map(\.description).joined(separator: ", ")
            throw ValidationError("Unknown code page '\(name)': use one of \(known).")
        }
        return codePage
    }
}
