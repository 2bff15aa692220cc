import Sync

/// The report a person reads in a terminal: summary first, then the changes grouped by situation, then findings.
public enum TextReport {
    public static func render(_ plan: Plan, color: Bool) -> String {
        let style = Style(enabled: color)
        var lines: [String] = []
        lines.append(
            style.bold("ccdirsync plan") + " — profile \(plan.profile.rawValue), base \(Wording.visible(plan.baseDN))")
        lines.append("plan hash \(plan.planHash)")
        for input in plan.inputs {
            lines.append("input \(Wording.visible(input.path)) (\(input.role)) sha256 \(input.sha256.prefix(16))")
        }
        let summary = plan.summary
        lines.append(
            "summary: \(summary.create) to create, \(summary.modify) to modify, \(summary.delete) to delete, "
                + "\(summary.findings) findings")
        if summary.overThreshold {
            lines.append(
                style.red(
                    "OVER THRESHOLD: \(summary.thresholdReasons.joined(separator: "; ")) — apply needs --approve "
                        + plan.planHash))
        }
        if summary.isEmpty {
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
        let findings = Dictionary(grouping: plan.findings, by: \.situation)
        for situation in Plan.FindingSituation.allCases {
            guard let group = findings[situation] else {
                continue
            }
            lines.append("")
            lines.append(style.bold(style.yellow("\(Wording.title(situation)) (\(group.count))")))
            for finding in group {
                let name = finding.ccmailName.isEmpty ? "" : "\(Wording.visible(finding.ccmailName)): "
                lines.append("  \(name)\(Wording.visible(finding.detail))")
                for candidate in finding.candidates {
                    lines.append("      \(Wording.visible(candidate))")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func describe(_ change: Plan.Change, style: Style) -> [String] {
        var lines = [
            "  #\(change.id) \(change.kind.rawValue) \(Wording.visible(change.dn))",
            "      cc:Mail user \(Wording.visible(change.ccmailName)); \(Wording.rule(change.rule))",
        ]
        switch change.kind {
        case .create:
            for (attribute, values) in Wording.orderedAttributes(change.attributes) {
                for value in values {
                    lines.append(style.green("      + \(attribute): \(Wording.visible(value))"))
                }
            }
        case .modify:
            for modification in change.modifications {
                let sign = modification.op == .add ? "+" : "-"
                for value in modification.values {
                    let line = "      \(sign) \(modification.attribute): \(Wording.visible(value))"
                    lines.append(modification.op == .add ? style.green(line) : style.red(line))
                }
            }
        case .delete:
            for (attribute, values) in Wording.orderedAttributes(change.before) {
                for value in values {
                    lines.append(style.red("      - \(attribute): \(Wording.visible(value))"))
                }
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
