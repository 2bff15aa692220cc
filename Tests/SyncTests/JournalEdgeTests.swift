import LDAPModel
import Sync
import TestSupport
import Testing

/// The journal when things go wrong: answers lost after the server acted, and a journal that cannot be written.
@Suite("Journal at the edges")
struct JournalEdgeTests {
    /// A journal that takes `capacity` lines and refuses the rest, like a full disk.
    final class FullJournal: JournalSink {
        let capacity: Int
        private(set) var records: [JournalRecord] = []

        init(capacity: Int) {
            self.capacity = capacity
        }

        func append(_ record: JournalRecord) throws(JournalWriteError) {
            guard records.count < capacity else {
                throw JournalWriteError("No space left on device")
            }
            records.append(record)
        }
    }

    @Test(
        "answers lost after the server acted: journalled as unknown, and undo reverses them", arguments: [true, false])
    func lostAnswersUndone(assertions: Bool) throws {
        let scenario = ApplierTests.scenario(.exchange2000)
        let directory = InMemoryDirectoryStore(entries: scenario.entries)
        directory.assertionsSupported = assertions
        let before = Set(directory.entries.map(ApplierTests.normalized))
        let plan = try ApplierTests.plan(scenario, directory)
        directory.faults = plan.changes.map {
            .init(dn: $0.dn, failure: WriteFailure(code: 81, message: "connection lost"), afterApplying: true)
        }
        let journal = MemoryJournal()
        _ = Applier(writer: directory, journal: journal, options: ApplierTests.options).apply(plan)
        let last = Dictionary(
            journal.records.filter { $0.record == "change" }.map { ($0.changeID ?? 0, $0.outcome) }
        ) { _, new in new }
        #expect(last.values.allSatisfy { $0 == .unknown }, "\(last)")
        let undo = try UndoPlanner(settings: scenario.configuration.planSettings).plan(
            journal: journal.records, input: Plan.Input(path: "j", role: "journal", sha256: ""),
            exchange: try scenario.read(directory))
        let result = Applier(writer: directory, journal: MemoryJournal(), options: ApplierTests.options).apply(undo)
        #expect(result.isComplete, "\(result.stale) \(result.failed)")
        #expect(Set(directory.entries.map(ApplierTests.normalized)) == before)
    }

    @Test("an answer lost for a write that never landed: unknown, and its reversal writes nothing")
    func lostAnswerNotLanded() throws {
        let scenario = ApplierTests.scenario(.exchange55)
        let directory = InMemoryDirectoryStore(entries: scenario.entries)
        let plan = try ApplierTests.plan(scenario, directory)
        let modify = try #require(plan.changes.first { $0.kind == .modify && $0.ccmailName == "Smith, John" })
        directory.faults = [.init(dn: modify.dn, failure: WriteFailure(code: 81, message: "connection lost"))]
        var options = ApplierTests.options
        options.maxAttempts = 1
        let journal = MemoryJournal()
        let result = Applier(writer: directory, journal: journal, options: options).apply(plan)
        #expect(result.failed.map(\.change.id) == [modify.id])
        let line = try #require(journal.records.last { $0.changeID == modify.id })
        #expect(line.outcome == .unknown)
        #expect(line.modifications == modify.modifications, "what undo needs to reverse it")
        let undo = try UndoPlanner(settings: scenario.configuration.planSettings).plan(
            journal: journal.records, input: Plan.Input(path: "j", role: "journal", sha256: ""),
            exchange: try scenario.read(directory))
        let untouched = directory.entries.first { $0.dn.description == modify.dn }
        let reversal = Applier(writer: directory, journal: MemoryJournal(), options: ApplierTests.options).apply(undo)
        // The mailbox already looks as the reversal would leave it (its assertion fails, or the re-read shows it): it
        // is left as it is.
        #expect(reversal.failed.isEmpty, "\(reversal.failed)")
        #expect(directory.entries.first { $0.dn.description == modify.dn } == untouched)
    }

    @Test("a journal that cannot be written: nothing more is sent after the line that failed", arguments: [1, 4, 6])
    func journalFull(capacity: Int) throws {
        let scenario = ApplierTests.scenario(.exchange2000)
        let directory = InMemoryDirectoryStore(entries: scenario.entries)
        let plan = try ApplierTests.plan(scenario, directory)
        let journal = FullJournal(capacity: capacity)
        let result = Applier(writer: directory, journal: journal, options: ApplierTests.options).apply(plan)
        #expect(result.journalFailure?.contains("No space left on device") == true)
        #expect(!result.isComplete)
        let sentLines = journal.records.count { $0.outcome == .sent }
        // Each write that went out has its line; the one whose line failed did not go out, nor anything after it.
        #expect(directory.sentOperations.count == sentLines, "\(directory.sentOperations.count) \(sentLines)")
        #expect(directory.sentOperations.count < plan.changes.count)
    }
}
