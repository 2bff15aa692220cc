import Foundation
import TestSupport
import Testing

/// The fault suite's proxy: forwards, loses answers, refuses, cuts.
@Suite struct LoopbackProxyTests {
    static func whoami(_ url: String, _ server: SlapdServer) throws -> (status: Int32, output: String) {
        try Tool.run(
            "/usr/bin/ldapwhoami",
            ["-x", "-H", url, "-D", server.adminDN, "-y", server.adminPasswordFile, "-o", "nettimeout=2"])
    }

    @Test("forwards both ways, loses answers, refuses new connections, cuts open ones")
    func modes() async throws {
        try await withSlapd(SlapdConfiguration(flavour: .exchange55, seed: .suffixOnly)) { server in
            let proxy = try LoopbackProxy(targetPort: server.port)
            defer { proxy.stop() }

            let forwarded = try Self.whoami(proxy.url, server)
            #expect(forwarded.status == 0, "\(forwarded.output)")
            #expect(forwarded.output.lowercased().contains("dn:\(server.adminDN.lowercased())"))
            #expect(proxy.requestBytes > 0 && proxy.answerBytes > 0)

            // The bind reaches the server and is answered, but the answer never reaches the client, which waits
            // until the proxy cuts the connection.
            proxy.mode = .loseAnswers
            let answered = proxy.answerBytes
            let cut = Thread {
                // Cut once the answer was thrown away (polled, so a slow start of the tool does not hang the test).
                for _ in 0..<100 where proxy.answerBytes == answered {
                    Thread.sleep(forTimeInterval: 0.1)
                }
                Thread.sleep(forTimeInterval: 0.3)
                proxy.dropConnections()
            }
            cut.start()
            let lost = try Self.whoami(proxy.url, server)
            #expect(lost.status != 0, "\(lost.output)")
            #expect(proxy.answerBytes > answered, "the server answered; the proxy threw the answer away")

            proxy.mode = .refuse
            let refused = try Self.whoami(proxy.url, server)
            #expect(refused.status != 0, "\(refused.output)")

            proxy.mode = .forward
            #expect(try Self.whoami(proxy.url, server).status == 0)
            proxy.dropConnections()
            #expect(try Self.whoami(proxy.url, server).status == 0, "new connections work after a cut")
        }
    }
}
