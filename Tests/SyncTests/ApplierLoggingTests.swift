import InMemoryLogging
import Logging
import Sync
import TestSupport
import Testing

/// What the applier logs, captured by swift-log's in-memory handler (no process-wide bootstrap).
@Suite("Applier logging")
struct ApplierLoggingTests {
    @Test("a busy result is logged as a retry naming the change's DN and id; a clean run logs no retry")
    func retryIsLoggedWithTheDN() throws {
        let scenario = ApplierTests.scenario(.exchange55)
        let directory = InMemoryDirectoryStore(entries: scenario.entries)
        let plan = try ApplierTests.plan(scenario, directory)
        let create = try #require(plan.changes.first { $0.kind == .create })
        directory.faults = [.init(dn: create.dn, failure: WriteFailure(code: 51, message: "busy"))]
        let handler = InMemoryLogHandler()
        var logger = Logger(label: "test") { _ in handler }
        logger.logLevel = .debug
        let result = Applier(writer: directory, journal: MemoryJournal(), options: ApplierTests.options, logger: logger)
            .apply(plan)
        #expect(result.isComplete)
        let retries = handler.entries.filter { $0.message == "retrying" }
        #expect(retries.count == 1, "\(handler.entries)")
        #expect(retries.first?.level == .debug)
        #expect(retries.first?.metadata["ldap.dn"] == "\(create.dn)")
        #expect(retries.first?.metadata["change.id"] == "\(create.id)")
        #expect(retries.first?.metadata["apply.attempt"] == "1")
        #expect(retries.first?.metadata["ldap.result"] == "result 51: busy")
        #expect(handler.entries.contains { $0.message == "apply" && $0.metadata["plan.hash"] == "\(plan.planHash)" })
    }

    @Test("a lost connection is logged at info with the reconnect; nothing at all at the default level otherwise")
    func lostConnectionIsInfo() throws {
        let scenario = ApplierTests.scenario(.exchange55)
        let directory = InMemoryDirectoryStore(entries: scenario.entries)
        let plan = try ApplierTests.plan(scenario, directory)
        let create = try #require(plan.changes.first { $0.kind == .create })
        directory.faults = [.init(dn: create.dn, failure: WriteFailure(code: 81, message: "connection lost"))]
        let handler = InMemoryLogHandler()
        var logger = Logger(label: "test") { _ in handler }
        logger.logLevel = .info
        let result = Applier(writer: directory, journal: MemoryJournal(), options: ApplierTests.options, logger: logger)
            .apply(plan)
        #expect(result.isComplete)
        #expect(handler.entries.map(\.message) == ["connection lost; reconnecting"])
        #expect(handler.entries.first?.level == .info)
    }
}
