import Foundation
import TestSupport
import Testing

@Suite struct SlapdServerTests {
    @Test(arguments: SchemaFlavour.allCases)
    func startsFromTheFixtureAndTheServiceAccountBinds(flavour: SchemaFlavour) async throws {
        try await withSlapd(SlapdConfiguration(flavour: flavour)) { server in
            let seed = try String(contentsOf: ProjectPaths.seedLDIF(flavour), encoding: .utf8)
            let seeded = dnCount(seed)
            #expect(seeded >= 12)

            let listed = try server.ldapsearch(attributes: ["1.1"])
            #expect(dnCount(listed) == seeded + 1, "the seed plus the service account")
            #expect(listed.contains("dn: \(server.serviceDN)"))

            let whoami = try Tool.run(
                "/usr/bin/ldapwhoami",
                ["-x", "-H", server.url, "-D", server.serviceDN, "-y", server.servicePasswordFile])
            #expect(whoami.status == 0, "\(whoami.output)")
            #expect(whoami.output.lowercased().contains("dn:\(server.serviceDN.lowercased())"))
        }
    }

    @Test(arguments: SchemaFlavour.allCases)
    func passwordFilesHoldThePasswordsWithoutNewlineAndPrivately(flavour: SchemaFlavour) async throws {
        try await withSlapd(SlapdConfiguration(flavour: flavour, seed: .suffixOnly)) { server in
            #expect(try String(contentsOfFile: server.adminPasswordFile, encoding: .utf8) == server.adminPassword)
            #expect(try String(contentsOfFile: server.servicePasswordFile, encoding: .utf8) == server.servicePassword)
            let attributes = try FileManager.default.attributesOfItem(atPath: server.servicePasswordFile)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            #expect(server.adminPassword != server.servicePassword)
            #expect(server.adminPassword.count >= 20)
        }
    }

    @Test(arguments: SchemaFlavour.allCases)
    func sizeLimitAppliesToTheServiceAccountButNotToPagingOrTheAdmin(flavour: SchemaFlavour) async throws {
        try await withSlapd(SlapdConfiguration(flavour: flavour, seed: .suffixOnly, sizeLimit: 10)) { server in
            let container = "ou=Many,\(server.suffix)"
            var ldif = "dn: \(container)\nobjectClass: organizationalUnit\nou: Many\n\n"
            for index in 0..<25 {
                ldif += "dn: cn=p\(index),\(container)\nobjectClass: person\ncn: p\(index)\nsn: p\n\n"
            }
            try server.ldapadd(ldif)

            let asService = ["-x", "-H", server.url, "-D", server.serviceDN, "-y", server.servicePasswordFile]
            let plain = try Tool.run("/usr/bin/ldapsearch", asService + ["-LLL", "-b", container, "1.1"])
            #expect(plain.status == 4, "sizeLimitExceeded: \(plain.output)")
            #expect(dnCount(plain.output) == 10)

            let paged = try Tool.run(
                "/usr/bin/ldapsearch", asService + ["-LLL", "-E", "pr=7/noprompt", "-b", container, "1.1"])
            #expect(paged.status == 0, "\(paged.output)")
            #expect(dnCount(paged.output) == 26)

            #expect(dnCount(try server.ldapsearch(base: container, attributes: ["1.1"])) == 26)
        }
    }

    @Test(arguments: SchemaFlavour.allCases)
    func serviceAccountWritesAndAnonymousSeesNothing(flavour: SchemaFlavour) async throws {
        try await withSlapd(SlapdConfiguration(flavour: flavour)) { server in
            let names = FixtureNames(flavour)
            let asService = ["-x", "-H", server.url, "-D", server.serviceDN, "-y", server.servicePasswordFile]
            let change =
                "dn: \(names.janeDoe)\nchangetype: modify\nadd: \(names.proxyAttribute)\n\(names.proxyAttribute): \(names.migrate("Doe, Jane at PO1"))\n"
            let write = try Tool.run("/usr/bin/ldapmodify", asService, input: change)
            #expect(write.status == 0, "\(write.output)")
            let entry = try server.ldapsearch(base: names.janeDoe, scope: "base", attributes: [names.proxyAttribute])
            #expect(entry.contains("\(names.proxyAttribute): \(names.migrate("Doe, Jane at PO1"))"))

            let anonymous = try Tool.run("/usr/bin/ldapsearch", ["-x", "-H", server.url, "-LLL", "-b", server.suffix])
            #expect(dnCount(anonymous.output) == 0)
            let password = try Tool.run(
                "/usr/bin/ldapsearch", asService + ["-LLL", "-b", server.serviceDN, "-s", "base", "userPassword"])
            #expect(password.output.contains("userPassword"), "the service account reads its own password")
        }
    }

