/// Parses one LDIF record (its logical lines) into an ``LDIFRecord``.
///
/// Separate from ``LDIFReader`` so the grammar of a record lives in one place, walked with a cursor over the lines.
struct LDIFRecordParser {
    private let lines: [LDIFLine]
    private let file: String?
    private var cursor = 0

    init(lines: [LDIFLine], file: String?) {
        self.lines = lines
        self.file = file
    }

    /// One logical line split into its attribute description and decoded value.
    struct NameValue {
        var name: String
        var value: [UInt8]
        var line: Int
    }

    mutating func parse() throws(LDIFError) -> LDIFRecord {
        let first = try next(expecting: "dn")
        let dn = try distinguishedName(first, field: "dn")
        var sawControl = false
        while peekName() == "control" {
            sawControl = true
            cursor += 1
        }
        guard let line = peek(), peekName() == "changetype" else {
            if sawControl, let line = peek() ?? lines.last {
                throw error(line.number, "control: lines are only allowed in change records")
            }
            return .content(try entry(dn: dn))
        }
        let changeType = try text(try next(expecting: "changetype")).trimmingTrailingSpaces()
        switch changeType.lowercased() {
        case "add":
            return .change(.add(try entry(dn: dn)))
        case "delete":
            try expectEnd("delete")
            return .change(.delete(dn))
        case "modify":
            return .change(.modify(dn, try modifications()))
        case "modrdn", "moddn":
            return .change(try modifyRDN(dn: dn))
        default:
            throw error(line.number, "unknown changetype \"\(changeType)\"")
        }
    }

    // MARK: - Record bodies

    private mutating func entry(dn: DistinguishedName) throws(LDIFError) -> Entry {
        var attributes = AttributeCollector()
        while let line = peek() {
            let field = try Self.split(line, file: file)
            switch field.name.lowercased() {
            case "dn":
                throw error(line.number, "unexpected dn: line inside a record (is a blank line missing?)")
            case "changetype", "control":
                throw error(line.number, "\(field.name): must come directly after the dn: line")
            default:
                attributes.add(field.name, field.value)
            }
            cursor += 1
        }
        return Entry(dn: dn, attributes: attributes.attributes)
    }

    /// An entry's attributes collected one value line at a time, as `Entry.add` would (first spelling and position
    /// of a name kept, names compared without case, a value given twice kept once), but in linear time:
    /// `Entry.add` scans the values already held, so an entry with n values of one attribute (a large group's
    /// `member`) cost n² comparisons.
    private struct AttributeCollector {
        private(set) var attributes: [Attribute] = []
        private var indexByName: [String: Int] = [:]
        private var valueSets: [Set<AttributeValue>] = []

        /// `name` is an attribute description, so ASCII: `lowercased()` is the case folding `Entry` uses.
        mutating func add(_ name: String, _ value: AttributeValue) {
            let key = name.lowercased()
            if let index = indexByName[key] {
                if valueSets[index].insert(value).inserted {
                    attributes[index].values.append(value)
                }
            } else {
                indexByName[key] = attributes.count
                attributes.append(Attribute(name, values: [value]))
                valueSets.append([value])
            }
        }
    }

    private mutating func modifications() throws(LDIFError) -> [Modification] {
        var modifications: [Modification] = []
        while let line = peek() {
            cursor += 1
            let field = try Self.split(line, file: file)
            guard let operation = Modification.Operation(rawValue: field.name.lowercased()) else {
                throw error(line.number, "expected add:, delete: or replace: in a modify record, found \(field.name):")
            }
            let attribute = try text(field).trimmingTrailingSpaces()
            guard Self.isAttributeDescription(Array(attribute.utf8)) else {
                throw error(line.number, "invalid attribute description \"\(attribute)\" after \(field.name):")
            }
            var values: [AttributeValue] = []
            while let valueLine = peek() {
                cursor += 1
                if valueLine.isSeparator {
                    break
                }
                let value = try Self.split(valueLine, file: file)
                guard value.name.lowercased() == attribute.lowercased() else {
                    throw error(valueLine.number, "expected a value for \(attribute) or '-', found \(value.name):")
                }
                values.append(value.value)
            }
            modifications.append(Modification(operation, attribute: attribute, values: values))
        }
        return modifications
    }

