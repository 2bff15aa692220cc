import Foundation
import Reports
import Sync
import TestSupport
import Testing

@Suite("Reports: goldens, dispatch, determinism")
struct ReportTests {
    static let plan = SamplePlan.plan

    @Test("golden files", arguments: [ReportFormat.text, .csv, .ldif, .html])
    func golden(format: ReportFormat) throws {
        let bytes = try Report.render(Self.plan, format: format, color: false)
        let name = "sample.\(format == .text ? "txt" : format.rawValue)"
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
        #expect(
            try Golden.check(String(decoding: bytes, as: UTF8.self), against: url) == .matches,
            "differs from Golden/\(name); RECORD_SNAPSHOTS=1 re-records it")
    }

    @Test("Report.render gives each renderer's bytes", arguments: ReportFormat.allCases)
    func dispatch(format: ReportFormat) throws {
        let expected: [UInt8] =
            switch format {
            case .text: Array(TextReport.render(Self.plan, color: true).utf8)
            case .json: PlanFile.prettyJSON(Self.plan)
            case .csv: Array(CSVReport.render(Self.plan).utf8)
            case .ldif: Array(try LDIFReport.render(Self.plan).utf8)
            case .html: Array(HTMLReport.render(Self.plan).utf8)
            }
        #expect(try Report.render(Self.plan, format: format, color: true) == expected)
        #expect(JSONReport.render(Self.plan) == PlanFile.prettyJSON(Self.plan))
    }

    @Test("the same plan gives the same bytes, however its dictionaries were built", arguments: ReportFormat.allCases)
    func deterministic(format: ReportFormat) throws {
        func plan(reversed: Bool) -> Plan {
            let pairs = [
                ("objectClass", ["top", "person"]), ("cn", ["lower"]), ("CN", ["upper"]), ("sn", ["S"]),
                ("ObjectClass", ["remote-address"]), ("Target-Address", ["CCMAIL:A at B"]), ("uid", ["u"]),
            ]
            var attributes: [String: [String]] = [:]
            for (name, values) in reversed ? pairs.reversed() : pairs {
                attributes[name] = values
            }
            var before: [String: [String]] = [:]
            for (name, values) in reversed ? pairs.reversed() : pairs {
                before[name] = values
            }
            var sample = SamplePlan.plan
            sample.changes.append(
                Plan.Change(
                    id: 13, kind: .create, dn: "cn=Case,ou=Site,o=Org", ccmailName: "Case, C",
                    situation: .recipientMissing, rule: .ownRecipient, attributes: attributes))
            sample.changes.append(
                Plan.Change(
                    id: 14, kind: .modify, dn: "cn=Case,ou=Site,o=Org", ccmailName: "Case, C", situation: .undo,
                    rule: .journal, modifications: [.init(op: .delete, attribute: "cn", values: ["UPPER"])],
                    before: before))
            sample.changes.append(
                Plan.Change(
                    id: 15, kind: .delete, dn: "cn=Case,ou=Site,o=Org", ccmailName: "Case, C", situation: .undo,
                    rule: .journal, before: before))
            return PlanFile.sealed(sample)
        }
        let first = try Report.render(plan(reversed: false), format: format, color: false)
        let second = try Report.render(plan(reversed: true), format: format, color: false)
        let decoded = try PlanFile.decode(PlanFile.prettyJSON(plan(reversed: true)), file: "plan.json")
        #expect(first == second)
        #expect(first == (try Report.render(decoded, format: format, color: false)))
    }

    @Test("an empty plan says there is nothing to do, in every format")
    func empty() throws {
        let plan = PlanFile.sealed(
            Plan(
                profile: .exchange2000, baseDN: "dc=example,dc=org", customRecipientContainer: "ou=C,dc=example,dc=org",
                inputs: [], summary: .init(), changes: [], findings: []))
        #expect(
            TextReport.render(plan, color: false).contains("\nNo changes: the directory is in step with cc:Mail.\n"))
        #expect(HTMLReport.render(plan).contains("<p>No changes: the directory is in step with cc:Mail.</p>"))
        #expect(HTMLReport.render(plan).contains("Within thresholds."))
        #expect(CSVReport.render(plan) == CSVReport.header.joined(separator: ",") + "\r\n")
        #expect(try LDIFReport.render(plan) == "version: 1\n# ccdirsync plan \(plan.planHash)\n")
        #expect(SuggestionsCSV.render(plan) == "ccmail_name,mailbox\r\n")
    }
}
