import Foundation
import Testing

@testable import Config

/// One edit of the issue's example and the error it must produce.
struct InvalidCase: Sendable, CustomTestStringConvertible {
    var from: String
    var to: String
    var keyPath: String
    var message: String
    var line: Int?

    init(_ from: String, _ to: String, _ keyPath: String, _ message: String, line: Int?) {
        self.from = from
        self.to = to
        self.keyPath = keyPath
        self.message = message
        self.line = line
    }

    var testDescription: String { "\(keyPath): \(message)" }
}

@Suite("Configuration loader: invalid files")
struct InvalidConfigurationTests {
    static let cases: [InvalidCase] = [
        // version and profile
        .init("version: 1", "version: 2", "version", "this ccdirsync reads version 1", line: 1),
        .init("version: 1", "version: one", "version", "this ccdirsync reads version 1", line: 1),
        .init("version: 1\n", "", "version", "required", line: 1),
        .init(
            "profile: exchange55 ", "profile: exchange2003 ", "profile",
            "expected one of exchange55, exchange2000, not 'exchange2003'", line: 2),
        // unknown keys
        .init("thresholds:", "tresholds:", "tresholds", "unknown key; did you mean thresholds?", line: 12),
        .init("state: {directory: state}", "flavour: blue", "flavour", "unknown key", line: 13),
        .init(
            "retireOnMatch: false}", "retireOnMatch: false, onMisssing: hide}", "policy.onMisssing",
            "unknown key; did you mean onMissing?", line: 11),
        .init(
            "{postOffice: PO2, path: po2.exp}", "{postOffice: PO2, path: po2.exp, codpage: CP850}",
            "ccmail.exports[1].codpage", "unknown key; did you mean codepage?", line: 6),
        .init("verify: true}", "verify: true, cipher: strong}", "ldap.tls.cipher", "unknown key", line: 3),
        .init(
            "policy: {onMissing: delete", "policy: {onMissing: delete, onMissing: hide", "",
            "the key 'onMissing' is given twice", line: 11),
        // ldap
        .init(
            "url: ldap://127.0.0.1:3890", "url: http://127.0.0.1", "ldap.url",
            "expected ldap://host[:port] or ldaps://host[:port], not 'http://127.0.0.1'", line: 3),
        .init(
            "url: ldap://127.0.0.1:3890", "url: ldap://127.0.0.1:99999", "ldap.url",
            "expected ldap://host[:port] or ldaps://host[:port], not 'ldap://127.0.0.1:99999'", line: 3),
        .init(
            "url: ldap://127.0.0.1:3890", "url: ldap://127.0.0.1:3890/o=Org", "ldap.url",
            "expected ldap://host[:port] or ldaps://host[:port], not 'ldap://127.0.0.1:3890/o=Org'", line: 3),
        .init(
            "bindDN: \"cn=admin,o=Org\"", "bindDN: \"cn=admin,,o=Org\"", "ldap.bindDN",
            "not a valid DN (offset 9: expected an attribute type)", line: 3),
        .init("baseDN: \"ou=Site,o=Org\"", "baseDN: [ou=Site]", "ldap.baseDN", "expected a string", line: 3),
        .init("baseDN: \"ou=Site,o=Org\", ", "", "ldap.baseDN", "required", line: 3),
        .init(
            "passwordFile: secret.txt, ", "", "ldap.passwordFile",
            "required (or ldap.passwordEnv): the bind password is never written in the config", line: 3),
        .init(
            "passwordFile: secret.txt, ", "passwordFile: secret.txt, passwordEnv: PW, ", "ldap.passwordEnv",
            "give passwordFile or passwordEnv, not both", line: 3),
        .init(
            "passwordFile: secret.txt, ", "passwordEnv: 9LIVES, ", "ldap.passwordEnv",
            "not an environment variable name (letters, digits, _; the value is not repeated here, in case it is "
                + "the password)", line: 3),
        .init(
            "tls: {mode: none, caFile: ca.pem, verify: true}", "tls: none", "ldap.tls", "expected a mapping", line: 3),
        .init(
            "mode: none", "mode: plain", "ldap.tls.mode", "expected one of none, starttls, ldaps, not 'plain'", line: 3),
        .init(
            "mode: none", "mode: ldaps", "ldap.tls.mode", "mode ldaps needs an ldaps:// URL (or use starttls)",
            line: 3),
        .init(
            "url: ldap://127.0.0.1:3890", "url: ldaps://127.0.0.1:3890", "ldap.tls.mode",
            "an ldaps:// URL is TLS from the first byte; use mode ldaps (or an ldap:// URL)", line: 3),
        .init("verify: true", "verify: maybe", "ldap.tls.verify", "expected true or false", line: 3),
        .init("pageSize: 500", "pageSize: 0", "ldap.pageSize", "must be between 1 and 10000", line: 3),
        .init("pageSize: 500", "pageSize: 10001", "ldap.pageSize", "must be between 1 and 10000", line: 3),
        .init("pageSize: 500", "pageSize: \"500\"", "ldap.pageSize", "expected a whole number", line: 3),
        .init("pageSize: 500", "pageSize: 500, timeout: 0", "ldap.timeout", "must be between 1 and 86400", line: 3),
        .init("pageSize: 500", "pageSize: 500, maxEntries: 0", "ldap.maxEntries", "must be at least 1", line: 3),
        // ccmail
        .init(
            "codepage: CP850", "codepage: EBCDIC", "ccmail.codepage",
            "unknown code page 'EBCDIC'; expected one of CP437, CP850, CP1252, ISO-8859-1, UTF-8", line: 5),
        .init(
            "{postOffice: PO2, path: po2.exp}", "{postOffice: PO2, path: po2.exp, codepage: 1250}",
            "ccmail.exports[1].codepage",
            "unknown code page '1250'; expected one of CP437, CP850, CP1252, ISO-8859-1, UTF-8", line: 6),
        .init(
            "exports: [{postOffice: PO1, path: po1.exp}, {postOffice: PO2, path: po2.exp}]", "exports: []",
            "ccmail.exports", "name at least one export", line: 6),
        .init(
            "exports: [{postOffice: PO1, path: po1.exp}, {postOffice: PO2, path: po2.exp}]", "exports: po1.exp",
            "ccmail.exports", "expected a list", line: 6),
        .init(
            "  exports: [{postOffice: PO1, path: po1.exp}, {postOffice: PO2, path: po2.exp}]\n", "",
            "ccmail.exports", "required", line: 5),
        .init(
            "{postOffice: PO2, path: po2.exp}", "{postOffice: po1, path: po2.exp}", "ccmail.exports[1].postOffice",
            "post office po1 is already exported by ccmail.exports[0]", line: 6),
        .init("{postOffice: PO2, path: po2.exp}", "{postOffice: PO2}", "ccmail.exports[1].path", "required", line: 6),
        .init(
            "{postOffice: PO2, path: po2.exp}", "{path: po2.exp}", "ccmail.exports[1].postOffice", "required", line: 6),
        .init(
            "{postOffice: PO2, path: po2.exp}", "{postOffice: PO 2, path: po2.exp}", "ccmail.exports[1].postOffice",
            "a post office name is one word, not 'PO 2'", line: 6),
        .init(
            "{postOffice: PO2, path: po2.exp}", "{postOffice: PO2, path: ''}", "ccmail.exports[1].path",
            "must not be empty", line: 6),
        .init(
            "INTERNET: ccmail", "INTERNET: x400", "ccmail.gateways.INTERNET",
            "expected one of ccmail, smtp, not 'x400'", line: 7),
        .init(
            "INTERNET: ccmail", "INTERNET: ccmail, internet: smtp", "ccmail.gateways.internet",
            "gateway internet is already given as INTERNET", line: 7),
        .init(
            "excludePostOffices: []", "excludePostOffices: MSEXCH", "ccmail.excludePostOffices", "expected a list",
            line: 8),
        .init(
            "excludePostOffices: []", "excludePostOffices: [{PO: 1}]", "ccmail.excludePostOffices[0]",
            "expected a string", line: 8),
        .init(
            "excludePostOffices: []", "excludePostOffices: []\n  maxExportBytes: 1.5e9", "ccmail.maxExportBytes",
            "expected a whole number", line: 9),
        // exchange
        .init(
            "cn=ccMail Users,ou=Site,o=Org", "cn=ccMail Users,ou=Other,o=Org", "exchange.customRecipientContainer",
            "must be below ldap.baseDN (ou=Site,o=Org)", line: 9),
        .init(
            "cn=ccMail Users,ou=Site,o=Org", "ou=Site,o=Org", "exchange.customRecipientContainer",
            "must be below ldap.baseDN (ou=Site,o=Org)", line: 9),
        .init(
            "customRecipientContainer: \"cn=ccMail Users,ou=Site,o=Org\", ", "",
            "exchange.customRecipientContainer", "required", line: 9),
        .init(
            "displayName: \"{given} {sur}\"", "displayName: \"{first} {sur}\"", "exchange.displayName",
            "unknown placeholder {first}; use {given}, {sur}, {given1}, {name}, {po}, {alias}", line: 9),
        .init(
            "displayName: \"{given} {sur}\"", "displayName: \"{given {sur}\"", "exchange.displayName",
            "unbalanced brace: '{' without '}' in '{given {sur}'", line: 9),
        .init(
            "mailTemplate: \"{alias}@org.example\"", "mailTemplate: \"{alias}}@org.example\"",
            "exchange.mailTemplate", "unbalanced brace: '}' without '{' in '{alias}}@org.example'", line: 9),
        .init(
            "displayName: \"{given} {sur}\"", "aliasTemplate: \"{alias}2\"", "exchange.aliasTemplate",
            "cannot use {alias}: this template makes the alias", line: 9),
        .init(
            "mailTemplate: \"{alias}@org.example\", ", "", "exchange.mailTemplate",
            "required by profile exchange55 (Exchange 5.5 cannot route a custom recipient without mail)", line: 9),
        .init(
            ", x400Template: \"c=US;a= ;p=Org;o=Site;s={sur};g={given}\"", "", "exchange.x400Template",
            "required by profile exchange55 (Exchange 5.5 cannot route a custom recipient without "
                + "textEncodedORAddress)", line: 9),
        // match, policy, thresholds, state
        .init(
            "byName: suggest", "byName: always", "match.byName", "expected one of suggest, apply, off, not 'always'",
            line: 10),
        .init(
            "byName: suggest", "byName: suggest, ignoreDiacritics: 2", "match.ignoreDiacritics",
            "expected true or false", line: 10),
        .init(
            "onMissing: delete", "onMissing: shred", "policy.onMissing", "expected one of delete, hide, not 'shred'",
            line: 11),
        .init("retireOnMatch: false", "retireOnMatch: 0.5", "policy.retireOnMatch", "expected true or false", line: 11),
        .init("percent: 20", "percent: twenty", "thresholds.deletes.percent", "expected a number", line: 12),
        .init("percent: 20", "percent: -1", "thresholds.deletes.percent", "must not be negative", line: 12),
        .init("count: 50", "count: -1", "thresholds.deletes.count", "must be at least 0", line: 12),
        .init(
            "count: 5000, percent: 50", "count: 5.5, percent: 50", "thresholds.modifies.count",
            "expected a whole number", line: 12),
        .init(
            "creates: {count: 5000, percent: 100}", "creates: 5000", "thresholds.creates", "expected a mapping",
            line: 12),
        .init("state: {directory: state}", "state: [state]", "state", "expected a mapping", line: 13),
        .init("state: {directory: state}", "state: {directory: ''}", "state.directory", "must not be empty", line: 13),
    ]

