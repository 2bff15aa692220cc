#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Splits the bytes of an export into lines, and lines into records of decoded `Label: value` fields.
///
/// Everything structural (line ends, Ctrl-Z, labels, blank lines) is ASCII in every supported code page, so it is
/// found on bytes with `memchr`; only field values are decoded. A line with an error makes its whole record
/// unreadable: the record is reported once, at the line that is wrong, and left out, instead of producing a
/// cascade of "missing field" findings.
struct ExportScanner {
    /// What scanning produced.
    struct Output {
        /// The records without errors, in file order.
        var records: [ExportRecord] = []
        /// Errors and warnings, in file order.
        var findings: [Finding] = []
        /// The first line of the record the file ends in, when the file ends in the middle of a line (no line
        /// end, no Ctrl-Z): that record may have been cut short.
        var cutRecordLine: Int?
    }

    /// A record being collected.
    private struct PendingRecord {
        var line: Int
        var fields: [ExportField] = []
        var isDamaged = false
    }

    /// An error in one line, with its 1-based column.
    private struct LineError: Error {
        var column: Int
        var message: String
        var category: Finding.Category
    }

    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let controlZ: UInt8 = 0x1A
    private static let colon = UInt8(ascii: ":")
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")
    /// Labels are short words; a longer run of letters before a colon is text, not a label.
    private static let longestLabel = 64

    let source: ExportSource
    let limits: ExportLimits
    let decoder: CodePageDecoder

    private var output = Output()
    private var errorCount = 0
    private var pending: PendingRecord?

    init(source: ExportSource, limits: ExportLimits, decoder: CodePageDecoder) {
        self.source = source
        self.limits = limits
        self.decoder = decoder
    }

    /// Scans a whole export.
    static func scan(
        _ bytes: UnsafeBufferPointer<UInt8>, source: ExportSource, limits: ExportLimits, decoder: CodePageDecoder
    ) -> Output {
        var scanner = ExportScanner(source: source, limits: limits, decoder: decoder)
        scanner.scanFile(bytes)
        return scanner.output
    }

