import Foundation
import Testing

@testable import TestSupport

@Suite struct SlapdServerTests {
    @Test(arguments: SchemaFlavour.allCases)
    func startsFromTheFixtureAndTheServiceAccountBinds(flavour: SchemaFlavour) async throws {
        try await withSlapd(SlapdConfiguration(flavour: flavour)) { server in
            let seed = try String(contentsOf: ProjectPaths.seedLDIF(flavour), encoding: .utf8)
            let seeded = seed.split(separator: "\n").filter { $0.hasPrefix("dn:") }.count
            let listed = try server.ldapsearch(attributes: ["1.1"]).split(separator: "\n")
                .filter { $0.hasPrefix("dn:") }.count
            #expect(seeded > 5)
            #expect(listed == seeded + 1, "the seed plus the service account")

            let secret = server.directory.appendingPathComponent("whoami.pw")
            try SlapdServer.writeSecret(server.servicePassword, to: secret)
            let whoami = try ProcessRunner.run(
                "/usr/bin/ldapwhoami", ["-x", "-H", server.url, "-D", server.serviceDN, "-y", secret.path])
            #expect(whoami.status == 0, "\(whoami.output)")
            #expect(whoami.output.lowercased().contains(server.serviceDN.lowercased()))
        }
    }

    @Test func sizeLimitAppliesToTheServiceAccount() async throws {
        try await withSlapd(SlapdConfiguration(flavour: .exchange2000, seed: .suffixOnly, sizeLimit: 10)) { server in
            var ldif = "dn: ou=Many,\(server.suffix)\nobjectClass: organizationalUnit\nou: Many\n\n"
            for index in 0..<25 {
                ldif += "dn: cn=p\(index),ou=Many,\(server.suffix)\nobjectClass: person\ncn: p\(index)\nsn: p\n\n"
            }
            try server.ldapadd(ldif)
            let secret = server.directory.appendingPathComponent("service.pw")
            try SlapdServer.writeSecret(server.servicePassword, to: secret)
            let search = try ProcessRunner.run(
                "/usr/bin/ldapsearch",
                ["-x", "-H", server.url, "-D", server.serviceDN, "-y", secret.path, "-b", "ou=Many,\(server.suffix)"])
            #expect(search.status == 4, "\(search.output)")
            // The admin is not limited.
            let all = try server.ldapsearch(base: "ou=Many,\(server.suffix)", attributes: ["1.1"])
            #expect(all.split(separator: "\n").filter { $0.hasPrefix("dn:") }.count == 26)
        }
    }

    @Test func tlsAnswersWithTheTestCAAndNotWithAnother() async throws {
        try await withSlapd(SlapdConfiguration(flavour: .exchange55, tls: true)) { server in
            let ldaps = try #require(server.ldapsURL)
            let args = ["-x", "-H", ldaps, "-b", "", "-s", "base", "-LLL", "1.1"]
            let trusted = try ProcessRunner.run(
                "/usr/bin/ldapsearch", args,
                environment: ["LDAPTLS_CACERT": try #require(server.caFile), "LDAPTLS_REQCERT": "demand"])
            #expect(trusted.status == 0, "\(trusted.output)")
            let untrusted = try ProcessRunner.run(
                "/usr/bin/ldapsearch", args,
                environment: ["LDAPTLS_CACERT": try #require(server.untrustedCAFile), "LDAPTLS_REQCERT": "demand"])
            #expect(untrusted.status != 0)
        }
    }

    @Test func stopClosesThePortAndRemovesTheDirectory() throws {
        let server = try SlapdServer.start(SlapdConfiguration(flavour: .exchange55, seed: .suffixOnly))
        let directory = server.directory
        let url = server.url
        #expect(FileManager.default.fileExists(atPath: directory.path))
        server.stop()
        server.stop()
        #expect(!FileManager.default.fileExists(atPath: directory.path))
        let probe = try ProcessRunner.run("/usr/bin/ldapsearch", ["-x", "-H", url, "-b", "", "-s", "base"])
        #expect(probe.status != 0)
    }
}
