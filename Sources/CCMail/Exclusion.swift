/// An entry deliberately left out of the directory, and why.
///
/// Exchange's cc:Mail connector reflects Exchange's own recipients into cc:Mail as users of an Exchange site
/// post office; reading them back would make Exchange create contacts for its own mailboxes. Such entries, and
/// those of post offices excluded by configuration, are left out, and each omission is recorded for the report.
public struct Exclusion: Sendable, Hashable, CustomStringConvertible {
    /// What was left out.
    public enum Subject: String, Sendable, Hashable {
        case postOffice = "post office"
        case user
    }

    /// Why it was left out.
    public enum Reason: Sendable, Hashable, CustomStringConvertible {
        /// The post office's comment starts with `MSExchangeCCMC`; the comment is kept.
        case exchangeSite(comment: String)
        /// Configuration lists the post office as excluded.
        case excludedByConfiguration
        /// The user is homed on an excluded post office.
        case homedOnExcludedPostOffice(CCMailName)

        public var description: String {
            switch self {
            case .exchangeSite(let comment): "Exchange site post office (comment '\(comment)')"
            case .excludedByConfiguration: "excluded by configuration"
            case .homedOnExcludedPostOffice(let postOffice): "homed on excluded post office \(postOffice)"
            }
        }
    }

    /// The name of what was left out.
    public var name: CCMailName

    /// A post office or a user.
    public var subject: Subject

    /// Why.
    public var reason: Reason

    /// The records that name it.
    public var sources: [Location]

    /// Creates an exclusion.
    public init(name: CCMailName, subject: Subject, reason: Reason, sources: [Location]) {
        self.name = name
        self.subject = subject
        self.reason = reason
        self.sources = sources
    }

    /// `user 'Name': reason`.
    public var description: String { "\(subject.rawValue) '\(name)': \(reason)" }
}
