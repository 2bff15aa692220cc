import LDAPModel
import Reports
import Sync
import Testing

@Suite("Reports: LDIF")
struct LDIFReportTests {
    @Test(
        "reads back as the plan's DNs and changes, in order",
        arguments: [SamplePlan.plan] + SamplePlan.hostileNames.map(SamplePlan.hostile))
    func roundTrip(plan: Plan) throws {
        let records = try LDIFReader().read(try LDIFReport.render(plan))
        let changes = records.compactMap { record -> Change? in
            if case .change(let change) = record { return change }
            return nil
        }
        #expect(changes.count == records.count)
        try #require(changes.count == plan.changes.count)
        for (read, planned) in zip(changes, plan.changes) {
            #expect(read.dn == (try DistinguishedName(parsing: planned.dn)))
            switch (read, planned.kind) {
            case (.add(let entry), .create):
                #expect(entry.attributes.first?.name == "objectClass")
                var attributes: [String: [String]] = [:]
                for attribute in entry.attributes {
                    attributes[attribute.name, default: []] += attribute.strings
                }
                #expect(attributes == planned.attributes)
            case (.modify(_, let modifications), .modify):
                #expect(modifications.map(\.operation.rawValue) == planned.modifications.map(\.op.rawValue))
                #expect(modifications.map(\.attribute) == planned.modifications.map(\.attribute))
                #expect(
                    modifications.map { $0.values.map { String(decoding: $0, as: UTF8.self) } }
                        == planned.modifications.map(\.values))
            case (.delete, .delete):
                break
            default:
                Issue.record("change \(planned.id): read \(read), planned \(planned.kind)")
            }
        }
    }

    @Test("each record has a one-line comment naming id, situation and user", arguments: SamplePlan.hostileNames)
    func comments(name: String) throws {
        let plan = SamplePlan.hostile(name)
        let lines = try LDIFReport.render(plan).split(separator: "\n", omittingEmptySubsequences: false)
        let comments = lines.indices.filter { lines[$0].hasPrefix("#") }
        #expect(comments.count == 1 + plan.changes.count)
        for (index, change) in zip(comments.dropFirst(), plan.changes) {
            #expect(lines[index].hasPrefix("# \(change.id) \(change.situation.rawValue) "))
            #expect(lines[index + 1].hasPrefix("dn:"), "the comment does not spill into the record")
            #expect(lines[index - 1].isEmpty)
        }
        for index in comments {
            #expect(
                !lines[index].unicodeScalars.contains { $0.value < 0x20 || $0.properties.generalCategory == .format })
        }
    }

    @Test("a create lists objectClass first, then attributes by name, values in plan order")
    func createOrder() throws {
        let ldif = try LDIFReport.render(SamplePlan.hostile("N"))
        #expect(
            ldif.hasSuffix(
                "\n# 3 recipientMissing N\ndn: cn=N,ou=Site,o=Org\nchangetype: add\nobjectClass: top\ncn: N\n"
                    + "Target-Address: CCMAIL:N at X\n"))
        #expect(
            ldif.contains(
                "changetype: modify\ndelete: otherMailbox\notherMailbox: MIGRATE$CCMAIL:N at PARIS\n-\n"
                    + "add: otherMailbox\notherMailbox: MIGRATE$CCMAIL:N at LONDON\n-\n"))
    }

    @Test("a DN that does not parse is an error naming the change")
    func badDN() {
        var plan = SamplePlan.hostile("N")
        plan.changes[1].dn = "not a DN"
        #expect(throws: LDIFReportError.self) { try LDIFReport.render(plan) }
        do {
            _ = try LDIFReport.render(plan)
        } catch {
            #expect(error.changeID == 2)
        }
    }
}
