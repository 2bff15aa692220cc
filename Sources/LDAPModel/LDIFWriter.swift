/// Writes changes and entries as RFC 2849 LDIF.
///
/// Every change the sync makes is also written as LDIF, both as an audit trail and so an operator can review a dry
/// run and apply it with `ldapmodify`. The output is therefore deterministic (same input, same bytes), ASCII-only
/// (anything that is not a SAFE-STRING is base64-encoded) and folded to a fixed width.
package struct LDIFWriter: Sendable {
    /// The maximum length in bytes of every physical output line (at least 2).
    package let lineWidth: Int

    /// Creates a writer folding lines longer than `lineWidth` bytes; pass `.max` to never fold.
    package init(lineWidth: Int = 76) {
        self.lineWidth = max(lineWidth, 2)
    }

    /// A `version: 1` line followed by one change record per change, separated by blank lines.
    ///
    /// Modify blocks always end with `-`. Attributes without values in an added entry cannot be written in LDIF
    /// and are left out.
    package func write(_ changes: [Change]) -> String {
        document(changes.map(changeRecord))
    }

    /// A `version: 1` line followed by one content record per entry, separated by blank lines.
    ///
    /// Attributes without values cannot be written in LDIF and are left out.
    package func write(entries: [Entry]) -> String {
        document(entries.map { entry in [valueLine("dn", entry.dn.description)] + attributeLines(entry.attributes) })
    }

    /// Whether `value` may be written as-is after `name: `.
    ///
    /// This is RFC 2849's SAFE-STRING (no NUL, CR, LF or byte above 127; not starting with space, `:` or `<`),
    /// plus "does not end with a space", because trailing spaces are silently lost by many tools, and no other
    /// control character either.
    package static func isSafeString(_ value: [UInt8]) -> Bool {
        if let first = value.first,
            first == UInt8(ascii: " ") || first == UInt8(ascii: ":") || first == UInt8(ascii: "<")
        {
            return false
        }
        if value.last == UInt8(ascii: " ") {
            return false
        }
        // Other control characters (ESC, BEL…) are legal in a SAFE-STRING, but an LDIF file is read in terminals:
        // written raw they could run escape sequences, so they are base64 too.
        return !value.contains { ($0 < 0x20 && $0 != 0x09) || $0 >= 0x7F }
    }

    // MARK: - Records

    private func document(_ records: [[String]]) -> String {
        var output = fold("version: 1") + "\n"
        for record in records {
            output += "\n"
            for line in record {
                output += fold(line)
                output += "\n"
            }
        }
        return output
    }

    private func changeRecord(_ change: Change) -> [String] {
        var lines = [valueLine("dn", change.dn.description)]
        switch change {
        case .add(let entry):
            lines.append("changetype: add")
            lines += attributeLines(entry.attributes)
        case .modify(_, let modifications):
            lines.append("changetype: modify")
            for modification in modifications {
                lines.append("\(modification.operation.rawValue): \(modification.attribute)")
                lines += modification.values.map { valueLine(modification.attribute, $0) }
                lines.append("-")
            }
        case .delete:
            lines.append("changetype: delete")
        case .modifyRDN(_, let newRDN, let deleteOldRDN, let newSuperior):
            lines.append("changetype: modrdn")
            lines.append(valueLine("newrdn", newRDN.description))
            lines.append("deleteoldrdn: \(deleteOldRDN ? 1 : 0)")
            if let newSuperior {
                lines.append(valueLine("newsuperior", newSuperior.description))
            }
        }
        return lines
    }

    private func attributeLines(_ attributes: [Attribute]) -> [String] {
        attributes.flatMap { attribute in attribute.values.map { valueLine(attribute.name, $0) } }
    }

    // MARK: - Lines

    private func valueLine(_ name: String, _ value: String) -> String {
        valueLine(name, Array(value.utf8))
    }

    /// `name: value`, `name:: base64` or, for an empty value, `name:`.
    private func valueLine(_ name: String, _ value: [UInt8]) -> String {
        if value.isEmpty {
            return name + ":"
        }
        if Self.isSafeString(value) {
            return name + ": " + String(decoding: value, as: UTF8.self)
        }
        return name + ":: " + Base64.encode(value)
    }

    /// Splits `line` into physical lines of at most ``lineWidth`` bytes, continuation lines starting with a space.
    ///
    /// Never splits inside a UTF-8 sequence (only attribute names could contain one; values are ASCII or base64); with
    /// a width too small for one character the character is emitted whole.
    private func fold(_ line: String) -> String {
        let bytes = Array(line.utf8)
        guard bytes.count > lineWidth else { return line }
        var output: [UInt8] = []
        var start = 0
        while start < bytes.count {
            let isFirst = start == 0
            var end = min(start + (isFirst ? lineWidth : lineWidth - 1), bytes.count)
            while end < bytes.count, end > start, bytes[end] & 0xC0 == 0x80 {
                end -= 1
            }
            if end == start {
                // Not even one character fits (only possible with a tiny width): emit it whole, over-long.
                end += 1
                while end < bytes.count, bytes[end] & 0xC0 == 0x80 {
                    end += 1
                }
            }
            if !isFirst {
                output += [UInt8(ascii: "\n"), UInt8(ascii: " ")]
            }
            output += bytes[start..<end]
            start = end
        }
        return String(decoding: output, as: UTF8.self)
    }
}
