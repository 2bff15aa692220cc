import Foundation
import Testing

@testable import Sync

/// The plan reader reads what `JSONDecoder` reads, and gives up on anything else rather than read it differently.
@Suite struct PlanReaderTests {
    static func decoded(_ bytes: [UInt8]) -> Plan? {
        try? JSONDecoder().decode(Plan.self, from: Data(bytes))
    }

    @Test("the plan file as ccdirsync writes it is read as JSONDecoder reads it")
    func readsWhatJSONDecoderReads() throws {
        for plan in [try PlanSchemaTests.samplePlan(), try PlanReadingTests.trickyPlan()] {
            let file = PlanFile.prettyJSON(plan)
            let read = try #require(PlanReader.read(file))
            #expect(read == plan)
            #expect(read == Self.decoded(file))
            #expect(PlanReader.read(PlanFile.canonicalJSON(plan)) == plan, "compact form")
        }
    }

    @Test(
        "gives up on what it does not know, so JSONDecoder decides",
        arguments: [
            ("an unknown member", "\"baseDN\"", "\"extra\" : 1, \"baseDN\""),
            ("a member given twice", "\"baseDN\"", "\"baseDN\" : \"x\", \"baseDN\""),
            ("a missing member", "\"planHash\"", "\"planHashX\""),
            ("a fraction", "\"schemaVersion\" : 1", "\"schemaVersion\" : 1.0"),
            ("a lone surrogate", "\"baseDN\" : \"", "\"baseDN\" : \"\\uD834"),
            ("an unknown kind", "\"kind\" : \"modify\"", "\"kind\" : \"rename\""),
            ("a leading zero", "\"schemaVersion\" : 1", "\"schemaVersion\" : 01"),
            ("text after the plan", "\n}\n", "\n}\n{}"),
        ])
    func givesUp(what: String, original: String, replacement: String) throws {
        let file = String(decoding: PlanFile.prettyJSON(try PlanReadingTests.trickyPlan()), as: UTF8.self)
        #expect(file.contains(original), "\(what): the sample no longer holds \(original)")
        let edited = Array(file.replacingOccurrences(of: original, with: replacement).utf8)
        #expect(PlanReader.read(edited) == nil, "\(what)")
    }

    /// Thousands of damaged copies of a plan file: whatever the reader still accepts, `JSONDecoder` reads the same.
    @Test("on damaged plan files the reader never reads differently from JSONDecoder")
    func damagedFiles() throws {
        let file = PlanFile.prettyJSON(try PlanReadingTests.trickyPlan())
        let alphabet = Array("{}[]\",:\\ 0123456789-.eEtrufalsn\u{7F}".utf8) + [0x00, 0x0A, 0xC3, 0xA9, 0xFF]
        var generator = SystemRandomNumberGenerator()
        var accepted = 0
        for _ in 0..<4_000 {
            var damaged = file
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let at = Int.random(in: 0..<damaged.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: damaged[at] = alphabet.randomElement(using: &generator) ?? 0
                case 1: damaged.remove(at: at)
                default: damaged.insert(alphabet.randomElement(using: &generator) ?? 0, at: at)
                }
            }
            guard let read = PlanReader.read(damaged) else {
                continue
            }
            accepted += 1
            #expect(read == Self.decoded(damaged), "\(String(decoding: damaged, as: UTF8.self))")
        }
        // Damage inside strings and white space leaves files both read, so the comparison is not empty.
        #expect(accepted > 100)
    }

    @Test("PlanFile.decode still refuses an edited plan with JSONDecoder's words")
    func decodeRefusesEdits() throws {
        let plan = try PlanReadingTests.trickyPlan()
        var text = String(decoding: PlanFile.prettyJSON(plan), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"baseDN\" : \"", with: "\"baseDN\" : \"x")
        #expect(throws: PlanFile.Error.self) { try PlanFile.decode(Array(text.utf8), file: "plan.json") }
        #expect(try PlanFile.decode(PlanFile.prettyJSON(plan), file: "plan.json") == plan)
    }
}
