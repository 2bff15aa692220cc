import Foundation
import Verify

/// Renders a `Verification` in the formats `verify --format` offers: text, json, csv, html.
package enum VerificationReport {
    /// The formats a verification can be shown in (LDIF describes changes, and verify changes nothing).
    package static let formats: [ReportFormat] = [.text, .json, .csv, .html]

    package static func render(_ verification: Verification, format: ReportFormat, color: Bool) -> [UInt8]? {
        switch format {
        case .text: Array(VerificationText.render(verification, color: color).utf8)
        case .json: json(verification)
        case .csv: Array(VerificationCSV.render(verification).utf8)
        case .html: Array(VerificationHTML.render(verification).utf8)
        case .ldif: nil
        }
    }

    /// The verification as JSON, keys sorted, so the same directory gives the same bytes.
    package static func json(_ verification: Verification) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, numbers and booleans cannot fail.
        let data = (try? encoder.encode(verification)) ?? Data("{}".utf8)
        return Array(data) + [0x0A]
    }
}

/// Human words for verification statuses and objects, shared by the text, CSV and HTML reports.
package enum VerificationWording {
    /// Problems first: they are what an administrator reads the report for.
    static let order: [Verification.Status] = [.ambiguous, .stale, .unresolved, .migrationReady, .addressable]

    /// The statuses that have users, in `order`, each with its users' positions in `verification.users`: one pass
    /// over the users rather than a filtered copy of them per status.
    static func sections(_ verification: Verification) -> [(status: Verification.Status, positions: [Int])] {
        var positions: [Verification.Status: [Int]] = [:]
        for position in verification.users.indices {
            positions[verification.users[position].status, default: []].append(position)
        }
        return order.compactMap { status in positions[status].map { (status, $0) } }
    }

    static func title(_ status: Verification.Status) -> String {
        switch status {
        case .migrationReady: "Migration ready: the Migration Wizard finds exactly one mailbox"
        case .addressable: "Addressable: exactly one object answers the address"
        case .unresolved: "Unresolved: nothing answers"
        case .ambiguous: "Ambiguous: two or more objects answer"
        case .stale: "Stale: a value names the user at a post office they have left"
        }
    }

    /// `Smith, John at LONDON`.
    static func user(_ user: Verification.User) -> String {
        "\(user.name) at \(user.postOffice)"
    }

    /// `cn=…,o=Org (custom recipient, ccdirsync's)`.
    static func object(_ object: Verification.Object) -> String {
        let kind =
            switch object.kind {
            case "mailbox": "mailbox"
            case "customRecipient": object.owned ? "custom recipient, ccdirsync's" : "custom recipient, not ccdirsync's"
            default: "other object"
            }
        return "\(object.dn) (\(kind))"
    }

    /// One sentence saying why the user has their status.
    static func detail(_ user: Verification.User) -> String {
        let migration = user.migration
        let address = user.address
        switch user.status {
        case .migrationReady:
            return "the Migration Wizard finds the mailbox by \(migration.address)"
        case .addressable:
            return "\(address.address) resolves to one object"
        case .unresolved:
            if let only = migration.objects.first {
                return
                    "\(migration.address) is carried by a \(only.kind == "customRecipient" ? "custom recipient" : "non-mailbox object"), "
                    + "which the Migration Wizard cannot use, and nothing answers \(address.address)"
            }
            return "nothing answers \(migration.address) or \(address.address)"
        case .ambiguous:
            var parts: [String] = []
            for lookup in [migration, address] where lookup.objects.count > 1 || lookup.truncated {
                let count = lookup.truncated ? "at least \(lookup.objects.count)" : "\(lookup.objects.count)"
                parts.append("\(count) objects answer \(lookup.address)")
            }
            return parts.joined(separator: "; ")
        case .stale:
            let offices = Set(user.stale.map(\.postOffice)).sorted().joined(separator: ", ")
            return "the directory still names the user at \(offices); the next sync moves the values"
        }
    }

    /// The objects the report lists under a user: every answer, then every stale value.
    static func objects(_ user: Verification.User) -> [String] {
        var lines: [String] = []
        // A user has one or two answers, usually the same mailbox twice: a look along them beats hashing DNs.
        var seen: [String] = []
        for answers in [user.migration.objects, user.address.objects] {
            for answer in answers where !seen.contains(answer.dn) {
                seen.append(answer.dn)
                lines.append(object(answer))
            }
        }
        for value in user.stale {
            lines.append("\(value.dn): \(value.attribute): \(value.value)")
        }
        return lines
    }

    static func summary(_ summary: Verification.Summary) -> String {
        "\(Quantity.phrase(summary.users, "user")): \(summary.migrationReady) migration ready, \(summary.addressable) addressable, "
            + "\(summary.unresolved) unresolved, \(summary.ambiguous) ambiguous, \(summary.stale) stale; "
            + "\(Quantity.phrase(summary.orphans, "orphaned MIGRATE value")); \(summary.skipped) not verified (conflict or excluded)"
    }

    /// One line for standard error.
    package static func summaryLine(_ counts: Verification.Summary) -> String {
        summary(counts)
    }

    static func verdict(_ summary: Verification.Summary) -> String {
        summary.passes
            ? "VERIFIED: every user is migration ready or addressable"
            : "NOT VERIFIED: \(Quantity.phrase(summary.users - summary.migrationReady - summary.addressable, "user")) "
                + "cannot be found "
                + "reliably"
    }
}
