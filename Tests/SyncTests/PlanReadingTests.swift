import Foundation
import Testing

@testable import Sync

/// `PlanFile.decode` reads what the plan format writes, reads other writers' spellings of the same JSON, and refuses
/// a damaged or edited file with words that name the file and the field or position.
@Suite("Reading a plan file")
struct PlanReadingTests {
    /// The sample plan with text that needs every kind of escape, text outside the BMP, and empty lists and maps.
    static func trickyPlan() throws -> Plan {
        var plan = try PlanSchemaTests.samplePlan()
        plan.findings.append(
            Plan.Finding(
                ccmailName: "Quote \" back\\slash\nnew\tline\r\u{08}\u{0C}\u{00}\u{01}\u{1F}\u{7F} é / ü 𝄞 e\u{301}",
                situation: .conflict, detail: "/x/", candidates: []))
        plan.changes.append(
            Plan.Change(
                id: 99, kind: .modify, dn: "cn=Zoë \\, 𝄞,ou=Site", ccmailName: "", situation: .userMoved,
                rule: .migrateValue, attributes: [:],
                modifications: [Plan.Modification(op: .delete, attribute: "otherMailbox", values: [])],
                before: ["otherMailbox": [], "x\"y": ["\u{2028}"]], preconditions: []))
        return PlanFile.sealed(plan)
    }

    @Test("the plan file and the canonical form read back as the plan")
    func readsWhatIsWritten() throws {
        for plan in [PlanFile.sealed(try PlanSchemaTests.samplePlan()), try Self.trickyPlan()] {
            #expect(try PlanFile.decode(PlanFile.prettyJSON(plan), file: "plan.json") == plan)
            #expect(try PlanFile.decode(PlanFile.canonicalJSON(plan), file: "plan.json") == plan, "compact form")
        }
    }

    @Test("escapes as another writer spells them: \\/, \\u with surrogate pairs, upper-case hex")
    func readsEscapes() throws {
        let plan = try Self.trickyPlan()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted]  // slashes escaped, keys in no particular order
        var text = String(decoding: try encoder.encode(plan), as: UTF8.self)
        // Literal replacements: a String comparison would take the decomposed `e\u{301}` for `é` too.
        text = text.replacingOccurrences(of: "𝄞", with: "\\uD834\\uDD1E", options: .literal)
        text = text.replacingOccurrences(of: "é", with: "\\u00E9", options: .literal)
        #expect(try PlanFile.decode(Array(text.utf8), file: "plan.json") == plan)
        #expect(PlanReader.read(Array(text.utf8)) == plan, "read by PlanReader itself, not through JSONDecoder")
    }

    @Test(
        "a damaged plan is refused with the file and the field or position",
        arguments: [
            ("an unknown kind", "\"kind\" : \"modify\"", "\"kind\" : \"rename\"", "changes[1].kind"),
            ("a missing member", "\"planHash\"", "\"planHashX\"", "planHash"),
            ("a wrong type", "\"schemaVersion\" : 1", "\"schemaVersion\" : \"1\"", "schemaVersion"),
            ("text cut short", "\n}\n", "\n", "end of file"),
            ("a stray character", "\"baseDN\" : \"", "\"baseDN\" : x\"", "around character 15"),
        ])
    func namesFileAndPlace(what: String, original: String, replacement: String, place: String) throws {
        let file = String(decoding: PlanFile.prettyJSON(try Self.trickyPlan()), as: UTF8.self)
        #expect(file.contains(original), "\(what): the sample no longer holds \(original)")
        let edited = Array(file.replacingOccurrences(of: original, with: replacement).utf8)
        let error = try #require(throws: PlanFile.Error.self, "\(what)") {
            try PlanFile.decode(edited, file: "plan.json")
        }
        #expect(error.file == "plan.json")
        #expect(error.message.contains(place), "\(what): \(error.message)")
    }

    @Test("an edited plan is refused: its content no longer matches its hash")
    func refusesEdits() throws {
        let plan = try Self.trickyPlan()
        var text = String(decoding: PlanFile.prettyJSON(plan), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"baseDN\" : \"", with: "\"baseDN\" : \"x")
        let error = try #require(throws: PlanFile.Error.self) {
            try PlanFile.decode(Array(text.utf8), file: "plan.json")
        }
        #expect(error.message.contains("does not match its planHash \(plan.planHash)"))
    }
}
