import Config

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

    static func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
