/// Writes one cc:Mail export per post office, in CP850 with CRLF line ends and a final Ctrl-Z.
enum ExportWriter {
    /// Unicode → CP850 for the letters the generator uses.
    static let cp850: [Character: UInt8] = [
        "ü": 0x81, "é": 0x82, "â": 0x83, "ä": 0x84, "à": 0x85, "å": 0x86, "ç": 0x87, "ê": 0x88, "ë": 0x89,
        "è": 0x8A, "ï": 0x8B, "î": 0x8C, "Ä": 0x8E, "Å": 0x8F, "É": 0x90, "ô": 0x93, "ö": 0x94, "Ö": 0x99,
        "Ü": 0x9A, "ø": 0x9B, "Ø": 0x9D, "ñ": 0xA4, "Ñ": 0xA5, "ß": 0xE1, "ú": 0xA3, "ó": 0xA2, "á": 0xA0,
    ]

    static func encode(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        for character in text {
            if let ascii = character.asciiValue {
                bytes.append(ascii)
            } else {
                bytes.append(cp850[character] ?? UInt8(ascii: "?"))
            }
        }
        return bytes
    }

    /// The export taken on post office `number`: every post office as `P`, the gateway users (on PO01's export)
    /// as remote `r` entries with their FAN, and the post office's own users as `L` (and some mobile `R`).
    static func export(of organisation: Organisation, postOffice number: Int) -> [UInt8] {
        var out: [UInt8] = []
        func record(_ lines: [(String, String)]) {
            for (label, value) in lines {
                out += encode("\(label): \(value)") + [0x0D, 0x0A]
            }
            out += [0x0D, 0x0A]
        }
        for other in 0...Organisation.postOfficeCount where other != number {
            record([
                ("Name", Organisation.postOfficeName(other)), ("Addr", ""), ("Loc", "P"),
                ("Comments", other == 0 ? "SMTP gateway" : "post office"),
            ])
        }
        for user in organisation.users {
            if user.postOffice == number {
                let location = user.index % 10 == 0 ? "R" : "L"
                record([("Name", user.name), ("Addr", ""), ("Loc", location), ("Comments", "user \(user.index)")])
            } else if user.postOffice == 0, number == 1 {
                record([("Name", user.name), ("Addr", "INTERNET \(user.fan)"), ("Loc", "r")])
            }
        }
        out.append(0x1A)
        return out
    }
}
