import Foundation
import LDAPModel
import Reports
import Sync
import TestSupport
import Testing

@Suite("Reports")
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

    @Test("the same plan gives the same bytes in every format", arguments: ReportFormat.allCases)
    func deterministic(format: ReportFormat) throws {
        #expect(
            try Report.render(Self.plan, format: format, color: false)
                == Report.render(Self.plan, format: format, color: false))
    }

    @Test("HTML: every hostile value is escaped, only the page's own script runs, nothing external")
    func htmlEscapes() {
        let html = HTMLReport.render(Self.plan)
        #expect(html.components(separatedBy: "<script>").count == 2, "exactly one script element: the page's own")
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;, X"))
        #expect(html.contains("&lt;b&gt;another&lt;/b&gt;"))
        #expect(!html.contains("<b>"))
        #expect(html.contains("=HYPERLINK(&quot;http://evil.example&quot;), Z"))
        #expect(!html.contains("src="))
        #expect(!html.contains("href="))
        #expect(
            html.components(separatedBy: "http://").dropFirst().allSatisfy { $0.hasPrefix("evil.example&quot;") },
            "the only URLs are the escaped hostile value")
        #expect(html.contains("default-src 'none'"))
        #expect(html.contains("class=\"del\""))
        #expect(html.contains("class=\"add\""))
    }

    @Test("HTML shows values before and after a modify")
    func htmlBeforeAfter() {
        let html = HTMLReport.render(Self.plan)
        #expect(html.contains("<code class=\"del\">otherMailbox: MIGRATE$CCMAIL:Smith, John at PARIS</code>"))
        #expect(html.contains("<code class=\"add\">otherMailbox: MIGRATE$CCMAIL:Smith, John at LONDON</code>"))
    }

    @Test("CSV: RFC 4180 quoting and a formula guard")
    func csv() {
        let csv = CSVReport.render(Self.plan)
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines.first == CSVReport.header.joined(separator: ","))
        #expect(csv.contains("\"'=HYPERLINK(\"\"http://evil.example\"\"), Z\""))
        #expect(!csv.contains(",=HYPERLINK") && !csv.contains(",\"=HYPERLINK"))
        #expect(csv.contains("\"*)(uid=*, Y\""))
        #expect(csv.contains("\"Line\nBreak, Q\""), "a newline stays inside its quoted field")
        #expect(
            csv.contains(
                "\"otherMailbox -MIGRATE$CCMAIL:Smith, John at PARIS | otherMailbox +MIGRATE$CCMAIL:Smith, John at LONDON\""
            ))
    }

    @Test("text: colour only when asked; control characters cannot forge lines")
    func text() {
        let plain = TextReport.render(Self.plan, color: false)
        let coloured = TextReport.render(Self.plan, color: true)
        #expect(!plain.contains("\u{1B}"))
        #expect(coloured.contains("\u{1B}[32m"))
        #expect(plain.contains("Line\\nBreak, Q"))
        #expect(!plain.contains("Line\nBreak"))
        #expect(plain.contains("OVER THRESHOLD: deletes: 2 > 1"))
    }

    @Test("an empty plan says there is nothing to do")
    func empty() {
        let plan = PlanFile.sealed(
            Plan(
                profile: .exchange2000, baseDN: "dc=example,dc=org", customRecipientContainer: "ou=C,dc=example,dc=org",
                inputs: [], summary: .init(), changes: [], findings: []))
        #expect(TextReport.render(plan, color: false).contains("No changes: the directory is in step with cc:Mail."))
        #expect(HTMLReport.render(plan).contains("No changes"))
    }

    @Test("LDIF reads back as the plan's changes, in order")
    func ldifRoundTrip() throws {
        let ldif = try LDIFReport.render(Self.plan)
        let records = try LDIFReader().read(ldif)
        let changes = records.compactMap { record -> Change? in
            if case .change(let change) = record { return change }
            return nil
        }
        #expect(changes.count == Self.plan.changes.count)
        for (change, planned) in zip(changes, Self.plan.changes) {
            #expect(change == (try LDIFReport.ldapChange(planned)))
        }
        #expect(!ldif.contains("# 12 recipientMissing Line\nBreak"), "a comment stays on one line")
    }

    @Test("suggestions are a mapping file ccdirsync reads back")
    func suggestions() {
        let csv = SuggestionsCSV.render(Self.plan)
        #expect(csv == "ccmail_name,mailbox\r\n\"Miller, Ann\",\"cn=AMiller,cn=Recipients,ou=Site,o=Org\"\r\n")
    }
}
