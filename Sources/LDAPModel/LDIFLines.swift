/// One logical LDIF line: folded continuations joined, line ending removed.
struct LDIFLine: Sendable, Hashable {
    /// The 1-based physical line where this logical line starts.
    var number: Int

    /// The joined bytes, without the line ending.
    var bytes: [UInt8]

    /// Whether this is the `-` line that ends a modify block (trailing spaces tolerated).
    var isSeparator: Bool {
        bytes.first == UInt8(ascii: "-") && bytes.dropFirst().allSatisfy { $0 == UInt8(ascii: " ") }
    }
}

/// Turns LDIF bytes into records of logical lines.
///
/// Folding, comments and blank-line record separation are purely lexical, so they are handled here once and the
/// record parser never sees physical lines. Line numbers are kept so errors can point at the source.
enum LDIFLines {
    /// The records of `bytes`, each a non-empty list of logical lines.
    ///
    /// Accepts LF and CRLF line endings and a leading UTF-8 byte order mark. Comment lines (`#` at the start of a
    /// logical line) and their continuations are dropped. A space-only line outside a record counts as blank.
    static func records(in bytes: [UInt8], file: String?) throws(LDIFError) -> [[LDIFLine]] {
        var records: [[LDIFLine]] = []
        var current: [LDIFLine] = []
        var inComment = false
        for (index, physical) in physicalLines(bytes).enumerated() {
            let number = index + 1
            if physical.isEmpty {
                if !current.isEmpty {
                    records.append(current)
                    current = []
                }
                inComment = false
            } else if physical.first == UInt8(ascii: " ") {
                if inComment {
                    continue
                }
                if current.isEmpty {
                    guard physical.allSatisfy({ $0 == UInt8(ascii: " ") }) else {
                        throw LDIFError(file: file, line: number, message: "continuation line with no line to continue")
                    }
                } else {
                    current[current.count - 1].bytes += physical.dropFirst()
                }
            } else if physical.first == UInt8(ascii: "#") {
                inComment = true
            } else {
                inComment = false
                current.append(LDIFLine(number: number, bytes: Array(physical)))
            }
        }
        if !current.isEmpty {
            records.append(current)
        }
        return records
    }

    /// The physical lines of `bytes`, split at LF with one trailing CR removed from each.
    private static func physicalLines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var content = bytes[...]
        if content.starts(with: [0xEF, 0xBB, 0xBF]) {
            content = content.dropFirst(3)
        }
        var lines = content.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true {
            lines.removeLast()
        }
        return lines.map { line in
            line.last == UInt8(ascii: "\r") ? line.dropLast() : line
        }
    }
}
