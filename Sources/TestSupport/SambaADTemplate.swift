import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A provisioned Samba AD domain that test servers copy: made once per machine and set of inputs, reused by
/// every later test process.
///
/// Provisioning takes seconds to minutes on a loaded machine, so the template lives under the temporary
/// directory, named by a digest of its inputs (samba's version, the configuration, the schema extension, the
/// seed, `formatVersion`): a run after any of them changed makes a new one. It is built in a directory of its
/// own and renamed into place when complete, under a lock file, so parallel test processes wait for one
/// builder instead of racing; inside a process it is looked up once.
///
/// Building: `samba-tool domain provision` (realm and domain from the configuration, no DNS), then samba is
/// started on the build directory to load `schemas/exchange2000-ad.ldif` (the Exchange schema extension, with
/// `ldapmodify` as an admin of a lab would; left out when the configuration says so), the seed (`SambaADSeed`)
/// and the service account, and stopped;
/// then, offline, the service account gets docs/SECURITY.md's delegation (`samba-tool dsacl set`) and passwords
/// stop expiring (the template may outlive AD's 42-day default).
struct SambaADTemplate: Sendable {
    /// Changes whenever the way a template is built changes, so old templates are not reused.
    static let formatVersion = "1"

    let directory: URL
    let adminDN: String
    let adminPassword: String
    let serviceDN: String
    let servicePassword: String

    static func adminPasswordFile(in directory: URL) -> URL { directory.appendingPathComponent("admin.pw") }
    static func servicePasswordFile(in directory: URL) -> URL { directory.appendingPathComponent("service.pw") }

    /// The template for `configuration`: this process's, the machine's, or a new one.
    static func shared(_ configuration: SambaADConfiguration) throws -> SambaADTemplate {
        try cache.template(configuration)
    }

    private static let cache = Cache()

    /// This process's templates, one per configuration, made under a lock.
    private final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var templates: [SambaADConfiguration: SambaADTemplate] = [:]

