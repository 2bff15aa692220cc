import Config
import Foundation
import TestSupport
import Testing

/// Oversized inputs give a clear error or a handled result, with the program's peak memory measured (GNU time's
/// maximum RSS, see `ChildProcess`) and bounded.
@Suite struct ResourceBoundsTests {
    /// Peak RSS of `ccdirsync parse` on a three-line export: the runtime's own footprint, for comparison.
    static func baselineKiB() throws -> Int {
        let workspace = try SecurityWorkspace("baseline")
        try workspace.write("tiny.exp", "Name: Tiny, Tim\r\nLoc: L\r\n\r\n")
        return try CCDirSync.run(["parse", "PO=\(workspace.path("tiny.exp"))"]).peakKiB
    }

    /// Growth over the baseline allowed for inputs of a few megabytes: a few times the input, far below what an
    /// unbounded read (the 512 MiB default) or a quadratic blow-up would take.
    static let growthLimitKiB = 64 * 1024

    @Test("defaults: ccmail.maxExportBytes is 512 MiB and ldap.maxEntries 2,000,000")
    func defaults() throws {
        let workspace = try SecurityWorkspace("defaults")
        try workspace.copyFixtureExports()
        try workspace.write("secret.txt", "x", mode: 0o600)
        try workspace.writeConfig(ConfigSpec(flavour: .exchange2000, url: "ldap://127.0.0.1:9"))
        let configuration = try ConfigurationLoader.load(file: workspace.configPath)
        #expect(configuration.ccmail.maxExportBytes == 512 * 1024 * 1024)
        #expect(configuration.ldap.maxEntries == 2_000_000)
    }

    @Test("an export over ccmail.maxExportBytes is refused unread: a file, and /dev/zero (no size); exit 65")
    func exportOverLimit() async throws {
        let baseline = try Self.baselineKiB()
        try await withSlapd(SlapdConfiguration(flavour: .exchange2000)) { server in
            let workspace = try SecurityWorkspace("maxbytes")
            try workspace.copyFixtureExports()
            try workspace.write("secret.txt", server.servicePassword, mode: 0o600)
            var spec = ConfigSpec(flavour: .exchange2000, server: server)
            spec.maxExportBytes = 512
            let size = try #require(
                try FileManager.default.attributesOfItem(atPath: workspace.path("london.exp"))[.size] as? Int)
            try #require(size > 512)
            try workspace.writeConfig(spec)
            let plan = try workspace.run(["plan", "--config", workspace.configPath, "--out", workspace.path("p.json")])
            #expect(plan.status == 65, "\(plan.output)")
            #expect(
                plan.stderr.contains("london.exp:1:1: error: file is \(size) bytes; exports are limited to 512 bytes"),
                "\(plan.stderr)")
            #expect(!FileManager.default.fileExists(atPath: workspace.path("p.json")))

