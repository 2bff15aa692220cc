import LDAPModel
import Sync
import TestSupport
import Testing

/// On a server without the assertion control the re-read is the only check of a change's preconditions: it must
/// come shortly before the change's write, not a whole phase earlier.
@Suite("Re-read window")
struct ReReadWindowTests {
    /// Reads and writes in the order the applier makes them.
    final class RecordingWriter: DirectoryWriter, @unchecked Sendable {
        enum Event: Equatable {
            case read(String)
            case write(String)
        }

        let store: InMemoryDirectoryStore
        var events: [Event] = []

        init(_ store: InMemoryDirectoryStore) {
            self.store = store
        }

        var supportsAssertions: Bool { store.supportsAssertions }

        func read(_ dn: DistinguishedName, attributes: [String]) throws(DirectoryStoreError) -> Entry? {
            events.append(.read(dn.normalized))
            return try store.read(dn, attributes: attributes)
        }

        func write(
            _ operations: [WriteOperation], window: Int, onSend: (Int) -> Bool,
            onResult: (Int, WriteOutcome) -> Void
        ) {
            store.write(operations, window: window) { index in
                events.append(.write(operations[index].change.dn.normalized))
                return onSend(index)
            } onResult: { index, outcome in
                onResult(index, outcome)
            }
        }

        func reconnect() throws(DirectoryStoreError) {
            try store.reconnect()
        }
    }

    /// 40 users who moved post office: 40 MIGRATE replacements, each read before it is written.
    static func scenario() -> Scenario {
        var scenario = Scenario(.exchange2000)
        for index in 1...40 {
            scenario.mailbox(
                "U\(index)", given: "User", sur: "Number\(index)",
                proxies: [scenario.migrate("Number\(index), User", "PARIS")])
            scenario.user("Number\(index), User", "LONDON")
        }
        return scenario
    }

    @Test("each change is read at most one batch before its write goes out", arguments: [1, 7, 16, 40, 100])
    func readShortlyBeforeWrite(batch: Int) throws {
        let scenario = Self.scenario()
        let store = InMemoryDirectoryStore(entries: scenario.entries)
        store.assertionsSupported = false
        let plan = try PlanBuilder(settings: scenario.configuration.planSettings).build(
            directory: try PlanBuilder.checkInputs(scenario.directory), exchange: try scenario.read(store),
            mapping: nil, inputs: [])
        #expect(plan.changes.count == 40 && plan.changes.allSatisfy { $0.kind == .modify })
        let writer = RecordingWriter(store)
        var options = Applier.Options()
        options.sleep = { _ in }
        options.batch = batch
        let result = Applier(writer: writer, journal: MemoryJournal(), options: options).apply(plan)
        #expect(result.isComplete && result.modified == 40)
        // Between the read of an entry and its write, at most `batch` - 1 other entries are read.
        for (position, event) in writer.events.enumerated() {
            guard case .write(let dn) = event else { continue }
            let read = try #require(writer.events[..<position].lastIndex(of: .read(dn)), "\(dn) written unread")
            let readsBetween = writer.events[(read + 1)..<position].filter {
                if case .read = $0 { return true } else { return false }
            }.count
            #expect(readsBetween < batch, "\(dn): \(readsBetween) reads between its read and its write")
        }
        #expect(
            try PlanBuilder(settings: scenario.configuration.planSettings).build(
                directory: try PlanBuilder.checkInputs(scenario.directory), exchange: try scenario.read(store),
                mapping: nil, inputs: []
            ).changes.isEmpty)
    }
}
