import Foundation
import TestSupport
import Testing

@testable import Config

/// The annotated example configuration that ships (dist/ccdirsync.yaml): installed as
/// share/doc/ccdirsync/examples/ccdirsync.yaml and as the Debian package's /etc/ccdirsync/ccdirsync.yaml.
/// It is loaded here with the real loader, so a change of the format that it does not follow fails a test.
@Suite("The shipped example configuration")
struct ShippedExampleTests {
    static let example = ProjectPaths.root.appendingPathComponent("dist/ccdirsync.yaml")
    static let service = ProjectPaths.root.appendingPathComponent("dist/systemd/ccdirsync.service")
    /// Where the package installs it, and so what its relative paths resolve against.
    static let installed = "/etc/ccdirsync/ccdirsync.yaml"

    static func text(_ url: URL) throws -> String {
        String(decoding: try Data(contentsOf: url), as: UTF8.self)
    }

    @Test("loads from its file with the real loader")
    func loadsFromTheRepository() throws {
        let configuration = try ConfigurationLoader.load(file: Self.example.path)
        #expect(configuration.profile == .exchange55)
        #expect(configuration.ccmail.exports.count == 2)
    }

    @Test("installed in /etc/ccdirsync, its paths are the ones the package and the systemd unit use")
    func pathsAsInstalled() throws {
        let configuration = try ConfigurationLoader.load(yaml: try Self.text(Self.example), file: Self.installed)
        #expect(
            configuration.ldap.password
                == .file(ConfigPath(declaredPath: "password", resolvedPath: "/etc/ccdirsync/password")))
        // The unit's StateDirectory=ccdirsync is the only place the service may write.
        #expect(configuration.state.directory.resolvedPath == "/var/lib/ccdirsync")
        #expect(try Self.text(Self.service).contains("\nStateDirectory=ccdirsync\n"))
        #expect(try Self.text(Self.service).contains(" --config \(Self.installed)\n"))
    }

    @Test("is inert until edited: its server is under .invalid, which never resolves")
    func inertUntilEdited() throws {
        let configuration = try ConfigurationLoader.load(file: Self.example.path)
        #expect(configuration.ldap.url == "ldaps://exchange.example.invalid")
        #expect(try Self.text(Self.example).hasPrefix("# ccdirsync configuration: an annotated example.\n"))
    }

    @Test("its commented-out keys load too, once an administrator uncomments them")
    func commentedKeysAreKnown() throws {
        // `  # pageSize: 500` and `  #   caFile: ...` inside a mapping; the notes at the left margin stay comments.
        var uncommented = ""
        var count = 0
        for line in try Self.text(Self.example).split(separator: "\n", omittingEmptySubsequences: false) {
            let indent = line.prefix { $0 == " " }
            let rest = line.dropFirst(indent.count)
            let key = rest.dropFirst(2).drop { $0 == " " }.prefix { $0 != ":" }
            if !indent.isEmpty, rest.hasPrefix("# "), !key.isEmpty, key.allSatisfy(\.isLetter) {
                uncommented += indent + rest.dropFirst(2) + "\n"
                count += 1
            } else {
                uncommented += line + "\n"
            }
        }
        #expect(count >= 4)
        _ = try ConfigurationLoader.load(yaml: uncommented, file: Self.installed)
    }
}
