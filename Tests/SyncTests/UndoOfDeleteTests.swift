import LDAPModel
import Sync
import TestSupport
import Testing

/// Undo of a run that deleted a custom recipient, against a directory that returns what AD returns for `*`: the
/// attributes the server keeps for itself, and a binary one that has no text value.
@Suite("Undo of a delete")
struct UndoOfDeleteTests {
    /// What AD adds to a contact read with `*`: none of it can be sent back in an add.
    static let serverKept: [Attribute] = [
        Attribute("objectGUID", values: [[0xD7, 0x3F, 0xFE, 0x80, 0x11, 0x9C, 0xFF, 0x42]]),
        Attribute("instanceType", strings: ["4"]),
        Attribute("whenCreated", strings: ["20261207093000.0Z"]),
        Attribute("uSNCreated", strings: ["4711"]),
        Attribute("objectCategory", strings: ["CN=Person,CN=Schema,CN=Configuration,DC=org,DC=example"]),
        Attribute("name", strings: ["FFormer"]),
    ]

    static func isProfileAttribute(_ name: String) -> Bool {
        Profile.exchange2000.recipientAttributes.contains { Entry.sameName($0, name) }
    }

    @Test("the deleted entry is journalled with the profile's attributes, and undo recreates it from them")
    func journalledAndRecreated() throws {
        let scenario = ApplierTests.scenario(.exchange2000)
        let directory = InMemoryDirectoryStore(entries: scenario.entries)
        let former = try #require(directory.entries.firstIndex { $0.dn.rdn?.value == "FFormer" })
        let asCreated = directory.entries[former]
        directory.entries[former].attributes += Self.serverKept
        directory.entries[former].add("distinguishedName", strings: [asCreated.dn.description])
        let plan = try ApplierTests.plan(scenario, directory)
        let journal = MemoryJournal()
        _ = Applier(writer: directory, journal: journal, options: ApplierTests.options).apply(plan)

        let deleted = try #require(journal.records.last { $0.kind == .delete && $0.outcome == .applied }?.entry)
        #expect(deleted.keys.allSatisfy(Self.isProfileAttribute), "\(deleted.keys.sorted())")
        #expect(deleted.values.allSatisfy { !$0.isEmpty })
        #expect(deleted["targetAddress"] == ["CCMAIL:Former, Fred at LONDON"])

        let undo = try UndoPlanner(settings: scenario.configuration.planSettings).plan(
            journal: journal.records, input: Plan.Input(path: "j", role: "journal", sha256: ""),
            exchange: try scenario.read(directory))
        let create = try #require(undo.changes.first { $0.kind == .create })
        #expect(create.attributes.keys.allSatisfy(Self.isProfileAttribute), "\(create.attributes.keys.sorted())")
        let result = Applier(writer: directory, journal: MemoryJournal(), options: ApplierTests.options).apply(undo)
        #expect(result.isComplete, "\(result.stale) \(result.failed)")
        let recreated = try #require(directory.entries.first { $0.dn == asCreated.dn })
        #expect(ApplierTests.normalized(recreated) == ApplierTests.normalized(asCreated))
    }

    @Test("a journal that kept the server's own attributes and one without values: undo leaves them out")
    func journalWrittenBefore() throws {
        let scenario = ApplierTests.scenario(.exchange2000)
        let directory = InMemoryDirectoryStore(entries: scenario.entries)
        let former = try #require(directory.entries.first { $0.dn.rdn?.value == "FFormer" })
        directory.entries.removeAll { $0.dn == former.dn }
        var entry: [String: [String]] = [:]
        for attribute in former.attributes + Self.serverKept {
            entry[attribute.name, default: []] += attribute.strings
        }
        entry["distinguishedName"] = [former.dn.description]
        #expect(entry["objectGUID"] == [], "a binary value has no text: the list is empty")
        let records = [
            JournalRecord(record: "start", planHash: "h", time: "t"),
            JournalRecord(
                record: "change", planHash: "h", time: "t", changeID: 1, kind: .delete, dn: former.dn.description,
                ccmailName: "Former, Fred", situation: .userGone, outcome: .applied, entry: entry),
            JournalRecord(record: "end", planHash: "h", time: "t"),
        ]
        let undo = try UndoPlanner(settings: scenario.configuration.planSettings).plan(
            journal: records, input: Plan.Input(path: "j", role: "journal", sha256: ""),
            exchange: try scenario.read(directory))
        let create = try #require(undo.changes.first)
        #expect(create.kind == .create)
        var expected: [String: [String]] = [:]
        for attribute in former.attributes {
            expected[attribute.name, default: []] += attribute.strings
        }
        #expect(create.attributes == expected)
    }
}
