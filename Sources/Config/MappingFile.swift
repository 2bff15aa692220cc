import Sync

/// Reading the administrator's mapping file.
///
/// CSV (RFC 4180) with the header `ccmail_name,mailbox`. cc:Mail names hold commas (`"Smith, John"`), so quoting
/// matters; the reader is strict about it and names the line of every problem. The CLI reads the file's bytes (it
/// records their hash in the plan) and parses them here.
extension MappingFile {
    /// The header, compared without regard to case and surrounding spaces.
    package static let header = ["ccmail_name", "mailbox"]

    /// Reads the file's bytes; `file` is the name errors use.
    package static func parse(_ bytes: [UInt8], file: String) throws(MappingFileError) -> MappingFile {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) {
            body = body.dropFirst(3)
        }
        guard let text = String(validating: body, as: UTF8.self) else {
            let line = Self.lineOfInvalidUTF8(Array(body))
            throw MappingFileError(file: file, line: line, message: "not UTF-8 text")
        }
        let records = try CSVRecords.split(text, file: file)
        guard let first = records.first(where: { !$0.isBlank }) else {
            throw MappingFileError(file: file, line: 1, message: "empty: expected the header ccmail_name,mailbox")
        }
        let header = first.fields.map { $0.trimmed.lowercased() }
        guard header == Self.header else {
            throw MappingFileError(
                file: file, line: first.line,
                message: "expected the header ccmail_name,mailbox, found '\(first.fields.joined(separator: ","))'")
        }
        var rows: [Row] = []
        for record in records where record.line > first.line && !record.isBlank {
            guard record.fields.count == 2 else {
                throw MappingFileError(
                    file: file, line: record.line,
                    message: "expected 2 fields (ccmail_name,mailbox), found \(record.fields.count); quote names "
                        + "that contain commas")
            }
            let name = record.fields[0].trimmed
            let mailbox = record.fields[1].trimmed
            guard !name.isEmpty else {
                throw MappingFileError(file: file, line: record.line, message: "the cc:Mail name is empty")
            }
            guard !mailbox.isEmpty else {
                throw MappingFileError(file: file, line: record.line, message: "the mailbox is empty")
            }
            rows.append(Row(ccmailName: name, mailbox: mailbox, line: record.line))
        }
        return MappingFile(file: file, rows: rows)
    }

    private static func lineOfInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var line = 1
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            if String(validating: bytes[start..<index], as: UTF8.self) == nil {
                return line
            }
            line += 1
            start = index + 1
        }
        return line
    }
}

/// Why a mapping file was refused.
package struct MappingFileError: Error, Sendable, Hashable, CustomStringConvertible {
    package var file: String
    /// The line of the problem (1-based); 0 when the file as a whole could not be read.
    package var line: Int
    package var message: String

    package init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message` (`file: message` when the line is 0).
    package var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}

/// RFC 4180 records with the line each starts on.
enum CSVRecords {
    struct Record {
        var fields: [String]
        var line: Int

        var isBlank: Bool { fields.count == 1 && fields[0].trimmed.isEmpty }
    }

    static func split(_ text: String, file: String) throws(MappingFileError) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var line = 1
        var recordLine = 1
        var quoted = false
        var quoteLine = 1
        var characters = Array(text.unicodeScalars)[...]
        var fieldWasQuoted = false
        while let scalar = characters.popFirst() {
            if quoted {
                if scalar == "\"" {
                    if characters.first == "\"" {
                        characters.removeFirst()
                        field.unicodeScalars.append("\"")
                    } else {
                        quoted = false
                    }
                } else {
                    if scalar == "\n" {
                        line += 1
                    }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"":
                guard field.trimmed.isEmpty, !fieldWasQuoted else {
                    throw MappingFileError(file: file, line: line, message: "a quote inside an unquoted field")
                }
                field = ""
                quoted = true
                fieldWasQuoted = true
                quoteLine = line
            case ",":
                fields.append(field)
                field = ""
                fieldWasQuoted = false
            case "\r" where characters.first == "\n":
                continue
            case "\n", "\r":
                fields.append(field)
                records.append(Record(fields: fields, line: recordLine))
                fields = []
                field = ""
                fieldWasQuoted = false
                line += 1
                recordLine = line
            default:
                if fieldWasQuoted, scalar != " " {
                    throw MappingFileError(file: file, line: line, message: "text after a closing quote")
                }
                field.unicodeScalars.append(scalar)
            }
        }
        if quoted {
            throw MappingFileError(file: file, line: quoteLine, message: "a quoted field is not closed")
        }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            records.append(Record(fields: fields, line: recordLine))
        }
        return records
    }
}

extension String {
    /// Without surrounding spaces and tabs.
    var trimmed: String {
        var scalars = unicodeScalars[...]
        while let first = scalars.first, first == " " || first == "\t" {
            scalars.removeFirst()
        }
        while let last = scalars.last, last == " " || last == "\t" {
            scalars.removeLast()
        }
        return String(String.UnicodeScalarView(scalars))
    }
}
