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

@Suite struct LDAPMessageSplitterTests {
    /// An LDAP message: SEQUENCE { messageID INTEGER, protocolOp [APPLICATION tag] … } with `body` as the operation.
    static func message(id: UInt8, operation: UInt8, body: [UInt8]) -> [UInt8] {
        let inner = [0x02, 0x01, id, operation, UInt8(body.count)] + body
        return [0x30, UInt8(inner.count)] + inner
    }

    @Test("write requests are counted once each, however the stream is cut")
    func countsWritesAcrossChunks() {
        let stream =
            Self.message(id: 1, operation: 0x60, body: [0x02, 0x01, 0x03])  // bind
            + Self.message(id: 2, operation: 0x66, body: Array(repeating: 0x41, count: 40))  // modify
            + Self.message(id: 3, operation: 0x63, body: [0x04, 0x00])  // search
            + Self.message(id: 4, operation: 0x4A, body: Array("cn=x".utf8))  // delete
        for cut in 1..<stream.count {
            var splitter = LDAPMessageSplitter()
            let writes = splitter.writes(in: stream[..<cut]) + splitter.writes(in: stream[cut...])
            #expect(writes == 2, "cut at \(cut)")
        }
        var bytewise = LDAPMessageSplitter()
        #expect(stream.indices.map { bytewise.writes(in: stream[$0...$0]) }.reduce(0, +) == 2)
    }
}