    private mutating func modifyRDN(dn: DistinguishedName) throws(LDIFError) -> Change {
        let newRDNLine = try next(expecting: "newrdn")
        let rdnText = try text(newRDNLine)
        let newRDN: RelativeDistinguishedName
        do throws(DistinguishedNameError) {
            newRDN = try RelativeDistinguishedName(parsing: rdnText)
        } catch {
            throw self.error(newRDNLine.line, "invalid newrdn: \(error.reason) at offset \(error.offset)")
        }
        let deleteLine = try next(expecting: "deleteoldrdn")
        let deleteOldRDN: Bool
        switch try text(deleteLine).trimmingTrailingSpaces() {
        case "0": deleteOldRDN = false
        case "1": deleteOldRDN = true
        case let other: throw error(deleteLine.line, "deleteoldrdn must be 0 or 1, found \"\(other)\"")
        }
        var newSuperior: DistinguishedName?
        if peekName() == "newsuperior" {
            newSuperior = try distinguishedName(try next(expecting: "newsuperior"), field: "newsuperior")
        }
        try expectEnd("modrdn")
        return .modifyRDN(dn, newRDN: newRDN, deleteOldRDN: deleteOldRDN, newSuperior: newSuperior)
    }

    // MARK: - Lines

    /// Splits a logical line into `name` and the value after `:`, `::` (base64) or `:<` (URL).
    static func split(_ line: LDIFLine, file: String?) throws(LDIFError) -> NameValue {
        let bytes = line.bytes
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else {
            throw LDIFError(file: file, line: line.number, message: "expected \"name: value\", found no ':'")
        }
        let nameBytes = Array(bytes[..<colon])
        let name = String(decoding: nameBytes, as: UTF8.self)
        guard isAttributeDescription(nameBytes) else {
            throw LDIFError(file: file, line: line.number, message: "invalid attribute description \"\(name)\"")
        }
        var rest = bytes[(colon + 1)...]
        switch rest.first {
        case UInt8(ascii: ":"):
            rest = rest.dropFirst().drop { $0 == UInt8(ascii: " ") }
            while rest.last == UInt8(ascii: " ") {
                rest = rest.dropLast()
            }
            guard let decoded = Base64.decode(rest) else {
                throw LDIFError(file: file, line: line.number, message: "invalid base64 value for \(name)")
            }
            return NameValue(name: name, value: decoded, line: line.number)
        case UInt8(ascii: "<"):
            let url = String(decoding: rest.dropFirst().drop { $0 == UInt8(ascii: " ") }, as: UTF8.self)
            switch LDIFURLLoader.load(url.trimmingTrailingSpaces()) {
            case .success(let value):
                return NameValue(name: name, value: value, line: line.number)
            case .failure(let failure):
                throw LDIFError(file: file, line: line.number, message: "\(name): \(failure.reason)")
            }
        default:
            return NameValue(name: name, value: Array(rest.drop { $0 == UInt8(ascii: " ") }), line: line.number)
        }
    }

    /// `AttributeDescription`: letters, digits, `-`, `.`, `_` and `;` options, starting with a letter or digit.
    static func isAttributeDescription(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first, isAlphanumeric(first) else { return false }
        return bytes.allSatisfy { byte in
            isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ";")
                || byte == UInt8(ascii: "_")
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            false
        }
    }

    private func peek() -> LDIFLine? {
        cursor < lines.count ? lines[cursor] : nil
    }

    /// The lower-cased name of the next line, without decoding (or loading) its value.
    private func peekName() -> String? {
        guard let bytes = peek()?.bytes, let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        return String(decoding: bytes[..<colon], as: UTF8.self).lowercased()
    }

    /// Consumes the next line, which must be `name:`.
    private mutating func next(expecting name: String) throws(LDIFError) -> NameValue {
        guard let line = peek() else {
            let last = lines.last?.number ?? 1
            throw error(last, "expected \(name): at the end of the record")
        }
        let field = try Self.split(line, file: file)
        guard field.name.lowercased() == name else {
            throw error(line.number, "expected \(name):, found \(field.name):")
        }
        cursor += 1
        return field
    }

    private func expectEnd(_ kind: String) throws(LDIFError) {
        if let line = peek() {
            throw error(line.number, "unexpected line in a \(kind) record")
        }
    }

    private func text(_ field: NameValue) throws(LDIFError) -> String {
        guard let text = UTF8Validation.decode(field.value) else {
            throw error(field.line, "\(field.name): value is not valid UTF-8")
        }
        return text
    }

    private func distinguishedName(_ field: NameValue, field name: String) throws(LDIFError) -> DistinguishedName {
        let dnText = try text(field)
        do throws(DistinguishedNameError) {
            return try DistinguishedName(parsing: dnText)
        } catch {
            throw self.error(field.line, "invalid \(name): \(error.reason) at offset \(error.offset)")
        }
    }

    private func error(_ line: Int, _ message: String) -> LDIFError {
        LDIFError(file: file, line: line, message: message)
    }
}

extension String {
    /// The string without trailing spaces; LDIF tools often leave them after names and keywords.
    fileprivate func trimmingTrailingSpaces() -> String {
        var result = self
        while result.last == " " {
            result.removeLast()
        }
        return result
    }
}
