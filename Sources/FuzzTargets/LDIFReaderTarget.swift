import LDAPModel

/// The LDIF reader: it never traps, errors point at a line of the input, and what it reads survives the writer.
///
/// Properties, for LDIF that reads: the content records written with `LDIFWriter.write(entries:)` and the change
/// records written with `LDIFWriter.write(_:)` (at the default width and folded to a few bytes) read back to the
/// same records, and writing those again gives the same bytes. For LDIF that does not read: the error names the
/// file it was given, a line of the input (or the line after the last), and says what is wrong.
///
/// Inputs that could name a `file://` URL value (`attr:< file:///…`) are skipped: the reader would read that
/// file, which makes the outcome depend on the machine (and `/dev/zero` never ends).
package enum LDIFReaderTarget {
    static let target = FuzzTarget.ldifReader
    static let file = "fuzz.ldif"

    package static func run(_ data: [UInt8]) throws(PropertyViolation) {
        guard !mayNameFileURL(data) else {
            return
        }
        let records: [LDIFRecord]
        do {
            records = try LDIFReader().read(data, file: file)
        } catch {
            let physicalLines = data.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            try target.require(error.file == file, "error names another file: \(error)")
            try target.require(
                error.line >= 1 && error.line <= physicalLines + 1,
                "error at line \(error.line) of a \(physicalLines)-line input: \(error)")
            try target.require(!error.message.isEmpty, "error without a message at line \(error.line)")
            return
        }
        var entries: [Entry] = []
        var changes: [Change] = []
        for record in records {
            switch record {
            case .content(let entry): entries.append(entry)
            case .change(let change): changes.append(change)
            }
        }
        for width in [76, 3] {
            let writer = LDIFWriter(lineWidth: width)
            if !entries.isEmpty {
                try roundTrip(writer.write(entries: entries), width: width, kind: "content") { records in
                    let again = records.compactMap { if case .content(let entry) = $0 { entry } else { nil } }
                    return (again.count == records.count && again == entries, writer.write(entries: again))
                }
            }
            if !changes.isEmpty {
                try roundTrip(writer.write(changes), width: width, kind: "change") { records in
                    let again = records.compactMap { if case .change(let change) = $0 { change } else { nil } }
                    return (again.count == records.count && again == changes, writer.write(again))
                }
            }
        }
    }

    /// Reads `written` back; `compare` says whether the records are the originals, and writes them again.
    static func roundTrip(
        _ written: String, width: Int, kind: String, compare: ([LDIFRecord]) -> (equal: Bool, rewritten: String)
    ) throws(PropertyViolation) {
        let reread: [LDIFRecord]
        do {
            reread = try LDIFReader().read(written, file: "written.ldif")
        } catch {
            throw PropertyViolation(target, "width \(width): written \(kind) records do not read: \(error)\n\(written)")
        }
        let (equal, rewritten) = compare(reread)
        try target.require(equal, "width \(width): \(kind) records read back different:\n\(written)")
        try target.require(
            rewritten == written, "width \(width): writing \(kind) records again gives other bytes:\n\(written)")
    }

    /// Whether `file:` can appear in a value once folding is undone (spaces and line ends removed, any case).
    static func mayNameFileURL(_ data: [UInt8]) -> Bool {
        let letters = data.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") }
        let pattern = Array("file:".utf8)
        guard letters.count >= pattern.count else {
            return false
        }
        for start in 0...(letters.count - pattern.count) {
            var matches = true
            for (offset, byte) in pattern.enumerated() where letters[start + offset] | 0x20 != byte {
                matches = false
                break
            }
            if matches {
                return true
            }
        }
        return false
    }
}
