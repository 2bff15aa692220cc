import LDAPClient
import LDAPModel
import TestSupport
import Testing

@Suite struct WriteTests {
    @Test(arguments: fixtureServers)
    func valueLevelAddAndDeleteLeaveOtherProxiesAlone(flavour: SchemaFlavour, kind: TestServerKind) async throws {
        try await kind.withServer(flavour) { server in
            let names = FixtureNames(flavour)
            let service = try server.serviceConnection()
            let mailbox = try #require(try mailboxWithProxies(service, names, base: server.suffixDN))
            let before = Set(mailbox.strings(names.proxyAttribute))
            let migrate = names.migrate("Doe, Jane at PO1")

            try service.modify(mailbox.dn, [.add(names.proxyAttribute, migrate)])
            let added = try #require(try service.read(mailbox.dn, attributes: [names.proxyAttribute]))
            #expect(Set(added.strings(names.proxyAttribute)) == before.union([migrate]))

            // The same value again: 20, reported as such, and nothing changes.
            let exists = try #require(throws: LDAPError.self) {
                try service.modify(mailbox.dn, [.add(names.proxyAttribute, migrate)])
            }
            #expect(exists.code == .attributeOrValueExists)
            #expect(exists.operation == .modify)
            #expect(exists.dn == mailbox.dn.description)

            // Deletion compares case-insensitively (caseIgnoreMatch), as Exchange does.
            try service.modify(mailbox.dn, [.delete(names.proxyAttribute, migrate.lowercased())])
            let removed = try #require(try service.read(mailbox.dn, attributes: [names.proxyAttribute]))
            #expect(Set(removed.strings(names.proxyAttribute)) == before)

            let missing = try #require(throws: LDAPError.self) {
                try service.modify(mailbox.dn, [.delete(names.proxyAttribute, migrate)])
            }
            #expect(missing.code == .noSuchAttribute)
            #expect(missing.code.rawValue == 16)
            let after = try #require(try service.read(mailbox.dn, attributes: [names.proxyAttribute]))
            #expect(Set(after.strings(names.proxyAttribute)) == before)
        }
    }

    /// slapd only: AD has no assertion control (`supportsAssertionControl` is false there, checked in
    /// PreconditionTests), so ccdirsync re-reads instead, which PreconditionTests runs on both servers.
    @Test(arguments: SchemaFlavour.allCases)
    func failedAssertionChangesNothing(flavour: SchemaFlavour) async throws {
        try await withSlapd(SlapdConfiguration(flavour: flavour)) { server in
            let names = FixtureNames(flavour)
            let service = try server.serviceConnection()
            #expect(try service.supportsAssertionControl())
            let mailbox = try #require(try mailboxWithProxies(service, names, base: server.suffixDN))
            let before = try #require(try service.read(mailbox.dn))
            let migrate = names.migrate("Doe, Jane at PO1")
            let someProxy = try #require(before.strings(names.proxyAttribute).first)

            let stale = try #require(throws: LDAPError.self) {
                try service.modify(
                    mailbox.dn, [.add(names.proxyAttribute, migrate)],
                    assertion: .equality(names.proxyAttribute, "smtp:nobody@nowhere.example"))
            }
            #expect(stale.code == .assertionFailed)
            #expect(stale.code.rawValue == 122)
            #expect(try service.read(mailbox.dn) == before)

            let staleDelete = try #require(throws: LDAPError.self) {
                try service.delete(mailbox.dn, assertion: .not(.present("objectClass")))
            }
            #expect(staleDelete.code == .assertionFailed)
            #expect(try service.read(mailbox.dn) == before)

            // An assertion that holds lets the write through.
            try service.modify(
                mailbox.dn, [.add(names.proxyAttribute, migrate)],
                assertion: .equality(names.proxyAttribute, someProxy))
            let after = try #require(try service.read(mailbox.dn, attributes: [names.proxyAttribute]))
            #expect(after.strings(names.proxyAttribute).contains(migrate))
        }
    }

    @Test(arguments: fixtureServers)
    func thousandPipelinedModifiesLandAndMatchTheirRequests(flavour: SchemaFlavour, kind: TestServerKind) async throws {
        try await kind.withServer(flavour) { server in
            let admin = try server.adminConnection()
            let container = try server.suffixDN.child(RelativeDistinguishedName(type: "ou", value: "Pipeline"))
            try admin.add(Entry(dn: container, attributes: [Attribute("objectClass", strings: ["organizationalUnit"])]))
            let people = (0..<100).map { container.child(RelativeDistinguishedName(type: "cn", value: "P\($0)")) }
            let creates = people.enumerated().map { index, dn in
                WriteRequest(
                    .add(
                        Entry(
                            dn: dn,
                            attributes: [
                                Attribute("objectClass", strings: [server.personClass]),
                                Attribute("cn", strings: ["P\(index)"]),
                                Attribute("sn", strings: ["\(index)"]),
                            ])))
            }
            #expect(admin.write(creates).allSatisfy { (try? $0.get()) != nil })

            // 1,000 modifies, interleaved across the 100 entries; every 37th repeats the value
            // the previous modify on that entry added, so exactly those must fail with 20.
            var requests: [WriteRequest] = []
            var expectedFailures = Set<Int>()
            var expectedValues: [Int: Set<String>] = [:]
            var lastValue: [Int: String] = [:]
            for index in 0..<1000 {
                let person = (index * 31) % 100
                if index % 37 == 36, let previous = lastValue[person] {
                    expectedFailures.insert(index)
                    requests.append(WriteRequest(.modify(people[person], [.add("description", previous)])))
                } else {
                    let value = "value \(index)"
                    lastValue[person] = value
                    expectedValues[person, default: []].insert(value)
                    requests.append(WriteRequest(.modify(people[person], [.add("description", value)])))
                }
            }
            var calls = [Int](repeating: 0, count: requests.count)
            var sends = [Int](repeating: 0, count: requests.count)
            var resultBeforeSend = false
            let results = admin.write(requests, window: 32) { index in
                sends[index] += 1
                return true
            } onResult: { index, _ in
                resultBeforeSend = resultBeforeSend || sends[index] != 1
                calls[index] += 1
            }
            #expect(calls.allSatisfy { $0 == 1 })
            #expect(sends.allSatisfy { $0 == 1 }, "onSend once per request")
            #expect(!resultBeforeSend, "every result comes after its send")
            #expect(results.count == 1000)
            for (index, result) in results.enumerated() {
                switch result {
                case .success:
                    #expect(!expectedFailures.contains(index), "request \(index) should have failed")
                case .failure(let error):
                    #expect(expectedFailures.contains(index), "request \(index) failed: \(error)")
                    #expect(error.code == .attributeOrValueExists)
                    #expect(error.dn == requests[index].change.dn.description)
                }
            }
            #expect(!expectedFailures.isEmpty)
            for (person, values) in expectedValues {
                let entry = try #require(try admin.read(people[person], attributes: ["description"]))
                #expect(Set(entry.strings("description")) == values)
            }
        }
    }

    @Test(arguments: fixtureServers)
    func pipelineKeepsAddBeforeModifyBeforeDeleteOnOneDN(flavour: SchemaFlavour, kind: TestServerKind) async throws {
        try await kind.withServer(flavour) { server in
            let admin = try server.adminConnection()
            let base = try server.suffixDN
            var requests: [WriteRequest] = []
            for index in 0..<50 {
                let dn = base.child(RelativeDistinguishedName(type: "cn", value: "Chain \(index)"))
                requests.append(
                    WriteRequest(
                        .add(
                            Entry(
                                dn: dn,
                                attributes: [
                                    Attribute("objectClass", strings: [server.personClass]),
                                    Attribute("cn", strings: ["Chain \(index)"]), Attribute("sn", strings: ["c"]),
                                ]))))
                requests.append(WriteRequest(.modify(dn, [.add("description", "one")])))
                requests.append(WriteRequest(.modify(dn, [.add("description", "two")])))
                if index % 2 == 0 { requests.append(WriteRequest(.delete(dn))) }
            }
            let results = admin.write(requests, window: 16)
            for (index, result) in results.enumerated() {
                #expect((try? result.get()) != nil, "request \(index): \(result)")
            }
            for index in 0..<50 {
                let dn = base.child(RelativeDistinguishedName(type: "cn", value: "Chain \(index)"))
                let entry = try admin.read(dn, attributes: ["description"])
                if index % 2 == 0 {
                    #expect(entry == nil)
                } else {
                    #expect(Set(entry?.strings("description") ?? []) == ["one", "two"])
                }
            }
        }
    }
}
