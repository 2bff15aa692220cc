/// The label of a `Label: value` line, matched case-insensitively.
///
/// cc:Mail's Import/Export documentation and the exports seen in the field spell labels in more than one way
/// (`Addr` and `Address`, `Comments` and `Comment`); all spellings of one field map to one case.
package enum ExportLabel: Sendable, Hashable, CustomStringConvertible {
    /// `Name:`, the directory name.
    case name
    /// `Addr:` or `Address:`.
    case address
    /// `Loc:` or `Location:`, the one-letter location code.
    case location
    /// `Comments:` or `Comment:`.
    case comments
    /// Any other label, kept as written and otherwise ignored.
    case other(String)

    /// The label for the ASCII bytes of `text` (already trimmed).
    init(_ text: UnsafeBufferPointer<UInt8>) {
        if Self.equalsIgnoringCase(text, "name") {
            self = .name
        } else if Self.equalsIgnoringCase(text, "addr") || Self.equalsIgnoringCase(text, "address") {
            self = .address
        } else if Self.equalsIgnoringCase(text, "loc") || Self.equalsIgnoringCase(text, "location") {
            self = .location
        } else if Self.equalsIgnoringCase(text, "comments") || Self.equalsIgnoringCase(text, "comment") {
            self = .comments
        } else {
            self = .other(String(decoding: text, as: UTF8.self))
        }
    }

    /// The usual spelling: `Name`, `Addr`, `Loc`, `Comments`, or the unknown label as written.
    package var description: String {
        switch self {
        case .name: "Name"
        case .address: "Addr"
        case .location: "Loc"
        case .comments: "Comments"
        case .other(let text): text
        }
    }

    /// ASCII case-insensitive comparison with a lower-case literal.
    private static func equalsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else {
            return false
        }
        let expected = UnsafeBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
        for (byte, wanted) in zip(bytes, expected) where byte | 0x20 != wanted {
            return false
        }
        return true
    }
}

/// One `Label: value` line of a record.
package struct ExportField: Sendable, Hashable {
    /// The label.
    package var label: ExportLabel

    /// The decoded value, without the spaces and tabs around it.
    package var value: String

    /// The 1-based line of the field.
    package var line: Int

    /// The 1-based byte column where the value starts (just after the `:` when the value is empty).
    package var column: Int

    /// Creates a field.
    package init(label: ExportLabel, value: String, line: Int, column: Int) {
        self.label = label
        self.value = value
        self.line = line
        self.column = column
    }
}

/// A block of `Label: value` lines: one directory entry before it is interpreted.
package struct ExportRecord: Sendable, Hashable {
    /// The 1-based line of the record's first field.
    package var line: Int

    /// The fields in file order, unknown labels included.
    package var fields: [ExportField]

    /// Creates a record.
    package init(line: Int, fields: [ExportField]) {
        self.line = line
        self.fields = fields
    }

    /// The field with `label`; records never hold a known label twice (the scanner refuses that).
    package func field(_ label: ExportLabel) -> ExportField? {
        fields.first { $0.label == label }
    }

    /// The fields whose labels are none of `Name`, `Addr`, `Loc`, `Comments`.
    package var unknownFields: [ExportField] {
        fields.filter {
            if case .other = $0.label {
                return true
            }
            return false
        }
    }
}
