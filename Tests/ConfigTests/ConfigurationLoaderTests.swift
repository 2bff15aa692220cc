import CCMail
import Foundation
import Sync
import Testing

@testable import Config

@Suite("Configuration loader: valid files")
struct ConfigurationLoaderTests {
    @Test("the example of the issue loads with every value and resolved paths")
    func issueExample() throws {
        let configuration = try ConfigExamples.load(ConfigExamples.issue)
        #expect(configuration.file == ConfigPath(declaredPath: ConfigExamples.file, resolvedPath: ConfigExamples.file))
        #expect(configuration.profile == .exchange55)

        let ldap = configuration.ldap
        #expect(ldap.url == "ldap://127.0.0.1:3890")
        #expect(ldap.bindDN.description == "cn=admin,o=Org")
        #expect(
            ldap.password == .file(ConfigPath(declaredPath: "secret.txt", resolvedPath: "/etc/ccdirsync/secret.txt")))
        #expect(
            ldap.tls
                == TLSSettings(
                    mode: .none, modeIsExplicit: true,
                    caFile: ConfigPath(declaredPath: "ca.pem", resolvedPath: "/etc/ccdirsync/ca.pem"), verify: true))
        #expect(ldap.baseDN.description == "ou=Site,o=Org")
        #expect(ldap.pageSize == 500)
        #expect(ldap.timeoutSeconds == 30)
        #expect(ldap.maxEntries == 2_000_000)

        let ccmail = configuration.ccmail
        #expect(ccmail.codePage == .cp850)
        #expect(
            ccmail.exports == [
                .init(
                    postOffice: "PO1", path: ConfigPath(declaredPath: "po1.exp", resolvedPath: "/etc/ccdirsync/po1.exp")
                ),
                .init(
                    postOffice: "PO2", path: ConfigPath(declaredPath: "po2.exp", resolvedPath: "/etc/ccdirsync/po2.exp")
                ),
            ])
        #expect(ccmail.gateways == ["INTERNET": .ccMail])
        #expect(ccmail.excludePostOffices.isEmpty)
        #expect(ccmail.maxExportBytes == 536_870_912)

        let exchange = configuration.exchange
        #expect(exchange.customRecipientContainer.description == "cn=ccMail Users,ou=Site,o=Org")
        #expect(exchange.displayNameTemplate == "{given} {sur}")
        #expect(exchange.aliasTemplate == "{given1}{sur}")
        #expect(exchange.mailTemplate == "{alias}@org.example")
        #expect(exchange.x400Template == "c=US;a= ;p=Org;o=Site;s={sur};g={given}")

        #expect(configuration.match == MatchSettings(byName: .suggest, ignoreDiacritics: true))
        #expect(
            configuration.mappingFile
                == ConfigPath(declaredPath: "mapping.csv", resolvedPath: "/etc/ccdirsync/mapping.csv"))
        #expect(configuration.policy == PolicySettings(onMissing: .delete, retireOnMatch: false))
        #expect(configuration.thresholds.deletes == .init(count: 50, percent: 20))
        #expect(configuration.thresholds.modifies == .init(count: 5000, percent: 50))
        #expect(configuration.thresholds.creates == .init(count: 5000, percent: 100))
        #expect(
            configuration.state.directory == ConfigPath(declaredPath: "state", resolvedPath: "/etc/ccdirsync/state"))
    }

    @Test("defaults when the optional keys and sections are absent; passwordEnv; ldaps:// implies mode ldaps")
    func defaults() throws {
        let configuration = try ConfigExamples.load(ConfigExamples.minimal)
        #expect(configuration.profile == .exchange2000)
        #expect(configuration.ldap.password == .environment("CCDIRSYNC_PASSWORD"))
        #expect(configuration.ldap.tls == TLSSettings(mode: .ldaps, modeIsExplicit: false, caFile: nil, verify: true))
        #expect(configuration.ldap.pageSize == 500)
        #expect(configuration.ldap.timeoutSeconds == 30)
        #expect(configuration.ldap.maxEntries == 2_000_000)
        #expect(configuration.ccmail.codePage == .cp437)
        #expect(configuration.ccmail.exports.first?.codePage == nil)
        #expect(configuration.ccmail.exports.first?.path.resolvedPath == "/data/london.exp")
        #expect(configuration.ccmail.gateways.isEmpty)
        #expect(configuration.ccmail.excludePostOffices.isEmpty)
        #expect(configuration.ccmail.maxExportBytes == 512 * 1024 * 1024)
        #expect(configuration.exchange.displayNameTemplate == "{given} {sur}")
        #expect(configuration.exchange.aliasTemplate == "{given1}{sur}")
        #expect(configuration.exchange.mailTemplate == nil)
        #expect(configuration.exchange.x400Template == nil)
        #expect(configuration.match == MatchSettings(byName: .suggest, ignoreDiacritics: true))
        #expect(configuration.mappingFile == nil)
        #expect(configuration.policy == PolicySettings(onMissing: .delete, retireOnMatch: false))
        #expect(configuration.thresholds == Thresholds())
        #expect(configuration.thresholds.deletes == .init(count: 50, percent: 20))
        #expect(
            configuration.state.directory == ConfigPath(declaredPath: "state", resolvedPath: "/etc/ccdirsync/state"))
    }

    @Test("every optional key written out is read")
    func everyKey() throws {
        let yaml = """
            version: 1
            profile: exchange2000
            ldap:
              url: LDAP://[::1]:389/
              bindDN: "cn=admin,dc=example,dc=org"
              passwordFile: /run/secrets/ldap
              tls: {mode: starttls, caFile: ../pki/ca.pem, verify: false}
              baseDN: "dc=example,dc=org"
              pageSize: 1000
              timeout: 120
              maxEntries: 50000
            ccmail:
              codepage: latin1
              exports:
                - postOffice: ' PARIS '
                  path: exports/./paris.exp
                  codepage: ibm-850
                - {postOffice: INTERNET, path: internet.exp, codepage: utf8}
              gateways: {INTERNET: smtp, FAXGATE: ccmail}
              excludePostOffices: [MSEXCH, OLDPO]
              maxExportBytes: 1048576
            exchange:
              customRecipientContainer: "ou=ccMail,ou=Contacts,dc=example,dc=org"
              displayName: "{sur}, {given} ({po})"
              aliasTemplate: "cc{given1}{sur}"
              mailTemplate: "{alias}@example.org"
              x400Template: "c=FR;a= ;p=Org;s={sur};g={given}"
            match:
              mappingFile: mapping.csv
              byName: 'off'
              ignoreDiacritics: false
            policy: {onMissing: hide, retireOnMatch: yes}
            thresholds:
              deletes: {count: 0, percent: 0.5}
              creates: {percent: 250}
              exportShrink: {percent: 25.5}
            state:
              directory: /var/lib/ccdirsync/../ccdirsync/state
            """
        let configuration = try ConfigExamples.load(yaml, file: "/srv/sync/conf/ccdirsync.yaml")
        #expect(configuration.ldap.url == "LDAP://[::1]:389/")
        #expect(
            configuration.ldap.password
                == .file(ConfigPath(declaredPath: "/run/secrets/ldap", resolvedPath: "/run/secrets/ldap")))
        #expect(configuration.ldap.tls.mode == .starttls)
        #expect(configuration.ldap.tls.modeIsExplicit)
        #expect(
            configuration.ldap.tls.caFile
                == ConfigPath(declaredPath: "../pki/ca.pem", resolvedPath: "/srv/sync/pki/ca.pem"))
        #expect(!configuration.ldap.tls.verify)
        #expect(configuration.ldap.pageSize == 1000)
        #expect(configuration.ldap.timeoutSeconds == 120)
        #expect(configuration.ldap.maxEntries == 50000)
        #expect(configuration.ccmail.codePage == .iso8859_1)
        #expect(configuration.ccmail.exports.map(\.postOffice) == ["PARIS", "INTERNET"])
        #expect(configuration.ccmail.exports.map(\.codePage) == [.cp850, .utf8])
        #expect(
            configuration.ccmail.exports.first?.path
                == ConfigPath(declaredPath: "exports/./paris.exp", resolvedPath: "/srv/sync/conf/exports/paris.exp"))
        #expect(configuration.ccmail.gateways == ["INTERNET": .smtp, "FAXGATE": .ccMail])
        #expect(configuration.ccmail.excludePostOffices == ["MSEXCH", "OLDPO"])
        #expect(configuration.ccmail.maxExportBytes == 1_048_576)
        #expect(configuration.exchange.displayNameTemplate == "{sur}, {given} ({po})")
        #expect(configuration.exchange.aliasTemplate == "cc{given1}{sur}")
        #expect(configuration.mappingFile?.resolvedPath == "/srv/sync/conf/mapping.csv")
        #expect(configuration.match.byName == .off)
        #expect(!configuration.match.ignoreDiacritics)
        #expect(configuration.policy == PolicySettings(onMissing: .hide, retireOnMatch: true))
        #expect(configuration.thresholds.deletes == .init(count: 0, percent: 0.5))
        #expect(configuration.thresholds.modifies == Thresholds().modifies)
        #expect(configuration.thresholds.creates == .init(count: 5000, percent: 250))
        #expect(configuration.thresholds.exportShrinkPercent == 25.5)
        #expect(Thresholds().exportShrinkPercent == 10)
        #expect(
            configuration.state.directory
                == ConfigPath(
                    declaredPath: "/var/lib/ccdirsync/../ccdirsync/state", resolvedPath: "/var/lib/ccdirsync/state"))
    }

    @Test(
        "the TLS mode defaults from the URL scheme and records whether it was written",
        arguments: [
            ("ldap://dc1.example.org", nil, TLSSettings.Mode.starttls, false),
            ("ldap://dc1.example.org:389", "none", .none, true),
            ("ldap://dc1.example.org", "starttls", .starttls, true),
            ("ldaps://dc1.example.org:636", nil, .ldaps, false),
            ("ldaps://dc1.example.org", "ldaps", .ldaps, true),
        ] as [(String, String?, TLSSettings.Mode, Bool)])
    func tlsModes(url: String, mode: String?, expected: TLSSettings.Mode, explicit: Bool) throws {
        var yaml = ConfigExamples.minimal.replacingOccurrences(of: "ldaps://dc1.example.org", with: url)
        if let mode {
            yaml = yaml.replacingOccurrences(of: "  passwordEnv:", with: "  tls: {mode: \(mode)}\n  passwordEnv:")
        }
        let tls = try ConfigExamples.load(yaml).ldap.tls
        #expect(tls.mode == expected)
        #expect(tls.modeIsExplicit == explicit)
    }

    @Test("null values count as absent")
    func nulls() throws {
        let yaml = ConfigExamples.minimal + "\nmatch:\npolicy: {onMissing: ~}\nstate: {directory: null}\n"
        let configuration = try ConfigExamples.load(yaml)
        #expect(configuration.match == MatchSettings())
        #expect(configuration.policy == PolicySettings())
        #expect(configuration.state.directory.declaredPath == "state")
    }

    @Test("a relative config file name is made absolute against the current directory")
    func relativeConfigFile() throws {
        let configuration = try ConfigExamples.load(ConfigExamples.issue, file: "conf/../site/ccdirsync.yaml")
        let current = FileManager.default.currentDirectoryPath
        let folder = (current as NSString).appendingPathComponent("site")
        #expect(configuration.file.declaredPath == "conf/../site/ccdirsync.yaml")
        #expect(configuration.file.resolvedPath == (folder as NSString).appendingPathComponent("ccdirsync.yaml"))
        #expect(
            configuration.ccmail.exports.first?.path.resolvedPath
                == (folder as NSString).appendingPathComponent("po1.exp"))
        #expect(configuration.state.directory.resolvedPath == (folder as NSString).appendingPathComponent("state"))
    }

    @Test("load(file:) reads the file and resolves paths against its folder")
    func loadFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = try folder.write("site/ccdirsync.yaml", ConfigExamples.issue)
        let configuration = try ConfigurationLoader.load(file: file)
        let site = (folder.path as NSString).appendingPathComponent("site")
        #expect(configuration.file.resolvedPath == file)
        #expect(
            configuration.ldap.password
                == .file(ConfigPath(declaredPath: "secret.txt", resolvedPath: site + "/secret.txt")))
        #expect(configuration.ccmail.exports.map(\.path.resolvedPath) == [site + "/po1.exp", site + "/po2.exp"])
    }

    @Test("a UTF-8 byte order mark at the start of the file is accepted")
    func byteOrderMark() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = try folder.write("ccdirsync.yaml", "\u{FEFF}" + ConfigExamples.minimal)
        #expect(try ConfigurationLoader.load(file: file).profile == .exchange2000)
    }

    @Test("knownKeyPaths holds every key of the issue's example")
    func knownKeys() {
        let expected: Set<String> = [
            "version", "profile", "ldap", "ldap.url", "ldap.bindDN", "ldap.passwordFile", "ldap.tls", "ldap.tls.mode",
            "ldap.tls.caFile", "ldap.tls.verify", "ldap.baseDN", "ldap.pageSize", "ccmail", "ccmail.codepage",
            "ccmail.exports", "ccmail.exports[].postOffice", "ccmail.exports[].path", "ccmail.gateways",
            "ccmail.excludePostOffices", "exchange", "exchange.customRecipientContainer", "exchange.displayName",
            "exchange.mailTemplate", "exchange.x400Template", "match", "match.mappingFile", "match.byName", "policy",
            "policy.onMissing", "policy.retireOnMatch", "thresholds", "thresholds.deletes",
            "thresholds.deletes.count", "thresholds.deletes.percent", "thresholds.modifies.count",
            "thresholds.creates.percent", "state", "state.directory", "ldap.passwordEnv", "ldap.timeout",
            "ldap.maxEntries", "ccmail.exports[].codepage", "ccmail.maxExportBytes", "exchange.aliasTemplate",
            "match.ignoreDiacritics",
        ]
        #expect(expected.subtracting(ConfigurationLoader.knownKeyPaths).isEmpty)
    }
}
