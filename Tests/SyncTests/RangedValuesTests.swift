import LDAPModel
import Sync
import TestSupport
import Testing

/// A directory that sends a multi-valued attribute in parts, as AD does above MaxValRange
/// (`proxyAddresses;range=0-14`): the reader and the applier's re-read see every value, or refuse.
@Suite("Values sent in parts")
struct RangedValuesTests {
    /// A mailbox with 40 proxies, its MIGRATE value last, for a user who moved from PARIS to LONDON.
    static func scenario() -> Scenario {
        var scenario = Scenario(.exchange2000)
        let extra = (1...38).map { scenario.proxy("smtp", "john.smith\($0)@org.example") }
        scenario.mailbox(
            "JSmith", given: "John", sur: "Smith", proxies: extra + [scenario.migrate("Smith, John", "PARIS")])
        scenario.user("Smith, John", "PARIS")
        return scenario
    }

    @Test("the reader reads the parts the server held back: the mailbox keeps its MIGRATE value")
    func readerReadsTheRest() throws {
        let scenario = Self.scenario()
        let directory = InMemoryDirectoryStore(entries: scenario.entries)
        directory.maxValueRange = 15
        let exchange = try scenario.read(directory)
        let mailbox = try #require(exchange.mailboxes.first)
        #expect(mailbox.proxyValues.count == 40)
        #expect(mailbox.migrateValues.map(\.value) == [scenario.migrate("Smith, John", "PARIS")])
        #expect(
            directory.requests.map(\.attributes).filter { $0.count == 1 }
                == [["proxyAddresses;range=15-*"], ["proxyAddresses;range=30-*"]])
        let plan = try PlanBuilder(settings: scenario.configuration.planSettings).build(
            directory: try PlanBuilder.checkInputs(scenario.directory), exchange: exchange, mapping: nil, inputs: [])
        #expect(plan.changes.isEmpty, "\(plan.changes)")
    }

    @Test("a server that does not send the rest: the read fails naming the entry and the part")
    func readerRefuses() throws {
        let scenario = Self.scenario()
        let directory = InMemoryDirectoryStore(entries: scenario.entries)
        directory.maxValueRange = 15
        directory.sendsValueParts = false
        let error = try #require(throws: DirectoryStoreError.self) { try scenario.read(directory) }
        #expect(error.operation.contains("proxyAddresses;range=15-*"), "\(error)")
        #expect(error.operation.contains("cn=JSmith"), "\(error)")
        #expect(!error.isUnavailable)
    }

    @Test("the applier's re-read sees every value: a move whose old value is in a later part is applied")
    func applierRereadsWhole() throws {
        var scenario = Self.scenario()
        scenario.users = []
        scenario.user("Smith, John", "LONDON")
        let directory = InMemoryDirectoryStore(entries: scenario.entries)
        directory.assertionsSupported = false
        let plan = try ApplierTests.plan(scenario, directory)
        #expect(plan.changes.map(\.situation) == [.userMoved])
        directory.maxValueRange = 15
        let result = Applier(writer: directory, journal: MemoryJournal(), options: ApplierTests.options).apply(plan)
        #expect(result.stale.isEmpty && result.failed.isEmpty, "\(result.stale) \(result.failed)")
        #expect(result.modified == 1)
        let mailbox = try #require(directory.entries.first { $0.dn.rdn?.value == "JSmith" })
        #expect(mailbox.strings("proxyAddresses").contains(scenario.migrate("Smith, John", "LONDON")))
        #expect(!mailbox.strings("proxyAddresses").contains(scenario.migrate("Smith, John", "PARIS")))
    }

    @Test("the applier's re-read when the rest does not come: the change fails, nothing is written")
    func applierRefuses() throws {
        var scenario = Self.scenario()
        scenario.users = []
        scenario.user("Smith, John", "LONDON")
        let directory = InMemoryDirectoryStore(entries: scenario.entries)
        directory.assertionsSupported = false
        let plan = try ApplierTests.plan(scenario, directory)
        directory.maxValueRange = 15
        directory.sendsValueParts = false
        let result = Applier(writer: directory, journal: MemoryJournal(), options: ApplierTests.options).apply(plan)
        #expect(result.failed.count == 1)
        #expect(result.failed.first?.reason.contains("proxyAddresses;range=15-*") == true, "\(result.failed)")
        #expect(directory.sentOperations.isEmpty)
    }
}
