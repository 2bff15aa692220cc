import CCMail
import Config
import LDAPModel
import Sync
import TestSupport
import Testing

/// The applier against the in-memory directory: convergence, stale, already-done, retries, journal, undo.
@Suite("Applier")
struct ApplierTests {
    /// A scenario with one change of each kind: a user who moved, a new recipient, a recipient to update, one gone.
    static func scenario(_ profile: Profile) -> Scenario {
        var scenario = Scenario(profile)
        scenario.mailbox("JSmith", given: "John", sur: "Smith", proxies: [scenario.migrate("Smith, John", "PARIS")])
        scenario.ownedRecipient("NGarcon", name: "Garçon, Noël", po: "LONDON", display: "Noël Garçon")
        scenario.ownedRecipient("FFormer", name: "Former, Fred", po: "LONDON", display: "Fred Former")
        scenario.user("Smith, John", "LONDON")
        scenario.user("Garçon, Noël", "PARIS")
        scenario.user("Dupont, Hélène", "PARIS")
        return scenario
    }

    /// Options that never wait.
    static var options: Applier.Options {
        var options = Applier.Options()
        options.sleep = { _ in }
        return options
    }

    static func plan(_ scenario: Scenario, _ directory: InMemoryDirectoryStore) throws -> Plan {
        try PlanBuilder(settings: scenario.configuration.planSettings).build(
            directory: try PlanBuilder.checkInputs(scenario.directory), exchange: try scenario.read(directory),
            mapping: nil, inputs: [])
    }

    @Test("apply then plan again: nothing left, with and without assertions", arguments: bothProfiles, [true, false])
    func converges(profile: Profile, assertions: Bool) throws {
        let scenario = Self.scenario(profile)
        let directory = InMemoryDirectoryStore(entries: scenario.entries)
        directory.assertionsSupported = assertions
        let plan = try Self.plan(scenario, directory)
        #expect(plan.changes.map(\.kind) == [.delete, .modify, .modify, .create])
        let result = Applier(writer: directory, journal: MemoryJournal(), options: Self.options).apply(plan)
        #expect(result.isComplete)
        #expect((result.created, result.modified, result.deleted) == (1, 2, 1))
        #expect(try Self.plan(scenario, directory).changes.isEmpty)
    }

    @Test("applying the same plan twice: the second run finds everything done and writes nothing new")
    func alreadyDone() throws {
        let scenario = Self.scenario(.exchange55)
        let directory = InMemoryDirectoryStore(entries: scenario.entries)
        let plan = try Self.plan(scenario, directory)
        _ = Applier(writer: directory, journal: MemoryJournal(), options: Self.options).apply(plan)
        let after = directory.entries
        let second = Applier(writer: directory, journal: MemoryJournal(), options: Self.options).apply(plan)
        #expect(second.isComplete)
        #expect(second.alreadyDone == plan.changes.count)
        #expect(second.created + second.modified + second.deleted == 0)
        #expect(directory.entries == after)
    }

    @Test("changes made stale are skipped, never forced", arguments: [true, false])
    func stale(assertions: Bool) throws {
        let scenario = Self.scenario(.exchange2000)
        let directory = InMemoryDirectoryStore(entries: scenario.entries)
        directory.assertionsSupported = assertions
        let plan = try Self.plan(scenario, directory)
        // An administrator removes the mark from NGarcon and deletes JSmith's old MIGRATE value.
        let garcon = try #require(directory.entries.firstIndex { $0.dn.rdn?.value == "NGarcon" })
        directory.entries[garcon].remove("adminDescription")
        let smith = try #require(directory.entries.firstIndex { $0.dn.rdn?.value == "JSmith" })
        let kept = directory.entries[smith].strings("proxyAddresses").filter { !$0.hasPrefix("MIGRATE") }
        directory.entries[smith].set("proxyAddresses", values: kept.map { Array($0.utf8) })
        let result = Applier(writer: directory, journal: MemoryJournal(), options: Self.options).apply(plan)
        #expect(Set(result.stale.map(\.change.ccmailName)) == ["Garçon, Noël", "Smith, John"])
        #expect(result.failed.isEmpty)
        #expect(result.created == 1 && result.deleted == 1)
        let unmarked = try #require(directory.entries.first { $0.dn.rdn?.value == "NGarcon" })
        #expect(unmarked.strings("targetAddress") == ["CCMAIL:Garçon, Noël at LONDON"], "untouched")
    }

    @Test("busy twice, then accepted: retried with doubling backoff")
    func retries() throws {
        let scenario = Self.scenario(.exchange55)
        let directory = InMemoryDirectoryStore(entries: scenario.entries)
        let plan = try Self.plan(scenario, directory)
        let create = try #require(plan.changes.first { $0.kind == .create })
        directory.faults = [
            .init(dn: create.dn, failure: WriteFailure(code: 51, message: "busy")),
            .init(dn: create.dn, failure: WriteFailure(code: 51, message: "busy")),
        ]
        let delays = DelayLog()
        var options = Self.options
        options.sleep = { delays.add($0) }
        let result = Applier(writer: directory, journal: MemoryJournal(), options: options).apply(plan)
        #expect(result.isComplete)
        #expect(result.created == 1)
        #expect(delays.values.count == 2)
        #expect(delays.values[0] >= 0.5 && delays.values[0] <= 0.75)
        #expect(delays.values[1] >= 1.0 && delays.values[1] <= 1.5)
    }

