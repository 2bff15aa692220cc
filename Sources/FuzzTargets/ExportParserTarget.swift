import CCMail

/// The cc:Mail export parser: it never traps, and what it returns is well formed.
///
/// Every input is parsed in every code page, with the default limits and with small ones (so the line-length,
/// file-size and error-count limits are reached by small inputs too), and the results are merged. Properties:
///
/// - parsing is deterministic, and the array and buffer entry points agree;
/// - every finding is in the file it was given, at line ≥ 1 and column ≥ 1, no further than one line past the end
///   of the input, with a message; findings are sorted;
/// - every field is inside its line, and no record holds `Name`, `Addr`, `Loc` or `Comments` twice;
/// - entries are at most the records, have names, and start where a record starts;
/// - empty input gives exactly one finding;
/// - the merged directory's users are sorted with one user per name, and its findings are sorted.
package enum ExportParserTarget {
    static let target = FuzzTarget.exportParser
    static let file = "fuzz.exp"
    static let smallLimits = ExportLimits(maximumLineLength: 80, maximumFileSize: 2048, maximumErrorsPerFile: 8)
    static let configuration = DirectoryConfiguration(
        gateways: [CCMailName("INTERNET"): .smtp, CCMailName("CCGATE"): .ccMail],
        excludedPostOffices: [CCMailName("PO2")])

    package static func run(_ data: [UInt8]) throws(PropertyViolation) {
        let lineCount = data.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        var parsedExports: [ParsedExport] = []
        for (index, codePage) in CodePage.allCases.enumerated() {
            for limits in [ExportLimits.default, smallLimits] {
                let source = ExportSource(postOffice: CCMailName("PO\(index % 3)"), file: file, codePage: codePage)
                let parsed = ExportParser.parse(data, source: source, limits: limits)
                try check(
                    parsed, data: data, lineCount: lineCount,
                    context: "\(codePage), \(limits == .default ? "default" : "small") limits")
                if limits == .default {
                    let again = data.withUnsafeBufferPointer { ExportParser.parse($0, source: source, limits: limits) }
                    try target.require(
                        again.records == parsed.records && again.entries == parsed.entries
                            && again.findings == parsed.findings,
                        "\(codePage): parsing the same bytes twice gave different results")
                    parsedExports.append(parsed)
                }
            }
        }
        try check(Directory.merge(parsedExports, configuration: configuration))
    }

    static func check(
        _ parsed: ParsedExport, data: [UInt8], lineCount: Int, context: String
    ) throws(PropertyViolation) {
        for finding in parsed.findings {
            try target.require(
                finding.location.file == file && finding.location.line >= 1 && finding.location.column >= 1
                    && finding.location.line <= lineCount + 1,
                "\(context): finding at an impossible place (\(lineCount) lines): \(finding)")
            try target.require(!finding.message.isEmpty, "\(context): finding without a message: \(finding)")
        }
        try target.require(
            parsed.findings == parsed.findings.sorted(), "\(context): findings are not sorted")
        try target.require(
            parsed.entries.count <= parsed.records.count,
            "\(context): \(parsed.entries.count) entries from \(parsed.records.count) records")
        for record in parsed.records {
            try target.require(!record.fields.isEmpty, "\(context): record at line \(record.line) has no fields")
            var known: Set<String> = []
            for field in record.fields {
                try target.require(
                    field.line >= record.line && field.line <= lineCount && field.column >= 1,
                    "\(context): field \(field.label) at \(field.line):\(field.column) outside its record or file")
                if case .other = field.label {
                    continue
                }
                try target.require(
                    known.insert(field.label.description).inserted,
                    "\(context): record at line \(record.line) holds \(field.label) twice")
            }
        }
        let recordLines = Set(parsed.records.map(\.line))
        for entry in parsed.entries {
            try target.require(!entry.name.isEmpty, "\(context): entry without a name at \(entry.location)")
            try target.require(
                recordLines.contains(entry.location.line) && entry.location.file == file,
                "\(context): entry '\(entry.name)' at \(entry.location) does not start a record")
        }
        if data.isEmpty {
            try target.require(
                parsed.findings.count == 1, "\(context): empty input gave \(parsed.findings.count) findings")
        }
    }

    static func check(_ directory: Directory) throws(PropertyViolation) {
        let names = directory.users.map(\.name)
        try target.require(names == names.sorted(), "merge: users are not sorted by name")
        try target.require(Set(names).count == names.count, "merge: a name is held by two users")
        try target.require(directory.findings == directory.findings.sorted(), "merge: findings are not sorted")
    }
}
