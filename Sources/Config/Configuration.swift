import CCMail
import LDAPModel
import Sync

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
    /// `match.mappingFile`: the administrator's mapping file (CSV with the header `ccmail_name,mailbox`).
    package var mappingFile: ConfigPath?
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
        match: MatchSettings = MatchSettings(), mappingFile: ConfigPath? = nil,
        policy: PolicySettings = PolicySettings(),
        thresholds: Thresholds = Thresholds(), state: StateSettings, file: ConfigPath
    ) {
        self.profile = profile
        self.ldap = ldap
        self.ccmail = ccmail
        self.exchange = exchange
        self.match = match
        self.mappingFile = mappingFile
        self.policy = policy
        self.thresholds = thresholds
        self.state = state
        self.file = file
    }

    /// What the engine plans with: the settings of this file that decide a plan, without connection or file settings.
    package var planSettings: PlanSettings {
        PlanSettings(
            profile: profile, baseDN: ldap.baseDN, exchange: exchange, match: match, policy: policy,
            thresholds: thresholds)
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

/// `state:` — the run's own files.
package struct StateSettings: Sendable, Hashable {
    /// `directory` (default `state`, beside the config file).
    package var directory: ConfigPath

    package init(directory: ConfigPath) {
        self.directory = directory
    }
}
