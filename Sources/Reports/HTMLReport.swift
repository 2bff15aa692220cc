import Sync

/// One self-contained page for reviewers: summary, a filterable table per situation, per-value before and after.
///
/// No external file, font, image or network request (the Content-Security-Policy forbids them), and every value
/// passes through `escape`, because cc:Mail names come from another system and a reviewer's browser must never run
/// them. The page reads fine without script; the inline script only filters rows.
public enum HTMLReport {
    public static func render(_ plan: Plan) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
            <title>ccdirsync plan \(escape(String(plan.planHash.prefix(12))))</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2em;color:#222}
            table{border-collapse:collapse;margin:.5em 0 2em;width:100%}
            th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top;font-size:.9em}
            th{background:#f3f3f3}
            .add{color:#0a6b0a}.del{color:#a00;text-decoration:line-through}
            .warn{background:#fff3cd;padding:.5em;border:1px solid #e0c060}
            .over{background:#f8d7da;padding:.5em;border:1px solid #d08080;font-weight:bold}
            code{font-family:ui-monospace,monospace;white-space:pre-wrap;word-break:break-all}
            input.filter{margin:.3em 0;padding:.2em;width:20em}
            </style>
            </head>
            <body>
            <h1>ccdirsync plan</h1>

            """
        html += "<p>Profile <code>\(escape(plan.profile.rawValue))</code>, base <code>\(escape(plan.baseDN))</code>, "
        html += "container <code>\(escape(plan.customRecipientContainer))</code>.<br>"
        html += "Plan hash <code>\(escape(plan.planHash))</code></p>\n"
        html += "<table><tr><th>input</th><th>role</th><th>SHA-256</th></tr>\n"
        for input in plan.inputs {
            html += "<tr><td><code>\(escape(input.path))</code></td><td>\(escape(input.role))</td>"
            html += "<td><code>\(escape(input.sha256))</code></td></tr>\n"
        }
        html += "</table>\n"
        let summary = plan.summary
        html += "<h2>Summary</h2>\n<table><tr><th>create</th><th>modify</th><th>delete</th><th>findings</th></tr>"
        html += "<tr><td>\(summary.create)</td><td>\(summary.modify)</td><td>\(summary.delete)</td>"
        html += "<td>\(summary.findings)</td></tr></table>\n"
        if summary.overThreshold {
            html += "<p class=\"over\">Over threshold: \(escape(summary.thresholdReasons.joined(separator: "; "))). "
            html += "<code>apply</code> needs <code>--approve \(escape(plan.planHash))</code>.</p>\n"
        }
        if summary.isEmpty {
            html += "<p>No changes: the directory is in step with cc:Mail.</p>\n"
        }
        var tableIndex = 0
        for situation in Plan.Situation.allCases {
            let changes = plan.changes.filter { $0.situation == situation }
            guard !changes.isEmpty else {
                continue
            }
            tableIndex += 1
            html += section(title: "\(Wording.title(situation)) (\(changes.count))", id: "t\(tableIndex)")
            html += "<tr><th>#</th><th>kind</th><th>cc:Mail user</th><th>DN</th><th>rule</th>"
            html += "<th>before</th><th>after</th></tr>\n"
            for change in changes {
                html += "<tr><td>\(change.id)</td><td>\(change.kind.rawValue)</td>"
                html += "<td>\(escape(change.ccmailName))</td><td><code>\(escape(change.dn))</code></td>"
                html += "<td>\(escape(Wording.rule(change.rule)))</td>"
                html += "<td>\(values(before: change))</td><td>\(values(after: change))</td></tr>\n"
            }
            html += "</table>\n"
        }
        let findings = Dictionary(grouping: plan.findings, by: \.situation)
        for situation in Plan.FindingSituation.allCases {
            guard let group = findings[situation] else {
                continue
            }
            tableIndex += 1
            html += section(title: "\(Wording.title(situation)) (\(group.count))", id: "t\(tableIndex)")
            html += "<tr><th>cc:Mail user</th><th>detail</th><th>objects</th></tr>\n"
            for finding in group {
                html += "<tr><td>\(escape(finding.ccmailName))</td><td>\(escape(finding.detail))</td><td>"
                html += finding.candidates.map { "<code>\(escape($0))</code>" }.joined(separator: "<br>")
                html += "</td></tr>\n"
            }
            html += "</table>\n"
        }
        html += """
            <script>
            document.querySelectorAll('input.filter').forEach(function (box) {
              box.addEventListener('input', function () {
                var needle = box.value.toLowerCase();
                var table = document.getElementById(box.dataset.table);
                Array.prototype.slice.call(table.rows, 1).forEach(function (row) {
                  row.style.display = row.textContent.toLowerCase().indexOf(needle) >= 0 ? '' : 'none';
                });
              });
            });
            </script>
            </body>
            </html>

            """
        return html
    }

    /// Escapes text for HTML element content and quoted attribute values.
    public static func escape(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.append(character)
            }
        }
        return output
    }

    private static func section(title: String, id: String) -> String {
        "<h2>\(escape(title))</h2>\n<input class=\"filter\" type=\"search\" placeholder=\"filter rows\" "
            + "data-table=\"\(id)\">\n<table id=\"\(id)\">\n"
    }

    /// The touched attributes' values before the change.
    private static func values(before change: Plan.Change) -> String {
        switch change.kind {
        case .create:
            return ""
        case .modify, .delete:
            let deleted = Set(change.modifications.filter { $0.op == .delete }.flatMap(\.values))
            return list(Wording.orderedAttributes(change.before)) { value in
                change.kind == .delete || deleted.contains(value) ? "del" : nil
            }
        }
    }

    /// The touched attributes' values after the change.
    private static func values(after change: Plan.Change) -> String {
        switch change.kind {
        case .create:
            return list(Wording.orderedAttributes(change.attributes)) { _ in "add" }
        case .modify:
            let added = Set(change.modifications.filter { $0.op == .add }.flatMap(\.values))
            return list(Wording.orderedAttributes(Wording.after(change))) { added.contains($0) ? "add" : nil }
        case .delete:
            return "(entry deleted)"
        }
    }

    private static func list(_ attributes: [(String, [String])], style: (String) -> String?) -> String {
        var parts: [String] = []
        for (attribute, values) in attributes {
            for value in values {
                let text = "\(escape(attribute)): \(escape(Wording.visible(value)))"
                if let cssClass = style(value) {
                    parts.append("<code class=\"\(cssClass)\">\(text)</code>")
                } else {
                    parts.append("<code>\(text)</code>")
                }
            }
        }
        return parts.joined(separator: "<br>")
    }
}