    @Test("each bad edit of the example names its key path, its line and what is wrong", arguments: cases)
    func invalid(_ invalid: InvalidCase) throws {
        #expect(ConfigExamples.issue.contains(invalid.from), "the test's search text must be in the example")
        let yaml = ConfigExamples.issue.replacingOccurrences(of: invalid.from, with: invalid.to)
        let error = try #require(throws: ConfigurationError.self) { try ConfigExamples.load(yaml) }
        #expect(error.file == ConfigExamples.file)
        #expect(error.keyPath == invalid.keyPath)
        #expect(error.message == invalid.message)
        #expect(error.line == invalid.line)
    }

    /// Keys given twice, one of them a list: the error was once different from run to run (found by make fuzz,
    /// fixtures/fuzz/crashes/config-loader-nondeterministic-duplicate-keys).
    @Test("keys given twice, one of them not text: the same error every time")
    func duplicateNonTextKeysAreReportedTheSameWay() {
        let yaml = """
            version: 1
            ccmail:
              gateways: {INTERNET: ccmail}
              ? [a]
              : 1
              gateways: {INTERNET: smtp}
              ? [a]
              : 2
            """
        var errors = Set<ConfigurationError>()
        for _ in 0..<300 {
            do {
                _ = try ConfigExamples.load(yaml)
            } catch {
                errors.insert(error)
            }
        }
        #expect(errors.count == 1)
        #expect(errors.first?.message == "the keys (a list or mapping), 'gateways' are given twice")
        #expect(errors.first?.line == nil)
    }

