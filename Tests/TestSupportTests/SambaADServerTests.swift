import Foundation
import TestSupport
import Testing

/// The Samba AD test server: it starts from the template, answers over ldaps with the test CA, holds the fixture
/// with the Exchange schema extension, runs beside another, and is gone after `stop()`.
@Suite(.serialized) struct SambaADServerTests {
    @Test("two servers side by side, each on its own address: ldaps binds, the fixture, the schema extension")
    func twoServersSideBySide() async throws {
        let first = try SambaADServer.start()
        defer { first.stop() }
        let second = try SambaADServer.start()
        defer { second.stop() }
        #expect(first.address != second.address)
        #expect(first.ldapsURL == "ldaps://\(first.address)")

        for server in [first, second] {
            let base = try server.ldapsearch(base: server.suffix, scope: "base", attributes: ["1.1"])
            #expect(base.lowercased().contains("dn: dc=example,dc=org"), "\(base)")
            let jane = try server.ldapsearch(
                base: FixtureNames(.exchange2000).janeDoe, scope: "base",
                attributes: ["mailNickname", "homeMDB", "proxyAddresses"])
            #expect(jane.contains("mailNickname: JDoe"), "the Exchange schema extension and the seed: \(jane)")
            #expect(jane.contains("homeMDB: CN=Mailbox Store"), "\(jane)")

            let asService = try Self.ldapsearch(
                server, bindDN: server.serviceDN, passwordFile: server.servicePasswordFile,
                caFile: server.caFile, ["-s", "base", "-b", server.suffix, "1.1"])
            #expect(asService.status == 0, "the service account binds over ldaps: \(asService.output)")
        }
        let untrusted = try Self.ldapsearch(
            first, bindDN: first.adminDN, passwordFile: first.adminPasswordFile, caFile: first.untrustedCAFile,
            ["-s", "base", "-b", first.suffix, "1.1"])
        #expect(untrusted.status != 0, "a CA that did not sign the certificate is refused")
    }

    @Test("a simple bind in clear is refused with strongerAuthRequired, as on every AD")
    func clearBindRefused() async throws {
        try await withSambaAD { server in
            let clear = try Tool.run(
                "/usr/bin/ldapsearch",
                [
                    "-x", "-H", server.url, "-D", server.adminDN, "-y", server.adminPasswordFile, "-s", "base", "-b",
                    server.suffix, "1.1",
                ])
            #expect(clear.status == 8, "\(clear.output)")
        }
    }

    @Test("stop ends samba and removes its directory; the address is free again")
    func stopEndsEverything() async throws {
        let server = try SambaADServer.start()
        let directory = server.directory
        server.stop()
        #expect(!FileManager.default.fileExists(atPath: directory.path))
        let probe = try Self.ldapsearch(
            server, bindDN: server.adminDN, passwordFile: server.adminPasswordFile, caFile: server.caFile,
            ["-s", "base", "-b", server.suffix, "1.1"])
        #expect(probe.status != 0, "nothing answers after stop")
    }

    @Test("a domain loaded once and kept by stop(keepingDirectoryAt:) starts again; each server has its own copy")
    func keptDomainStartsAgain() async throws {
        let configuration = SambaADConfiguration(seed: .empty)
        let kept = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ccdirsync-samba-kept-\(UUID().uuidString.prefix(8))", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: kept) }
        let loader = try SambaADServer.start(configuration)
        defer { loader.stop() }
        try loader.load(seed: ProjectPaths.seedLDIF(.exchange2000))
        try loader.stop(keepingDirectoryAt: kept)
        #expect(!FileManager.default.fileExists(atPath: loader.directory.path))
        #expect(!FileManager.default.fileExists(atPath: loader.logFile.path), "the log stays with the run")

        let first = try SambaADServer.start(configuration, copying: kept)
        defer { first.stop() }
        let second = try SambaADServer.start(configuration, copying: kept)
        defer { second.stop() }
        let jane = FixtureNames(.exchange2000).janeDoe
        for server in [first, second] {
            let entry = try server.ldapsearch(base: jane, scope: "base", attributes: ["mailNickname"])
            #expect(entry.contains("mailNickname: JDoe"), "the loaded seed: \(entry)")
        }
        let deleted = try first.ldapmodify("dn: \(jane)\nchangetype: delete\n")
        #expect(deleted.status == 0, "\(deleted.output)")
        let untouched = try second.ldapsearch(base: jane, scope: "base", attributes: ["mailNickname"])
        #expect(untouched.contains("mailNickname: JDoe"), "a copy does not see another's writes: \(untouched)")
        #expect(FileManager.default.fileExists(atPath: kept.path), "the kept domain outlives its copies")
    }

    @Test(
        "the variants: without the Exchange schema, or with the fixture's OUs only; the service account's delegation in both",
        arguments: [SambaADConfiguration.withoutExchangeSchema, SambaADConfiguration(seed: .empty)])
    func variants(configuration: SambaADConfiguration) async throws {
        try await withSambaAD(configuration) { server in
            let schema = try server.ldapsearch(
                base: "CN=Schema,CN=Configuration,\(server.suffix)", scope: "one",
                filter: "(lDAPDisplayName=mailNickname)", attributes: ["1.1"])
            #expect(schema.contains("dn:") == configuration.exchangeSchema, "\(schema)")
            let units = try server.ldapsearch(filter: "(objectClass=organizationalUnit)", attributes: ["1.1"])
            for unit in ["OU=Users,", "OU=ccMail Contacts,"] {
                #expect(units.contains("dn: \(unit)"), "\(units)")
            }
            let users = try server.ldapsearch(
                base: "ou=Users,\(server.suffix)", scope: "one", filter: "(objectClass=*)", attributes: ["1.1"])
            #expect(!users.contains("dn:"), "no fixture entry: \(users)")
            // The delegation of the default template: a contact in the custom recipient container.
            let contact = "cn=Delegated,\(FixtureNames(.exchange2000).contactContainer)"
            let added = try Tool.run(
                "/usr/bin/ldapmodify",
                ["-x", "-H", server.ldapsURL, "-D", server.serviceDN, "-y", server.servicePasswordFile],
                input: "dn: \(contact)\nchangetype: add\nobjectClass: contact\nsn: x\n",
                tls: ["LDAPTLS_CACERT": server.caFile, "LDAPTLS_REQCERT": "demand", "LDAPRC": "ccdirsync-no-ldaprc"])
            #expect(added.status == 0, "\(added.output)")
        }
    }

    private static func ldapsearch(
        _ server: SambaADServer, bindDN: String, passwordFile: String, caFile: String, _ arguments: [String]
    ) throws -> (status: Int32, output: String) {
        try Tool.run(
            "/usr/bin/ldapsearch",
            ["-x", "-H", server.ldapsURL, "-D", bindDN, "-y", passwordFile, "-o", "nettimeout=5", "-LLL"] + arguments,
            tls: ["LDAPTLS_CACERT": caFile, "LDAPTLS_REQCERT": "demand", "LDAPRC": "ccdirsync-no-ldaprc"])
    }
}
