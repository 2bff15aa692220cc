/// Writes a deterministic cc:Mail export in CP850, the shape of a large post office's directory.
///
/// The mix follows a real post office: mostly local users, some remote and mobile users, gateway users with
/// foreign alias names, comments on half the entries, accented names (CP850 bytes), commas in every user name.
/// Nothing is random, so every run measures the same bytes.
enum ExportGenerator {
    /// Names as CP850 bytes (ü 0x81, é 0x82, ç 0x87, è 0x8A, ö 0x94, ø 0x9B, Ø 0x9D, ñ 0xA4, ß 0xE1).
    private static let surnames: [[UInt8]] = [
        Array("Smith".utf8), [0x4D, 0x81, 0x6C, 0x6C, 0x65, 0x72], Array("Dupont".utf8),
        [0x47, 0x61, 0x72, 0x87, 0x6F, 0x6E], Array("Rossi".utf8), [0x9D, 0x73, 0x74, 0x65, 0x72],
        [0x4E, 0x82, 0x6C, 0x61, 0x74, 0x6F, 0x6E], Array("Jones".utf8), [0x57, 0x65, 0x69, 0xE1],
        [0x4E, 0xA4, 0x65, 0x7A], Array("O'Brien".utf8), [0x53, 0x63, 0x68, 0x94, 0x6E],
    ]

    private static let givenNames: [[UInt8]] = [
        Array("John".utf8), [0x4A, 0x81, 0x72, 0x67, 0x65, 0x6E], [0x48, 0x82, 0x6C, 0x8A, 0x6E, 0x65],
        Array("Mary Ann".utf8), [0x46, 0x72, 0x61, 0x6E, 0x87, 0x6F, 0x69, 0x73], Array("Lucia".utf8),
        [0x42, 0x6A, 0x9B, 0x72, 0x6E], Array("Sam J.".utf8),
    ]

    /// The post office the export is taken on.
    static let postOffice = "HQ"

    /// An export of `users` users after five post office records; `Ctrl-Z` at the end, CRLF line ends.
    static func export(users: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(users * 72 + 512)
        for (name, code, address) in [
            ("BRANCH1", "P", ""), ("BRANCH2", "P", ""), ("INTERNET", "P", ""), ("FAR3", "p", "BRANCH2"),
            ("EXSITE", "P", ""),
        ] {
            line("Name", Array(name.utf8), into: &out)
            line("Addr", Array(address.utf8), into: &out)
            line("Loc", Array(code.utf8), into: &out)
            out += [0x0D, 0x0A]
        }
        for index in 0..<users {
            let surname = surnames[index % surnames.count]
            let given = givenNames[(index / surnames.count) % givenNames.count]
            let name = surname + Array(String(index).utf8) + Array(", ".utf8) + given
            line("Name", name, into: &out)
            switch index % 20 {
            case 0, 1:
                line("Addr", Array("BRANCH1".utf8), into: &out)
                line("Loc", [UInt8(ascii: "l")], into: &out)
            case 2:
                line("Addr", Array("INTERNET user\(index)@example.com".utf8), into: &out)
                line("Loc", [UInt8(ascii: "r")], into: &out)
            case 3, 4:
                line("Addr", [], into: &out)
                line("Loc", [UInt8(ascii: "R")], into: &out)
            default:
                line("Addr", [], into: &out)
                line("Loc", [UInt8(ascii: "L")], into: &out)
            }
            if index % 2 == 0 {
                line("Comments", Array("ext \(index % 10000);bldg \(index % 7)".utf8), into: &out)
            }
            out += [0x0D, 0x0A]
        }
        out.append(0x1A)
        return out
    }

    /// The user name at `index` as UTF-8, to check that decoding got it right.
    static func expectedName(_ index: Int) -> String {
        let surname = surnames[index % surnames.count]
        let given = givenNames[(index / surnames.count) % givenNames.count]
        return cp850ToUnicode(surname) + String(index) + ", " + cp850ToUnicode(given)
    }

    private static func cp850ToUnicode(_ bytes: [UInt8]) -> String {
        let known: [UInt8: Character] = [
            0x81: "ü", 0x82: "é", 0x87: "ç", 0x8A: "è", 0x94: "ö", 0x9B: "ø", 0x9D: "Ø", 0xA4: "ñ", 0xE1: "ß",
        ]
        return String(bytes.map { known[$0] ?? Character(Unicode.Scalar($0)) })
    }

    private static func line(_ label: String, _ value: [UInt8], into out: inout [UInt8]) {
        out += Array(label.utf8)
        out += [UInt8(ascii: ":"), UInt8(ascii: " ")]
        out += value
        out += [0x0D, 0x0A]
    }
}
