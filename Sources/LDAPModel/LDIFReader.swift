/// Reads RFC 2849 LDIF: content records and change records.
///
/// Used to import directory exports and to replay or verify the change files the sync writes. It accepts what real
/// tools emit (optional `version: 1`, comments, folding, CRLF, base64 and `file://` values, `control:` lines,
/// `moddn` as a synonym of `modrdn`) and rejects everything else with the file and line of the problem.
package struct LDIFReader: Sendable {
    /// Creates a reader.
    package init() {}

    /// Parses LDIF `bytes`. `file` is only used in error messages.
    package func read(_ bytes: [UInt8], file: String? = nil) throws(LDIFError) -> [LDIFRecord] {
        var records = try LDIFLines.records(in: bytes, file: file)
        try stripVersion(from: &records, file: file)
        var result: [LDIFRecord] = []
        result.reserveCapacity(records.count)
        for lines in records {
            var parser = LDIFRecordParser(lines: lines, file: file)
            result.append(try parser.parse())
        }
        return result
    }

    /// Parses LDIF text. `file` is only used in error messages.
    package func read(_ text: String, file: String? = nil) throws(LDIFError) -> [LDIFRecord] {
        try read(Array(text.utf8), file: file)
    }

    /// Removes a leading `version:` line, which must say `1`.
    private func stripVersion(from records: inout [[LDIFLine]], file: String?) throws(LDIFError) {
        guard let first = records.first?.first else { return }
        let parsed = try LDIFRecordParser.split(first, file: file)
        guard parsed.name.lowercased() == "version" else { return }
        guard parsed.value == Array("1".utf8) else {
            let shown = String(decoding: parsed.value, as: UTF8.self)
            throw LDIFError(file: file, line: first.number, message: "unsupported LDIF version \"\(shown)\"")
        }
        records[0].removeFirst()
        if records[0].isEmpty {
            records.removeFirst()
        }
    }
}