    private mutating func scanFile(_ bytes: UnsafeBufferPointer<UInt8>) {
        if let finding = limits.check(fileSize: bytes.count, file: source.file) {
            output.findings.append(finding)
            return
        }
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            output.findings.append(
                Finding(.error, .file, "file is empty: an export holds at least one record", at: at(1)))
            return
        }
        let end = Self.index(of: Self.controlZ, in: base, from: 0, to: bytes.count) ?? bytes.count
        let endsMidLine = end == bytes.count && bytes[bytes.count - 1] != Self.lineFeed
        if let nul = Self.index(of: 0, in: base, from: 0, to: end) {
            let (line, column) = Self.position(of: nul, in: bytes)
            output.findings.append(
                Finding(
                    .error, .file, "NUL byte: this is a binary file (or UTF-16), not a cc:Mail export",
                    at: at(line, column)))
            return
        }
        if end < bytes.count {
            checkAfterControlZ(bytes, controlZ: end)
        }
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            guard decoder.codePage == .utf8 else {
                output.findings.append(
                    Finding(
                        .error, .file, "file starts with a UTF-8 byte order mark but is read as \(decoder.codePage)",
                        at: at(1)))
                return
            }
            start = 3
        }
        var lineNumber = 0
        while start < end {
            lineNumber += 1
            let lineEnd = Self.index(of: Self.lineFeed, in: base, from: start, to: end) ?? end
            var contentEnd = lineEnd
            if contentEnd > start, base[contentEnd - 1] == Self.carriageReturn {
                contentEnd -= 1
            }
            scanLine(UnsafeBufferPointer(start: base + start, count: contentEnd - start), number: lineNumber)
            if errorCount >= limits.maximumErrorsPerFile {
                output.findings.append(
                    Finding(
                        .error, .file, "too many errors (\(errorCount)); the rest of the file was not read",
                        at: at(lineNumber)))
                pending = nil
                return
            }
            start = lineEnd + 1
        }
        if endsMidLine {
            output.cutRecordLine = pending?.line
        }
        finishRecord()
        if output.records.isEmpty, errorCount == 0 {
            output.findings.append(Finding(.error, .file, "file holds no records", at: at(1)))
        }
    }

    /// Ctrl-Z ends the file as DOS `copy` and cc:Mail's tools treat it; text after it would be silently lost, so
    /// anything there other than padding (more Ctrl-Z, NUL, spaces, line ends) is an error.
    private mutating func checkAfterControlZ(_ bytes: UnsafeBufferPointer<UInt8>, controlZ: Int) {
        let ignorable: Set<UInt8> = [Self.controlZ, 0, Self.carriageReturn, Self.lineFeed, Self.space, Self.tab]
        guard let text = bytes[(controlZ + 1)...].firstIndex(where: { !ignorable.contains($0) }) else {
            return
        }
        let (line, column) = Self.position(of: text, in: bytes)
        // cc:Mail's EXPORT ends its file at the mark: text after it means a damaged or concatenated file, whose
        // records would be missing from the directory and their users taken for gone.
        output.findings.append(
            Finding(
                .error, .file,
                "text after Ctrl-Z (end of file), \(bytes.count - text) bytes from here: a damaged or concatenated "
                    + "export; nothing after the mark was read, so no plan is made from this file",
                at: at(line, column))
        )
    }

    private mutating func scanLine(_ line: UnsafeBufferPointer<UInt8>, number: Int) {
        guard let first = line.firstIndex(where: { $0 != Self.space && $0 != Self.tab }) else {
            finishRecord()
            return
        }
        guard let base = line.baseAddress, let colon = Self.index(of: Self.colon, in: base, from: first, to: line.count)
        else {
            startRecordIfNeeded(line: number)
            fail(notALabelLine(line, from: first, reason: "no ':'"), line: number)
            return
        }
        var labelEnd = colon
        while labelEnd > first, line[labelEnd - 1] == Self.space || line[labelEnd - 1] == Self.tab {
            labelEnd -= 1
        }
        let labelBytes = UnsafeBufferPointer(rebasing: line[first..<labelEnd])
        guard !labelBytes.isEmpty, labelBytes.count <= Self.longestLabel, labelBytes.allSatisfy(Self.isLabelByte) else {
            startRecordIfNeeded(line: number)
            fail(notALabelLine(line, from: first, reason: "the text before ':' is not a label"), line: number)
            return
        }
        let label = ExportLabel(labelBytes)
        if label == .name {
            finishRecord()
        }
        startRecordIfNeeded(line: number)
        if line.count > limits.maximumLineLength {
            fail(tooLong(line), line: number)
            return
        }
        do {
            let field = try readField(label, line: line, colon: colon, number: number)
            try add(field)
        } catch {
            fail(error, line: number)
        }
    }

    /// The value after the colon, trimmed, checked for control characters, and decoded.
    private func readField(
        _ label: ExportLabel, line: UnsafeBufferPointer<UInt8>, colon: Int, number: Int
    ) throws(LineError) -> ExportField {
        var valueStart = colon + 1
        var valueEnd = line.count
        while valueStart < valueEnd, line[valueStart] == Self.space || line[valueStart] == Self.tab {
            valueStart += 1
        }
        while valueEnd > valueStart, line[valueEnd - 1] == Self.space || line[valueEnd - 1] == Self.tab {
            valueEnd -= 1
        }
        if let control = Self.firstControlCharacter(in: line, from: valueStart, to: valueEnd) {
            throw Self.controlCharacterError(line, at: control)
        }
        let value = UnsafeBufferPointer(rebasing: line[valueStart..<valueEnd])
        switch decoder.decode(value) {
        case .success(let text):
            // An empty value is pointed at just after the colon, where the missing text belongs.
            let column = valueStart == valueEnd ? colon + 2 : valueStart + 1
            return ExportField(label: label, value: text, line: number, column: column)
        case .failure(let failure):
            throw LineError(column: valueStart + failure.offset + 1, message: failure.description, category: .encoding)
        }
    }

    /// Appends `field` to the pending record in place (copying the record out would copy its fields each time).
    private mutating func add(_ field: ExportField) throws(LineError) {
        if case .other = field.label {
        } else if let earlier = pending?.fields.first(where: { $0.label == field.label }) {
            throw LineError(
                column: 1, message: "second \(field.label) line in one record (the first is line \(earlier.line))",
                category: .record)
        }
        pending?.fields.append(field)
    }

    /// The message for a line that is not `Label: value`; a control character, if any, is the better explanation.
    private func notALabelLine(_ line: UnsafeBufferPointer<UInt8>, from first: Int, reason: String) -> LineError {
        if line.count > limits.maximumLineLength {
            return tooLong(line)
        }
        if let control = Self.firstControlCharacter(in: line, from: 0, to: line.count) {
            return Self.controlCharacterError(line, at: control)
        }
        return LineError(column: first + 1, message: "not a 'Label: value' line (\(reason))", category: .syntax)
    }

    private func tooLong(_ line: UnsafeBufferPointer<UInt8>) -> LineError {
        let message = "line is \(line.count) bytes long; lines are limited to \(limits.maximumLineLength) bytes"
        return LineError(column: limits.maximumLineLength + 1, message: message, category: .syntax)
    }

    private static func controlCharacterError(_ line: UnsafeBufferPointer<UInt8>, at index: Int) -> LineError {
        let byte = line[index]
        let message =
            byte == carriageReturn
            ? "carriage return (0x0D) not followed by a line feed"
            : "control character 0x\(Hex.byte(byte)) (only tab is allowed inside a line)"
        return LineError(column: index + 1, message: message, category: .syntax)
    }

    private mutating func fail(_ error: LineError, line: Int) {
        errorCount += 1
        output.findings.append(Finding(.error, error.category, error.message, at: at(line, error.column)))
        pending?.isDamaged = true
    }

    private mutating func startRecordIfNeeded(line: Int) {
        if pending == nil {
            pending = PendingRecord(line: line)
        }
    }

    private mutating func finishRecord() {
        if let record = pending, !record.isDamaged, !record.fields.isEmpty {
            output.records.append(ExportRecord(line: record.line, fields: record.fields))
        }
        pending = nil
    }

    private func at(_ line: Int, _ column: Int = 1) -> Location {
        source.location(line: line, column: column)
    }

    /// Letters, digits, `-`, `_` and inner spaces: what a label can be made of.
    private static func isLabelByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), space:
            return true
        default:
            return false
        }
    }

    /// C0 controls other than tab, and DEL. NUL never gets here: a file with NUL is refused as a whole.
    private static func firstControlCharacter(in line: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int?
    {
        var index = start
        while index < end {
            let byte = line[index]
            if (byte < 0x20 && byte != tab) || byte == 0x7F {
                return index
            }
            index += 1
        }
        return nil
    }

    /// The first `byte` in `base[from..<to]`, found with `memchr`.
    private static func index(of byte: UInt8, in base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int? {
        guard start < end, let found = memchr(base + start, Int32(byte), end - start) else {
            return nil
        }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// The 1-based line and column of the byte at `offset` (only computed on error paths).
    private static func position(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for index in 0..<offset where bytes[index] == lineFeed {
            line += 1
            lineStart = index + 1
        }
        return (line, offset - lineStart + 1)
    }
}
