/// Test-side readers of what the reports write, written independently of the renderers so a test can fail.
enum Read {
    /// RFC 4180 records: fields split on commas outside quotes, `""` inside quotes read as one quote, records ended
    /// by CRLF. Returns nil on anything RFC 4180 does not allow (a bare LF or CR outside quotes, a quote inside an
    /// unquoted field, text after a closing quote, an unclosed quote, no final CRLF).
    static func csv(_ text: String) -> [[String]]? {
        var records: [[String]] = []
        var fields: [String] = []
        var field = ""
        var scalars = Array(text.unicodeScalars)[...]
        var quoted = false
        var wasQuoted = false
        while let scalar = scalars.popFirst() {
            if quoted {
                if scalar == "\"" {
                    if scalars.first == "\"" {
                        scalars.removeFirst()
                        field.unicodeScalars.append("\"")
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"":
                guard field.isEmpty, !wasQuoted else { return nil }
                quoted = true
                wasQuoted = true
            case ",":
                fields.append(field)
                field = ""
                wasQuoted = false
            case "\r":
                guard scalars.popFirst() == "\n" else { return nil }
                fields.append(field)
                records.append(fields)
                fields = []
                field = ""
                wasQuoted = false
            case "\n":
                return nil
            default:
                guard !wasQuoted else { return nil }
                field.unicodeScalars.append(scalar)
            }
        }
        guard !quoted, field.isEmpty, fields.isEmpty else { return nil }
        return records
    }

    /// The inverse of the reports' spelling of control characters (`\n`, `\r`, `\t`, `\u{1B}`, a doubled
    /// backslash before what would otherwise read as an escape; any other backslash is itself).
    static func unescaped(_ text: String) -> String? {
        var output = ""
        var scalars = Array(text.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            guard scalar == "\\", let next = scalars.first else {
                output.unicodeScalars.append(scalar)
                continue
            }
            switch next {
            case "\\": output += "\\"
            case "n": output += "\n"
            case "r": output += "\r"
            case "t": output += "\t"
            case "u":
                guard let close = scalars.firstIndex(of: "}"), scalars.dropFirst().first == "{",
                    let value = UInt32(
                        String(String.UnicodeScalarView(scalars[(scalars.startIndex + 2)..<close])), radix: 16),
                    let decoded = Unicode.Scalar(value)
                else {
                    return nil
                }
                output.unicodeScalars.append(decoded)
                scalars = scalars[close...]
            default:
                output += "\\"
                continue
            }
            scalars.removeFirst()
        }
        return output
    }

    /// How often `needle` occurs in `text`, without regard to ASCII case.
    static func count(_ needle: String, in text: String) -> Int {
        let haystack = Array(text.lowercased().utf8)
        let needle = Array(needle.lowercased().utf8)
        guard !needle.isEmpty, haystack.count >= needle.count else { return 0 }
        return (0...(haystack.count - needle.count)).filter { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
            .count
    }
}