            // A device reports no size: reading stops one chunk past the limit.
            spec.maxExportBytes = 1 << 20
            spec.exports = [("ZERO", "/dev/zero")]
            try workspace.writeConfig(spec)
            let zero = try workspace.run(["plan", "--config", workspace.configPath], timeout: 20)
            #expect(zero.status == 65, "\(zero.output)")
            #expect(zero.stderr.contains("/dev/zero:1:1: error: file is "), "\(zero.stderr)")
            #expect(zero.stderr.contains("exports are limited to 1048576 bytes"), "\(zero.stderr)")
            #expect(zero.peakKiB - baseline < 16 * 1024, "peak \(zero.peakKiB) KiB, baseline \(baseline) KiB")
            #expect(zero.seconds < 5, "\(zero.seconds) s")
            print("exportOverLimit: /dev/zero peak \(zero.peakKiB) KiB (baseline \(baseline) KiB), \(zero.seconds) s")
        }
    }

    @Test(
        "a record of 100,000 lines: unknown labels are read; bad lines stop the file after 100 errors; memory bounded",
        arguments: ["unknown", "repeated", "text"])
    func hugeRecord(kind: String) throws {
        let baseline = try Self.baselineKiB()
        let workspace = try SecurityWorkspace("record")
        var lines = ["Name: Long, Record", "Loc: L"]
        for index in 0..<100_000 {
            switch kind {
            case "unknown": lines.append("Note: line \(index) of a very long record")
            case "repeated": lines.append("Loc: L")
            default: lines.append("text without a label, line \(index)")
            }
        }
        let export = lines.joined(separator: "\r\n") + "\r\n\r\nName: Short, Sam\r\nLoc: L\r\n\r\n"
        try workspace.write("long.exp", export)
        let run = try CCDirSync.run(["parse", "PO=\(workspace.path("long.exp"))", "--format", "csv"], timeout: 30)
        let errors = run.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        switch kind {
        case "unknown":
            #expect(run.status == 0, "\(run.stderr.prefix(500))")
            #expect(run.stdout.contains("\"Long, Record\",PO,user"), "\(run.stdout.prefix(500))")
            #expect(run.stdout.contains("\"Short, Sam\",PO,user"), "the next record is read")
        default:
            // Each bad line is an error; after 100 the file is abandoned with one more, so 100,000 bad lines
            // cost 101 findings, not 100,000, and the export is refused (exit 65) rather than half-read.
            #expect(run.status == 65)
            #expect(errors.count == 101, "\(errors.prefix(3))")
            #expect(
                errors.first?.hasPrefix("\(workspace.path("long.exp")):3:1: error: ") == true, "\(errors.prefix(1))")
            #expect(
                errors.last?.hasSuffix("error: too many errors (100); the rest of the file was not read") == true,
                "\(errors.suffix(1))")
            #expect(!run.stdout.contains("Long, Record"), "the damaged record is left out")
        }
        #expect(run.peakKiB - baseline < Self.growthLimitKiB, "peak \(run.peakKiB) KiB, baseline \(baseline) KiB")
        #expect(run.seconds < 10, "\(run.seconds) s")
        print(
            "hugeRecord \(kind): \(export.utf8.count) bytes, peak \(run.peakKiB) KiB (baseline \(baseline) KiB), "
                + "\(run.seconds) s")
    }

    @Test("a mailbox with 100,000 proxy values: read, planned and written value by value; none is lost")
    func hugeProxyList() async throws {
        let names = FixtureNames(.exchange2000)
        let bulk = 100_000
        // Loaded offline with the seed (slapadd): adding 100,000 indexed values online takes slapd most of a minute.
        let seedFolder = try SecurityWorkspace("proxies-seed")
        let fixture = try String(contentsOf: ProjectPaths.seedLDIF(.exchange2000), encoding: .utf8)
        let bulkLines = (0..<bulk).map { "proxyAddresses: smtp:bulk\($0)@bulk.example.org\n" }.joined()
        // Next to the mailbox's own proxy values: `slapadd -q` would keep a second proxyAddresses attribute apart.
        let firstProxy = "proxyAddresses: SMTP:John.Smith@org.example\n"
        try #require(fixture.components(separatedBy: firstProxy).count == 2)
        try seedFolder.write("seed.ldif", fixture.replacingOccurrences(of: firstProxy, with: bulkLines + firstProxy))
        let seed = SlapdConfiguration.Seed.ldif(URL(fileURLWithPath: seedFolder.path("seed.ldif")))
        try await withSlapd(SlapdConfiguration(flavour: .exchange2000, seed: seed)) { server in
            let workspace = try SecurityWorkspace("proxies")
            try workspace.copyFixtureExports()
            try workspace.write("secret.txt", server.servicePassword, mode: 0o600)
            try workspace.writeConfig(ConfigSpec(flavour: .exchange2000, server: server))
            let plan = try workspace.run(
                ["plan", "--config", workspace.configPath, "--out", workspace.path("p.json")], timeout: 60)
            #expect(plan.status == 0, "\(plan.stderr)")
            let apply = try workspace.run(
                ["apply", "--config", workspace.configPath, "--plan", workspace.path("p.json")], timeout: 60)
            #expect(apply.status == 0, "\(apply.stderr)")
            let smith = try server.ldapsearch(base: names.johnSmith, scope: "base", attributes: ["proxyAddresses"])
            let values = smith.split(separator: "\n").filter { $0.hasPrefix("proxyAddresses: ") }
            #expect(values.filter { $0.hasSuffix("@bulk.example.org") }.count == bulk, "no value lost or rewritten")
            #expect(values.contains("proxyAddresses: MIGRATE:CCMAIL:Smith, John at LONDON"), "\(apply.stderr)")
            #expect(!values.contains("proxyAddresses: MIGRATE:CCMAIL:Smith, John at PARIS"))
            for (name, run) in [("plan", plan), ("apply", apply)] {
                #expect(run.peakKiB < 192 * 1024, "\(name): peak \(run.peakKiB) KiB")
                print("hugeProxyList \(name): peak \(run.peakKiB) KiB, \(run.seconds) s")
            }
        }
    }

    @Test("a search returning more than ldap.maxEntries is an error naming the limit; no plan is written")
    func maxEntries() async throws {
        try await withSlapd(SlapdConfiguration(flavour: .exchange2000)) { server in
            let workspace = try SecurityWorkspace("maxentries")
            try workspace.copyFixtureExports()
            try workspace.write("secret.txt", server.servicePassword, mode: 0o600)
            for pageSize in [2, 500] {
                var spec = ConfigSpec(flavour: .exchange2000, server: server)
                spec.maxEntries = 5
                spec.pageSize = pageSize
                try workspace.writeConfig(spec)
                let plan = try workspace.run([
                    "plan", "--config", workspace.configPath, "--out", workspace.path("p.json"),
                ])
                #expect(plan.status == 1, "pageSize \(pageSize): \(plan.stderr)")
                #expect(
                    plan.stderr.contains("more than the configured maximum of 5 entries")
                        || plan.stderr.contains("sizeLimitExceeded"), "pageSize \(pageSize): \(plan.stderr)")
                #expect(!FileManager.default.fileExists(atPath: workspace.path("p.json")))
            }
            // The same directory under the default limit plans fine: the limit, not the data, stopped the run.
            try workspace.writeConfig(ConfigSpec(flavour: .exchange2000, server: server))
            let plan = try workspace.run(["plan", "--config", workspace.configPath, "--out", workspace.path("p.json")])
            #expect(plan.status == 0, "\(plan.stderr)")
        }
    }
}
