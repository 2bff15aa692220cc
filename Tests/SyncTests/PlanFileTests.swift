import Crypto
import Foundation
import TestSupport
import Testing

@testable import Sync

/// The plan file format: one writer for the hashed (canonical) form, the file (pretty) and the journal's lines.
@Suite("Plan file format")
struct PlanFileTests {
    @Test("the hashed form says exactly what the plan file says, keys sorted and compact")
    func sameContentAsThePlanFile() throws {
        var plan = try PlanSchemaTests.samplePlan()
        plan.findings.append(
            Plan.Finding(ccmailName: "Quote \" back\\slash\nnew\tline \u{01} é", situation: .conflict, detail: "/x/"))
        let canonical = PlanFile.canonicalJSON(plan)
        let viaEncoder = PlanFile.prettyJSON(plan)
        let left = try #require(try JSONSerialization.jsonObject(with: Data(canonical)) as? NSDictionary)
        let right = try #require(try JSONSerialization.jsonObject(with: Data(viaEncoder)) as? NSDictionary)
        #expect(left == right)
        #expect(!canonical.contains(UInt8(ascii: "\n")), "compact")
        #expect(String(decoding: canonical, as: UTF8.self).hasPrefix("{\"baseDN\":"), "keys sorted")
    }

    /// The sample plan with 3,000 changes: enough that a hashing writer hands its buffer on many times (every
    /// 64 KiB).
    static func planWithManyChanges() throws -> Plan {
        var plan = try PlanSchemaTests.samplePlan()
        let change = try #require(plan.changes.first)
        plan.changes = (0..<3_000).map { index in
            var copy = change
            copy.id = index
            copy.dn = "cn=User \(index),\(change.dn)"
            return copy
        }
        return plan
    }

    @Test("the plan file written in pieces is the plan file written whole, whatever the piece size")
    func prettyInPiecesEqualsWhole() throws {
        let plan = try Self.planWithManyChanges()
        let whole = PlanFile.prettyJSON(plan)
        for chunkSize in [64, 4_096, 1 << 20] {
            var pieces: [[UInt8]] = []
            PlanFile.writePrettyJSON(plan, chunkSize: chunkSize) { pieces.append($0) }
            #expect(pieces.reduce(into: []) { $0 += $1 } == whole, "chunk size \(chunkSize)")
            #expect(pieces.allSatisfy { !$0.isEmpty })
            if chunkSize < whole.count / 2 {
                #expect(pieces.count > 1, "chunk size \(chunkSize) hands over more than once")
            }
        }
    }

    @Test("the plan hash, computed while writing in pieces, is the hash of the whole canonical form")
    func hashStreamedEqualsHashOfWholeForm() throws {
        var plan = try Self.planWithManyChanges()
        let whole = PlanFile.canonicalJSON(plan)
        #expect(whole.count > 4 * 65_536)
        var unsealed = plan
        unsealed.planHash = ""
        #expect(PlanFile.hash(of: plan) == SHA256.hex(of: PlanFile.canonicalJSON(unsealed)))
        plan.changes[2_999].dn += "x"
        #expect(PlanFile.hash(of: plan) != SHA256.hex(of: PlanFile.canonicalJSON(unsealed)))
    }

