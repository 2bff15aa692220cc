import Foundation
import Sync

/// One row per change or finding, for spreadsheets and scripts.
///
/// Columns: `record,id,kind,situation,rule,ccmail_name,dn,attribute_changes,detail,candidates`. `attribute_changes`
/// lists value changes as `attribute +value` / `attribute -value` (creates: every value with `+`; deletes: what is
/// removed, with `-`), joined by ` | `; `candidates` joins DNs with ` | `. RFC 4180 quoting, CRLF line ends. A field
/// that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`:
/// cc:Mail names come from another system and must not execute on a reviewer's machine.
public enum CSVReport {
    public static let header = [
        "record", "id", "kind", "situation", "rule", "ccmail_name", "dn", "attribute_changes", "detail", "candidates",
    ]

    public static func render(_ plan: Plan) -> String {
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
                parts += modification.values.map { "\(modification.attribute) \(sign)\($0)" }
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
/// No formula guard here: ccdirsync's own mapping reader reads the file back and needs the values as they are.
public enum SuggestionsCSV {
    public static func render(_ plan: Plan) -> String {
        var lines = ["ccmail_name,mailbox"]
        let suggestions = plan.findings.filter { $0.situation == .suggestion && !$0.candidates.isEmpty }
        for finding in suggestions.sorted(by: { $0.ccmailName < $1.ccmailName }) {
            lines.append("\(CSV.field(finding.ccmailName)),\(CSV.field(finding.candidates[0]))")
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}

/// RFC 4180 fields.
enum CSV {
    static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else {
            return value
        }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func guardFormula(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else {
            return value
        }
        return "'" + value
    }
}
