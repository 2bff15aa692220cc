import LDAPClient
import LDAPModel
import TestSupport
import Testing

/// Pipelined lookups (`LDAPConnection.lookup`) against a real slapd and Samba AD: the same answers as one search at a time,
/// each matched to its request; the size limit gives a truncated answer; other failures throw.
@Suite struct LookupTests {
    @Test(
        "hundreds of pipelined lookups each get exactly the answer a lone search gets",
        arguments: fixtureServers)
    func pipelinedEqualsSequential(flavour: SchemaFlavour, kind: TestServerKind) async throws {
        try await kind.withServer(flavour) { server in
            let names = FixtureNames(flavour)
            let connection = try server.serviceConnection()
            let base = try server.suffixDN
            // Every proxy value of the directory, plus values nobody has, each looked up several times over.
            let values = try connection.searchAll(base: base, filter: .present(names.proxyAttribute))
                .flatMap { $0.strings(names.proxyAttribute) }
            #expect(values.count > 20)
            var requests: [LookupRequest] = []
            for round in 0..<8 {
                for value in values {
                    requests.append(
                        LookupRequest(
                            base: base, filter: .equality(names.proxyAttribute, value), attributes: ["objectClass"]))
                }
                requests.append(
                    LookupRequest(
                        base: base,
                        filter: .equality(names.proxyAttribute, "SMTP\(names.proxySeparator)nobody\(round)"),
                        attributes: ["objectClass"]))
            }
            var answers = [LookupAnswer<Entry>?](repeating: nil, count: requests.count)
            try connection.lookup(requests, window: 32) { index, answer in
                #expect(answers[index] == nil, "one answer per request")
                answers[index] = answer
            }
            for (index, request) in requests.enumerated() {
                let alone = try connection.searchAll(
                    base: base, filter: request.filter, attributes: ["objectClass"], pageSize: nil)
                let answer = try #require(answers[index])
                #expect(!answer.truncated)
                #expect(answer.entries.map(\.dn.normalized).sorted() == alone.map(\.dn.normalized).sorted())
            }
            #expect(answers.filter { $0?.entries.isEmpty == true }.count == 8)
        }
    }

    @Test(
        "a lookup that reaches the size limit is truncated, not an error; a bad base throws",
        arguments: TestServerKind.allCases)
    func limitsAndFailures(kind: TestServerKind) async throws {
        try await kind.withServer(.exchange2000) { server in
            let connection = try server.serviceConnection()
            let base = try server.suffixDN
            let everything = LookupRequest(base: base, filter: .present("objectClass"), attributes: ["objectClass"])
            var answer: LookupAnswer<Entry>?
            try connection.lookup([everything], sizeLimit: 3) { _, result in answer = result }
            #expect(answer?.truncated == true)
            #expect(answer?.entries.count == 3)
            let missing = try DistinguishedName(parsing: "ou=Nowhere,dc=example,dc=org")
            let bad = LookupRequest(base: missing, filter: .present("objectClass"), attributes: ["objectClass"])
            #expect {
                try connection.lookup(Array(repeating: everything, count: 10) + [bad], sizeLimit: 3) { _, _ in }
            } throws: { error in
                (error as? LDAPError)?.code == .noSuchObject
                    && (error as? LDAPError)?.dn == "ou=Nowhere,dc=example,dc=org"
            }
        }
    }
}