    /// An "alias bomb": each level names the one before it twice, so the last key stands for 2^30 scalars. Used as a
    /// mapping key, it once made the YAML library hash them all while checking for duplicate keys.
    @Test("YAML anchors and aliases are refused at their line, before the document is composed; bombs included")
    func anchorsAndAliasesAreRefused() throws {
        var bomb = "version: 1\na0: &a0 [x, x]\n"
        for level in 1...30 {
            bomb += "a\(level): &a\(level) [*a\(level - 1), *a\(level - 1)]\n"
        }
        bomb += "? *a30\n: 1\n"
        let bombError = try #require(throws: ConfigurationError.self) { try ConfigExamples.load(bomb) }
        #expect(bombError.line == 2)
        #expect(bombError.message.hasPrefix("YAML anchors are not accepted"))

        let alias = ConfigExamples.issue.replacingOccurrences(of: "percent: 20", with: "percent: *twenty")
        let aliasError = try #require(throws: ConfigurationError.self) { try ConfigExamples.load(alias) }
        #expect(aliasError.line == 12)
        #expect(aliasError.message.hasPrefix("YAML aliases are not accepted"))

        // The same characters inside quoted values are text, and load.
        let quoted = ConfigExamples.issue.replacingOccurrences(
            of: "bindDN: \"cn=admin,o=Org\"", with: "bindDN: \"cn=*admin&co,o=Org\"")
        #expect(try ConfigExamples.load(quoted).ldap.bindDN.description == "cn=*admin&co,o=Org")
        // Inside a plain value too.
        let plain = ConfigExamples.issue.replacingOccurrences(of: "codepage: CP850", with: "codepage: CP*850&")
        let plainError = try #require(throws: ConfigurationError.self) { try ConfigExamples.load(plain) }
        #expect(plainError.line == 5)
        #expect(plainError.message.hasPrefix("unknown code page 'CP*850&'"))

        // An alias used as a plain key, after a bomb with no anchor before its first alias, is found at its line.
        var keyBomb = "version: 1\nlevels:\n"
        for level in 1...30 {
            keyBomb += "  - [*a\(level - 1), *a\(level - 1)]\n"
        }
        keyBomb += "*a30: 1\n"
        let keyBombError = try #require(throws: ConfigurationError.self) { try ConfigExamples.load(keyBomb) }
        #expect(keyBombError.line == 3)
        #expect(keyBombError.message.hasPrefix("YAML aliases are not accepted"))

        // A key with a `*` given twice is named as written.
        let twice = ConfigExamples.minimal + "\n\"a*b\": 1\n\"a*b\": 2\n"
        let twiceError = try #require(throws: ConfigurationError.self) { try ConfigExamples.load(twice) }
        #expect(twiceError.message == "the key 'a*b' is given twice")
    }

