import Config
import Reports
import Sync
import Testing

@Suite("Reports: CSV and the suggestions mapping file")
struct CSVReportTests {
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    @Test(
        "RFC 4180 records: a header, one row per change and per finding, ten fields each",
        arguments: [
            SamplePlan.plan
        ] + SamplePlan.hostileNames.map(SamplePlan.hostile))
    func structure(plan: Plan) throws {
        let rows = try #require(Read.csv(CSVReport.render(plan)))
        #expect(rows.first == CSVReport.header)
        #expect(rows.count == 1 + plan.changes.count + plan.findings.count)
        #expect(rows.allSatisfy { $0.count == 10 })
        for row in rows {
            for field in row {
                #expect(field.unicodeScalars.first.map { !Self.formulaStarts.contains($0) } ?? true, "\(field)")
            }
        }
        for (row, change) in zip(rows.dropFirst(), plan.changes) {
            #expect(row[0] == "change" && row[1] == String(change.id) && row[2] == change.kind.rawValue)
            #expect(row[6] == change.dn)
        }
        for (row, finding) in zip(rows.dropFirst(1 + plan.changes.count), plan.findings) {
            #expect(row[0] == "finding" && row[3] == finding.situation.rawValue)
            #expect(row[9] == finding.candidates.joined(separator: " | "))
        }
    }

    @Test(
        "a value a spreadsheet would run gets a leading quote; other values are exact",
        arguments: SamplePlan.hostileNames)
    func formulaGuard(name: String) throws {
        let rows = try #require(Read.csv(CSVReport.render(SamplePlan.hostile(name))))
        let guarded = name.unicodeScalars.first.map(Self.formulaStarts.contains) ?? false
        #expect(rows[1][5] == (guarded ? "'" + name : name))
        #expect(
            rows[2][7].hasPrefix("otherMailbox -MIGRATE$CCMAIL:"), "attribute_changes starts with a name, unguarded")
        #expect(
            rows[2][7]
                == "otherMailbox -MIGRATE$CCMAIL:\(name) at PARIS | otherMailbox +MIGRATE$CCMAIL:\(name) at LONDON")
    }

    @Test("attribute_changes: creates every value, objectClass first; deletes what the entry held")
    func attributeChanges() throws {
        let rows = try #require(Read.csv(CSVReport.render(SamplePlan.hostile("N"))))
        #expect(rows[1][7] == "Target-Address -CCMAIL:N at LONDON")
        #expect(rows[3][7] == "objectClass +top | cn +N | Target-Address +CCMAIL:N at X")
        var plan = SamplePlan.hostile("N")
        plan.changes[1].modifications = [.init(op: .delete, attribute: "otherMailbox", values: [])]
        #expect(try #require(Read.csv(CSVReport.render(plan)))[2][7] == "otherMailbox -(every value)")
    }

    @Test("CRLF line ends, quotes doubled")
    func quoting() {
        let csv = CSVReport.render(SamplePlan.hostile("\"quoted\", Q"))
        #expect(csv.contains(",\"\"\"quoted\"\", Q\","))
        #expect(csv.hasSuffix("\r\n"))
        #expect(!csv.replacing("\r\n", with: "").contains("\n") || csv.contains("\"\n"))
    }

    @Test("suggestions: one row per suggestion, sorted, quoted")
    func suggestions() {
        #expect(
            SuggestionsCSV.render(SamplePlan.plan)
                == "ccmail_name,mailbox\r\n\"Miller, Ann\",\"cn=AMiller,cn=Recipients,ou=Site,o=Org\"\r\n")
    }

    @Test("suggestions read back with ccdirsync's mapping reader as they were, unguarded")
    func suggestionsRoundTrip() throws {
        var plan = SamplePlan.plan
        let names = SamplePlan.hostileNames.filter { $0.trimmingSpacesAndTabs == $0 } + ["Same, S", "Same, S"]
        plan.findings = names.enumerated().reversed().map { index, name in
            Plan.Finding(
                ccmailName: name, situation: .suggestion, detail: "name matches",
                candidates: ["cn=M\(index)\\, \(name.count),ou=Site,o=Org", "cn=Second,o=Org"])
        }
        plan.findings.append(.init(ccmailName: "No, Candidate", situation: .suggestion, detail: "none"))
        let text = SuggestionsCSV.render(plan)
        let mapping = try MappingFile.parse(Array(text.utf8), file: "suggestions.csv")
        let expected = plan.findings.compactMap { finding in
            finding.candidates.first.map { (finding.ccmailName, $0) }
        }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        #expect(mapping.rows.map(\.ccmailName) == expected.map(\.0))
        #expect(mapping.rows.map(\.mailbox) == expected.map(\.1))
        #expect(mapping.rows.contains { $0.ccmailName == SamplePlan.formulaName }, "no formula guard here")
    }
}

extension String {
    var trimmingSpacesAndTabs: String {
        var scalars = unicodeScalars[...]
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
