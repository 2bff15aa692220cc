import LDAPModel

/// Turns a run's journal into a plan that reverses the changes the run applied.
///
/// The plan is an ordinary plan: reviewed, hashed and applied like any other, with preconditions that make sure
/// nothing changed since the run (a value someone touched afterwards makes that undo step stale, not forced). Like
/// any plan it is validated against the directory as it is now and counted against the thresholds, so an undo
/// that deletes most of what ccdirsync owns waits for `apply --approve`.
package struct UndoPlanner: Sendable {
    package var settings: PlanSettings

    package init(settings: PlanSettings) {
        self.settings = settings
    }

    /// The reversal of the journal's changes, validated and counted against the thresholds over `exchange`, the
    /// directory as read now.
    package func plan(
        journal records: [JournalRecord], input: Plan.Input, exchange: ExchangeDirectory
    ) throws(PlanningError) -> Plan {
        let profile = Profile.named(settings.profile)
        // The last line of each change decides: applied; unknown (sent, and the answer never came); or sent with no
        // result (the run was killed while the write was in flight). The last two may have landed; the undo step's
        // preconditions make it stale, and harmless, if it did not.
        var last: [Int: Int] = [:]
        for (index, record) in records.enumerated() where record.record == "change" {
            last[record.changeID ?? -1] = index
        }
        let reversible = last.values.sorted().map { records[$0] }.filter {
            [.applied, .unknown, .sent].contains($0.outcome)
        }
        var changes: [Plan.Change] = []
        for record in reversible.reversed() {
            guard let kind = record.kind, let dn = record.dn else {
                continue
            }
            let name = record.ccmailName ?? ""
            switch kind {
            case .create:
                let entry = record.entry ?? [:]
                var preconditions: [Plan.Precondition] = []
                for attribute in [profile.markAttribute, profile.targetAttribute] {
                    if let values = Self.values(entry, attribute), !values.isEmpty {
                        preconditions.append(Plan.Precondition(attribute: attribute, present: values))
                    }
                }
                changes.append(
                    Plan.Change(
                        kind: .delete, dn: dn, ccmailName: name, situation: .undo, rule: .journal, before: entry,
                        preconditions: preconditions))
            case .delete:
                // An entry that exists now was not deleted (a delete whose answer was lost and that never landed) or
                // was made again since: there is nothing to recreate. Only the profile's attributes are recreated (a
                // journal may hold what the server keeps for itself, which an add is refused for).
                guard let entry = record.entry.map(profile.recreatable), !entry.isEmpty,
                    !exchange.knownDNs.contains((try? DistinguishedName(parsing: dn))?.normalized ?? dn)
                else {
                    continue
                }
                changes.append(
                    Plan.Change(
                        kind: .create, dn: dn, ccmailName: name, situation: .undo, rule: .journal, attributes: entry))
            case .modify:
                let modifications = (record.modifications ?? []).reversed().map { modification in
                    Plan.Modification(
                        op: modification.op == .add ? .delete : .add, attribute: modification.attribute,
                        values: modification.values)
                }
                var byAttribute: [String: Plan.Precondition] = [:]
                for modification in modifications {
                    var precondition =
                        byAttribute[modification.attribute] ?? Plan.Precondition(attribute: modification.attribute)
                    if modification.op == .delete {
                        precondition.present += modification.values
                    } else {
                        precondition.absent += modification.values
                    }
                    byAttribute[modification.attribute] = precondition
                }
                changes.append(
                    Plan.Change(
                        kind: .modify, dn: dn, ccmailName: name, situation: .undo, rule: .journal,
                        modifications: modifications, before: record.after ?? [:],
                        preconditions: byAttribute.values.sorted { $0.attribute < $1.attribute }))
            }
        }
        changes = changes.enumerated().sorted { lhs, rhs in
            lhs.element.kind != rhs.element.kind ? lhs.element.kind < rhs.element.kind : lhs.offset < rhs.offset
        }.map(\.element)
        for index in changes.indices {
            changes[index].id = index + 1
        }
        let problems = PlanValidator(profile: profile, exchange: exchange).problems(in: changes)
        guard problems.isEmpty else {
            throw .invalidPlan(problems)
        }
        // The mailboxes a sync has joined are those carrying a MIGRATE value.
        let reasons = ThresholdCheck(thresholds: settings.thresholds).reasons(
            changes: changes, ownedRecipients: exchange.owned.count,
            joinedMailboxes: exchange.mailboxes.count { !$0.migrateValues.isEmpty })
        let summary = Plan.Summary(
            create: changes.count { $0.kind == .create }, modify: changes.count { $0.kind == .modify },
            delete: changes.count { $0.kind == .delete }, overThreshold: !reasons.isEmpty, thresholdReasons: reasons)
        return Plan(
            profile: settings.profile, baseDN: settings.baseDN.description,
            customRecipientContainer: settings.exchange.customRecipientContainer.description,
            inputs: [input], summary: summary, changes: changes, findings: [])
    }

    private static func values(_ entry: [String: [String]], _ attribute: String) -> [String]? {
        entry.first { $0.key.lowercased() == attribute.lowercased() }?.value
    }
}
