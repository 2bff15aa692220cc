import Foundation
import TestSupport
import Testing

/// Values longer than the server accepts are findings before any write, in plan, sync and check.
@Suite(.serialized) struct ValueLimitTests {
    @Test(
        "a display name longer than the server accepts is a finding with the limit, and nothing is written for it",
        arguments: TestServerKind.allCases)
    func valueTooLong(kind: TestServerKind) async throws {
        try await kind.withServer { server in
            // The display name "Given Surname" is 261 characters: over displayName's 256 (AD's rangeUpper; slapd's
            // schema does not publish one, and the profile's default holds). The surname is over AD's 64 for sn too;
            // slapd publishes sn's bound (32768, from `name`), and the server's bound wins. Attributes are checked in
            // name order, so displayName is the one reported on both.
            let surname = String(repeating: "Long", count: 50)
            let given = String(repeating: "G", count: 60)
            let name = "\(surname), \(given)"
            let workspace = try PlanWorkspace(
                exchange2000: server, records: "Name: \(name)\r\nLoc: L\r\n\r\nName: Short, Sam\r\nLoc: L\r\n\r\n")
            defer { workspace.remove() }
            let plan = try workspace.run([
                "plan", "--config", workspace.configFile.path, "--out", workspace.path("plan.json"),
            ])
            #expect(plan.status == 0, "\(plan.stderr)")
            #expect(plan.stdout.contains("Value too long for the server"), "\(plan.stdout)")
            let changes = try workspace.planned("changes")
            #expect(!changes.contains { $0["ccmailName"] as? String == name }, "no create for the long name")
            #expect(
                changes.contains { $0["ccmailName"] as? String == "Short, Sam" && $0["kind"] as? String == "create" })
            let finding = try #require(try workspace.planned("findings").first { $0["ccmailName"] as? String == name })
            #expect(finding["situation"] as? String == "valueTooLong")
            let detail = try #require(finding["detail"] as? String)
            #expect(
                detail.contains("displayName would be 261 characters long, and the server accepts at most 256"),
                "\(detail)")
            // sync writes the other user and reports the finding; a second plan is the same finding again.
            let sync = try workspace.run(["sync", "--config", workspace.configFile.path])
            #expect(sync.status == 0, "\(sync.stdout)\(sync.stderr)")
            #expect(try server.ldapsearch(filter: "(sn=\(surname))", attributes: ["1.1"]).contains("dn: ") == false)
            #expect(try server.ldapsearch(filter: "(sn=Short)", attributes: ["1.1"]).contains("dn: "))
            let check = try workspace.run(["check", "--config", workspace.configFile.path])
            #expect(check.stdout.contains("displayName 256"), "\(check.stdout)")
            if kind == .slapd {
                #expect(
                    check.stdout.contains("sn 32768"), "the bound slapd publishes, inherited from name: \(check.stdout)"
                )
            } else {
                // AD publishes its own rangeUpper for the attributes the profile writes.
                #expect(check.stdout.contains("sn 64"), "\(check.stdout)")
            }
        }
    }
}
