import Sync
import TestSupport
import Testing

@testable import Reports

@Suite("Reports: text")
struct TextReportTests {
    /// The report with this module's own SGR sequences removed.
    static func withoutColour(_ text: String) -> String {
        var text = text
        for code in ["0", "1", "31", "32", "33"] {
            text = text.replacing("\u{1B}[\(code)m", with: "")
        }
        return text
    }

    @Test("a count of one is singular: 1 finding")
    func singular() {
        var plan = SamplePlan.plan
        plan.summary.findings = 1
        #expect(TextReport.render(plan, color: false).contains(" to delete, 1 finding\n"))
        plan.summary.findings = 2
        #expect(TextReport.render(plan, color: false).contains(" to delete, 2 findings\n"))
    }

    @Test("colour codes only when asked, and only the report's own")
    func colour() {
        let plain = TextReport.render(SamplePlan.plan, color: false)
        let coloured = TextReport.render(SamplePlan.plan, color: true)
        #expect(!plain.contains("\u{1B}"))
        #expect(coloured.contains("\u{1B}[32m      + otherMailbox: MIGRATE$CCMAIL:Smith, John at LONDON\u{1B}[0m"))
        #expect(coloured.contains("\u{1B}[31m      - otherMailbox: MIGRATE$CCMAIL:Smith, John at PARIS\u{1B}[0m"))
        #expect(coloured.contains("\u{1B}[1m\u{1B}[33mDisputed: nothing written (1)\u{1B}[0m\u{1B}[0m"))
        #expect(Self.withoutColour(coloured) == plain, "colour adds codes and nothing else")
    }

    @Test("a hostile value cannot forge lines or terminal escapes", arguments: SamplePlan.hostileNames)
    func hostile(name: String) {
        let reference = TextReport.render(SamplePlan.hostile("plain"), color: false)
        for color in [false, true] {
            let text = Self.withoutColour(TextReport.render(SamplePlan.hostile(name), color: color))
            #expect(!text.contains("\u{1B}") && !text.contains("\r") && !text.contains("\u{7}"))
            #expect(!text.unicodeScalars.contains { $0.properties.generalCategory == .format })
            #expect(
                text.split(separator: "\n", omittingEmptySubsequences: false).count
                    == reference.split(separator: "\n", omittingEmptySubsequences: false).count,
                "as many lines as the same plan with a plain name")
            #expect(text.contains("cc:Mail user \(Wording.visible(name)); "))
        }
    }

    @Test("the layout: header, threshold line, groups in situation order, DNs as written")
    func layout() {
        let text = TextReport.render(SamplePlan.plan, color: false)
        #expect(text.hasPrefix("ccdirsync plan — profile exchange55, base ou=Site,o=Org\n"))
        #expect(text.contains("\ninput london.exp (export LONDON) sha256 abababababababab\n"))
        #expect(text.contains("\nsummary: 5 to create, 5 to modify, 2 to delete, 11 findings\n"))
        #expect(text.contains("\nOVER THRESHOLD: deletes: 2 > 1 — apply needs --approve \(SamplePlan.plan.planHash)\n"))
        #expect(text.contains("\n  #3 modify cn=Smith\\, John,cn=Recipients,ou=Site,o=Org\n"), "RFC 4514 escapes kept")
        #expect(text.contains("C:\\ccmail\\\\new\\paris.exp"), "a backslash is doubled only before an escape letter")
        let titles = Plan.Situation.allCases.map(Wording.title) + Plan.FindingSituation.allCases.map(Wording.title)
        let positions = titles.compactMap { title in text.firstRange(of: "\n\(title) (")?.lowerBound }
        #expect(positions.count == titles.count - 1, "every situation but undo has a group")
        #expect(positions == positions.sorted())
        #expect(!text.contains("No changes"))
    }

    @Test("a delete without values says it removes every value")
    func deleteEveryValue() {
        var plan = SamplePlan.hostile("plain")
        plan.changes[1].modifications = [.init(op: .delete, attribute: "otherMailbox", values: [])]
        #expect(TextReport.render(plan, color: false).contains("\n      - otherMailbox: (every value)\n"))
    }
}

@Suite("Reports: control characters spelled out")
struct VisibleTests {
    @Test(
        "spellings",
        arguments: [
            ("plain", "plain"), ("a\nb", "a\\nb"), ("a\r\nb", "a\\r\\nb"), ("\t", "\\t"), ("\u{1B}[31m", "\\u{1B}[31m"),
            ("\u{0}", "\\u{0}"), ("\u{85}", "\\u{85}"), ("\u{202E}", "\\u{202E}"), ("\u{2028}", "\\u{2028}"),
            ("cn=Smith\\, John", "cn=Smith\\, John"), ("C:\\new", "C:\\\\new"), ("a\\", "a\\"), ("\\\\", "\\\\\\"),
            ("\\u{41}", "\\\\u{41}"), ("\\\n", "\\\\\\n"), ("Müller, Jürgen", "Müller, Jürgen"), ("Øster", "Øster"),
        ])
    func spelling(value: String, expected: String) {
        #expect(Wording.visible(value) == expected)
    }

    @Test("the spelling is single-line, free of controls, and reads back as the value")
    func roundTrip() {
        var generator = SeededGenerator(seed: 0x5EED)
        let alphabet: [Unicode.Scalar] = [
            "\\", "n", "r", "t", "u", "{", "}", "1", "B", "\n", "\r", "\t", "\u{1B}", "\u{7F}", "\u{202E}", "\u{2029}",
            "a", "é", ",", " ",
        ]
        for _ in 0..<2000 {
            var value = ""
            for _ in 0..<Int.random(in: 0...12, using: &generator) {
                value.unicodeScalars.append(alphabet.randomElement(using: &generator) ?? "a")
            }
            let spelled = Wording.visible(value)
            #expect(Read.unescaped(spelled) == value, "\(spelled)")
            #expect(
                !spelled.unicodeScalars.contains {
                    $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.properties.generalCategory == .format
                        || $0.properties.generalCategory == .paragraphSeparator
                })
        }
    }
}
