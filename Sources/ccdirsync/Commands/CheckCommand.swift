import ArgumentParser
import CCMail
import Config
import Foundation
import LDAPClient
import LDAPModel
import LDAPStore
import Reports
import Sync

/// `ccdirsync check`: everything a run needs, tried one step at a time, one line per check.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the configuration, parse the exports, bind, search, and check the server's schema.",
        discussion: """
            Prints one line per check (ok, warn or FAIL). Exit status: 0 when everything passed; 64 bad \
            configuration; 65 an export or the mapping file has errors (each error is shown as file:line:column); \
            69 LDAP server unavailable; 78 a configuration problem found while connecting (certificate not \
            accepted, no StartTLS on the server, customRecipientContainer missing); 1 another check failed.
            """
    )

    @OptionGroup var config: ConfigOption

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        try Terminal.run(logging: logging) {
            var worst = ExitStatus.success
            func fail(_ status: ExitStatus, _ line: String) {
                Terminal.write("FAIL \(line)\n")
                if worst == .success || worst == .failure {
                    worst = status
                }
            }
            let configuration: Configuration
            do throws(CommandFailure) {
                configuration = try config.load()
            } catch {
                fail(.usage, error.message)
                return worst
            }
            Terminal.write("ok   config \(config.path): profile \(configuration.profile.rawValue)\n")
            for warning in ServerConnection.warningTexts(configuration.ldap) {
                Terminal.write("warn \(warning)\n")
            }
            do throws(CommandFailure) {
                let inputs = try PlanInputs.load(configuration)
                for export in inputs.exports {
                    let errors = export.findings.filter { $0.severity == .error }
                    let line =
                        "export \(export.source.postOffice) \(export.source.file): "
                        + "\(Quantity.phrase(export.entryCount, "entry", plural: "entries")), "
                        + "\(Quantity.phrase(errors.count, "error")), "
                        + Quantity.phrase(export.findings.count - errors.count, "warning")
                    if errors.isEmpty {
                        Terminal.write("ok   \(line)\n")
                    } else {
                        fail(.dataError, line)
                        showErrors(errors)
                    }
                }
                let directory = inputs.directory
                Terminal.write(
                    "ok   cc:Mail directory: \(Quantity.phrase(directory.users.count, "user")), "
                        + "\(Quantity.phrase(directory.conflicts.count, "conflict")), "
                        + "\(Quantity.phrase(directory.exclusions.count, "exclusion"))\n")
                if let mapping = inputs.mapping {
                    Terminal.write("ok   mapping \(mapping.file): \(Quantity.phrase(mapping.rows.count, "row"))\n")
                }
            } catch {
                fail(error.status, error.message)
            }
            let connection: LDAPConnection
            do throws(CommandFailure) {
                connection = try ServerConnection.open(configuration.ldap)
            } catch {
                fail(error.status, "bind: \(error.message)")
                return worst
            }
            Terminal.write("ok   bind \(configuration.ldap.bindDN) at \(configuration.ldap.url)\n")
            searchContainers(configuration, connection: connection, fail: fail)
            checkSchema(configuration, connection: connection, fail: fail)
            return worst
        }
    }

    /// The most errors shown under an export's line; `parse` lists them all.
    static let errorsShown = 20

    /// An export's errors under its FAIL line, `file:line:column: error: message`, indented to the text above.
    private func showErrors(_ errors: [Finding]) {
        for finding in errors.sorted().prefix(Self.errorsShown) {
            Terminal.write("     \(finding)\n")
        }
        if errors.count > Self.errorsShown {
            Terminal.write("     … and \(Quantity.phrase(errors.count - Self.errorsShown, "more error"))\n")
        }
    }

    private func searchContainers(
        _ configuration: Configuration, connection: LDAPConnection, fail: (ExitStatus, String) -> Void
    ) {
        let container = configuration.exchange.customRecipientContainer
        do throws(CommandFailure) {
            try ServerConnection.requireContainer(configuration, on: connection)
            Terminal.write("ok   custom recipient container \(container) exists\n")
        } catch {
            fail(error.status, error.message)
        }
        let store = LDAPDirectoryStore(
            connection: connection, pageSize: configuration.ldap.pageSize, maxEntries: configuration.ldap.maxEntries)
        let reader = ExchangeReader(
            profile: Profile.named(configuration.profile), baseDN: configuration.ldap.baseDN, container: container)
        for (kind, request) in reader.requests {
            var count = 0
            do {
                try store.search(request) { count += $0.count }
                Terminal.write(
                    "ok   search \(kind.rawValue) objects: \(Quantity.phrase(count, "entry", plural: "entries")) "
                        + "(\(request))\n")
            } catch {
                fail(error.isUnavailable ? .unavailable : .failure, "search \(kind.rawValue) objects: \(error)")
            }
        }
    }

    /// Confirms that every attribute and class the profile uses is in the server's schema.
    private func checkSchema(
        _ configuration: Configuration, connection: LDAPConnection, fail: (ExitStatus, String) -> Void
    ) {
        let profile = Profile.named(configuration.profile)
        do {
            guard let root = try connection.read(DistinguishedName([]), attributes: ["subschemaSubentry"]),
                let subentryText = root.strings("subschemaSubentry").first
            else {
                fail(.failure, "schema: the server does not publish a subschemaSubentry")
                return
            }
            let subentry = try DistinguishedName(parsing: subentryText)
            let schema = try connection.searchAll(
                base: subentry, scope: .base, filter: .equality("objectClass", "subschema"),
                attributes: ["attributeTypes", "objectClasses"], pageSize: nil
            ).first
            let attributes = SchemaNames(definitions: schema?.strings("attributeTypes") ?? [])
            let classes = SchemaNames(definitions: schema?.strings("objectClasses") ?? [])
            let wantedAttributes = Set(
                (profile.readAttributes + [profile.mailAttribute, profile.x400Attribute].compactMap { $0 })
                    .filter { $0.lowercased() != "objectclass" })
            let missingAttributes = wantedAttributes.filter { !attributes.contains($0) }.sorted()
            let wantedClasses = Set(profile.mailboxClasses + profile.customRecipientObjectClasses)
            let missingClasses = wantedClasses.filter { !classes.contains($0) }.sorted()
            if missingAttributes.isEmpty, missingClasses.isEmpty {
                Terminal.write(
                    "ok   schema: \(wantedAttributes.count) attributes and \(wantedClasses.count) object classes of "
                        + "profile \(profile.name.rawValue)\n")
            } else {
                let missing =
                    missingAttributes.map { "attribute \($0)" } + missingClasses.map { "object class \($0)" }
                fail(.failure, "schema: missing \(missing.joined(separator: ", "))")
            }
        } catch {
            fail(.failure, "schema: \(error)")
        }
    }
}

/// The names defined in schema definitions such as `( 2.5.4.3 NAME ( 'cn' 'commonName' ) ... )`.
struct SchemaNames {
    private var names: Set<String> = []

    init(definitions: [String]) {
        for definition in definitions {
            guard let range = definition.range(of: " NAME ") else {
                continue
            }
            var rest = definition[range.upperBound...].drop { $0 == " " }
            let list: Substring
            if rest.first == "(" {
                rest = rest.dropFirst()
                list = rest.prefix { $0 != ")" }
            } else {
                list = rest.prefix { $0 != " " }
            }
            for name in list.split(separator: " ") {
                names.insert(name.trimmingCharacters(in: ["'"]).lowercased())
            }
        }
    }

    func contains(_ name: String) -> Bool {
        names.contains(name.lowercased())
    }
}
