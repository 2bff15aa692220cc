import Verify

/// The verification as a person reads it in a terminal: summary and verdict, then users grouped by status,
/// problems first, then the orphaned MIGRATE values.
///
/// Every string read from the exports or the directory passes through `Wording.visible`.
enum VerificationText {
    static func render(_ verification: Verification, color: Bool) -> String {
        let style = TextReport.Style(enabled: color)
        let text = Wording.visible
        var lines: [String] = []
        lines.append(
            style.bold("ccdirsync verify") + " — profile \(text(verification.profile)), base "
                + text(verification.baseDN))
        if let only = verification.onlyUser {
            lines.append("one user: \(text(only))")
        }
        lines.append("summary: \(VerificationWording.summary(verification.summary))")
        let verdict = VerificationWording.verdict(verification.summary)
        lines.append(style.bold(verification.summary.passes ? style.green(verdict) : style.red(verdict)))
        for (status, users) in VerificationWording.sections(verification) {
            lines.append("")
            let title = "\(VerificationWording.title(status)) (\(users.count))"
            lines.append(style.bold(status.passes ? title : style.yellow(title)))
            for position in users {
                let user = verification.users[position]
                lines.append("  \(text(VerificationWording.user(user))): \(text(VerificationWording.detail(user)))")
                for object in VerificationWording.objects(user) {
                    lines.append("      \(text(object))")
                }
            }
        }
        if !verification.orphans.isEmpty {
            lines.append("")
            lines.append(
                style.bold(
                    style.yellow("MIGRATE values that name no cc:Mail user (\(verification.orphans.count))")))
            for orphan in verification.orphans {
                lines.append("  \(text(orphan.dn)): \(text(orphan.attribute)): \(text(orphan.value))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
