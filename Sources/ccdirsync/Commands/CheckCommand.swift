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
            let samples = searchContainers(configuration, connection: connection, fail: fail)
            checkSchema(configuration, connection: connection, samples: samples, fail: fail)
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

    /// Reads the container and runs each search the reader makes; returns a mailbox and one of ccdirsync's own
    /// custom recipients found, for the rights check.
    private func searchContainers(
        _ configuration: Configuration, connection: LDAPConnection, fail: (ExitStatus, String) -> Void
    ) -> CheckSamples {
        var samples = CheckSamples()
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
                try store.search(request) { page in
                    count += page.count
                    switch kind {
                    case .mailbox:
                        samples.mailbox = samples.mailbox ?? page.first?.dn
                    case .customRecipient:
                        samples.ownRecipient =
                            samples.ownRecipient ?? page.first { $0.dn.isDescendant(of: container) }?.dn
                    case .other:
                        break
                    }
                }
                Terminal.write(
                    "ok   search \(kind.rawValue) objects: \(Quantity.phrase(count, "entry", plural: "entries")) "
                        + "(\(request))\n")
            } catch {
                fail(error.isUnavailable ? .unavailable : .failure, "search \(kind.rawValue) objects: \(error)")
            }
        }
        return samples
    }

    /// Confirms that every attribute and class the profile uses is in the server's schema, shows the value length
    /// bounds a plan holds values to, and the bind identity's effective rights where the server reports them.
    private func checkSchema(
        _ configuration: Configuration, connection: LDAPConnection, samples: CheckSamples,
        fail: (ExitStatus, String) -> Void
    ) {
        let profile = Profile.named(configuration.profile)
        let schema: ServerSchema
        do {
            schema = try ServerSchema.read(from: connection, for: profile)
        } catch {
            fail(.failure, "schema: \(error)")
            return
        }
        if let problem = ServerConnection.schemaProblem(schema, profile: profile) {
            fail(.failure, problem)
        } else {
            Terminal.write(
                "ok   schema: \(ServerSchema.attributeNames(of: profile).count) attributes and "
                    + "\(ServerSchema.classNames(of: profile).count) object classes of profile \(profile.name.rawValue)\n"
            )
        }
        let limits = profile.attributeLimits.overridden(by: schema.limits)
        let shown = ServerSchema.attributeNames(of: profile).compactMap { name in
            limits.limit(of: name).map { (name: name, limit: $0) }
        }
        if !shown.isEmpty {
            let published = shown.filter { schema.limits.limit(of: $0.name) != nil }.count
            Terminal.write(
                "ok   value limits (\(published) of \(shown.count) from the server's schema, the rest the profile's): "
                    + shown.map { "\($0.name) \($0.limit)" }.joined(separator: ", ") + "\n")
        }
        checkRights(configuration, schema: schema, connection: connection, samples: samples, fail: fail)
    }

    /// The bind identity's effective rights (Active Directory's `allowedAttributesEffective` and
    /// `allowedChildClassesEffective`): may it create custom recipients in the container, write the proxy attribute
    /// of a mailbox, and change the attributes ccdirsync keeps on its own custom recipients.
    private func checkRights(
        _ configuration: Configuration, schema: ServerSchema, connection: LDAPConnection, samples: CheckSamples,
        fail: (ExitStatus, String) -> Void
    ) {
        guard schema.offersEffectiveRights else {
            Terminal.write(
                "warn rights: not offered by this server (\(ServerSchema.effectiveRightsAttributes.joined(separator: ", "))): "
                    + "missing delegation shows only when a write is refused\n")
            return
        }
        let profile = Profile.named(configuration.profile)
        let container = configuration.exchange.customRecipientContainer
        func effective(_ dn: DistinguishedName, _ attribute: String) -> SchemaNames? {
            do {
                return SchemaNames(try connection.read(dn, attributes: [attribute])?.strings(attribute) ?? [])
            } catch {
                fail(.failure, "rights: read \(attribute) of \"\(dn)\": \(error)")
                return nil
            }
        }
        if let classes = effective(container, "allowedChildClassesEffective") {
            if classes.contains(profile.customRecipientClass) {
                Terminal.write("ok   rights: may create \(profile.customRecipientClass) objects in \(container)\n")
            } else {
                fail(
                    .failure,
                    "rights: \(configuration.ldap.bindDN) may not create \(profile.customRecipientClass) objects in "
                        + "\(container) (allowedChildClassesEffective)")
            }
        }
        let targets: [(what: String, dn: DistinguishedName?, attributes: [String])] = [
            ("a mailbox", samples.mailbox, [profile.proxyAttribute]),
            ("a custom recipient of ccdirsync's", samples.ownRecipient, profile.ownRecipientAttributes),
        ]
        for target in targets {
            guard let dn = target.dn else {
                Terminal.write("ok   rights: no \(target.what.dropFirst(2)) to check write rights on yet\n")
                continue
            }
            guard let allowed = effective(dn, "allowedAttributesEffective") else {
                continue
            }
            let denied = target.attributes.filter { !allowed.contains($0) }
            if denied.isEmpty {
                Terminal.write(
                    "ok   rights: may write \(target.attributes.joined(separator: ", ")) on \(target.what) (\(dn))\n")
            } else {
                fail(
                    .failure,
                    "rights: \(configuration.ldap.bindDN) may not write \(denied.joined(separator: ", ")) on "
                        + "\(target.what) (\(dn); allowedAttributesEffective)")
            }
        }
    }
}

/// One entry of each kind `check` found, to ask the server about the bind identity's rights on.
struct CheckSamples {
    var mailbox: DistinguishedName?
    var ownRecipient: DistinguishedName?
}
