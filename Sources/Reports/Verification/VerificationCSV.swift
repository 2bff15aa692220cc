import Verify

/// The verification as one CSV row per user, then one per orphaned MIGRATE value (status `orphan`), for a
/// spreadsheet. Fields are RFC 4180 and guarded against formula injection like the plan's CSV.
enum VerificationCSV {
    static let header = [
        "status", "ccmail_name", "post_office", "migrate_address", "migrate_answers", "address", "address_answers",
        "stale_values",
    ]

    static func render(_ verification: Verification) -> String {
        var rows = [header]
        for user in verification.users {
            rows.append([
                user.status.rawValue, user.name, user.postOffice, user.migration.address,
                answers(user.migration), user.address.address, answers(user.address),
                user.stale.map { "\($0.dn): \($0.value)" }.joined(separator: "\n"),
            ])
        }
        for orphan in verification.orphans {
            rows.append(["orphan", "", orphan.postOffice, orphan.value, orphan.dn, "", "", ""])
        }
        return rows.map { row in row.map { CSV.field(CSV.guardFormula($0)) }.joined(separator: ",") }
            .joined(separator: "\r\n") + "\r\n"
    }

    private static func answers(_ lookup: Verification.Lookup) -> String {
        var text = lookup.objects.map(\.dn).joined(separator: "\n")
        if lookup.truncated {
            text += "\n(and more)"
        }
        return text
    }
}
