/// The cc:Mail directory merged from the exports of several post offices.
///
/// Everything is sorted by normalised name (findings by place), so two runs over the same exports give the same
/// directory whatever order records had in the files. Users that are in conflict or excluded are not in `users`;
/// they are in `conflicts` and `exclusions`. When `hasErrors` is true some records could not be read, so an
/// entry missing from the directory is not evidence that it is gone from cc:Mail.
package struct Directory: Sendable {
    /// The users, sorted by name.
    package var users: [CCMailUser]

    /// The aliases, sorted by name.
    package var aliases: [CCMailAlias]

    /// The post offices (exported ones and those the exports name), sorted by name; excluded ones are flagged.
    package var postOffices: [PostOffice]

    /// Names left out because the exports disagree about them, sorted by name.
    package var conflicts: [Conflict]

    /// Post offices and users left out deliberately, sorted by subject and name.
    package var exclusions: [Exclusion]

    /// Every error and warning: those of each export, then one error per conflict and the merge's own warnings,
    /// sorted by place.
    package var findings: [Finding]

    /// Creates a directory; `Directory.merge` is the usual way to get one.
    package init(
        users: [CCMailUser], aliases: [CCMailAlias], postOffices: [PostOffice], conflicts: [Conflict],
        exclusions: [Exclusion], findings: [Finding]
    ) {
        self.users = users
        self.aliases = aliases
        self.postOffices = postOffices
        self.conflicts = conflicts
        self.exclusions = exclusions
        self.findings = findings
    }

    /// Whether any finding is an error (malformed input or a conflict).
    package var hasErrors: Bool { findings.contains { $0.severity == .error } }

    /// The errors.
    package var errors: [Finding] { findings.filter { $0.severity == .error } }

    /// The warnings.
    package var warnings: [Finding] { findings.filter { $0.severity == .warning } }

    /// The findings that stand for input the reader skipped (see `Finding.leavesInputUnread`), in place order. When
    /// there are any, a user missing from `users` may be in the part not read: nothing may be deleted or hidden
    /// because of their absence.
    package var unreadInput: [Finding] { findings.filter(\.leavesInputUnread) }

    /// The user with `name` (compared as cc:Mail compares names).
    package func user(named name: CCMailName) -> CCMailUser? {
        Self.find(name, in: users, name: \.name)
    }

    /// The alias with `name`.
    package func alias(named name: CCMailName) -> CCMailAlias? {
        Self.find(name, in: aliases, name: \.name)
    }

    /// The post office with `name`.
    package func postOffice(named name: CCMailName) -> PostOffice? {
        Self.find(name, in: postOffices, name: \.name)
    }

    /// Binary search over a list sorted by normalised name.
    private static func find<Element>(
        _ name: CCMailName, in elements: [Element], name key: KeyPath<Element, CCMailName>
    ) -> Element? {
        var low = 0
        var high = elements.count
        while low < high {
            let middle = (low + high) / 2
            let candidate = elements[middle][keyPath: key].normalized
            if candidate == name.normalized {
                return elements[middle]
            }
            if candidate < name.normalized {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return nil
    }
}
