import Sync

/// Renders a plan in any of the formats; the CLI's single entry point into this module.
package enum Report {
    package static func render(_ plan: Plan, format: ReportFormat, color: Bool) throws(LDIFReportError) -> [UInt8] {
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
package enum JSONReport {
    package static func render(_ plan: Plan) -> [UInt8] {
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
        case .userUnknown: "Not read whole: custom recipient kept"
        case .duplicateAddress: "One address, several objects"
        case .valueTooLong: "Value too long for the server: not written"
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
    ///
    /// Newline, CR and tab read `\n`, `\r`, `\t`; other C0/C1 controls, format characters (bidi overrides,
    /// zero-width marks) and line/paragraph separators read `\u{1B}`. A backslash is doubled only where it would
    /// otherwise start one of these escapes (before `n`, `r`, `t`, `u`, another backslash or an escaped character):
    /// that keeps the spelling unambiguous while the RFC 4514 escapes of DNs (`cn=Smith\, John`) read exactly as
    /// they are written, which is what an administrator copies into `ldapsearch`.
    static func visible(_ value: String) -> String {
        // Printable ASCII without a backslash reads as it is: the common case, decided on the bytes.
        guard value.utf8.contains(where: { $0 < 0x20 || $0 >= 0x7F || $0 == 0x5C }) else {
            return value
        }
        guard value.unicodeScalars.contains(where: { $0 == "\\" || escape($0) != nil }) else {
            return value
        }
        let scalars = Array(value.unicodeScalars)
        var output = ""
        for (index, scalar) in scalars.enumerated() {
            if let escape = escape(scalar) {
                output += escape
            } else if scalar == "\\" {
                let next = index + 1 < scalars.count ? scalars[index + 1] : nil
                output += next.map(startsEscape) == true ? "\\\\" : "\\"
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// The spelling of a scalar that must not appear raw, or nil.
    private static func escape(_ scalar: Unicode.Scalar) -> String? {
        // Printable ASCII and the Latin letters and signs (except the soft hyphen, a format character) are never
        // escaped; asking for their general category would cost more than the rest of a large report.
        if (0x20..<0x7F).contains(scalar.value) || ((0xA0...0x2FF).contains(scalar.value) && scalar.value != 0xAD) {
            return nil
        }
        switch scalar {
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        default:
            let category = scalar.properties.generalCategory
            guard
                scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || category == .format
                    || category == .lineSeparator || category == .paragraphSeparator
            else {
                return nil
            }
            return "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
        }
    }

    /// Whether a backslash before this scalar would read as the start of an escape.
    private static func startsEscape(_ scalar: Unicode.Scalar) -> Bool {
        ["\\", "n", "r", "t", "u"].contains(scalar) || escape(scalar) != nil
    }

    /// Attributes in reading order: objectClass first, then by name without regard to case.
    ///
    /// Ties between names that differ only in case are broken by the exact name, so the order never depends on
    /// the dictionary's (per-process random) iteration order.
    ///
    /// Each name is lower-cased once, before sorting: lower-casing both names in every comparison made four new
    /// strings per comparison, most of the HTML report's time on a plan's creates.
    static func orderedAttributes(_ attributes: [String: [String]]) -> [(String, [String])] {
        attributes.map { member in
            let lowered = member.key.lowercased()
            return (rank: lowered == "objectclass" ? 0 : 1, lowered: lowered, member: member)
        }
        .sorted { lhs, rhs in
            (lhs.rank, lhs.lowered, lhs.member.key) < (rhs.rank, rhs.lowered, rhs.member.key)
        }
        .map { ($0.member.key, $0.member.value) }
    }

    /// The words for a modification with no values: LDAP reads a `delete` without values as "every value".
    static let everyValue = "(every value)"

    /// The words for an `add` with no values, which a directory refuses: shown rather than hidden.
    static let noValue = "(no value)"

    /// The words for the values of a multi-valued attribute that a value-level modify does not touch.
    static let otherValuesStay = "(its other values stay as they are)"
}
