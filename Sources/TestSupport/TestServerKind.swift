/// Which directory server a test runs against, so one test body covers both (`@Test(arguments:)`).
package enum TestServerKind: String, Sendable, CaseIterable, CustomStringConvertible {
    /// OpenLDAP's slapd with `schemas/<flavour>.schema`.
    case slapd
    /// Samba's Active Directory with `schemas/exchange2000-ad.ldif`; the `exchange2000` flavour only.
    case sambaAD

    package var description: String { rawValue }

    /// Every server a test of `flavour`'s fixture can run against: both for `exchange2000`, slapd for 5.5.
    package static func servers(for flavour: SchemaFlavour) -> [TestServerKind] {
        flavour == .exchange2000 ? allCases : [.slapd]
    }

    /// Starts a server of this kind holding `flavour`'s fixture, runs `body` with it, and stops it on every way
    /// out. slapd is `SlapdConfiguration(flavour:tls:)`'s default; Samba AD is `SambaADConfiguration()`'s, which
    /// always has TLS.
    package func withServer<T>(
        _ flavour: SchemaFlavour = .exchange2000, tls: Bool = false, isolation: isolated (any Actor)? = #isolation,
        _ body: (any TestDirectoryServer) async throws -> T
    ) async throws -> T {
        let server: any TestDirectoryServer
        switch self {
        case .slapd:
            server = try SlapdServer.start(SlapdConfiguration(flavour: flavour, tls: tls))
        case .sambaAD:
            guard flavour == .exchange2000 else {
                throw SlapdError("Samba AD holds the exchange2000 fixture only, not \(flavour)", server: "samba")
            }
            server = try SambaADServer.start()
        }
        defer { server.stop() }
        return try await body(server)
    }
}
