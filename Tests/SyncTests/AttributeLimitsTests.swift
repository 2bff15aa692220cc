import LDAPModel
import Sync
import TestSupport
import Testing

/// Values longer than the server accepts (Active Directory's `rangeUpper`) are findings, never writes.
@Suite struct AttributeLimitsTests {
    static let longSurname = String(repeating: "Abcdefgh", count: 9)  // 72 characters: over sn's 64 in AD

    @Test("a surname over AD's 64 characters: no custom recipient, a finding naming sn and 64")
    func createOverTheLimit() throws {
        var scenario = Scenario(.exchange2000)
        scenario.user("\(Self.longSurname), Ann", "LONDON")
        scenario.user("Short, Sam", "LONDON")
        let plan = try scenario.plan()
        #expect(plan.changes(for: "\(Self.longSurname), Ann").isEmpty, "\(plan.changes)")
        #expect(plan.changes(for: "Short, Sam").map(\.kind) == [.create])
        let finding = try #require(plan.findings.first { $0.situation == .valueTooLong })
        #expect(finding.ccmailName == "\(Self.longSurname), Ann")
        #expect(finding.detail.contains("sn would be 72 characters long, and the server accepts at most 64"))
        #expect(finding.candidates.count == 1)
        #expect(plan.summary.findings == plan.findings.count)
    }

    @Test("a bound the server publishes takes the place of the profile's default")
    func serverBoundWins() throws {
        var scenario = Scenario(.exchange2000)
        scenario.user("\(Self.longSurname), Ann", "LONDON")
        scenario.publishedLimits = AttributeLimits(["sn": 100])
        #expect(try scenario.plan().changes(for: "\(Self.longSurname), Ann").map(\.kind) == [.create])
        scenario.publishedLimits = AttributeLimits(["displayName": 10])
        let plan = try scenario.plan()
        #expect(plan.changes(for: "\(Self.longSurname), Ann").isEmpty)
        #expect(plan.findings.contains { $0.situation == .valueTooLong && $0.detail.contains("displayName") })
    }

    @Test("an update in place over a limit is left out too; a MIGRATE value within it is written")
    func modifyOverTheLimit() throws {
        var scenario = Scenario(.exchange2000)
        scenario.user("Smith, John", "LONDON")
        _ = scenario.mailbox(
            "JSmith", given: "John", sur: "Smith", proxies: [scenario.proxy("ccmail", "Smith, John at LONDON")])
        scenario.publishedLimits = AttributeLimits(["proxyAddresses": 20])
        let plan = try scenario.plan()
        #expect(plan.changes(for: "Smith, John").isEmpty)
        let finding = try #require(plan.findings.first { $0.situation == .valueTooLong })
        #expect(finding.detail.contains("modify of migrateMissing"), "\(finding.detail)")
        scenario.publishedLimits = AttributeLimits(["proxyAddresses": 1123])
        #expect(try scenario.plan().changes(for: "Smith, John").count == 1)
    }

    @Test("lengths count UTF-16 code units, as AD counts a Unicode string's characters")
    func length() {
        #expect(AttributeLimits.length(of: "Müller") == 6)
        #expect(AttributeLimits.length(of: "🎉") == 2)
        #expect(AttributeLimits(["SN": 3]).limit(of: "sn") == 3)
        #expect(AttributeLimits(["sn": 3]).firstExcess("sn", ["abc", "abcd"])?.value == "abcd")
        #expect(Profile.exchange2000.attributeLimits.limit(of: "proxyAddresses") == 1123)
        #expect(Profile.exchange55.attributeLimits.isEmpty)
    }
}
