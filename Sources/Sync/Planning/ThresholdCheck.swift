import CCMail

/// Compares a plan's counts with the configured thresholds.
///
/// Each kind has a count and a percent; exceeding either marks the plan, which is then written but applied only
/// with `--approve <planHash>`. Percents are of the objects ccdirsync manages for that kind: our custom recipients
/// for deletes and creates, our custom recipients plus the joined mailboxes for modifies. With nothing managed
/// yet, any change is 100%.
struct ThresholdCheck {
    let thresholds: Thresholds

    func reasons(changes: [Plan.Change], ownedRecipients: Int, joinedMailboxes: Int) -> [String] {
        var counts: [Plan.ChangeKind: Int] = [:]
        for index in changes.indices {
            counts[changes[index].kind, default: 0] += 1
        }
        var reasons: [String] = []
        let kinds: [(Plan.ChangeKind, String, Thresholds.Limit, Int, String)] = [
            (.delete, "deletes", thresholds.deletes, ownedRecipients, "custom recipients ccdirsync owns"),
            (
                .modify, "modifies", thresholds.modifies, ownedRecipients + joinedMailboxes,
                "objects ccdirsync manages"
            ),
            (.create, "creates", thresholds.creates, ownedRecipients, "custom recipients ccdirsync owns"),
        ]
        for (kind, name, limit, managed, what) in kinds {
            let count = counts[kind] ?? 0
            guard count > 0 else {
                continue
            }
            if count > limit.count {
                reasons.append("\(name): \(count) > \(limit.count)")
            }
            let percent = managed == 0 ? 100 : Double(count) * 100 / Double(managed)
            if percent > limit.percent {
                reasons.append(
                    "\(name): \(count) of \(managed) \(what) = \(Self.format(percent))% > \(Self.format(limit.percent))%"
                )
            }
        }
        return reasons
    }

    /// The export shrink guard: one reason per post office whose users fell by more than `exportShrinkPercent`
    /// below `usersAtLastApply` and whose users' recipients the plan deletes or hides.
    ///
    /// An export cut short or taken from the wrong place reads as users who left; their recipients are deleted only
    /// when a person approves. `homes` gives each retired recipient's post office (from its target address); a
    /// recipient whose post office is unknown counts for every shrunk post office.
    func shrinkReasons(
        changes: [Plan.Change], inputs: [Plan.Input], usersAtLastApply: [String: Int], homes: [String: CCMailName]
    ) -> [String] {
        let retired = changes.filter { $0.situation == .userGone || $0.situation == .userGoneHidden }
        guard !retired.isEmpty else {
            return []
        }
        var reasons: [String] = []
        for input in inputs {
            guard let postOffice = input.exportPostOffice, let users = input.users,
                let before = usersAtLastApply.first(where: { CCMailName($0.key) == CCMailName(postOffice) })?.value,
                before > 0, users < before
            else {
                continue
            }
            let fall = Double(before - users) * 100 / Double(before)
            guard fall > thresholds.exportShrinkPercent else {
                continue
            }
            let affected = retired.count { change in
                homes[change.ccmailName].map { $0 == CCMailName(postOffice) } ?? true
            }
            guard affected > 0 else {
                continue
            }
            reasons.append(
                "exportShrink: \(input.path) (post office \(postOffice)) has \(users) users, \(before) at the last "
                    + "applied run (-\(Self.format(fall))% > \(Self.format(thresholds.exportShrinkPercent))%); "
                    + "\(affected) deletes or hides of its users wait for approval")
        }
        return reasons
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
