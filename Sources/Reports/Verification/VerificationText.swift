import Verify

/// The verification as a person reads it in a terminal: summary and verdict, then users grouped by status,
/// problems first, then the orphaned MIGRATE values.
///
/// Every string read from the exports or the directory passes through `Wording.visible`.
enum VerificationText {
    static func render(_ verification: Verification, color: Bool) -> String {
        let style = TextReport.Style(enabled: color)
        let text = Wording.visible
        // One string grows through the whole report (a line of text per user at least; 17 MB at 100,000 users),
        // rather than a line array joined at the end.
        var output = ""
        output.reserveCapacity(verification.users.count * 160)
        func line(_ text: String) {
            output += text
            output += "\n"
        }
        line(
            style.bold("ccdirsync verify") + " — profile \(text(verification.profile)), base "
                + text(verification.baseDN))
        if let only = verification.onlyUser {
            line("one user: \(text(only))")
        }
        line("summary: \(VerificationWording.summary(verification.summary))")
        let verdict = VerificationWording.verdict(verification.summary)
        line(style.bold(verification.summary.passes ? style.green(verdict) : style.red(verdict)))
        for (status, users) in VerificationWording.sections(verification) {
            line("")
            let title = "\(VerificationWording.title(status)) (\(users.count))"
            line(style.bold(status.passes ? title : style.yellow(title)))
            output += ParallelText.join(users[...]) { positions in
                var lines = ""
                for position in positions {
                    Self.append(verification.users[position], to: &lines)
                }
                return lines
            }
        }
        if !verification.orphans.isEmpty {
            line("")
            line(
                style.bold(
                    style.yellow("MIGRATE values that name no cc:Mail user (\(verification.orphans.count))")))
            for orphan in verification.orphans {
                line("  \(text(orphan.dn)): \(text(orphan.attribute)): \(text(orphan.value))")
            }
        }
        return output
    }

    /// A user's lines: who, the verdict's reason, and the objects that answered.
    private static func append(_ user: Verification.User, to output: inout String) {
        let text = Wording.visible
        output += "  \(text(VerificationWording.user(user))): \(text(VerificationWording.detail(user)))\n"
        for object in VerificationWording.objects(user) {
            output += "      \(text(object))\n"
        }
    }
}
