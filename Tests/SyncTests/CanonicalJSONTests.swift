import Crypto
import Foundation
import Sync
import Testing

@Suite("Canonical JSON")
struct CanonicalJSONTests {
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
