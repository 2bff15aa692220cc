import Sync

extension ConfigurationLoader.Reader {
    /// `match:` — all optional.
    func matchSettings(_ section: ConfigMapping?) throws(ConfigurationError) -> MatchSettings {
        var settings = MatchSettings()
        guard let section else {
            return settings
        }
        if let node = section.optional("byName") {
            settings.byName = try choice(node, of: MatchSettings.ByName.self)
        }
        if let node = section.optional("ignoreDiacritics") {
            settings.ignoreDiacritics = try node.boolean()
        }
        return settings
    }

    /// `policy:` — all optional.
    func policySettings(_ section: ConfigMapping?) throws(ConfigurationError) -> PolicySettings {
        var settings = PolicySettings()
        guard let section else {
            return settings
        }
        if let node = section.optional("onMissing") {
            settings.onMissing = try choice(node, of: PolicySettings.OnMissing.self)
        }
        if let node = section.optional("retireOnMatch") {
            settings.retireOnMatch = try node.boolean()
        }
        return settings
    }

    /// `thresholds:` — each kind and each of its two limits falls back to its own default.
    func thresholdSettings(_ section: ConfigMapping?) throws(ConfigurationError) -> Thresholds {
        var thresholds = Thresholds()
        guard let section else {
            return thresholds
        }
        thresholds.deletes = try limit(try section.section("deletes"), default: thresholds.deletes)
        thresholds.modifies = try limit(try section.section("modifies"), default: thresholds.modifies)
        thresholds.creates = try limit(try section.section("creates"), default: thresholds.creates)
        if let node = try section.section("exportShrink")?.optional("percent") {
            thresholds.exportShrinkPercent = try percent(node)
        }
        return thresholds
    }

    func limit(
        _ section: ConfigMapping?, default current: Thresholds.Limit
    ) throws(ConfigurationError) -> Thresholds.Limit {
        var limit = current
        guard let section else {
            return limit
        }
        if let node = section.optional("count") {
            limit.count = try bounded(node, 0...Int.max)
        }
        if let node = section.optional("percent") {
            limit.percent = try percent(node)
        }
        return limit
    }

    /// A percent limit: a number, 0 or more (it may exceed 100).
    func percent(_ node: ConfigNode) throws(ConfigurationError) -> Double {
        let value = try node.number()
        guard value >= 0 else {
            throw node.error("must not be negative")
        }
        return value
    }
}
