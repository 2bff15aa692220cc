import CCMail
import LDAPModel

/// Why no plan was made.
package enum PlanningError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The exports have errors (other than conflicts): a user missing from them is no evidence they are gone.
    case unreadableExports([String])
    /// The plan failed validation.
    case invalidPlan([String])

    package var description: String {
        switch self {
        case .unreadableExports(let errors):
            "the cc:Mail exports have errors; no plan is made until they are fixed:\n"
                + errors.map { "  \($0)" }.joined(separator: "\n")
        case .invalidPlan(let problems):
            "the plan was refused because it would leave the directory inconsistent:\n"
                + problems.map { "  \($0)" }.joined(separator: "\n")
        }
    }
}

/// Makes the plan: match, plan, order, validate, count against thresholds. The plan is unsealed (`planHash` empty):
/// sealing belongs to the plan file format, `PlanFile.sealed`, which whoever hands the plan on calls.
package struct PlanBuilder: Sendable {
    package var settings: PlanSettings
    /// The longest value the server accepts in each attribute: the profile's defaults unless the caller read the
    /// server's own (`AttributeLimits.overridden(by:)`).
    package var limits: AttributeLimits

    /// The profile `settings` name, looked up once.
    package let profile: Profile

    package init(settings: PlanSettings) {
        self.settings = settings
        self.profile = Profile.named(settings.profile)
        self.limits = profile.attributeLimits
    }

    /// A cc:Mail directory that `checkInputs` let through: `build` takes only this, so the check runs once, where
    /// the caller runs it (before it connects, so bad input is reported without touching the directory).
    package struct CheckedDirectory: Sendable {
        package let directory: Directory

        fileprivate init(_ directory: Directory) {
            self.directory = directory
        }
    }

    /// Refuses exports with errors other than conflicts (a missing user would be planned as gone).
    package static func checkInputs(_ directory: Directory) throws(PlanningError) -> CheckedDirectory {
        let blocking = directory.errors.filter { $0.category != .conflict }
        guard blocking.isEmpty else {
            throw .unreadableExports(blocking.map(\.description))
        }
        return CheckedDirectory(directory)
    }

    /// The plan for bringing `exchange` in step with `directory`.
    ///
    /// `usersAtLastApply`: the users of each post office at the last applied run (the state directory keeps them),
    /// which the export shrink guard compares with `inputs`' counts.
    package func build(
        directory checked: CheckedDirectory, exchange: ExchangeDirectory, mapping: MappingFile?, inputs: [Plan.Input],
        usersAtLastApply: [String: Int] = [:]
    ) throws(PlanningError) -> Plan {
        let directory = checked.directory
        // The mailbox index and the users' name and target keys serve the matcher and the planner both.
        let matcher = Matcher(settings: settings.match)
        let index = matcher.index(exchange.mailboxes, mapping: mapping)
        let userKeys = UserKeys(directory.users)
        let match = matcher.match(users: directory.users, index: index, keys: userKeys, mapping: mapping)
        let planner = Planner(profile: profile, exchangeSettings: settings.exchange, policy: settings.policy)
        let objectKeys = ObjectAddressKeys(exchange)
        var output = planner.plan(
            directory: directory, exchange: exchange, match: match, index: index, objectKeys: objectKeys,
            userKeys: userKeys)
        let (withinLimits, tooLong) = Self.withinLimits(output.changes, limits: limits)
        output.changes = withinLimits
        output.findings += tooLong
        // Sort keys computed once per change (parsing DNs inside the comparator would parse n log n times), and
        // positions sorted rather than the changes themselves, which are large to move; the validator reuses the DNs.
        var parents = DistinguishedNameParentCache()
        let parsed = output.changes.indices.map { parents.normalized(output.changes[$0].dn) }
        let phases = output.changes.map(\.kind.phase)
        let dnKeys = output.changes.indices.map { parsed[$0] ?? output.changes[$0].dn }
        let order = output.changes.indices.sorted { lhs, rhs in
            if phases[lhs] != phases[rhs] {
                return phases[lhs] < phases[rhs]
            }
            return dnKeys[lhs] != dnKeys[rhs]
                ? dnKeys[lhs] < dnKeys[rhs] : output.changes[lhs].ccmailName < output.changes[rhs].ccmailName
        }
        var changes = output.changes
        output.changes = []
        changes.reorder(by: order)
        for index in changes.indices {
            changes[index].id = index + 1
        }
        let problems = PlanValidator(profile: profile, exchange: exchange).problems(
            in: changes, normalizedDNs: order.map { parsed[$0] }, objectKeys: objectKeys)
        guard problems.isEmpty else {
            throw .invalidPlan(problems)
        }
        let joined = match.joins.count { if case .joined = $0 { true } else { false } }
        let check = ThresholdCheck(thresholds: settings.thresholds)
        var homes: [String: CCMailName] = [:]
        for owned in exchange.owned {
            if let target = owned.object.target,
                let address = ProxyAddress(parsing: target, separator: ":")?.ccMailAddress
            {
                homes[owned.ccMailName.text] = address.postOffice
            }
        }
        let reasons =
            check.reasons(changes: changes, ownedRecipients: exchange.owned.count, joinedMailboxes: joined)
            + check.shrinkReasons(changes: changes, inputs: inputs, usersAtLastApply: usersAtLastApply, homes: homes)
        let findings = output.findings.sorted { lhs, rhs in
            let left = (Self.order(lhs.situation), CCMailName(lhs.ccmailName), lhs.detail)
            let right = (Self.order(rhs.situation), CCMailName(rhs.ccmailName), rhs.detail)
            return left < right
        }
        var counts: [Plan.ChangeKind: Int] = [:]
        for index in changes.indices {
            counts[changes[index].kind, default: 0] += 1
        }
        let summary = Plan.Summary(
            create: counts[.create] ?? 0, modify: counts[.modify] ?? 0, delete: counts[.delete] ?? 0,
            findings: findings.count, overThreshold: !reasons.isEmpty, thresholdReasons: reasons)
        let plan = Plan(
            profile: settings.profile, baseDN: settings.baseDN.description,
            customRecipientContainer: settings.exchange.customRecipientContainer.description, inputs: inputs,
            summary: summary, changes: changes, findings: findings)
        return plan
    }

    /// The changes whose every written value fits its attribute's bound, and a `valueTooLong` finding for each
    /// other one: the server would refuse it on every run, so it is left out before anything is written.
    static func withinLimits(
        _ changes: [Plan.Change], limits: AttributeLimits
    ) -> (changes: [Plan.Change], findings: [Plan.Finding]) {
        guard !limits.isEmpty else {
            return (changes, [])
        }
        var kept: [Plan.Change] = []
        kept.reserveCapacity(changes.count)
        var findings: [Plan.Finding] = []
        for change in changes {
            var written: [(attribute: String, values: [String])] = change.attributes.sorted { $0.key < $1.key }.map {
                ($0.key, $0.value)
            }
            written += change.modifications.filter { $0.op == .add }.map { ($0.attribute, $0.values) }
            var excess: (attribute: String, value: String, limit: Int)?
            for item in written {
                if let found = limits.firstExcess(item.attribute, item.values) {
                    excess = (item.attribute, found.value, found.limit)
                    break
                }
            }
            guard let (attribute, value, limit) = excess else {
                kept.append(change)
                continue
            }
            findings.append(
                Plan.Finding(
                    ccmailName: change.ccmailName, situation: .valueTooLong,
                    detail:
                        "not written (\(change.kind.rawValue) of \(change.situation.rawValue)): \(attribute) would be "
                        + "\(AttributeLimits.length(of: value)) characters long, and the server accepts at most \(limit)",
                    candidates: [change.dn]))
        }
        return (kept, findings)
    }

    private static func order(_ situation: Plan.FindingSituation) -> Int {
        Plan.FindingSituation.allCases.firstIndex(of: situation) ?? 0
    }
}
