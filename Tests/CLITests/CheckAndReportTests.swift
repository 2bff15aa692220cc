import Foundation
import TestSupport
import Testing

@Suite(.serialized) struct CheckAndReportTests {
    @Test("check passes on the fixtures, one line per check", arguments: [SchemaFlavour.exchange55, .exchange2000])
    func checkPasses(flavour: SchemaFlavour) async throws {
        try await withSlapd(SlapdConfiguration(flavour: flavour)) { server in
            let workspace = try PlanWorkspace(flavour: flavour, server: server)
            defer { workspace.remove() }
            let result = try workspace.run(["check", "--config", workspace.configFile.path])
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            let lines = result.stdout.split(separator: "\n")
            #expect(lines.allSatisfy { $0.hasPrefix("ok   ") || $0.hasPrefix("warn ") }, "\(result.stdout)")
            #expect(lines.filter { $0.hasPrefix("ok   export ") }.count == 3)
            #expect(result.stdout.contains("ok   bind "))
            #expect(result.stdout.contains("ok   search mailbox objects: 11 entries"))
            #expect(result.stdout.contains("ok   schema: "))
            #expect(result.stdout.contains("warn ldap.tls.mode is none"), "one label per line")
        }
    }

    @Test("check names a profile attribute the server's schema lacks")
    func checkSchemaMismatch() async throws {
        // An exchange2000 config against the exchange55 server: wrong names everywhere.
        try await withSlapd(SlapdConfiguration(flavour: .exchange55)) { server in
            let workspace = try PlanWorkspace(flavour: .exchange55, server: server)
            defer { workspace.remove() }
            try workspace.editConfig(["profile: exchange55": "profile: exchange2000"])
            let result = try workspace.run(["check", "--config", workspace.configFile.path])
            #expect(result.status == 1, "\(result.stdout)")
            #expect(result.stdout.contains("FAIL schema: missing attribute"), "\(result.stdout)")
            #expect(result.stdout.contains("proxyAddresses"))
        }
    }

    @Test("check reports an unreachable server with 69 and a broken export with 65")
    func checkFailures() throws {
        let workspace = try PlanWorkspace(flavour: .exchange2000, server: nil)
        defer { workspace.remove() }
        let unreachable = try workspace.run(["check", "--config", workspace.configFile.path])
        #expect(unreachable.status == 69, "\(unreachable.stdout)")
        #expect(unreachable.stdout.contains("FAIL bind: LDAP server ldap://127.0.0.1:"))
        try Data("Name: Broken\r\nthis line has no label\r\n".utf8).write(
            to: URL(fileURLWithPath: workspace.path("london.exp")))
        let broken = try workspace.run(["check", "--config", workspace.configFile.path])
        #expect(broken.status == 65, "\(broken.stdout)")
        #expect(broken.stdout.contains("FAIL export LONDON london.exp"))
    }

    @Test("report refuses an edited plan; plan writes a report file and the suggestions")
    func reportAndFiles() async throws {
        try await withSlapd(SlapdConfiguration(flavour: .exchange55)) { server in
            let workspace = try PlanWorkspace(flavour: .exchange55, server: server)
            defer { workspace.remove() }
            let result = try workspace.run([
                "plan", "--config", workspace.configFile.path, "--out", workspace.path("plan.json"), "--report",
                workspace.path("review.html"), "--suggestions", workspace.path("suggestions.csv"),
            ])
            #expect(result.status == 0, "\(result.stderr)")
            let html = try String(contentsOfFile: workspace.path("review.html"), encoding: .utf8)
            #expect(html.hasPrefix("<!DOCTYPE html>"))
            let suggestions = try String(contentsOfFile: workspace.path("suggestions.csv"), encoding: .utf8)
            #expect(
                suggestions == "ccmail_name,mailbox\r\n\"Miller, Ann\",\"cn=AMiller,cn=Recipients,ou=Site,o=Org\"\r\n")
            var plan = try String(contentsOfFile: workspace.path("plan.json"), encoding: .utf8)
            plan = plan.replacingOccurrences(of: "Smith, John at LONDON", with: "Smith, John at ZURICH")
            try Data(plan.utf8).write(to: URL(fileURLWithPath: workspace.path("edited.json")))
            let refused = try workspace.run(["report", "--plan", workspace.path("edited.json")])
            #expect(refused.status == 65)
            #expect(refused.stderr.contains("does not match its planHash"), "\(refused.stderr)")
        }
    }

    @Test("approving the suggestions file turns the suggestion into a join")
    func suggestionsFeedBack() async throws {
        try await withSlapd(SlapdConfiguration(flavour: .exchange2000)) { server in
            let workspace = try PlanWorkspace(
                flavour: .exchange2000, server: server, extra: "match: {mappingFile: suggestions.csv}")
            defer { workspace.remove() }
            try Data("ccmail_name,mailbox\n".utf8).write(to: URL(fileURLWithPath: workspace.path("suggestions.csv")))
            let first = try workspace.run([
                "plan", "--config", workspace.configFile.path, "--suggestions", workspace.path("suggestions.csv"),
                "--format", "json",
            ])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.contains("\"situation\" : \"suggestion\""))
            let second = try workspace.run(["plan", "--config", workspace.configFile.path, "--format", "csv"])
            #expect(second.status == 0, "\(second.stderr)")
            #expect(
                second.stdout.contains("change,") && second.stdout.contains(",mapping,\"Miller, Ann\""),
                "\(second.stdout)")
            #expect(!second.stdout.contains("finding,,,suggestion"))
        }
    }
}
