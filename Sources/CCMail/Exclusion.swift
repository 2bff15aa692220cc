/// An entry deliberately left out of the directory, and why.
///
/// Exchange's cc:Mail connector reflects Exchange's own recipients into cc:Mail as users of an Exchange site
/// post office; reading them back would make Exchange create contacts for its own mailboxes. Such entries, and
/// those of post offices excluded by configuration, are left out, and each omission is recorded for the report.
package struct Exclusion: Sendable, Hashable, CustomStringConvertible {
    /// What was left out.
    package enum Subject: String, Sendable, Hashable {
        case postOffice = "post office"
        case user
    }

    /// Why it was left out.
    package enum Reason: Sendable, Hashable, CustomStringConvertible {
        /// The post office's comment starts with `MSExchangeCCMC`; the comment is kept.
        case exchangeSite(comment: String)
        /// Configuration lists the post office as excluded.
        case excludedByConfiguration
        /// The user is homed on an excluded post office.
        case homedOnExcludedPostOffice(CCMailName)

        package var description: String {
            switch self {
            case .exchangeSite(let comment): "Exchange site post office (comment '\(comment)')"
            case .excludedByConfiguration: "excluded by configuration"
            case .homedOnExcludedPostOffice(let postOffice): "homed on excluded post office \(postOffice)"
            }
        }
    }

    /// The name of what was left out.
    package var name: CCMailName

    /// A post office or a user.
    package var subject: Subject

    /// Why.
    package var reason: Reason

    /// The records that name it.
    package var sources: [Location]

    /// Creates an exclusion.
    package init(name: CCMailName, subject: Subject, reason: Reason, sources: [Location]) {
        self.name = name
        self.subject = subject
        self.reason = reason
        self.sources = sources
    }

    /// `user 'Name': reason`.
    package var description: String { "\(subject.rawValue) '\(name)': \(reason)" }
}
