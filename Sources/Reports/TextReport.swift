import Sync

/// The report a person reads in a terminal: summary first, then the changes grouped by situation, then findings.
///
/// Every string taken from the plan passes through `Wording.visible`, so a cc:Mail name holding a newline or an
/// escape sequence can neither forge a report line nor drive the reviewer's terminal. Colour (bold headings, green
/// additions, red removals, yellow findings) is added only when asked for, never decided here.
package enum TextReport {
    /// The whole report, one `\n`-terminated line after another.
    package static func render(_ plan: Plan, color: Bool) -> String {
        let style = Style(enabled: color)
        let text = Wording.visible
        var lines: [String] = []
        lines.append(
            style.bold("ccdirsync plan") + " — profile \(text(plan.profile.rawValue)), base \(text(plan.baseDN))")
        lines.append("custom recipients in \(text(plan.customRecipientContainer))")
        lines.append("plan hash \(text(plan.planHash))")
        for input in plan.inputs {
            lines.append(
                "input \(text(input.path)) (\(text(input.role))) sha256 \(text(String(input.sha256.prefix(16))))")
        }
        let summary = plan.summary
        lines.append(
            "summary: \(summary.create) to create, \(summary.modify) to modify, \(summary.delete) to delete, "
                + Quantity.phrase(summary.findings, "finding"))
        if summary.overThreshold {
            let reasons = summary.thresholdReasons.map(text).joined(separator: "; ")
            lines.append(
                style.bold(style.red("OVER THRESHOLD: \(reasons) — apply needs --approve \(text(plan.planHash))")))
        }
        if plan.changes.isEmpty {
            lines.append("")
            lines.append("No changes: the directory is in step with cc:Mail.")
        }
        for situation in Plan.Situation.allCases {
            let changes = plan.changes.filter { $0.situation == situation }
            guard !changes.isEmpty else {
                continue
            }
            lines.append("")
            lines.append(style.bold("\(Wording.title(situation)) (\(changes.count))"))
            for change in changes {
                lines += describe(change, style: style)
            }
        }
        for situation in Plan.FindingSituation.allCases {
            let group = plan.findings.filter { $0.situation == situation }
            guard !group.isEmpty else {
                continue
            }
            lines.append("")
            lines.append(style.bold(style.yellow("\(Wording.title(situation)) (\(group.count))")))
            for finding in group {
                let name = finding.ccmailName.isEmpty ? "" : "\(text(finding.ccmailName)): "
                lines.append(style.yellow("  \(name)\(text(finding.detail))"))
                for candidate in finding.candidates {
                    lines.append("      \(text(candidate))")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A change's lines: id, kind and DN; user and rule; then one `+`/`-` line per value.
    private static func describe(_ change: Plan.Change, style: Style) -> [String] {
        let text = Wording.visible
        var lines = [
            "  #\(change.id) \(change.kind.rawValue) \(text(change.dn))",
            "      cc:Mail user \(text(change.ccmailName)); \(Wording.rule(change.rule))",
        ]
        func add(_ sign: String, _ attribute: String, _ value: String) {
            let line = "      \(sign) \(text(attribute)): \(value)"
            lines.append(sign == "+" ? style.green(line) : style.red(line))
        }
        switch change.kind {
        case .create:
            for (attribute, values) in Wording.orderedAttributes(change.attributes) {
                values.forEach { add("+", attribute, text($0)) }
            }
        case .modify:
            for modification in change.modifications {
                let sign = modification.op == .add ? "+" : "-"
                if modification.values.isEmpty {
                    add(sign, modification.attribute, modification.op == .add ? Wording.noValue : Wording.everyValue)
                }
                modification.values.forEach { add(sign, modification.attribute, text($0)) }
            }
        case .delete:
            for (attribute, values) in Wording.orderedAttributes(change.before) {
                values.forEach { add("-", attribute, text($0)) }
            }
        }
        return lines
    }

    /// ANSI colours, or nothing.
    struct Style {
        let enabled: Bool

        func wrap(_ text: String, _ code: String) -> String {
            enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
        }

        func bold(_ text: String) -> String { wrap(text, "1") }
        func red(_ text: String) -> String { wrap(text, "31") }
        func green(_ text: String) -> String { wrap(text, "32") }
        func yellow(_ text: String) -> String { wrap(text, "33") }
    }
}
