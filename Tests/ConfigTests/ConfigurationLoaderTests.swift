import CCMail
import Foundation
import Testing

@testable import Config

@Suite("Configuration loader")
struct ConfigurationLoaderTests {
    /// The example of the product issue, verbatim.
    static let example = """
        version: 1
        profile: exchange55                 # or exchange2000
        ldap: {url: ldap://127.0.0.1:3890, bindDN: "cn=admin,o=Org", passwordFile: secret.txt, tls: {mode: none, caFile: ca.pem, verify: true}, baseDN: "ou=Site,o=Org", pageSize: 500}   # tls.mode: none | starttls | ldaps
        ccmail:
          codepage: CP850
          exports: [{postOffice: PO1, path: po1.exp}, {postOffice: PO2, path: po2.exp}]
          gateways: {INTERNET: ccmail}      # or smtp
          excludePostOffices: []
        exchange: {customRecipientContainer: "cn=ccMail Users,ou=Site,o=Org", displayName: "{given} {sur}", mailTemplate: "{alias}@org.example", x400Template: "c=US;a= ;p=Org;o=Site;s={sur};g={given}"}
        match: {mappingFile: mapping.csv, byName: suggest}   # byName: apply lets name matches write
        policy: {onMissing: delete, retireOnMatch: false}    # onMissing: hide
        thresholds: {deletes: {count: 50, percent: 20}, modifies: {count: 5000, percent: 50}, creates: {count: 5000, percent: 100}}
        state: {directory: state}
        """

    static func load(_ yaml: String) throws(ConfigurationError) -> Configuration {
        try ConfigurationLoader.load(yaml: yaml, file: "/etc/ccdirsync/ccdirsync.yaml")
    }