    @Test("the plan file is byte for byte what JSONEncoder writes (sorted keys, pretty), escapes and empties included")
    func planFileAsJSONEncoderWritesIt() throws {
        var plan = try PlanSchemaTests.samplePlan()
        plan.findings.append(
            Plan.Finding(
                ccmailName: "Quote \" back\\slash\nnew\tline\r\u{08}\u{0C}\u{01}\u{1F}\u{7F} é / ü",
                situation: .conflict, detail: "/x/"))
        plan.inputs = []
        plan = PlanFile.sealed(plan)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        let expected = Array(try encoder.encode(plan)) + [0x0A]
        let written = PlanFile.prettyJSON(plan)
        #expect(
            written == expected,
            "\(String(decoding: written, as: UTF8.self))\n---\n\(String(decoding: expected, as: UTF8.self))")
        #expect(try PlanFile.decode(written, file: "plan.json") == plan)
    }

    /// A plan written by hand with every member, escapes, an empty map and an optional member: its canonical form,
    /// recorded when the plan's canonical form had a writer of its own, so a change to the form (and so to every
    /// plan hash) shows here.
    @Test("the canonical form is the recorded bytes: compact, keys sorted, control characters as \\u00XX")
    func canonicalFormAsRecorded() {
        let plan = Plan(
            profile: .exchange55, baseDN: "o=Org", customRecipientContainer: "ou=CC/x,o=Org",
            inputs: [Plan.Input(path: "a\\b.txt", role: "export PO1", sha256: "00", users: 2)],
            summary: Plan.Summary(create: 1, findings: 1, thresholdReasons: ["creates: 1 > 0"]),
            changes: [
                Plan.Change(
                    id: 1, kind: .create, dn: "cn=Zoë,ou=CC", ccmailName: "Zoë \"Z\"", situation: .recipientMissing,
                    rule: .ownRecipient, attributes: ["sn": ["Z"], "Target-Address": ["CCMAIL:Z at PO1"], "cn": []],
                    modifications: [Plan.Modification(op: .add, attribute: "info", values: ["tab\there"])],
                    preconditions: [Plan.Precondition(attribute: "info", absent: ["x"], noOthersStartingWith: "")])
            ],
            findings: [Plan.Finding(ccmailName: "new\nline", situation: .parseWarning, detail: "\u{01}\u{1F}/")])
        let expected =
            #"{"baseDN":"o=Org","changes":[{"attributes":{"Target-Address":["CCMAIL:Z at PO1"],"cn":[],"sn":["Z"]},"#
            + #""before":{},"ccmailName":"Zoë \"Z\"","dn":"cn=Zoë,ou=CC","id":1,"kind":"create","modifications":"#
            + #"[{"attribute":"info","op":"add","values":["tab\u0009here"]}],"preconditions":[{"absent":["x"],"#
            + #""attribute":"info","noOthersStartingWith":"","present":[]}],"rule":"ownRecipient","#
            + #""situation":"recipientMissing"}],"customRecipientContainer":"ou=CC/x,o=Org","findings":"#
            + #"[{"candidates":[],"ccmailName":"new\u000aline","detail":"\u0001\u001f/","situation":"parseWarning"}],"#
            + #""inputs":[{"path":"a\\b.txt","role":"export PO1","sha256":"00","users":2}],"planHash":"","#
            + #""profile":"exchange55","schemaVersion":1,"summary":{"create":1,"delete":0,"findings":1,"modify":0,"#
            + #""overThreshold":false,"thresholdReasons":["creates: 1 > 0"]}}"#
        #expect(String(decoding: PlanFile.canonicalJSON(plan), as: UTF8.self) == expected)
        #expect(PlanFile.hash(of: plan) == SHA256.hex(of: Array(expected.utf8)))
    }

    @Test("a journal line is one line of the canonical form, absent fields left out")
    func journalLineAsRecorded() {
        let record = JournalRecord(
            record: "change", planHash: "h", time: "t", changeID: 3, kind: .modify, dn: "cn=x\n",
            ccmailName: "A \"B\"", situation: .userMoved, outcome: .unknown,
            modifications: [
                .init(op: .add, attribute: "a", values: ["1", "\t"]), .init(op: .delete, attribute: "b", values: []),
            ],
            entry: ["z": ["1"], "A": [], "a": ["2"]], before: ["x": ["y"]], after: [:], reason: "quote \" é")
        let expected =
            #"{"after":{},"before":{"x":["y"]},"ccmailName":"A \"B\"","changeID":3,"dn":"cn=x\u000a","#
            + #""entry":{"A":[],"a":["2"],"z":["1"]},"kind":"modify","modifications":[{"attribute":"a","op":"add","#
            + #""values":["1","\u0009"]},{"attribute":"b","op":"delete","values":[]}],"outcome":"unknown","#
            + #""planHash":"h","reason":"quote \" é","record":"change","situation":"userMoved","time":"t"}"# + "\n"
        #expect(String(decoding: record.line, as: UTF8.self) == expected)
        #expect(
            String(decoding: JournalRecord(record: "start", planHash: "h", time: "t").line, as: UTF8.self)
                == #"{"planHash":"h","record":"start","time":"t"}"# + "\n")
    }

    /// Maps of every size, with keys that differ in case, in length and outside ASCII, in the order of `String`'s
    /// `<`, as JSONEncoder's `.sortedKeys` orders them.
    @Test("a value map's attributes are written in String order")
    func valueMapsSorted() throws {
        let keys = [
            "objectClass", "uid", "mail", "Mail", "cn", "CN", "sn", "givenName", "é", "e", "textEncodedORAddress",
            "proxyAddresses", "a", "", "extensionAttribute15", "extensionAttribute1",
        ]
        for size in 0...keys.count {
            let chosen = (0..<size).map { keys[($0 * 7 + size) % keys.count] }
            let map = Dictionary(chosen.map { ($0, ["v"]) }, uniquingKeysWith: { first, _ in first })
            var out = JSONWriter(.canonical)
            out.valueMap(map)
            let expected = "{" + map.keys.sorted().map { "\"\($0)\":[\"v\"]" }.joined(separator: ",") + "}"
            #expect(String(decoding: out.bytes, as: UTF8.self) == expected, "\(size)")
        }
    }

    @Test("the builder leaves sealing to the file format: its plan has no hash until PlanFile.sealed")
    func buildLeavesSealingToTheFormat() throws {
        let scenario = ApplierTests.scenario(.exchange2000)
        let plan = try ApplierTests.plan(scenario, InMemoryDirectoryStore(entries: scenario.entries))
        #expect(!plan.changes.isEmpty)
        #expect(plan.planHash.isEmpty)
        #expect(PlanFile.sealed(plan).planHash == PlanFile.hash(of: plan))
    }

    @Test("changing any field changes the hash")
    func everyFieldCounts() throws {
        let plan = PlanFile.sealed(try PlanSchemaTests.samplePlan())
        var edits: [(String, (inout Plan) -> Void)] = [
            ("baseDN", { $0.baseDN += "x" }), ("container", { $0.customRecipientContainer += "x" }),
            ("profile", { $0.profile = .exchange2000 }), ("schemaVersion", { $0.schemaVersion = 2 }),
            ("summary", { $0.summary.overThreshold.toggle() }),
            ("reasons", { $0.summary.thresholdReasons.append("x") }),
            ("inputs", { $0.inputs.append(.init(path: "p", role: "r", sha256: "s")) }),
            ("finding", { $0.findings[0].detail += "x" }), ("candidates", { $0.findings[0].candidates.append("x") }),
        ]
        let fields: [(String, (inout Plan.Change) -> Void)] = [
            ("dn", { $0.dn += "x" }), ("id", { $0.id += 100 }),
            ("kind", { $0.kind = $0.kind == .delete ? .create : .delete }),
            ("ccmailName", { $0.ccmailName += "x" }), ("situation", { $0.situation = .undo }),
            ("rule", { $0.rule = .journal }), ("attributes", { $0.attributes["x"] = ["y"] }),
            ("before", { $0.before["x"] = ["y"] }),
            ("modifications", { $0.modifications.append(.init(op: .add, attribute: "a", values: ["v"])) }),
            ("preconditions", { $0.preconditions.append(.init(attribute: "a", present: ["v"])) }),
        ]
        for (name, edit) in fields {
            edits.append((name, { plan in edit(&plan.changes[0]) }))
        }
        for (name, edit) in edits {
            var edited = plan
            edit(&edited)
            #expect(PlanFile.hash(of: edited) != plan.planHash, "\(name)")
        }
    }
}
