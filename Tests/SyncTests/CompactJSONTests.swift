import Crypto
import Foundation
import Testing

@testable import Sync

/// The canonical form written with the plan's shape spelled out is byte for byte the general writer's compact form.
@Suite("Compact JSON")
struct CompactJSONTests {
    private static func viaGeneralWriter(_ plan: Plan) -> [UInt8] {
        let out = JSONBytes()
        CanonicalJSON.write(plan, to: out)
        return out.bytes
    }

    @Test func sameBytesAsTheGeneralWriter() throws {
        var plan = try PlanSchemaTests.samplePlan()
        plan.findings.append(
            Plan.Finding(
                ccmailName: "Quote \" back\\slash\nnew\tline\r\u{08}\u{0C}\u{01}\u{1F}\u{7F} é / ü",
                situation: .conflict, detail: "/x/", candidates: ["a", "b\"c"]))
        plan.inputs.append(Plan.Input(path: "p\\q", role: "export PO1", sha256: "00"))
        plan.summary.thresholdReasons = ["deletes: 60 > 50", "\u{1}"]
        if var change = plan.changes.first {
            change.attributes = ["b": ["1", "2"], "a\"": [], "A": ["x\ny"], "é": ["é"]]
            change.before = [:]
            change.modifications = []
            change.preconditions = [Plan.Precondition(attribute: "x", present: [], absent: ["\\"])]
            plan.changes.append(change)
        }
        plan.changes.append(Plan.Change(kind: .delete, dn: "", ccmailName: "", situation: .userGone, rule: .journal))
        for form in [
            plan, PlanFile.sealed(plan),
            Plan(
                profile: plan.profile, baseDN: "", customRecipientContainer: "",
                inputs: [], summary: Plan.Summary(), changes: [], findings: []),
        ] {
            let expected = Self.viaGeneralWriter(form)
            #expect(CanonicalJSON.encode(form) == expected)
            #expect(CanonicalJSON.sha256(form) == SHA256.hash(data: expected))
        }
    }

    /// The compact writer sorts a map's members in place (an insertion sort of the table's positions); the general
    /// writer sorts the keys with the standard library. Maps of every size up to past a create's dozen attributes,
    /// with keys that differ in case, in length and outside ASCII, come out alike.
    @Test func mapsSortLikeTheGeneralWriter() throws {
        let keys = [
            "objectClass", "uid", "mail", "Mail", "cn", "CN", "sn", "givenName", "é", "e", "textEncodedORAddress",
            "proxyAddresses", "a", "", "extensionAttribute15", "extensionAttribute1",
        ]
        var plan = try PlanSchemaTests.samplePlan()
        guard let template = plan.changes.first else {
            Issue.record("the sample plan has no change")
            return
        }
        plan.changes = []
        for size in 0...keys.count {
            var change = template
            // A different starting key each time, so the table's own order varies too.
            let chosen = (0..<size).map { keys[($0 * 7 + size) % keys.count] }
            change.attributes = Dictionary(chosen.map { ($0, [$0, "v"]) }, uniquingKeysWith: { first, _ in first })
            change.before = Dictionary(chosen.reversed().map { ($0, []) }, uniquingKeysWith: { first, _ in first })
            plan.changes.append(change)
        }
        #expect(CanonicalJSON.encode(plan) == Self.viaGeneralWriter(plan))
    }

    @Test func sameHashAsTheGeneralWriterAcrossManyBuffers() throws {
        let plan = try CanonicalJSONTests.planWithManyChanges()
        let expected = Self.viaGeneralWriter(plan)
        #expect(expected.count > 4 * 65_536)
        #expect(CanonicalJSON.sha256(plan) == SHA256.hash(data: expected))
    }
}