    @Test(arguments: SchemaFlavour.allCases)
    func proxyValuesCanBeDeletedOneByOneIgnoringCase(flavour: SchemaFlavour) async throws {
        try await withSlapd(SlapdConfiguration(flavour: flavour)) { server in
            let names = FixtureNames(flavour)
            let before = try server.ldapsearch(base: names.johnSmith, scope: "base", attributes: [names.proxyAttribute])
            let proxies = before.split(separator: "\n").filter { $0.hasPrefix("\(names.proxyAttribute):") }
            #expect(proxies.count == 4)
            let migrate = try #require(proxies.first { $0.uppercased().contains("MIGRATE") })
            let value = migrate.dropFirst(names.proxyAttribute.count + 2).lowercased()

            let (status, output) = try server.ldapmodify(
                "dn: \(names.johnSmith)\nchangetype: modify\ndelete: \(names.proxyAttribute)\n\(names.proxyAttribute): \(value)\n"
            )
            #expect(status == 0, "\(output)")
            let after = try server.ldapsearch(base: names.johnSmith, scope: "base", attributes: [names.proxyAttribute])
            let remaining = after.split(separator: "\n").filter { $0.hasPrefix("\(names.proxyAttribute):") }
            #expect(remaining == proxies.filter { $0 != migrate })
        }
    }

    @Test(arguments: SchemaFlavour.allCases)
    func fixtureHasOneMigrateAddressForeignRecipientsAndOurs(flavour: SchemaFlavour) async throws {
        try await withSlapd(SlapdConfiguration(flavour: flavour)) { server in
            let names = FixtureNames(flavour)
            let migrating = try server.ldapsearch(
                filter: "(\(names.proxyAttribute)=\(names.migratePrefix)*)", attributes: ["1.1"])
            #expect(migrating.split(separator: "\n") == ["dn: \(names.johnSmith)"])

            let foreign = try server.ldapsearch(
                filter: "(\(names.targetAttribute)=CCMAIL:Bianchi, Lucia at GENEVA)",
                attributes: [names.adminDescription])
            #expect(dnCount(foreign) == 1)
            #expect(!foreign.contains(names.adminDescription))

            // ccdirsync's container holds two recipients it made earlier (marked) and one made by hand (unmarked).
            let container = try server.ldapsearch(base: names.contactContainer, scope: "one", attributes: ["1.1"])
            #expect(dnCount(container) == 3)
            let marked = try server.ldapsearch(
                base: names.contactContainer, scope: "one", filter: "(\(names.adminDescription)=ccdirsync:*)",
                attributes: ["1.1"])
            #expect(dnCount(marked) == 2)
        }
    }

    @Test func bothFlavoursSeedTheSamePeople() async throws {
        func people(_ flavour: SchemaFlavour, alias: String) async throws -> [String] {
            try await withSlapd(SlapdConfiguration(flavour: flavour)) { server in
                let ldif = try server.ldapsearch(filter: "(\(alias)=*)", attributes: [alias, "sn"])
                return ldif.components(separatedBy: "\n\n").compactMap { entry -> String? in
                    let lines = entry.split(separator: "\n")
                    guard let name = lines.first(where: { $0.hasPrefix("\(alias):") }),
                        let surname = lines.first(where: { $0.hasPrefix("sn:") })
                    else { return nil }
                    return "\(name.dropFirst(alias.count + 2)) \(surname.dropFirst(3))"
                }.sorted()
            }
        }
        let exchange55 = try await people(.exchange55, alias: "uid")
        let exchange2000 = try await people(.exchange2000, alias: "mailNickname")
        // 11 mailboxes, the connector-made recipient, two of ccdirsync's and one made by hand.
        #expect(exchange55.count == 15)
        #expect(exchange55 == exchange2000)
    }

    @Test(arguments: SchemaFlavour.allCases)
    func tlsTrustsTheTestCAAndNotAnother(flavour: SchemaFlavour) async throws {
        try await withSlapd(SlapdConfiguration(flavour: flavour, seed: .suffixOnly, tls: true)) { server in
            let ldaps = try #require(server.ldapsURL)
            let caFile = try #require(server.caFile)
            let untrusted = try #require(server.untrustedCAFile)
            let rootDSE = ["-x", "-b", "", "-s", "base", "-LLL", "1.1"]

            let trusted = try Tool.run(
                "/usr/bin/ldapsearch", ["-H", ldaps] + rootDSE,
                tls: ["LDAPTLS_CACERT": caFile, "LDAPTLS_REQCERT": "demand"])
            #expect(trusted.status == 0, "\(trusted.output)")

            let startTLS = try Tool.run(
                "/usr/bin/ldapsearch", ["-H", server.url, "-ZZ"] + rootDSE,
                tls: ["LDAPTLS_CACERT": caFile, "LDAPTLS_REQCERT": "demand"])
            #expect(startTLS.status == 0, "\(startTLS.output)")

            let unknownCA = try Tool.run(
                "/usr/bin/ldapsearch", ["-H", ldaps] + rootDSE,
                tls: ["LDAPTLS_CACERT": untrusted, "LDAPTLS_REQCERT": "demand"])
            #expect(unknownCA.status != 0, "\(unknownCA.output)")
        }
    }

