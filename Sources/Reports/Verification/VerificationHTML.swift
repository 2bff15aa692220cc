import Verify

/// The verification as one self-contained page, with the same safety rules as the plan's page (`HTMLReport`):
/// no external resource, every value escaped, the script only filters rows.
enum VerificationHTML {
    static func render(_ verification: Verification) -> String {
        let text = HTMLReport.text
        let breakable = HTMLReport.breakable
        let summary = verification.summary
        var html = HTMLReport.head(title: "ccdirsync verify")
        html += "<h1>ccdirsync verify</h1>\n"
        html += "<p>Profile <code>\(text(verification.profile))</code>, every lookup below "
        html += "<code>\(text(verification.baseDN))</code>"
        if let only = verification.onlyUser {
            html += ", one user: \(text(only))"
        }
        html += ".</p>\n<h2>Summary</h2>\n<table><tr><th>users</th>"
        for status in Verification.Status.allCases {
            html += "<th>\(text(status.rawValue))</th>"
        }
        html += "<th>orphaned MIGRATE values</th><th>not verified</th></tr>\n<tr><td>\(summary.users)</td>"
        for status in Verification.Status.allCases {
            html += "<td>\(summary.count(status))</td>"
        }
        html += "<td>\(summary.orphans)</td><td>\(summary.skipped)</td></tr></table>\n"
        html += "<p class=\"\(summary.passes ? "ok" : "over")\">\(text(VerificationWording.verdict(summary)))</p>\n"
        var tableIndex = 0
        for (status, users) in VerificationWording.sections(verification) {
            tableIndex += 1
            html += HTMLReport.section(
                title: "\(VerificationWording.title(status)) (\(users.count))", id: "t\(tableIndex)")
            html += "<tr><th>cc:Mail user</th><th>detail</th><th>objects</th><th>searches</th></tr>\n"
            for position in users {
                let user = verification.users[position]
                html += "<tr><td>\(text(VerificationWording.user(user)))</td>"
                html += "<td>\(text(VerificationWording.detail(user)))</td><td>"
                html += VerificationWording.objects(user).map { "<code>\(breakable($0))</code>" }.joined(
                    separator: "<br>")
                html += "</td><td><code>\(text(user.migration.filter))</code><br>"
                html += "<code>\(text(user.address.filter))</code></td></tr>\n"
            }
            html += "</table>\n"
        }
        if !verification.orphans.isEmpty {
            tableIndex += 1
            html += HTMLReport.section(
                title: "MIGRATE values that name no cc:Mail user (\(verification.orphans.count))",
                id: "t\(tableIndex)")
            html += "<tr><th>DN</th><th>attribute</th><th>value</th></tr>\n"
            for orphan in verification.orphans {
                html += "<tr><td><code>\(breakable(orphan.dn))</code></td><td>\(text(orphan.attribute))</td>"
                html += "<td><code>\(breakable(orphan.value))</code></td></tr>\n"
            }
            html += "</table>\n"
        }
        return html + HTMLReport.script
    }
}
