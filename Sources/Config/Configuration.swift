import CCMail
import LDAPModel

/// A ccdirsync configuration file (`version: 1`), validated and with every path resolved.
///
/// The loader (`ConfigurationLoader`) turns YAML into this value or a `ConfigurationError` naming the key path
/// of the first bad key; once a `Configuration` exists every value in it has been checked, so the engine never
/// meets a half-valid setting. Paths are absolute (resolved against the config file's folder); `declaredPath`
/// keeps the text the file used, which is what plans and reports print so they do not depend on where the
/// config lives.
package struct Configuration: Sendable, Hashable {
    /// The Exchange directory flavour.
    package var profile: ProfileName
    /// How to reach and read the Exchange directory.
    package var ldap: LDAPSettings
    /// The cc:Mail exports and how to read them.
    package var ccmail: CCMailSettings
    /// Where and how custom recipients are created.
    package var exchange: ExchangeSettings
    /// How cc:Mail users are joined to mailboxes.
    package var match: MatchSettings
    /// What happens to custom recipients whose cc:Mail user is gone or now has a mailbox.
    package var policy: PolicySettings
    /// Change counts above which a plan is not applied without approval.
    package var thresholds: Thresholds
    /// Where runs keep their plans, reports, journals and lock.
    package var state: StateSettings
    /// The config file itself (absolute).
    package var file: ConfigPath

    package init(
        profile: ProfileName, ldap: LDAPSettings, ccmail: CCMailSettings, exchange: ExchangeSettings,
        match: MatchSettings = MatchSettings(), policy: PolicySettings = PolicySettings(),
        thresholds: Thresholds = Thresholds(), state: StateSettings, file: ConfigPath
    ) {
        self.profile = profile
        self.ldap = ldap
        self.ccmail = ccmail
        self.exchange = exchange
        self.match = match
        self.policy = policy
        self.thresholds = thresholds
        self.state = state
        self.file = file
    }
}

/// A path from the config file: as written, and resolved against the config file's folder.
package struct ConfigPath: Sendable, Hashable, CustomStringConvertible {
    /// The text the config file holds (`po1.exp`).
    package var declaredPath: String
    /// The absolute path.
    package var resolvedPath: String

    package init(declaredPath: String, resolvedPath: String) {
        self.declaredPath = declaredPath
        self.resolvedPath = resolvedPath
    }

    package var description: String { declaredPath }
}

/// The two Exchange directory flavours ccdirsync knows.
package enum ProfileName: String, Sendable, Hashable, CaseIterable, Codable {
    /// Exchange 5.5's own LDAP directory.
    case exchange55
    /// Active Directory with the Exchange 2000 (and later) schema.
    case exchange2000
}

/// `ldap:` — the server, the bind identity and the subtree to read.
package struct LDAPSettings: Sendable, Hashable {
    /// `ldap://host:port` or `ldaps://host:port`.
    package var url: String
    /// The identity ccdirsync binds as.
    package var bindDN: DistinguishedName
    /// Where the bind password comes from: never the config itself, never argv.
    package var password: PasswordReference
    /// Transport security.
    package var tls: TLSSettings
    /// The subtree holding the recipients (and the custom recipient container).
    package var baseDN: DistinguishedName
    /// Entries per page of a paged search (`pageSize`, default 500).
    package var pageSize: Int
    /// Seconds to wait for the server to answer one operation (`timeout`, default 30).
    package var timeoutSeconds: Int
    /// Most entries one search may return before ccdirsync refuses (`maxEntries`, default 2,000,000).
    package var maxEntries: Int

    package init(
        url: String, bindDN: DistinguishedName, password: PasswordReference, tls: TLSSettings = TLSSettings(),
        baseDN: DistinguishedName, pageSize: Int = 500, timeoutSeconds: Int = 30, maxEntries: Int = 2_000_000
    ) {
        self.url = url
        self.bindDN = bindDN
        self.password = password
        self.tls = tls
        self.baseDN = baseDN
        self.pageSize = pageSize
        self.timeoutSeconds = timeoutSeconds
        self.maxEntries = maxEntries
    }
}

/// Where the bind password is read from (`passwordFile` or `passwordEnv`, exactly one).
package enum PasswordReference: Sendable, Hashable {
    /// A file holding the password (its content; one trailing newline, LF or CRLF, is not part of it).
    case file(ConfigPath)
    /// An environment variable holding the password.
    case environment(String)
}

/// `ldap.tls:` — how the connection is protected.
package struct TLSSettings: Sendable, Hashable {
    /// `none`, `starttls` or `ldaps`.
    package enum Mode: String, Sendable, Hashable, CaseIterable {
        case none
        case starttls
        case ldaps
    }

    /// `mode`; when absent: `ldaps` for an `ldaps://` URL, otherwise `starttls`.
    package var mode: Mode
    /// Whether `mode` was written in the file (a plain connection to a non-loopback server needs it spelled out).
    package var modeIsExplicit: Bool
    /// `caFile`: the certificate authorities to trust instead of the system's.
    package var caFile: ConfigPath?
    /// `verify` (default true): whether the server certificate is checked.
    package var verify: Bool

    package init(mode: Mode = .starttls, modeIsExplicit: Bool = false, caFile: ConfigPath? = nil, verify: Bool = true) {
        self.mode = mode
        self.modeIsExplicit = modeIsExplicit
        self.caFile = caFile
        self.verify = verify
    }
}

/// `ccmail:` — the exports of the cc:Mail post offices.
package struct CCMailSettings: Sendable, Hashable {
    /// One export per post office.
    package struct Export: Sendable, Hashable {
        /// The post office the export was taken on.
        package var postOffice: String
        /// The export file.
        package var path: ConfigPath
        /// This export's code page, when it differs from `codepage`.
        package var codePage: CodePage?

        package init(postOffice: String, path: ConfigPath, codePage: CodePage? = nil) {
            self.postOffice = postOffice
            self.path = path
            self.codePage = codePage
        }
    }

    /// `codepage` (default CP437).
    package var codePage: CodePage
    /// `exports` (at least one).
    package var exports: [Export]
    /// `gateways`: gateway post office → `ccmail` or `smtp`.
    package var gateways: [String: GatewayMode]
    /// `excludePostOffices`.
    package var excludePostOffices: [String]
    /// `maxExportBytes` (default 512 MiB): an export larger than this is refused before it is read.
    package var maxExportBytes: Int

    package init(
        codePage: CodePage = .cp437, exports: [Export], gateways: [String: GatewayMode] = [:],
        excludePostOffices: [String] = [], maxExportBytes: Int = 512 * 1024 * 1024
    ) {
        self.codePage = codePage
        self.exports = exports
        self.gateways = gateways
        self.excludePostOffices = excludePostOffices
        self.maxExportBytes = maxExportBytes
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

/// `match:` — the join of cc:Mail users to mailboxes.
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

    /// `mappingFile`: CSV with the header `ccmail_name,mailbox`.
    package var mappingFile: ConfigPath?
    /// `byName` (default `suggest`).
    package var byName: ByName
    /// `ignoreDiacritics` (default true): `Müller` matches `Muller` under the name rule.
    package var ignoreDiacritics: Bool

    package init(mappingFile: ConfigPath? = nil, byName: ByName = .suggest, ignoreDiacritics: Bool = true) {
        self.mappingFile = mappingFile
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

/// `state:` — the run's own files.
package struct StateSettings: Sendable, Hashable {
    /// `directory` (default `state`, beside the config file).
    package var directory: ConfigPath

    package init(directory: ConfigPath) {
        self.directory = directory
    }
}