        func template(_ configuration: SambaADConfiguration) throws -> SambaADTemplate {
            lock.lock()
            defer { lock.unlock() }
            if let template = templates[configuration] { return template }
            let template = try SambaADTemplate.findOrBuild(configuration)
            templates[configuration] = template
            return template
        }
    }

    // MARK: - Finding

    private static func findOrBuild(_ configuration: SambaADConfiguration) throws -> SambaADTemplate {
        if let missing = SambaADInstance.missingSamba() { throw SlapdError(missing, server: "samba") }
        let key = try inputDigest(configuration)
        let temporary = FileManager.default.temporaryDirectory
        let directory = temporary.appendingPathComponent("ccdirsync-samba-template-\(key)", isDirectory: true)
        if let ready = load(directory, configuration) { return ready }
        let lockFile = try Spawn.open(
            temporary.appendingPathComponent("ccdirsync-samba-template-\(key).lock").path, O_RDWR | O_CREAT)
        defer { close(lockFile) }
        while flock(lockFile, LOCK_EX) != 0 && errno == EINTR {}
        if let ready = load(directory, configuration) { return ready }
        let build = temporary.appendingPathComponent(
            "ccdirsync-samba-template-\(key).build-\(UUID().uuidString.prefix(8))", isDirectory: true)
        do {
            try make(configuration, in: build)
            try? FileManager.default.removeItem(at: directory)
            guard rename(build.path, directory.path) == 0 else {
                throw SlapdError(
                    "cannot rename \(build.path) to \(directory.path): \(String(cString: strerror(errno)))",
                    server: "samba")
            }
        } catch {
            try? FileManager.default.removeItem(at: build)
            throw error
        }
        guard let ready = load(directory, configuration) else {
            throw SlapdError("the Samba AD template \(directory.path) is incomplete after building", server: "samba")
        }
        return ready
    }

    /// A complete template in `directory` (it has both password files), or nil.
    private static func load(_ directory: URL, _ configuration: SambaADConfiguration) -> SambaADTemplate? {
        guard let admin = try? String(contentsOf: adminPasswordFile(in: directory), encoding: .utf8),
            let service = try? String(contentsOf: servicePasswordFile(in: directory), encoding: .utf8)
        else { return nil }
        return SambaADTemplate(
            directory: directory, adminDN: adminDN(configuration), adminPassword: admin,
            serviceDN: serviceDN(configuration), servicePassword: service)
    }

    private static func adminDN(_ configuration: SambaADConfiguration) -> String {
        "cn=Administrator,cn=Users,\(configuration.suffix)"
    }

    private static func serviceDN(_ configuration: SambaADConfiguration) -> String {
        "cn=ccdirsync,\(configuration.suffix)"
    }

    /// A digest of everything the template is made from (FNV-1a, 64 bits: a cache key, not a security check).
    private static func inputDigest(_ configuration: SambaADConfiguration) throws -> String {
        let version = try ToolRunner.check(SambaADInstance.samba, ["--version"], what: "asking samba its version")
        var texts = [formatVersion, version.output, configuration.realm, configuration.domain, "\(configuration.seed)"]
        // Only when not the default, so the default template keeps the digest it had before the option.
        if !configuration.exchangeSchema { texts.append("without the Exchange schema") }
        var inputs = texts.map { Data($0.utf8) }
        var files = configuration.exchangeSchema ? [ProjectPaths.adSchemaExtension] : []
        // Both seeds come from the fixture: all of it, or its organizational units.
        files.append(ProjectPaths.seedLDIF(.exchange2000))
        for file in files {
            do {
                inputs.append(try Data(contentsOf: file))
            } catch {
                throw SlapdError("cannot read \(file.path): \(error)", server: "samba")
            }
        }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for input in inputs {
            for byte in input + [0] {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
        }
        return String(hash, radix: 16)
    }

    // MARK: - Building

    private static func make(_ configuration: SambaADConfiguration, in directory: URL) throws {
        guard configuration.exchangeSchema || configuration.seed == .empty else {
            throw SlapdError(
                "the exchange2000 fixture needs the Exchange schema extension: use seed .empty without it",
                server: "samba")
        }
        // No --adminpass: a password on the command line is visible to every user; samba makes one and prints it.
        let provision = try ToolRunner.check(
            "/usr/bin/samba-tool",
            [
                "domain", "provision", "--realm=\(configuration.realm)", "--domain=\(configuration.domain)",
                "--server-role=dc", "--dns-backend=NONE", "--targetdir=\(directory.path)",
                "--host-name=\(SambaADConfigFile.hostName)", "--option=netbios name = \(SambaADConfigFile.netbiosName)",
            ], what: "provisioning the Samba AD domain \(configuration.realm) in \(directory.path)", timeout: 900)
        let marker = "Admin password:"
        guard
            let line = (provision.output + "\n" + provision.errors).split(separator: "\n").last(where: {
                $0.contains(marker)
            }),
            let range = line.range(of: marker)
        else {
            throw SlapdError("samba-tool domain provision did not print the Administrator password", server: "samba")
        }
        let adminPassword = line[range.upperBound...].trimmingCharacters(in: .whitespaces)
        let servicePassword = SlapdFiles.randomPassword() + "-Aa1"
        try SlapdFiles.writeSecret(adminPassword, to: adminPasswordFile(in: directory))

        let instance = try SambaADInstance.launch(
            directory: directory, configuration: configuration, adminDN: adminDN(configuration))
        do {
            defer { instance.stop() }
            let tool = TemplateTools(instance: instance, adminDN: adminDN(configuration))
            if configuration.exchangeSchema {
                let schema = try String(contentsOf: ProjectPaths.adSchemaExtension, encoding: .utf8)
                    .replacingOccurrences(of: "DC=example,DC=org", with: configuration.suffix)
                try tool.run(
                    "/usr/bin/ldapmodify", ldif: schema, what: "loading \(ProjectPaths.adSchemaExtension.path)")
            }
            let fixture = ProjectPaths.seedLDIF(.exchange2000)
            switch configuration.seed {
            case .fixture:
                let seed = try SambaADSeed.ldif(fixture: fixture, suffix: configuration.suffix)
                try tool.run("/usr/bin/ldapadd", ldif: seed, what: "loading the exchange2000 fixture")
            case .empty:
                let units = try SambaADSeed.organizationalUnits(fixture: fixture, suffix: configuration.suffix)
                try tool.run("/usr/bin/ldapadd", ldif: units, what: "adding the fixture's organizational units")
            }
            try tool.run(
                "/usr/bin/ldapadd", ldif: serviceAccount(serviceDN(configuration), password: servicePassword),
                what: "adding the service account")
        }
        try SlapdFiles.writeSecret(servicePassword, to: servicePasswordFile(in: directory))
        try delegate(configuration, in: directory)
        SambaADInstance.removeRunLeftovers(in: directory)
    }

    /// The service account: a normal account whose password never expires.
    private static func serviceAccount(_ dn: String, password: String) -> String {
        // unicodePwd is the password in double quotes, UTF-16LE; AD takes it only over an encrypted connection.
        let quoted = Data(("\"" + password + "\"").utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        return """
            dn: \(dn)
            objectClass: user
            cn: ccdirsync
            sAMAccountName: ccdirsync
            userAccountControl: 66048
            unicodePwd:: \(quoted.base64EncodedString())

            """
    }

    /// docs/SECURITY.md's delegation for AD, offline: read all properties of users and contacts and write
    /// `proxyAddresses` of users below the domain; create and delete contacts in the custom-recipient container
    /// and write every property of the contacts in it.
    private static func delegate(_ configuration: SambaADConfiguration, in directory: URL) throws {
        let database = [
            "-H", "tdb://\(directory.path)/private/sam.ldb", "-s", SambaADConfigFile.path(in: directory).path,
        ]
        let shown = try ToolRunner.check(
            "/usr/bin/samba-tool", ["user", "show", "ccdirsync", "--attributes=objectSid"] + database,
            what: "reading the service account's SID")
        guard
            let sid = shown.output.split(separator: "\n").first(where: { $0.hasPrefix("objectSid: ") })?
                .dropFirst("objectSid: ".count)
        else {
            throw SlapdError("samba-tool user show printed no objectSid: \(shown.transcript)", server: "samba")
        }
        // schemaIDGUIDs, the same in every forest.
        let user = "bf967aba-0de6-11d0-a285-00aa003049e2"
        let contact = "5cb41ed0-0e4c-11d0-a286-00aa003049e2"
        let proxyAddresses = "bf967a06-0de6-11d0-a285-00aa003049e2"
        // Both seeds hold the fixture's custom recipient container.
        let container = FixtureNames(.exchange2000).contactContainer
        let grants = [
            (configuration.suffix, "(OA;CIIO;RPLCLORC;;\(user);\(sid))"),
            (configuration.suffix, "(OA;CIIO;RPLCLORC;;\(contact);\(sid))"),
            (configuration.suffix, "(OA;CIIO;WP;\(proxyAddresses);\(user);\(sid))"),
            (container, "(OA;;CCDC;\(contact);;\(sid))"),
            (container, "(OA;CIIO;WP;;\(contact);\(sid))"),
        ]
        for (dn, ace) in grants {
            try ToolRunner.check(
                "/usr/bin/samba-tool", ["dsacl", "set", "--objectdn=\(dn)", "--sddl=\(ace)"] + database,
                what: "granting \(ace) on \(dn)")
        }
        try ToolRunner.check(
            "/usr/bin/samba-tool", ["domain", "passwordsettings", "set", "--max-pwd-age=0"] + database,
            what: "making passwords not expire")
    }

    /// ldap-utils against the template's samba, as the Administrator over ldaps.
    private struct TemplateTools {
        let instance: SambaADInstance
        let adminDN: String

        func run(_ tool: String, ldif: String, what: String) throws {
            let input = instance.directory.appendingPathComponent("input-\(UUID().uuidString).ldif")
            try SlapdFiles.writeSecret(ldif, to: input)
            defer { try? FileManager.default.removeItem(at: input) }
            let result = try ToolRunner.run(
                tool,
                [
                    "-x", "-H", "ldaps://\(instance.lease.address)", "-D", adminDN, "-y",
                    SambaADTemplate.adminPasswordFile(in: instance.directory).path, "-f", input.path,
                ], environment: SambaADInstance.toolEnvironment(caFile: instance.certificates.caFile.path),
                combineOutput: true, timeout: 900)
            guard result.status == 0 else {
                // The tools print the DNs they add and the server's answer, never the values (the password).
                throw SlapdError(
                    "\(what) failed (\(tool) exit \(result.status)): \(result.output.suffix(2000))",
                    logTail: SambaADInstance.logTail(of: SambaADConfigFile.log(in: instance.directory), lines: 20),
                    server: "samba")
            }
        }
    }
}
