import LDAPClient
import LDAPModel
import TestSupport
import Testing

@Suite struct TLSTests {
    @Test(arguments: fixtureServers)
    func ldapsAndStartTLSWithTheTestCA(flavour: SchemaFlavour, kind: TestServerKind) async throws {
        try await kind.withServer(flavour, tls: true) { server in
            let tls = try #require(server.tls)
            let ldapsURL = tls.ldapsURL
            let caFile = tls.caFile

            let ldaps = try LDAPConnection.open(ConnectionOptions(url: ldapsURL, caFile: caFile))
            try ldaps.bind(dn: server.serviceDN, password: Password(server.servicePassword))
            #expect(try ldaps.read(server.suffixDN) != nil)

            let startTLS = try LDAPConnection.open(ConnectionOptions(url: server.url, startTLS: true, caFile: caFile))
            try startTLS.bind(dn: server.serviceDN, password: Password(server.servicePassword))
            #expect(try startTLS.read(server.suffixDN) != nil)
        }
    }

    @Test(arguments: fixtureServers)
    func requireRefusesACertificateFromAnUnknownCA(flavour: SchemaFlavour, kind: TestServerKind) async throws {
        try await kind.withServer(flavour, tls: true) { server in
            let tls = try #require(server.tls)
            let ldapsURL = tls.ldapsURL
            let otherCA = tls.untrustedCAFile

            let error = try #require(throws: LDAPError.self) {
                _ = try LDAPConnection.open(ConnectionOptions(url: ldapsURL, caFile: otherCA))
            }
            #expect(error.operation == .connect)
            #expect(error.tlsRefusal == .certificateNotAccepted, "a retry meets the same certificate")
            #expect(!error.isUnavailable)
            #expect(error.description.lowercased().contains("certificate"), "\(error)")

            let startTLS = try #require(throws: LDAPError.self) {
                _ = try LDAPConnection.open(ConnectionOptions(url: server.url, startTLS: true, caFile: otherCA))
            }
            #expect(startTLS.operation == .startTLS)
            #expect(startTLS.tlsRefusal == .certificateNotAccepted)
            #expect(startTLS.description.lowercased().contains("certificate"), "\(startTLS)")

            // A server that is simply not there is not blamed on its certificate.
            let down = try #require(throws: LDAPError.self) {
                _ = try LDAPConnection.open(ConnectionOptions(url: "ldaps://127.0.0.1:1", caFile: otherCA))
            }
            #expect(!down.description.lowercased().contains("certificate"), "\(down)")
            #expect(down.tlsRefusal == nil && down.isUnavailable)

            // Turning the check off is possible, but only explicitly.
            let lax = try LDAPConnection.open(
                ConnectionOptions(url: ldapsURL, caFile: otherCA, certificateCheck: .never))
            try lax.bind(dn: server.serviceDN, password: Password(server.servicePassword))
        }
    }

    /// slapd only: AD always offers TLS.
    @Test(arguments: SchemaFlavour.allCases)
    func startTLSAgainstAServerWithoutTLSIsARefusal(flavour: SchemaFlavour) async throws {
        try await withSlapd(SlapdConfiguration(flavour: flavour)) { server in
            let error = try #require(throws: LDAPError.self) {
                _ = try LDAPConnection.open(ConnectionOptions(url: server.url, startTLS: true))
            }
            #expect(error.operation == .startTLS)
            #expect(error.tlsRefusal == .startTLSRefused, "\(error)")
            #expect(!error.isUnavailable, "the server answered; a retry meets the same answer")
        }
    }
}
