import LDAPClient
import LDAPModel
import TestSupport
import Testing

@Suite struct BindAndSearchTests {
    @Test(arguments: fixtureServers)
    func goodBindAndBadPassword(flavour: SchemaFlavour, kind: TestServerKind) async throws {
        try await kind.withServer(flavour) { server in
            let good = try server.openConnection()
            try good.bind(dn: server.serviceDN, password: Password(server.servicePassword))
            #expect(try good.read(server.suffixDN) != nil)

            let wrong = "Wr0ng-\(server.servicePassword)-Pw"
            let bad = try server.openConnection()
            let error = try #require(throws: LDAPError.self) {
                try bad.bind(dn: server.serviceDN, password: Password(wrong))
            }
            #expect(error.code == .invalidCredentials)
            #expect(error.code.rawValue == 49)
            #expect(error.operation == .bind)
            #expect(error.dn == server.serviceDN)
            #expect(!error.isUnavailable)
            #expect(!error.description.contains(wrong))
            #expect(!error.description.contains(server.servicePassword))
            #expect(error.description.contains("49 invalidCredentials"))
        }
    }

    @Test func unreachableServerIsUnavailableNotRefused() throws {
        // Port 1 on loopback: nothing listens there.
        let error = try #require(throws: LDAPError.self) {
            _ = try LDAPConnection.open(ConnectionOptions(url: "ldap://127.0.0.1:1", networkTimeout: .seconds(2)))
        }
        #expect(error.operation == .connect)
        #expect(error.isUnavailable)
        #expect(error.code == .serverDown || error.code == .connectError)
        #expect(error.description.contains("127.0.0.1:1"))
    }

    @Test(arguments: TestServerKind.allCases)
    func lostConnectionIsUnavailableForEveryPendingWrite(kind: TestServerKind) async throws {
        try await kind.withServer(.exchange2000) { server in
            let admin = try server.adminConnection()
            let base = try server.suffixDN
            server.stop()
            let requests = (0..<10).map { WriteRequest(.modify(base, [.add("description", "after stop \($0)")])) }
            let results = admin.write(requests, window: 4)
            #expect(results.count == 10)
            for (index, result) in results.enumerated() {
                guard case .failure(let error) = result else {
                    Issue.record("a write succeeded on a stopped server")
                    continue
                }
                #expect(error.isUnavailable, "\(error)")
                #expect(error.operation == .modify)
                #expect(error.dn == requests[index].change.dn.description)
            }
            let search = try #require(throws: LDAPError.self) { _ = try admin.read(base) }
            #expect(search.isUnavailable)
        }
    }

    /// slapd only: it needs a server-side size limit for the service account (`sizeLimit: 500`); Samba keeps
    /// none for paged searches (it ignores MaxPageSize). The client's own maximum is tested on Samba in
    /// SambaADClientTests.
    @Test(arguments: SchemaFlavour.allCases)
    func pagedSearchGoesPastTheServerSizeLimit(flavour: SchemaFlavour) async throws {
        try await withSlapd(SlapdConfiguration(flavour: flavour, sizeLimit: 500)) { server in
            let bulk = try server.suffixDN.child(RelativeDistinguishedName(type: "ou", value: "Bulk"))
            let admin = try server.adminConnection()
            try admin.add(Entry(dn: bulk, attributes: [Attribute("objectClass", strings: ["organizationalUnit"])]))
            let adds = (0..<5000).map { index in
                WriteRequest(
                    .add(
                        Entry(
                            dn: bulk.child(RelativeDistinguishedName(type: "cn", value: "Person \(index)")),
                            attributes: [
                                Attribute("objectClass", strings: ["person"]),
                                Attribute("cn", strings: ["Person \(index)"]),
                                Attribute("sn", strings: ["\(index)"]),
                            ])))
            }
            let created = admin.write(adds, window: 64)
            #expect(created.allSatisfy { (try? $0.get()) != nil })

            let service = try server.serviceConnection()
            // Without paging the server's limit of 500 applies to the service account.
            let limited = try #require(throws: LDAPError.self) {
                _ = try service.searchAll(base: bulk, scope: .oneLevel, attributes: ["cn"], pageSize: nil)
            }
            #expect(limited.code == .sizeLimitExceeded)

            var pages: [Int] = []
            var names = Set<String>()
            try service.search(base: bulk, scope: .oneLevel, attributes: ["cn"], pageSize: 100) { page in
                pages.append(page.count)
                for entry in page { names.formUnion(entry.strings("cn")) }
            }
            #expect(names.count == 5000)
            #expect(pages.reduce(0, +) == 5000)
            #expect(pages.count >= 50)
            #expect(pages.allSatisfy { $0 <= 100 })

            // A client-side maximum turns into a clear error, not a silent truncation.
            let capped = try #require(throws: LDAPError.self) {
                _ = try service.searchAll(base: bulk, scope: .oneLevel, pageSize: 100, sizeLimit: 1000)
            }
            #expect(capped.code == .sizeLimitExceeded)
        }
    }

    /// The client's maximum holds on every page, the last one too: a server that ignores the size limit the client
    /// asks for (Samba, which ignores the page size as well) and sends more entries with no page to follow must not
    /// slip past it. The proxy plays that server: slapd behind it gets every search with no size limit.
    @Test(arguments: [2, 4, 500])
    func maximumHoldsOnEveryPage(pageSize: Int) async throws {
        try await withSlapd(SlapdConfiguration(flavour: .exchange2000, seed: .suffixOnly)) { server in
            let unit = try server.suffixDN.child(RelativeDistinguishedName(type: "ou", value: "Maximum"))
            let admin = try server.adminConnection()
            try admin.add(Entry(dn: unit, attributes: [Attribute("objectClass", strings: ["organizationalUnit"])]))
            for index in 0..<6 {
                try admin.add(
                    Entry(
                        dn: unit.child(RelativeDistinguishedName(type: "cn", value: "Person \(index)")),
                        attributes: [
                            Attribute("objectClass", strings: ["person"]),
                            Attribute("cn", strings: ["Person \(index)"]),
                            Attribute("sn", strings: ["\(index)"]),
                        ]))
            }
            let proxy = try LoopbackProxy(targetPort: server.port)
            defer { proxy.stop() }
            proxy.clearsSizeLimits = true
            let service = try LDAPConnection.open(ConnectionOptions(url: proxy.url))
            try service.bind(dn: server.serviceDN, password: Password(server.servicePassword))
            let error = try #require(throws: LDAPError.self) {
                _ = try service.searchAll(
                    base: unit, scope: .oneLevel, attributes: ["cn"], pageSize: pageSize, sizeLimit: 5)
            }
            #expect(error.code == .sizeLimitExceeded, "\(error)")
            #expect(error.diagnosticMessage?.contains("maximum of 5 entries") == true, "the client's limit: \(error)")
            // With room for all six, the read is whole.
            let all = try service.searchAll(
                base: unit, scope: .oneLevel, attributes: ["cn"], pageSize: pageSize, sizeLimit: 7)
            #expect(all.count == 6)
        }
    }

    @Test(arguments: fixtureServers)
    func searchAsksOnlyForTheNamedAttributes(flavour: SchemaFlavour, kind: TestServerKind) async throws {
        try await kind.withServer(flavour) { server in
            let names = FixtureNames(flavour)
            let service = try server.serviceConnection()
            let entries = try service.searchAll(
                base: server.suffixDN, filter: .present(names.proxyAttribute), attributes: [names.proxyAttribute])
            #expect(!entries.isEmpty)
            for entry in entries {
                #expect(entry.attributes.map { $0.name.lowercased() } == [names.proxyAttribute.lowercased()])
            }
        }
    }

    /// The selected read gives, for every entry, what the entry read gives through `AttributeSelection.select`:
    /// names matched without case, absent attributes empty, values that are not UTF-8 left out, unselected
    /// attributes ignored, and several pages joined in order (on slapd: Samba ignores the page size).
    ///
    /// AD's `cn` is single-valued and its `userPassword` takes no arbitrary bytes: there a multi-valued text
    /// attribute (`otherTelephone`) and an octet string (`userCertificate`) of a contact play their parts.
    @Test(arguments: fixtureServers)
    func selectedSearchGivesWhatEntriesGive(flavour: SchemaFlavour, kind: TestServerKind) async throws {
        try await kind.withServer(flavour) { server in
            let multiValued = server.kind == .sambaAD ? "otherTelephone" : "cn"
            let binary = server.kind == .sambaAD ? "userCertificate" : "userPassword"
            let unit = try server.suffixDN.child(RelativeDistinguishedName(type: "ou", value: "Selected"))
            let admin = try server.adminConnection()
            try admin.add(Entry(dn: unit, attributes: [Attribute("objectClass", strings: ["organizationalUnit"])]))
            let adds = (0..<30).map { index in
                var entry = Entry(
                    dn: unit.child(RelativeDistinguishedName(type: "cn", value: "Person \(index)")),
                    attributes: [
                        Attribute("objectClass", strings: [server.personClass]),
                        Attribute("sn", strings: ["Surname \(index)"]),
                        Attribute(
                            binary, values: index.isMultiple(of: 3) ? [[0xFF, 0xFE], Array("ok".utf8)] : [[0x41]]),
                    ] + (index.isMultiple(of: 2) ? [Attribute("description", strings: ["even"])] : []))
                entry.add(multiValued, strings: ["Person \(index)", "Zoë \(index)"])
                if multiValued != "cn" { entry.add("cn", strings: ["Person \(index)"]) }
                return WriteRequest(.add(entry))
            }
            #expect(admin.write(adds, window: 8).allSatisfy { (try? $0.get()) != nil })

            let selection = AttributeSelection(["SN", multiValued, binary, "telephoneNumber", "DESCRIPTION"])
            var selected: [SelectedEntry] = []
            try admin.search(
                base: unit, scope: .oneLevel, filter: .present("objectClass"), selecting: selection, pageSize: 7
            ) {
                selected.append(contentsOf: $0)
            }
            let entries = try admin.searchAll(
                base: unit, scope: .oneLevel, attributes: selection.names, pageSize: 7)
            #expect(selected.count == 30)
            #expect(selected == entries.map(selection.select))

            let third = try #require(selected.first { $0.dn.rdn?.value == "Person 3" })
            #expect(third[0] == ["Surname 3"])
            #expect(Set(third[1]) == ["Person 3", "Zoë 3"])
            #expect(third[2] == ["ok"])
            #expect(third[3] == [])
            #expect(third[4] == [])
            let fourth = try #require(selected.first { $0.dn.rdn?.value == "Person 4" })
            #expect(fourth[2] == ["A"])
            #expect(fourth[4] == ["even"])
            #expect(fourth[nil] == [] && fourth[9] == [])

            // DNs as text only: the same values and DN text, the DN itself not parsed.
            var textOnly: [SelectedEntry] = []
            try admin.search(
                base: unit, scope: .oneLevel, filter: .present("objectClass"),
                selecting: AttributeSelection(selection.names, dnTextOnly: true), pageSize: 7
            ) {
                textOnly.append(contentsOf: $0)
            }
            #expect(textOnly.map(\.values) == selected.map(\.values))
            #expect(textOnly.map(\.dnText) == selected.map(\.dnText))
            #expect(textOnly.allSatisfy { $0.dn == .root })
            #expect(try selected.allSatisfy { try DistinguishedName(parsing: $0.dnText) == $0.dn })
        }
    }
}
