/// What was read from one export: its records, the entries they stand for, and the findings.
package struct ParsedExport: Sendable {
    /// Where the export came from.
    package var source: ExportSource

    /// The records that had no errors, in file order, unknown labels included.
    package var records: [ExportRecord]

    /// The entries those records stand for (records with findings are not among them), in file order.
    package var entries: [ExportEntry]

    /// Errors and warnings, in file order.
    package var findings: [Finding]

    /// Creates a parsed export; `ExportParser.parse` is the usual way to get one.
    package init(source: ExportSource, records: [ExportRecord], entries: [ExportEntry], findings: [Finding]) {
        self.source = source
        self.records = records
        self.entries = entries
        self.findings = findings
    }

    /// Whether any finding is an error: then some records were not read, and the export is not the whole truth.
    package var hasErrors: Bool { findings.contains { $0.severity == .error } }
}

/// Reads one cc:Mail directory export (the output of `EXPORT /DIRECTORY/PROP` or `/PROPADD`).
///
/// The parser never throws: everything wrong with the input becomes a finding, so one run reports every
/// problem of every file. Reading files is the caller's job (the library does no I/O); callers check the file
/// size with `ExportLimits.check(fileSize:file:)` before reading.
package enum ExportParser: Sendable {
    /// Parses the bytes of an export.
    package static func parse(_ bytes: [UInt8], source: ExportSource, limits: ExportLimits = .default) -> ParsedExport {
        bytes.withUnsafeBufferPointer { parse($0, source: source, limits: limits) }
    }

    /// Parses the bytes of an export.
    package static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, source: ExportSource, limits: ExportLimits = .default
    ) -> ParsedExport {
        let decoder: CodePageDecoder
        do {
            decoder = try CodePageDecoder(source.codePage)
        } catch {
            let finding = Finding(.error, .encoding, error.description, at: source.location(line: 1))
            return ParsedExport(source: source, records: [], entries: [], findings: [finding])
        }
        let scanned = ExportScanner.scan(bytes, source: source, limits: limits, decoder: decoder)
        var entries: [ExportEntry] = []
        entries.reserveCapacity(scanned.records.count)
        var findings = scanned.findings
        for record in scanned.records {
            let isCut = record.line == scanned.cutRecordLine
            switch ExportEntryReader.read(record, from: source, isCut: isCut) {
            case .entry(let entry): entries.append(entry)
            case .finding(let finding): findings.append(finding)
            }
        }
        findings.sort()
        return ParsedExport(source: source, records: scanned.records, entries: entries, findings: findings)
    }
}
