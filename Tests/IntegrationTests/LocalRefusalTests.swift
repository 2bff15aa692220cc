import LDAPClient
import LDAPModel
import TestSupport
import Testing

/// Requests libldap or ccdirsync refuse before anything is sent: the error says why, in its own words, and never
/// with the text an earlier operation left on the connection.
@Suite struct LocalRefusalTests {
    /// A connection whose last result carried a server diagnostic, and the entry that result refused.
    static func connectionAfterARefusal(_ server: SlapdServer) throws -> (LDAPConnection, DistinguishedName) {
        let admin = try server.adminConnection()
        let dn = try server.suffixDN.child(RelativeDistinguishedName(type: "cn", value: "Undo Contact"))
        let refused = try #require(throws: LDAPError.self) {
            try admin.add(Entry(dn: dn, attributes: [Attribute("objectClass", strings: ["person"])]))
        }
        #expect(refused.code == .objectClassViolation)
        #expect(refused.diagnosticMessage?.contains("requires attribute") == true, "\(refused)")
        return (admin, dn)
    }

    @Test("an attribute without values is refused before it is sent, naming the attribute", arguments: [false, true])
    func attributeWithoutValues(asModify: Bool) async throws {
        try await withSlapd(SlapdConfiguration(flavour: .exchange2000, seed: .suffixOnly)) { server in
            let (admin, dn) = try Self.connectionAfterARefusal(server)
            let person = [
                Attribute("objectClass", strings: ["person"]), Attribute("cn", strings: ["Undo Contact"]),
                Attribute("sn", strings: ["Contact"]),
            ]
            let request: WriteRequest
            if asModify {
                try admin.add(Entry(dn: dn, attributes: person))
                request = WriteRequest(.modify(dn, [.add("description", values: [])]))
            } else {
                request = WriteRequest(.add(Entry(dn: dn, attributes: person + [Attribute("description", values: [])])))
            }
            var errors = [try #require(throws: LDAPError.self) { try admin.perform(request) }]
            if case .failure(let error) = admin.write([request]).first {
                errors.append(error)
            }
            #expect(errors.count == 2, "the pipelined write is refused too")
            for error in errors {
                #expect(error.code == .paramError, "\(error)")
                #expect(error.dn == dn.description)
                #expect(error.diagnosticMessage?.contains("'description' has no values") == true, "\(error)")
                #expect(error.diagnosticMessage?.contains("requires attribute") == false, "\(error)")
            }
            let entry = try admin.read(dn)
            #expect(entry == nil || entry?.values("description").isEmpty == true, "nothing was written")
        }
    }

    @Test("a request libldap refuses itself reports libldap's error, not the last server text")
    func libldapRefusal() async throws {
        try await withSlapd(SlapdConfiguration(flavour: .exchange2000, seed: .suffixOnly)) { server in
            let (admin, _) = try Self.connectionAfterARefusal(server)
            // `(=*)` has no attribute: libldap cannot encode the filter and sends nothing.
            let error = try #require(throws: LDAPError.self) {
                _ = try admin.searchAll(base: try server.suffixDN, filter: .present(""))
            }
            #expect(error.code == .filterError, "\(error)")
            #expect(error.diagnosticMessage?.contains("requires attribute") == false, "\(error)")
            #expect(error.matchedDN == nil)
        }
    }
}
