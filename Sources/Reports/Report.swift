import Sync

/// Renders a plan in any of the formats; the CLI's single entry point into this module.
public enum Report {
    public static func render(_ plan: Plan, format: ReportFormat, color: Bool) throws(LDIFReportError) -> [UInt8] {
        switch format {
        case .text: Array(TextReport.render(plan, color: color).utf8)
        case .json: JSONReport.render(plan)
        case .csv: Array(CSVReport.render(plan).utf8)
        case .ldif: Array(try LDIFReport.render(plan).utf8)
        case .html: Array(HTMLReport.render(plan).utf8)
        }
    }
}

/// The plan file itself: reviewers and scripts read the same bytes `apply` checks.
public enum JSONReport {
    public static func render(_ plan: Plan) -> [UInt8] {
        PlanFile.prettyJSON(plan)
    }
}

/// Human words for the plan's codes, shared by every report.
enum Wording {
    static func title(_ situation: Plan.Situation) -> String {
        switch situation {
        case .migrateMissing: "MIGRATE address missing on a mailbox"
        case .userMoved: "User moved post office"
        case .recipientMissing: "New custom recipient"
        case .recipientChanged: "Custom recipient updated in place"
        case .userGone: "User gone from cc:Mail: custom recipient deleted"
        case .userGoneHidden: "User gone from cc:Mail: custom recipient hidden"
        case .userReturned: "User back in cc:Mail: custom recipient shown again"
        case .retiredOnMatch: "User has a mailbox: custom recipient retired"
        case .undo: "Undo of an earlier run"
        }
    }

    static func title(_ situation: Plan.FindingSituation) -> String {
        switch situation {
        case .disputed: "Disputed: nothing written"
        case .conflict: "Conflict: nothing written"
        case .representedElsewhere: "Represented elsewhere: no custom recipient"
        case .excluded: "Excluded"
        case .suggestion: "Name matches waiting for approval"
        case .mappingError: "Mapping file problems"
        case .parseWarning: "Export warnings"
        }
    }

    static func rule(_ rule: Plan.Rule) -> String {
        switch rule {
        case .migrateValue: "joined by its MIGRATE value"
        case .mapping: "joined by the mapping file"
        case .ccMailProxy: "joined by a secondary ccmail address"
        case .name: "joined by name"
        case .ownRecipient: "ccdirsync's own custom recipient"
        case .journal: "reverses a journalled change"
        }
    }

    /// A value with control characters spelled out, so it cannot forge lines or terminal escapes.
    static func visible(_ value: String) -> String {
        var output = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\\": output += "\\\\"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
                    || scalar.properties.generalCategory == .format
                {
                    output += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output
    }

    /// The values of each attribute after a modify: before, minus deleted, plus added.
    static func after(_ change: Plan.Change) -> [String: [String]] {
        var values = change.before
        for modification in change.modifications {
            var current = values[modification.attribute] ?? []
            switch modification.op {
            case .delete:
                current.removeAll { modification.values.contains($0) }
            case .add:
                current += modification.values.filter { !current.contains($0) }
            }
            values[modification.attribute] = current
        }
        return values
    }

    /// Create attributes in reading order: objectClass first, then by name.
    static func orderedAttributes(_ attributes: [String: [String]]) -> [(String, [String])] {
        attributes.sorted { lhs, rhs in
            let left = lhs.key.lowercased() == "objectclass" ? "" : lhs.key.lowercased()
            let right = rhs.key.lowercased() == "objectclass" ? "" : rhs.key.lowercased()
            return left < right
        }
    }
}
