import Sync

/// One row per change or finding, for spreadsheets and scripts.
///
/// Columns: `record,id,kind,situation,rule,ccmail_name,dn,attribute_changes,detail,candidates`; `record` is `change`
/// or `finding`, and a column that does not apply to the record is empty. `attribute_changes` lists one item per
/// value as `<attribute> +<value>` (added) or `<attribute> -<value>` (removed), items joined by ` | `, in the order
/// they run: a create lists every value of the new entry (objectClass first, then by attribute name), a modify its
/// modifications in plan order, a delete the values the entry held. Starting each item with the attribute name
/// keeps the legitimate leading `+`/`-` away from the start of the field. A `delete` without values (LDAP: every
/// value) reads `<attribute> -(every value)`. `candidates` joins DNs with ` | `. Values are written exactly, so a
/// value that itself holds ` | ` makes the split ambiguous: the JSON report is the exact machine-readable form.
///
/// RFC 4180: CRLF line ends, a field holding a comma, quote, CR or LF is quoted and its quotes doubled. Formula
/// guard: a field a spreadsheet would run as a formula or DDE command (starting with `=`, `+`, `-`, `@`, tab or CR)
/// gets a leading `'`. cc:Mail names come from another system and must not execute on a reviewer's machine; the
/// `'` is visible in the cell, so a reviewer sees the value was guarded rather than losing a character.
package enum CSVReport {
    package static let header = [
        "record", "id", "kind", "situation", "rule", "ccmail_name", "dn", "attribute_changes", "detail", "candidates",
    ]

    /// The header and one row per change, then one per finding, in plan order.
    package static func render(_ plan: Plan) -> String {
        var rows = [header]
        for change in plan.changes {
            rows.append([
                "change", String(change.id), change.kind.rawValue, change.situation.rawValue, change.rule.rawValue,
                change.ccmailName, change.dn, changes(change), "", "",
            ])
        }
        for finding in plan.findings {
            rows.append([
                "finding", "", "", finding.situation.rawValue, "", finding.ccmailName, "", "", finding.detail,
                finding.candidates.joined(separator: " | "),
            ])
        }
        return rows.map { row in row.map { CSV.field(CSV.guardFormula($0)) }.joined(separator: ",") }
            .joined(separator: "\r\n") + "\r\n"
    }

    private static func changes(_ change: Plan.Change) -> String {
        var parts: [String] = []
        switch change.kind {
        case .create:
            for (attribute, values) in Wording.orderedAttributes(change.attributes) {
                parts += values.map { "\(attribute) +\($0)" }
            }
        case .modify:
            for modification in change.modifications {
                let sign = modification.op == .add ? "+" : "-"
                var values = modification.values
                if values.isEmpty {
                    values = [modification.op == .add ? Wording.noValue : Wording.everyValue]
                }
                parts += values.map { "\(modification.attribute) \(sign)\($0)" }
            }
        case .delete:
            for (attribute, values) in Wording.orderedAttributes(change.before) {
                parts += values.map { "\(attribute) -\($0)" }
            }
        }
        return parts.joined(separator: " | ")
    }
}

/// The name-rule suggestions as a mapping file (`ccmail_name,mailbox`) for the administrator to edit and feed back.
///
/// Header `ccmail_name,mailbox`, then one row per `suggestion` finding with its first candidate, sorted by name (then
/// mailbox), RFC 4180 quoting (names hold commas) and CRLF line ends. No formula guard here, unlike `CSVReport`:
/// ccdirsync's own mapping reader reads the file back and needs the values as they are, so a guarding `'` would
/// become part of the name and the row would match nobody. Open it in a text editor, not a spreadsheet.
package enum SuggestionsCSV {
    /// The mapping file text.
    package static func render(_ plan: Plan) -> String {
        var lines = ["ccmail_name,mailbox"]
        let suggestions = plan.findings.filter { $0.situation == .suggestion }
        let rows = suggestions.compactMap { finding in finding.candidates.first.map { (finding.ccmailName, $0) } }
        for (name, mailbox) in rows.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) {
            lines.append("\(CSV.field(name)),\(CSV.field(mailbox))")
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}

/// RFC 4180 fields.
enum CSV {
    /// The field, quoted with its quotes doubled when it holds a comma, quote, CR or LF.
    static func field(_ value: String) -> String {
        guard value.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else {
            return value
        }
        var quoted = "\""
        for scalar in value.unicodeScalars {
            quoted.unicodeScalars.append(scalar)
            if scalar == "\"" {
                quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }

    /// The field with a leading `'` when a spreadsheet would read it as a formula.
    static func guardFormula(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else {
            return value
        }
        return "'" + value
    }
}