    @Test(arguments: SchemaFlavour.allCases)
    func stopClosesThePortAndRemovesTheDirectory(flavour: SchemaFlavour) throws {
        let server = try SlapdServer.start(SlapdConfiguration(flavour: flavour, tls: true))
        let directory = server.directory
        let ports = [server.port, try #require(server.ldapsURL.flatMap { URL(string: $0)?.port })]
        #expect(ports.allSatisfy(canConnect))
        #expect(FileManager.default.fileExists(atPath: directory.path))

        let started = Date()
        server.stop()
        #expect(Date().timeIntervalSince(started) < 2, "slapd stops on SIGTERM, not after the SIGKILL timeout")
        server.stop()
        #expect(!FileManager.default.fileExists(atPath: directory.path))
        #expect(!ports.contains(where: canConnect))
        let probe = try Tool.run("/usr/bin/ldapsearch", ["-x", "-H", server.url, "-b", "", "-s", "base"])
        #expect(probe.status != 0)
    }

    @Test func serversStartInParallelOnDifferentPorts() async throws {
        let servers = try await withThrowingTaskGroup(of: SlapdServer.self) { group in
            for index in 0..<6 {
                let flavour = SchemaFlavour.allCases[index % 2]
                group.addTask { try SlapdServer.start(SlapdConfiguration(flavour: flavour, seed: .suffixOnly)) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        defer { servers.forEach { $0.stop() } }
        #expect(Set(servers.map(\.port)).count == servers.count)
        for server in servers {
            #expect(dnCount(try server.ldapsearch(attributes: ["1.1"])) == 2)
        }
    }

    @Test func badSeedFailsWithSlapaddsMessage() throws {
        let ldif = FileManager.default.temporaryDirectory.appendingPathComponent("bad-seed-\(UUID().uuidString).ldif")
        try Data("dn: o=Org\nobjectClass: noSuchClass\no: Org\n\n".utf8).write(to: ldif)
        defer { try? FileManager.default.removeItem(at: ldif) }
        let error = try #require(throws: SlapdError.self) {
            try SlapdServer.start(SlapdConfiguration(flavour: .exchange55, seed: .ldif(ldif)))
        }
        #expect(error.description.contains("slapadd"))
        #expect(error.description.contains(ldif.path))
        #expect(error.description.lowercased().contains("nosuchclass"))
    }

    @Test func fixtureSeedNeedsTheFlavoursSuffix() throws {
        let error = try #require(throws: SlapdError.self) {
            try SlapdServer.start(SlapdConfiguration(flavour: .exchange2000, suffix: "o=Elsewhere"))
        }
        #expect(error.description.contains("dc=example,dc=org"))
    }

    @Test(arguments: SchemaFlavour.allCases)
    func suffixOnlyWorksForOtherSuffixes(flavour: SchemaFlavour) async throws {
        for suffix in ["o=Elsewhere", "dc=corp,dc=example", "ou=Mail,o=Elsewhere"] {
            let entries = try await withSlapd(SlapdConfiguration(flavour: flavour, suffix: suffix, seed: .suffixOnly)) {
                server in
                #expect(server.adminDN == "cn=admin,\(suffix)")
                return try server.ldapsearch(attributes: ["1.1"])
            }
            #expect(dnCount(entries) == 2, "\(entries)")
        }
    }

    @Test func projectPathsFindTheRepository() {
        let manager = FileManager.default
        #expect(manager.fileExists(atPath: ProjectPaths.root.appendingPathComponent("Package.swift").path))
        for flavour in SchemaFlavour.allCases {
            #expect(manager.fileExists(atPath: ProjectPaths.schema(flavour).path))
            #expect(manager.fileExists(atPath: ProjectPaths.seedLDIF(flavour).path))
        }
    }
}

/// The number of entries in LDIF text (`dn:` and base64 `dn::` lines).
func dnCount(_ ldif: some StringProtocol) -> Int {
    ldif.split(separator: "\n").filter { $0.hasPrefix("dn:") }.count
}

/// Whether 127.0.0.1:`port` accepts a TCP connection.
func canConnect(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
}

/// Runs a command-line tool for a test: stdout and stderr together, stdin from `input`.
enum Tool {
    /// Runs `executable`; `tls` adds LDAPTLS_* settings, otherwise ldap.conf is ignored.
    static func run(
        _ executable: String, _ arguments: [String], input: String? = nil, tls: [String: String]? = nil
    ) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(tls ?? ["LDAPNOINIT": "1"]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        try stdin.fileHandleForWriting.write(contentsOf: Data((input ?? "").utf8))
        try stdin.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
