import Foundation
import TestSupport

/// A recognisable bind password: any file or stream that holds it is a leak.
let secretPassword = "Pw-7f3c-SECRET-ccdirsync"

/// A temporary folder holding one config, its exports and password file, and whatever the runs write there.
///
/// Focused on what the security tests vary (where the password comes from, TLS settings, limits, exports); the
/// config is written by `writeConfig` from a `ConfigSpec`, so each test says exactly what it sets.
final class SecurityWorkspace {
    let directory: URL

    init(_ label: String) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ccdirsync-sec-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    var configPath: String { path("ccdirsync.yaml") }

    /// Writes `bytes` to `name` (with `mode` when given).
    func write(_ name: String, _ bytes: [UInt8], mode: Int? = nil) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path(name)))
        if let mode {
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path(name))
        }
    }

    func write(_ name: String, _ text: String, mode: Int? = nil) throws {
        try write(name, Array(text.utf8), mode: mode)
    }

    func writeConfig(_ spec: ConfigSpec) throws {
        try write("ccdirsync.yaml", spec.yaml)
    }

    /// Copies the fixture organisation's three exports here.
    func copyFixtureExports() throws {
        for file in ["london.exp", "paris.exp", "zurich.exp"] {
            try FileManager.default.copyItem(
                at: ProjectPaths.fixtures.appendingPathComponent("ccmail/\(file)"),
                to: URL(fileURLWithPath: path(file)))
        }
    }

    /// Every regular file below the folder (the state directory included), with its bytes.
    func allFiles() -> [(path: String, bytes: [UInt8])] {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else {
            return []
        }
        var files: [(String, [UInt8])] = []
        for case let url as URL in walker {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                let data = FileManager.default.contents(atPath: url.path)
            {
                files.append((url.path, [UInt8](data)))
            }
        }
        return files.sorted { $0.0 < $1.0 }
    }

    /// Runs ccdirsync with `--config` of this workspace appended where the subcommand takes it.
    func run(
        _ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 60,
        whileRunning: ((pid_t) -> Void)? = nil
    ) throws -> ChildRun {
        try CCDirSync.run(arguments, environment: environment, timeout: timeout, whileRunning: whileRunning)
    }
}

/// The configuration a test runs with; `yaml` renders it. Defaults suit the fixture organisation of a flavour.
struct ConfigSpec {
    enum PasswordFrom {
        case file(String)
        case environment(String)
    }

    var flavour: SchemaFlavour
    var url: String
    var bindDN: String
    var password: PasswordFrom = .file("secret.txt")
    /// The `tls:` mapping in flow style (`{mode: none}`), or nil to leave the key out.
    var tls: String? = "{mode: none}"
    var pageSize = 50
    var timeout: Int?
    var maxEntries: Int?
    var exports: [(postOffice: String, path: String)] = [
        ("LONDON", "london.exp"), ("PARIS", "paris.exp"), ("ZURICH", "zurich.exp"),
    ]
    var codepage = "CP850"
    var maxExportBytes: Int?
    var mappingFile: String?
    /// Extra top-level YAML, appended as written.
    var extra = ""

    /// A configuration for `server` (slapd or Samba AD) as its service account, with the server's TLS settings.
    init(flavour: SchemaFlavour, server: any TestDirectoryServer) {
        self.flavour = flavour
        url = server.clientURL
        tls = server.clientTLS
        bindDN = server.serviceDN
    }

    init(flavour: SchemaFlavour, url: String) {
        self.flavour = flavour
        self.url = url
        bindDN = "cn=ccdirsync,\(flavour.defaultSuffix)"
    }

    var baseDN: String { flavour == .exchange55 ? "ou=Site,o=Org" : "dc=example,dc=org" }

    var yaml: String {
        var ldap = [
            "  url: \(url)", "  bindDN: \"\(bindDN)\"", "  baseDN: \"\(baseDN)\"", "  pageSize: \(pageSize)",
        ]
        switch password {
        case .file(let path): ldap.append("  passwordFile: \(path)")
        case .environment(let name): ldap.append("  passwordEnv: \(name)")
        }
        if let tls { ldap.append("  tls: \(tls)") }
        if let timeout { ldap.append("  timeout: \(timeout)") }
        if let maxEntries { ldap.append("  maxEntries: \(maxEntries)") }
        let exportList = exports.map { "{postOffice: \(Self.quoted($0.postOffice)), path: \($0.path)}" }
        var ccmail = [
            "  codepage: \(codepage)", "  exports: [\(exportList.joined(separator: ", "))]",
            "  gateways: {INTERNET: ccmail}",
        ]
        if let maxExportBytes { ccmail.append("  maxExportBytes: \(maxExportBytes)") }
        var exchange = ["  customRecipientContainer: \"\(FixtureNames(flavour).contactContainer)\""]
        if flavour == .exchange55 {
            exchange += [
                "  mailTemplate: \"{alias}@org.example\"",
                "  x400Template: \"c=US;a= ;p=Org;o=Site;s={sur};g={given};\"",
            ]
        }
        var lines = ["version: 1", "profile: \(flavour.rawValue)", "ldap:"] + ldap + ["ccmail:"] + ccmail
        lines += ["exchange:"] + exchange
        if let mappingFile { lines.append("match: {mappingFile: \(mappingFile)}") }
        lines.append(
            "thresholds: {deletes: {count: 500, percent: 1000}, modifies: {count: 5000, percent: 10000}, "
                + "creates: {count: 5000, percent: 10000}}")
        lines.append(extra)
        return lines.joined(separator: "\n") + "\n"
    }

    /// A YAML double-quoted scalar.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

extension [UInt8] {
    /// Whether `needle` occurs anywhere in these bytes.
    func contains(bytes needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else {
            return needle.isEmpty
        }
        let first = needle[0]
        var index = 0
        while let found = self[index...].firstIndex(of: first), found + needle.count <= count {
            if self[found..<found + needle.count].elementsEqual(needle) {
                return true
            }
            index = found + 1
        }
        return false
    }
}
