import Testing

@testable import Config

@Suite("ldap.url")
struct LDAPEndpointTests {
    @Test(
        "accepted URLs",
        arguments: [
            ("ldap://127.0.0.1:3890", false, "127.0.0.1", 3890),
            ("ldaps://dc1.example.org", true, "dc1.example.org", nil),
            ("LDAPS://DC1.example.org:636/", true, "DC1.example.org", 636),
            ("ldap://[::1]:389", false, "[::1]", 389),
            ("ldap://ex_55-host", false, "ex_55-host", nil),
        ] as [(String, Bool, String, Int?)])
    func accepted(url: String, secure: Bool, host: String, port: Int?) throws {
        let endpoint = try #require(LDAPEndpoint(url))
        #expect(endpoint.isLDAPS == secure)
        #expect(endpoint.host == host)
        #expect(endpoint.port == port)
    }

    @Test(
        "refused URLs",
        arguments: [
            "http://host", "ldapi:///var/run/slapd.sock", "ldap://", "ldap://:389", "ldap://host:", "ldap://host:0",
            "ldap://host:65536", "ldap://host:+389", "ldap://user@host", "ldap://host/o=Org", "ldap://host?x",
            "ldap://[::1", "ldap://[::1]x", "ldap://[]", "ldap://ho st", "host:389",
        ])
    func refused(url: String) {
        #expect(LDAPEndpoint(url) == nil)
    }
}