    @Test("the product spec's example message, exactly")
    func specExample() throws {
        let yaml = ConfigExamples.issue.replacingOccurrences(of: "percent: 20", with: "percent: lots")
        let error = try #require(throws: ConfigurationError.self) { try ConfigExamples.load(yaml) }
        #expect(error.description == "/etc/ccdirsync/ccdirsync.yaml:12: thresholds.deletes.percent: expected a number")
    }

    @Test("block style: the line is the bad value's own line")
    func blockLines() throws {
        let yaml = ConfigExamples.minimal + "\nthresholds:\n  deletes:\n    count: 10\n    percent: many\n"
        let error = try #require(throws: ConfigurationError.self) { try ConfigExamples.load(yaml) }
        #expect(error.description == "/etc/ccdirsync/ccdirsync.yaml:16: thresholds.deletes.percent: expected a number")

        let typo = ConfigExamples.minimal.replacingOccurrences(of: "  baseDN:", with: "  baseDn:")
        let typoError = try #require(throws: ConfigurationError.self) { try ConfigExamples.load(typo) }
        #expect(
            typoError.description == "/etc/ccdirsync/ccdirsync.yaml:7: ldap.baseDn: unknown key; did you mean baseDN?")
    }

    @Test("missing sections are reported at the top of the file")
    func missingSections() throws {
        for section in ["ldap", "ccmail", "exchange"] {
            let lines = ConfigExamples.issue.split(separator: "\n", omittingEmptySubsequences: false)
            let yaml = lines.filter { !$0.hasPrefix("\(section):") }.joined(separator: "\n")
            let trimmed = section == "ccmail" ? yaml.replacingOccurrences(of: "\n  ", with: "\n# ") : yaml
            let error = try #require(throws: ConfigurationError.self) { try ConfigExamples.load(trimmed) }
            #expect(error.keyPath == section)
            #expect(error.message == "required")
            #expect(error.line == 1)
        }
    }

    @Test("exchange2000 needs no mail or X.400 template")
    func exchange2000Templates() throws {
        let yaml = ConfigExamples.issue.replacingOccurrences(of: "profile: exchange55", with: "profile: exchange2000")
            .replacingOccurrences(of: "mailTemplate: \"{alias}@org.example\", ", with: "")
            .replacingOccurrences(of: ", x400Template: \"c=US;a= ;p=Org;o=Site;s={sur};g={given}\"", with: "")
        #expect(try ConfigExamples.load(yaml).exchange.mailTemplate == nil)
    }

    @Test(
        "the whole document must be a mapping; empty and syntax errors",
        arguments: [
            ("", nil, "", "the file is empty"),
            ("# nothing but a comment\n", nil, "", "the file is empty"),
            ("- version: 1\n", 1, "", "expected a mapping"),
        ] as [(String, Int?, String, String)])
    func documentShape(yaml: String, line: Int?, keyPath: String, message: String) throws {
        let error = try #require(throws: ConfigurationError.self) { try ConfigExamples.load(yaml) }
        #expect(error.line == line)
        #expect(error.keyPath == keyPath)
        #expect(error.message == message)
    }

    @Test("a YAML syntax error carries the line Yams reports")
    func syntax() throws {
        let yaml = "version: 1\nprofile: exchange2000\nldap: {url: [\n"
        let error = try #require(throws: ConfigurationError.self) { try ConfigExamples.load(yaml) }
        #expect(error.message.hasPrefix("not valid YAML: "))
        #expect(error.keyPath == "")
        #expect(error.line == 4)
        let tabs = "version: 1\nldap:\n\turl: x\n"
        let tabError = try #require(throws: ConfigurationError.self) { try ConfigExamples.load(tabs) }
        #expect(tabError.line == 3)
    }

    @Test("unreadable config files are named in the error")
    func unreadable() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let missing = try #require(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(file: "/nonexistent/ccdirsync.yaml")
        }
        #expect(missing.description == "/nonexistent/ccdirsync.yaml: no such file")
        let directory = try #require(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(file: folder.path)
        }
        #expect(directory.description == "\(folder.path): is a directory, not a file")
        let latin1 = try folder.write("latin1.yaml", bytes: Array("version: 1\nprofile: ".utf8) + [0xE9])
        let notUTF8 = try #require(throws: ConfigurationError.self) { try ConfigurationLoader.load(file: latin1) }
        #expect(notUTF8.description == "\(latin1): not UTF-8 text")
    }

    @Test("the description omits the line when it is unknown, and the key path when there is none")
    func descriptions() {
        #expect(
            ConfigurationError(file: "c.yaml", line: 3, keyPath: "ldap.url", message: "m").description
                == "c.yaml:3: ldap.url: m")
        #expect(
            ConfigurationError(file: "c.yaml", line: nil, keyPath: "version", message: "m").description
                == "c.yaml: version: m")
        #expect(ConfigurationError(file: "c.yaml", line: nil, keyPath: "", message: "m").description == "c.yaml: m")
    }
}