    @Test("a server that stays away: bounded attempts, reported unavailable")
    func givesUp() throws {
        let scenario = Self.scenario(.exchange55)
        let directory = InMemoryDirectoryStore(entries: scenario.entries)
        let plan = try Self.plan(scenario, directory)
        let create = try #require(plan.changes.first { $0.kind == .create })
        directory.faults = Array(
            repeating: .init(dn: create.dn, failure: WriteFailure(code: 81, message: "down")), count: 50)
        var options = Self.options
        options.maxAttempts = 3
        let result = Applier(writer: directory, journal: MemoryJournal(), options: options).apply(plan)
        #expect(result.failed.map(\.change.dn) == [create.dn])
        #expect(result.failed.first?.wasUnavailable == true)
        #expect(directory.sentOperations.filter { $0.change.dn.description == create.dn }.count == 3)
        #expect(directory.reconnects == 2, "reconnects before each retry of a lost connection")
    }

    @Test("a result lost after the server acted: the retry finds the work done", arguments: [true, false])
    func lostResult(assertions: Bool) throws {
        let scenario = Self.scenario(.exchange2000)
        let directory = InMemoryDirectoryStore(entries: scenario.entries)
        directory.assertionsSupported = assertions
        let plan = try Self.plan(scenario, directory)
        directory.faults = plan.changes.map {
            .init(dn: $0.dn, failure: WriteFailure(code: 81, message: "connection lost"), afterApplying: true)
        }
        let result = Applier(writer: directory, journal: MemoryJournal(), options: Self.options).apply(plan)
        #expect(result.isComplete, "\(result.failed)")
        #expect(result.alreadyDone == plan.changes.count)
        #expect(try Self.plan(scenario, directory).changes.isEmpty)
    }

    @Test("the journal records each write before it is sent and after; undo restores the directory exactly")
    func journalAndUndo() throws {
        let scenario = Self.scenario(.exchange55)
        let directory = InMemoryDirectoryStore(entries: scenario.entries)
        let before = Set(directory.entries)
        let plan = try Self.plan(scenario, directory)
        let journal = MemoryJournal()
        _ = Applier(writer: directory, journal: journal, options: Self.options).apply(plan)
        let changes = journal.records.filter { $0.record == "change" }
        #expect(
            changes.map(\.outcome)
                == Array(repeating: [JournalRecord.Outcome.sent, .applied], count: plan.changes.count).flatMap { $0 })
        let deleted = try #require(changes.first { $0.kind == .delete && $0.outcome == .applied })
        #expect(deleted.entry?["objectClass"] != nil, "a deleted entry is journalled whole, for undo")
        let undo = try UndoPlanner(settings: scenario.configuration.planSettings).plan(
            journal: journal.records, input: Plan.Input(path: "j", role: "journal", sha256: ""),
            exchange: try scenario.read(directory))
        #expect(undo.changes.map(\.kind) == [.delete, .modify, .modify, .create])
        let result = Applier(writer: directory, journal: MemoryJournal(), options: Self.options).apply(undo)
        #expect(result.isComplete, "\(result.stale) \(result.failed)")
        #expect(Set(directory.entries.map(Self.normalized)) == Set(before.map(Self.normalized)))
    }

    @Test("journal lines written by hand read back as the same records")
    func lines() throws {
        let scenario = Self.scenario(.exchange2000)
        let directory = InMemoryDirectoryStore(entries: scenario.entries)
        let journal = MemoryJournal()
        _ = Applier(writer: directory, journal: journal, options: Self.options).apply(
            try Self.plan(scenario, directory))
        var records = journal.records
        records.append(JournalRecord(record: "change", planHash: "h", time: "t", reason: "quote \" nl \n tab \t é"))
        let bytes = records.flatMap(\.line)
        #expect(try JournalRecord.read(bytes, file: "j") == records)
        #expect(records.allSatisfy { $0.line.last == 0x0A && !$0.line.dropLast().contains(0x0A) })
    }

    @Test("a journal cut short by a kill reads up to the last whole line")
    func truncatedJournal() throws {
        let line = JournalRecord(record: "start", planHash: "h", time: "t").line
        let bytes = line + line + Array(line.prefix(10))
        #expect(try JournalRecord.read(bytes, file: "j").count == 2)
        #expect(throws: PlanFile.Error.self) {
            try JournalRecord.read(Array(line.prefix(10)) + [0x0A] + line, file: "j")
        }
    }

    /// An entry with its attributes and values in a fixed order (undo may restore them in another).
    static func normalized(_ entry: Entry) -> String {
        let attributes = entry.attributes.map { "\($0.name.lowercased())=\($0.strings.sorted())" }.sorted()
        return "\(entry.dn.normalized) \(attributes)"
    }
}

/// Records the backoff delays the applier asks for.
final class DelayLog: @unchecked Sendable {
    private(set) var values: [Double] = []

    func add(_ value: Double) {
        values.append(value)
    }
}
