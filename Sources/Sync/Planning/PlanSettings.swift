import LDAPModel

/// What the engine plans with, beside the directories: the settings of the configuration file that decide a plan.
///
/// The engine never reads the configuration file: Config reads it into a `Configuration`, whose `planSettings` the
/// CLI hands over; they hold no connection or file settings. The keys named below are the configuration's
/// (docs/CONFIG.md).
package struct PlanSettings: Sendable, Hashable {
    /// The Exchange directory flavour.
    package var profile: ProfileName
    /// `ldap.baseDN`: the subtree holding the recipients, recorded in the plan.
    package var baseDN: DistinguishedName
    /// Where and how custom recipients are created.
    package var exchange: ExchangeSettings
    /// How cc:Mail users are joined to mailboxes.
    package var match: MatchSettings
    /// What happens to custom recipients whose cc:Mail user is gone or now has a mailbox.
    package var policy: PolicySettings
    /// Change counts above which a plan is not applied without approval.
    package var thresholds: Thresholds

    package init(
        profile: ProfileName, baseDN: DistinguishedName, exchange: ExchangeSettings,
        match: MatchSettings = MatchSettings(), policy: PolicySettings = PolicySettings(),
        thresholds: Thresholds = Thresholds()
    ) {
        self.profile = profile
        self.baseDN = baseDN
        self.exchange = exchange
        self.match = match
        self.policy = policy
        self.thresholds = thresholds
    }
}

/// `exchange:` — where custom recipients go and how their attributes are made.
///
/// Templates use `{given}` (given name), `{sur}` (surname), `{given1}` (first letter of the given name),
/// `{name}` (the cc:Mail name), `{po}` (home post office) and `{alias}`.
package struct ExchangeSettings: Sendable, Hashable {
    /// `customRecipientContainer`: the one container ccdirsync creates in (must be strictly below `ldap.baseDN`).
    package var customRecipientContainer: DistinguishedName
    /// `displayName` (default `{given} {sur}`); a name without a comma is its own display name.
    package var displayNameTemplate: String
    /// `aliasTemplate` (default `{given1}{sur}`); reduced to ASCII letters and digits, a digit added on collision.
    package var aliasTemplate: String
    /// `mailTemplate` (exchange55: the `mail` attribute of a new custom recipient), e.g. `{alias}@org.example`.
    package var mailTemplate: String?
    /// `x400Template` (exchange55: `textEncodedORAddress`).
    package var x400Template: String?

    package init(
        customRecipientContainer: DistinguishedName, displayNameTemplate: String = "{given} {sur}",
        aliasTemplate: String = "{given1}{sur}", mailTemplate: String? = nil, x400Template: String? = nil
    ) {
        self.customRecipientContainer = customRecipientContainer
        self.displayNameTemplate = displayNameTemplate
        self.aliasTemplate = aliasTemplate
        self.mailTemplate = mailTemplate
        self.x400Template = x400Template
    }
}

/// `match:` — the join of cc:Mail users to mailboxes (the mapping file the CLI reads and hands over as rows).
package struct MatchSettings: Sendable, Hashable {
    /// What a name match (rule 4) does.
    package enum ByName: String, Sendable, Hashable, CaseIterable {
        /// Shown in the report and written to a suggestions CSV; nothing is written for it.
        case suggest
        /// Joins, like the other rules.
        case apply
        /// Not tried.
        case off
    }

    /// `byName` (default `suggest`).
    package var byName: ByName
    /// `ignoreDiacritics` (default true): `Müller` matches `Muller` under the name rule.
    package var ignoreDiacritics: Bool

    package init(byName: ByName = .suggest, ignoreDiacritics: Bool = true) {
        self.byName = byName
        self.ignoreDiacritics = ignoreDiacritics
    }
}

/// `policy:` — custom recipients that lost their reason to exist.
package struct PolicySettings: Sendable, Hashable {
    /// What happens to our custom recipient when its cc:Mail user is gone.
    package enum OnMissing: String, Sendable, Hashable, CaseIterable {
        case delete
        case hide
    }

    /// `onMissing` (default `delete`).
    package var onMissing: OnMissing
    /// `retireOnMatch` (default false): delete our custom recipient once its user is joined to a mailbox.
    package var retireOnMatch: Bool

    package init(onMissing: OnMissing = .delete, retireOnMatch: Bool = false) {
        self.onMissing = onMissing
        self.retireOnMatch = retireOnMatch
    }
}

/// `thresholds:` — per kind of change, a count and a percent; exceeding either marks the plan.
package struct Thresholds: Sendable, Hashable {
    /// One kind's limits.
    package struct Limit: Sendable, Hashable {
        /// Most changes of the kind (`count`).
        package var count: Int
        /// Most changes of the kind as a percent of the objects ccdirsync manages (`percent`).
        package var percent: Double

        package init(count: Int, percent: Double) {
            self.count = count
            self.percent = percent
        }
    }

    package var deletes: Limit
    package var modifies: Limit
    package var creates: Limit
    /// `exportShrink.percent`: how far, in percent, a post office's users may fall below their number at the last
    /// applied run before the deletes and hides of its users wait for `--approve`.
    package var exportShrinkPercent: Double

    package init(
        deletes: Limit = Limit(count: 50, percent: 20), modifies: Limit = Limit(count: 5000, percent: 50),
        creates: Limit = Limit(count: 5000, percent: 100), exportShrinkPercent: Double = 10
    ) {
        self.deletes = deletes
        self.modifies = modifies
        self.creates = creates
        self.exportShrinkPercent = exportShrinkPercent
    }
}
