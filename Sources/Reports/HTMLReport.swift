import LDAPModel
import Sync

/// One self-contained page for reviewers: summary, a filterable table per situation, per-value before and after.
///
/// No external file, font, image or network request (the Content-Security-Policy forbids them, so the page also
/// works from a mail attachment or an air-gapped share), and every value taken from the plan passes through `text`
/// (control characters spelled out, then `escape`), because cc:Mail names come from another system and a
/// reviewer's browser must never run them. The page reads fine without script: the filter boxes stay hidden until
/// the inline script, which only filters rows, shows them.
package enum HTMLReport {
    /// The page, deterministic: the same plan gives the same bytes.
    package static func render(_ plan: Plan) -> String {
        var html = head(title: "ccdirsync plan \(String(plan.planHash.prefix(12)))")
        html += "<h1>ccdirsync plan</h1>\n"
        html += "<p>Profile <code>\(text(plan.profile.rawValue))</code>, base <code>\(text(plan.baseDN))</code>, "
        html += "custom recipients in <code>\(text(plan.customRecipientContainer))</code>.<br>\n"
        html += "Plan hash <code>\(text(plan.planHash))</code></p>\n"
        html += "<table><tr><th>input</th><th>role</th><th>SHA-256</th></tr>\n"
        for input in plan.inputs {
            html += "<tr><td><code>\(text(input.path))</code></td><td>\(text(input.role))</td>"
            html += "<td><code>\(text(input.sha256))</code></td></tr>\n"
        }
        html += "</table>\n"
        html += summary(plan)
        let proxyAttribute = Profile.named(plan.profile).proxyAttribute
        var tableIndex = 0
        // Positions per situation, in plan order: filtering the changes copied each one out for every situation.
        var positions: [Plan.Situation: [Int]] = [:]
        for index in plan.changes.indices {
            positions[plan.changes[index].situation, default: []].append(index)
        }
        for situation in Plan.Situation.allCases {
            guard let indices = positions[situation] else {
                continue
            }
            tableIndex += 1
            html += section(title: "\(Wording.title(situation)) (\(indices.count))", id: "t\(tableIndex)")
            html += "<tr><th>#</th><th>kind</th><th>cc:Mail user</th><th>DN</th><th>rule</th>"
            html += "<th>before</th><th>after</th></tr>\n"
            // The rows in parts on all cores (each row depends on its change alone), joined in order: `apply`
            // keeps this page before its first write, so its time is the wait before the directory sees a change.
            html += ParallelText.join(indices[...]) { part in
                var rows = ""
                for index in part {
                    row(plan.changes[index], proxyAttribute: proxyAttribute, to: &rows)
                }
                return rows
            }
            html += "</table>\n"
        }
        for situation in Plan.FindingSituation.allCases {
            let group = plan.findings.filter { $0.situation == situation }
            guard !group.isEmpty else {
                continue
            }
            tableIndex += 1
            html += section(title: "\(Wording.title(situation)) (\(group.count))", id: "t\(tableIndex)")
            html += "<tr><th>cc:Mail user</th><th>detail</th><th>objects</th></tr>\n"
            for finding in group {
                html += "<tr><td>\(text(finding.ccmailName))</td><td>\(text(finding.detail))</td><td>"
                html += finding.candidates.map { "<code>\(breakable($0))</code>" }.joined(separator: "<br>")
                html += "</td></tr>\n"
            }
            html += "</table>\n"
        }
        html += script
        return html
    }

    /// One change's row of its situation's table; `proxyAttribute` is the plan's profile's.
    private static func row(_ change: Plan.Change, proxyAttribute: String, to html: inout String) {
        let otherValues = otherValuesStay(change, proxyAttribute: proxyAttribute)
        html += "<tr><td>\(change.id)</td><td>\(text(change.kind.rawValue))</td>"
        html += "<td>\(text(change.ccmailName))</td><td><code>\(breakable(change.dn))</code></td>"
        html += "<td>\(text(Wording.rule(change.rule)))</td><td>"
        append(before(change) + otherValues, to: &html)
        html += "</td><td>"
        append(after(change) + otherValues, to: &html)
        html += "</td></tr>\n"
    }

    /// Escapes text for HTML element content and quoted attribute values: `& < > " '` become entities.
    package static func escape(_ text: String) -> String {
        // Most values hold none of the five: returned as they are, without being rebuilt scalar by scalar.
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            return text
        }
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// A value from the plan as page text: control and format characters spelled out (a bidi override must not
    /// reorder what the reviewer reads), then escaped.
    static func text(_ value: String) -> String {
        escape(Wording.visible(value))
    }

    /// A DN or an address as page text, with a line-break opportunity (`<wbr>`) after each comma that no space
    /// follows: a long value wraps between its RDNs or at a space, and inside a word only when one word is longer
    /// than the column (the stylesheet's `overflow-wrap:anywhere`). Copying the text copies no break.
    static func breakable(_ value: String) -> String {
        let page = text(value)
        guard page.utf8.contains(UInt8(ascii: ",")) else {
            return page
        }
        var output = ""
        output.reserveCapacity(page.utf8.count + 16)
        var afterComma = false
        for character in page {
            if afterComma, character != " " {
                output += "<wbr>"
            }
            output.append(character)
            afterComma = character == ","
        }
        return output
    }

    /// The page's head and the opening `body`, shared with the verification report.
    static func head(title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
        <meta name="referrer" content="no-referrer">
        <title>\(text(title))</title>
        <style>
        body{font-family:system-ui,sans-serif;margin:2em;color:#222}
        table{border-collapse:collapse;margin:.5em 0 2em;width:100%}
        th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top;font-size:.9em}
        th{background:#f3f3f3}
        del{color:#a00;text-decoration:line-through}
        ins{color:#0a6b0a;text-decoration:none;font-weight:bold}
        .none{color:#777;font-style:italic}
        .ok{background:#e6f4e6;padding:.5em;border:1px solid #8c8}
        .over{background:#f8d7da;padding:.5em;border:1px solid #d08080;font-weight:bold}
        code{font-family:ui-monospace,monospace;white-space:pre-wrap;overflow-wrap:anywhere}
        input.filter{margin:.3em 0;padding:.2em;width:20em}
        </style>
        </head>
        <body>

        """
    }

    private static func summary(_ plan: Plan) -> String {
        let summary = plan.summary
        var html = "<h2>Summary</h2>\n<table><tr><th>create</th><th>modify</th><th>delete</th><th>findings</th></tr>"
        html += "<tr><td>\(summary.create)</td><td>\(summary.modify)</td><td>\(summary.delete)</td>"
        html += "<td>\(summary.findings)</td></tr></table>\n"
        if summary.overThreshold {
            html += "<p class=\"over\">Over threshold: "
            html += summary.thresholdReasons.map(text).joined(separator: "; ")
            html += ". <code>apply</code> runs this plan only with <code>--approve \(text(plan.planHash))</code>.</p>\n"
        } else {
            html += "<p class=\"ok\">Within thresholds.</p>\n"
        }
        if plan.changes.isEmpty {
            html += "<p>No changes: the directory is in step with cc:Mail.</p>\n"
        }
        return html
    }

    static func section(title: String, id: String) -> String {
        "<h2>\(escape(title))</h2>\n<input class=\"filter\" type=\"search\" placeholder=\"filter rows\" "
            + "aria-label=\"filter the rows of this table\" data-table=\"\(id)\" hidden>\n<table id=\"\(id)\">\n"
    }

    /// One value in a before or after column, and how it fares.
    struct Cell: Equatable {
        enum Mark {
            case kept
            case removed
            case added
            /// Not a value: words such as "(entry deleted)".
            case note
        }

        var attribute: String
        var value: String
        var mark: Mark
    }

    /// The touched attributes' values before the change; removed values are marked.
    ///
    /// A value a modify deletes but the plan did not read before is listed too (removed), so no deletion is ever
    /// left out of the page.
    static func before(_ change: Plan.Change) -> [Cell] {
        switch change.kind {
        case .create:
            return [Cell(attribute: "", value: "(no entry)", mark: .note)]
        case .delete:
            return Wording.orderedAttributes(change.before).flatMap { attribute, values in
                values.map { Cell(attribute: attribute, value: $0, mark: .removed) }
            }
        case .modify:
            var cells: [Cell] = []
            let before = Plan.Change.mergedByName(change.before)
            for (attribute, values) in Wording.orderedAttributes(before) {
                for value in values {
                    let removed = change.modifications.contains { modification in
                        modification.op == .delete && sameAttribute(modification.attribute, attribute)
                            && (modification.values.isEmpty
                                || modification.values.contains { CaseIgnoreMatch.equal($0, value) })
                    }
                    cells.append(Cell(attribute: attribute, value: value, mark: removed ? .removed : .kept))
                }
            }
            for modification in change.modifications where modification.op == .delete {
                let read = before.first { sameAttribute($0.key, modification.attribute) }?.value ?? []
                if modification.values.isEmpty, read.isEmpty {
                    cells.append(Cell(attribute: modification.attribute, value: Wording.everyValue, mark: .removed))
                }
                for value in modification.values where !read.contains(where: { CaseIgnoreMatch.equal($0, value) }) {
                    cells.append(Cell(attribute: modification.attribute, value: value, mark: .removed))
                }
            }
            return cells
        }
    }

    /// The touched attributes' values after the change; added values are marked.
    static func after(_ change: Plan.Change) -> [Cell] {
        switch change.kind {
        case .create:
            return Wording.orderedAttributes(change.attributes).flatMap { attribute, values in
                values.map { Cell(attribute: attribute, value: $0, mark: .added) }
            }
        case .delete:
            return [Cell(attribute: "", value: "(entry deleted)", mark: .note)]
        case .modify:
            var cells: [Cell] = []
            let before = Plan.Change.mergedByName(change.before)
            for (attribute, values) in Wording.orderedAttributes(change.valuesAfter) {
                let read = before.first { sameAttribute($0.key, attribute) }?.value ?? []
                for value in values {
                    let added = !read.contains { CaseIgnoreMatch.equal($0, value) }
                    cells.append(Cell(attribute: attribute, value: value, mark: added ? .added : .kept))
                }
            }
            for modification in change.modifications where modification.op == .add && modification.values.isEmpty {
                cells.append(Cell(attribute: modification.attribute, value: Wording.noValue, mark: .added))
            }
            return cells
        }
    }

    /// Words saying that a modify of the proxy attribute leaves its other values as they are.
    ///
    /// Writes are value-level, and the plan records only the values it touches (a mailbox's MIGRATE values, not its
    /// SMTP and X.400 addresses), so without these words a MIGRATE add would read as if the mailbox had no address.
    static func otherValuesStay(_ change: Plan.Change, proxyAttribute proxy: String) -> [Cell] {
        guard change.kind == .modify,
            change.modifications.contains(where: { sameAttribute($0.attribute, proxy) && !$0.values.isEmpty })
        else {
            return []
        }
        return [Cell(attribute: proxy, value: Wording.otherValuesStay, mark: .note)]
    }

    private static func sameAttribute(_ lhs: String, _ rhs: String) -> Bool {
        ASCIIFolding.equalIgnoringCase(lhs, rhs)
    }

    /// The cells of a before or after column, appended to the page: values separated by `<br>`.
    private static func append(_ cells: [Cell], to html: inout String) {
        guard !cells.isEmpty else {
            html += "<span class=\"none\">(none)</span>"
            return
        }
        for (position, cell) in cells.enumerated() {
            if position > 0 {
                html += "<br>"
            }
            switch cell.mark {
            case .kept: break
            case .removed: html += "<del>"
            case .added: html += "<ins>"
            case .note:
                html += "<span class=\"none\">"
                if !cell.attribute.isEmpty {
                    html += "\(text(cell.attribute)): "
                }
                html += escape(cell.value)
                html += "</span>"
                continue
            }
            html += "<code>"
            html += text(cell.attribute)
            html += ": "
            html += breakable(cell.value)
            html += "</code>"
            switch cell.mark {
            case .removed: html += "</del>"
            case .added: html += "</ins>"
            case .kept, .note: break
            }
        }
    }

    /// The row filter and the end of the page.
    static let script = """
        <script>
        document.querySelectorAll('input.filter').forEach(function (box) {
          var table = document.getElementById(box.dataset.table);
          box.hidden = false;
          box.addEventListener('input', function () {
            var needle = box.value.toLowerCase();
            Array.prototype.slice.call(table.rows, 1).forEach(function (row) {
              row.style.display = row.textContent.toLowerCase().indexOf(needle) >= 0 ? '' : 'none';
            });
          });
        });
        </script>
        </body>
        </html>

        """
}
