import CCMail
import TestSupport
import Testing

/// Random and mutated inputs through the parser and the merge: nothing may crash, trap or hang, and what comes
/// out must still be well formed.
///
/// Seeded, so a failure reproduces: the input number is in the failure message. Inputs are small (at most a few
/// hundred bytes) so 100,000 of them run in seconds in a debug build.
@Suite struct FuzzTests {
    static let inputCount = 100_000
    static let limits = ExportLimits(maximumLineLength: 200, maximumFileSize: 4096, maximumErrorsPerFile: 25)

    /// Bytes that matter to the format, so random inputs hit the interesting paths more often than chance would.
    static let alphabet: [UInt8] =
        Array("Name:Addr:Loc:Comments: PpLlRrAa,.@at\t".utf8) + [0x0D, 0x0A, 0x0A, 0x1A, 0x00, 0x07, 0x7F, 0x81, 0x85]
        + [0x9D, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xEF, 0xBB, 0xBF, 0xF0, 0xFF]

    static func seeds() throws -> [[UInt8]] {
        var seeds = try ["london.exp", "paris.exp", "zurich.exp"].map(CCMailFixtures.bytes)
        for name in [
            "missing-name.exp", "two-home-post-offices.exp", "truncated.exp", "user-and-alias.exp", "binary.exp",
        ] {
            seeds.append(try CCMailFixtures.bytes("bad/\(name)"))
        }
        return seeds
    }

    @Test func parserSurvivesRandomAndMutatedInputs() throws {
        let seeds = try Self.seeds()
        var generator = SeededGenerator(seed: 0xCC_3A11_2024)
        var entries = 0
        var findings = 0
        var recent: [ParsedExport] = []
        for number in 0..<Self.inputCount {
            let input =
                number % 3 == 0
                ? Self.randomBytes(using: &generator) : Self.mutation(of: seeds, using: &generator)
            let codePage = CodePage.allCases[number % CodePage.allCases.count]
            let postOffice = number % 7 == 0 ? "INTERNET" : "PO\(number % 3)"
            let parsed = ExportParser.parse(
                input, source: ExportSource(postOffice: CCMailName(postOffice), file: "fuzz", codePage: codePage),
                limits: Self.limits)
            try Self.checkWellFormed(parsed, input: input, number: number)
            entries += parsed.entries.count
            findings += parsed.findings.count
            recent.append(parsed)
            if recent.count == 4 {
                try Self.checkWellFormed(Directory.merge(recent, configuration: Self.configuration), number: number)
                recent.removeAll(keepingCapacity: true)
            }
        }
        #expect(entries > Self.inputCount / 5, "mutated exports still yield entries")
        #expect(findings > Self.inputCount / 2, "random bytes yield findings")
    }

    @Test func addressParserSurvivesRandomText() {
        var generator = SeededGenerator(seed: 42)
        let words = ["at", "AT", "At", " ", "  ", "\t", "Smith,", "John", "PO1", "", "Kat", "é", "@"]
        var parsed = 0
        for _ in 0..<20_000 {
            let text = (0..<Int.random(in: 0...6, using: &generator)).map { _ in
                words.randomElement(using: &generator) ?? ""
            }.joined(separator: Bool.random(using: &generator) ? " " : "")
            if let address = try? CCMailAddress(parsing: text) {
                parsed += 1
                #expect(!address.name.isEmpty && !address.postOffice.isEmpty)
                #expect((try? CCMailAddress(parsing: address.description)) == address, "\(text)")
            }
        }
        #expect(parsed > 100)
    }

    static let configuration = DirectoryConfiguration(
        gateways: [CCMailName("INTERNET"): .smtp], excludedPostOffices: [CCMailName("PO2")])

    static func checkWellFormed(_ parsed: ParsedExport, input: [UInt8], number: Int) throws {
        for finding in parsed.findings {
            try #require(finding.location.line >= 1 && finding.location.column >= 1, "input \(number): \(finding)")
            try #require(!finding.message.isEmpty, "input \(number)")
        }
        try #require(parsed.entries.count <= parsed.records.count, "input \(number)")
        for entry in parsed.entries {
            try #require(!entry.name.isEmpty, "input \(number)")
        }
        if input.isEmpty {
            try #require(parsed.findings.count == 1, "input \(number)")
        }
    }

    static func checkWellFormed(_ directory: Directory, number: Int) throws {
        let names = directory.users.map(\.name)
        try #require(names == names.sorted(), "merge \(number): users sorted")
        try #require(Set(names).count == names.count, "merge \(number): one user per name")
        try #require(directory.findings == directory.findings.sorted(), "merge \(number): findings sorted")
    }

    static func randomBytes(using generator: inout SeededGenerator) -> [UInt8] {
        let count = Int.random(in: 0...160, using: &generator)
        return (0..<count).map { _ in
            Bool.random(using: &generator)
                ? alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]
                : UInt8.random(in: 0...255, using: &generator)
        }
    }

    /// A window of a seed file with one to four edits: flip, insert, delete, duplicate, truncate or splice.
    static func mutation(of seeds: [[UInt8]], using generator: inout SeededGenerator) -> [UInt8] {
        let seed = seeds[Int.random(in: 0..<seeds.count, using: &generator)]
        let start = Int.random(in: 0..<max(1, seed.count - 64), using: &generator)
        var bytes = Array(seed[min(start, seed.count)...].prefix(Int.random(in: 16...320, using: &generator)))
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &generator)
            switch Int.random(in: 0..<6, using: &generator) {
            case 0 where !bytes.isEmpty:
                bytes[position] = UInt8.random(in: 0...255, using: &generator)
            case 1:
                bytes.insert(alphabet[Int.random(in: 0..<alphabet.count, using: &generator)], at: position)
            case 2 where !bytes.isEmpty:
                bytes.remove(at: position)
            case 3:
                bytes.insert(contentsOf: bytes[position...].prefix(24), at: position)
            case 4:
                bytes.removeLast(bytes.count - position)
            default:
                let other = seeds[Int.random(in: 0..<seeds.count, using: &generator)]
                bytes.insert(contentsOf: other.prefix(Int.random(in: 0...48, using: &generator)), at: position)
            }
        }
        return bytes
    }
}