    @Test("the example of the issue loads with every value and resolved paths")
    func example() throws {
        let configuration = try Self.load(Self.example)
        #expect(configuration.profile == .exchange55)
        #expect(configuration.ldap.url == "ldap://127.0.0.1:3890")
        #expect(configuration.ldap.bindDN.description == "cn=admin,o=Org")
        #expect(
            configuration.ldap.password
                == .file(ConfigPath(declaredPath: "secret.txt", resolvedPath: "/etc/ccdirsync/secret.txt")))
        #expect(configuration.ldap.tls.mode == .none)
        #expect(configuration.ldap.tls.modeIsExplicit)
        #expect(configuration.ldap.tls.caFile?.resolvedPath == "/etc/ccdirsync/ca.pem")
        #expect(configuration.ldap.tls.verify)
        #expect(configuration.ldap.baseDN.description == "ou=Site,o=Org")
        #expect(configuration.ldap.pageSize == 500)
        #expect(configuration.ccmail.codePage == .cp850)
        #expect(configuration.ccmail.exports.map(\.postOffice) == ["PO1", "PO2"])
        #expect(
            configuration.ccmail.exports.map(\.path.resolvedPath) == [
                "/etc/ccdirsync/po1.exp", "/etc/ccdirsync/po2.exp",
            ])
        #expect(configuration.ccmail.exports.map(\.path.declaredPath) == ["po1.exp", "po2.exp"])
        #expect(configuration.ccmail.gateways == ["INTERNET": .ccMail])
        #expect(configuration.ccmail.excludePostOffices.isEmpty)
        #expect(configuration.exchange.customRecipientContainer.description == "cn=ccMail Users,ou=Site,o=Org")
        #expect(configuration.exchange.displayNameTemplate == "{given} {sur}")
        #expect(configuration.exchange.mailTemplate == "{alias}@org.example")
        #expect(configuration.match.mappingFile?.resolvedPath == "/etc/ccdirsync/mapping.csv")
        #expect(configuration.match.byName == .suggest)
        #expect(configuration.policy == PolicySettings(onMissing: .delete, retireOnMatch: false))
        #expect(configuration.thresholds.deletes == .init(count: 50, percent: 20))
        #expect(configuration.thresholds.modifies == .init(count: 5000, percent: 50))
        #expect(configuration.thresholds.creates == .init(count: 5000, percent: 100))
        #expect(configuration.state.directory.resolvedPath == "/etc/ccdirsync/state")
    }

    static let minimal = """
        version: 1
        profile: exchange2000
        ldap:
          url: ldaps://dc1.example.org
          bindDN: "CN=svc-ccdirsync,OU=Service,DC=example,DC=org"
          passwordEnv: CCDIRSYNC_PASSWORD
          baseDN: "DC=example,DC=org"
        ccmail:
          exports:
            - {postOffice: LONDON, path: /data/london.exp, codepage: CP1252}
        exchange:
          customRecipientContainer: "OU=ccMail,DC=example,DC=org"
        """

    @Test("defaults when optional keys are absent; passwordEnv; ldaps implies mode ldaps")
    func defaults() throws {
        let configuration = try Self.load(Self.minimal)
        #expect(configuration.ldap.password == .environment("CCDIRSYNC_PASSWORD"))
        #expect(configuration.ldap.tls.mode == .ldaps)
        #expect(!configuration.ldap.tls.modeIsExplicit)
        #expect(configuration.ldap.tls.verify)
        #expect(configuration.ldap.pageSize == 500)
        #expect(configuration.ldap.timeoutSeconds == 30)
        #expect(configuration.ccmail.codePage == .cp437)
        #expect(configuration.ccmail.exports.first?.codePage == .cp1252)
        #expect(configuration.ccmail.exports.first?.path.resolvedPath == "/data/london.exp")
        #expect(configuration.ccmail.maxExportBytes == 512 * 1024 * 1024)
        #expect(configuration.exchange.aliasTemplate == "{given1}{sur}")
        #expect(configuration.match == MatchSettings())
        #expect(configuration.policy == PolicySettings())
        #expect(configuration.thresholds == Thresholds())
        #expect(configuration.state.directory.resolvedPath == "/etc/ccdirsync/state")
    }

    @Test("an ldap:// URL without tls defaults to starttls")
    func startTLSDefault() throws {
        let yaml = Self.minimal.replacingOccurrences(of: "ldaps://dc1.example.org", with: "ldap://dc1.example.org:389")
        #expect(try Self.load(yaml).ldap.tls.mode == .starttls)
    }

    /// (what to change in the example, the expected `keyPath: message`).
    static let invalid: [(String, String, String)] = [
        ("percent: 20", "percent: twenty", "thresholds.deletes.percent: expected a number"),
        ("count: 50", "count: -1", "thresholds.deletes.count: must be at least 0"),
        ("thresholds:", "tresholds:", "tresholds: unknown key; did you mean thresholds?"),
        ("version: 1", "version: 2", "version: this ccdirsync reads version 1"),
        (
            "profile: exchange55 ", "profile: exchange2003 ",
            "profile: expected one of exchange55, exchange2000, not 'exchange2003'"
        ),
        (
            "url: ldap://127.0.0.1:3890", "url: http://127.0.0.1",
            "ldap.url: expected ldap://host[:port] or ldaps://host[:port], not 'http://127.0.0.1'"
        ),
        ("bindDN: \"cn=admin,o=Org\"", "bindDN: \"cn=admin,,o=Org\"", "ldap.bindDN: not a DN"),
        ("mode: none", "mode: plain", "ldap.tls.mode: expected one of none, starttls, ldaps, not 'plain'"),
        ("mode: none", "mode: ldaps", "ldap.tls.mode: mode ldaps needs an ldaps:// URL (or use starttls)"),
        ("verify: true", "verify: maybe", "ldap.tls.verify: expected true or false"),
        ("pageSize: 500", "pageSize: 0", "ldap.pageSize: must be between 1 and 10000"),
        ("codepage: CP850", "codepage: EBCDIC", "ccmail.codepage: unknown code page 'EBCDIC'"),
        (
            "{postOffice: PO2, path: po2.exp}", "{postOffice: po1, path: po2.exp}",
            "ccmail.exports[1].postOffice: post office po1 is already exported by ccmail.exports[0]"
        ),
        ("{postOffice: PO2, path: po2.exp}", "{postOffice: PO2}", "ccmail.exports[1].path: required"),
        (
            "{postOffice: PO2, path: po2.exp}", "{postOffice: PO2, path: po2.exp, codpage: CP850}",
            "ccmail.exports[1].codpage: unknown key; did you mean codepage?"
        ),
        ("INTERNET: ccmail", "INTERNET: x400", "ccmail.gateways.INTERNET: expected one of ccmail, smtp, not 'x400'"),
        (
            "cn=ccMail Users,ou=Site,o=Org", "cn=ccMail Users,ou=Other,o=Org",
            "exchange.customRecipientContainer: must be below ldap.baseDN (ou=Site,o=Org)"
        ),
        (
            "displayName: \"{given} {sur}\"", "displayName: \"{first} {sur}\"",
            "exchange.displayName: unknown placeholder {first}"
        ),
        ("displayName: \"{given} {sur}\"", "displayName: \"{given {sur}\"", "exchange.displayName: unbalanced brace"),
        ("mailTemplate: \"{alias}@org.example\", ", "", "exchange.mailTemplate: required by profile exchange55"),
        ("byName: suggest", "byName: always", "match.byName: expected one of suggest, apply, off, not 'always'"),
        ("onMissing: delete", "onMissing: shred", "policy.onMissing: expected one of delete, hide, not 'shred'"),
        ("retireOnMatch: false", "retireOnMatch: 0.5", "policy.retireOnMatch: expected true or false"),
        ("passwordFile: secret.txt, ", "", "ldap.passwordFile: required (or ldap.passwordEnv)"),
        (
            "passwordFile: secret.txt, ", "passwordFile: secret.txt, passwordEnv: PW, ",
            "ldap.passwordEnv: give passwordFile or passwordEnv, not both"
        ),
        ("state: {directory: state}", "state: [state]", "state: expected a mapping"),
        (
            "exports: [{postOffice: PO1, path: po1.exp}, {postOffice: PO2, path: po2.exp}]", "exports: []",
            "ccmail.exports: name at least one export"
        ),
    ]

    @Test("invalid configs name the key path and say what is wrong", arguments: invalid)
    func invalidConfigs(from: String, to: String, expected: String) throws {
        #expect(Self.example.contains(from), "the test's search text must be in the example")
        let yaml = Self.example.replacingOccurrences(of: from, with: to)
        let error = try #require(throws: ConfigurationError.self) { try Self.load(yaml) }
        let text = "\(error.keyPath): \(error.message)"
        #expect(text.hasPrefix(expected), "got \(error)")
    }

    @Test("errors carry the line of the bad key")
    func lines() throws {
        let yaml = Self.example.replacingOccurrences(of: "onMissing: delete", with: "onMissing: shred")
        let error = try #require(throws: ConfigurationError.self) { try Self.load(yaml) }
        #expect(error.line == 11)
        #expect(error.description.hasPrefix("/etc/ccdirsync/ccdirsync.yaml:11: policy.onMissing: "))
        let block = "version: 1\nprofile: exchange2000\nldap:\n  url: ldap://h\n  pageSize: many\n"
        let blockError = try #require(throws: ConfigurationError.self) { try Self.load(block) }
        #expect(blockError.keyPath == "ldap.bindDN" || blockError.keyPath == "ldap.pageSize")
    }

    @Test("YAML syntax errors and missing files name the file")
    func syntax() throws {
        let error = try #require(throws: ConfigurationError.self) { try Self.load("version: 1\nldap: {url: [\n") }
        #expect(error.message.hasPrefix("not valid YAML"))
        #expect(error.line != nil)
        let missing = try #require(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(file: "/nonexistent/ccdirsync.yaml")
        }
        #expect(missing.description == "/nonexistent/ccdirsync.yaml: no such file")
    }

    @Test("the JSON Schema declares exactly the keys the loader accepts")
    func schemaMatchesLoader() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("schemas/config.schema.json")
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var paths = Set<String>()
        func walk(_ node: [String: Any], _ prefix: String) {
            if let properties = node["properties"] as? [String: Any] {
                for (key, value) in properties {
                    let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                    paths.insert(path)
                    if let child = value as? [String: Any] {
                        walk(child, path)
                    }
                }
            }
            if let items = node["items"] as? [String: Any] {
                walk(items, prefix + "[]")
            }
            if let additional = node["additionalProperties"] as? [String: Any] {
                paths.insert(prefix + ".*")
                walk(additional, prefix + ".*")
            }
        }
        walk(schema, "")
        #expect(
            paths == ConfigurationLoader.knownKeyPaths,
            "\(paths.symmetricDifference(ConfigurationLoader.knownKeyPaths))")
    }
}
