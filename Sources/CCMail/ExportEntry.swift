/// A post office named in an export (`P` or `p`).
package struct PostOfficeEntry: Sendable, Hashable {
    /// The post office's name.
    package var name: CCMailName

    /// `directPostOffice` or `indirectPostOffice`.
    package var code: LocationCode

    /// For `p`: the post office it is reached through (the first word of `Addr`).
    package var route: CCMailName?

    /// `Addr` as written, when present; for `P` it may hold connection data we do not interpret.
    package var address: String?

    /// `Comments`, when present and not empty.
    package var comments: String?

    /// Where the record starts.
    package var location: Location

    /// Creates an entry.
    package init(
        name: CCMailName, code: LocationCode, route: CCMailName? = nil, address: String? = nil,
        comments: String? = nil, location: Location
    ) {
        self.name = name
        self.code = code
        self.route = route
        self.address = address
        self.comments = comments
        self.location = location
    }

    /// Whether the comment marks this post office as Exchange's own reflection in cc:Mail.
    ///
    /// The Exchange cc:Mail connector creates a post office entry for its Exchange site with the comment
    /// `MSExchangeCCMC <server>` (KB Q156063); the case of the marker is not relied upon.
    package var isExchangeSite: Bool {
        guard let comments else {
            return false
        }
        return comments.uppercased().hasPrefix(Self.exchangeSiteMarker.uppercased())
    }

    /// The comment prefix of Exchange site post offices.
    package static let exchangeSiteMarker = "MSExchangeCCMC"
}

/// The two kinds of user the directory distinguishes.
package enum UserKind: String, Sendable, Hashable, CaseIterable {
    /// A user with a mailbox on a post office (`L`, `l`).
    case user
    /// A mobile (cc:Mail Remote) user (`R`, `r`).
    case mobile
}

/// A user named in an export (`L`, `l`, `R` or `r`).
package struct UserEntry: Sendable, Hashable {
    /// The user's directory name.
    package var name: CCMailName

    /// The location code.
    package var code: LocationCode

    /// For `L`/`R` the post office the export was taken from; for `l`/`r` the first word of `Addr`.
    package var homePostOffice: CCMailName

    /// For `l`/`r`: the rest of `Addr` after the post office, when there is any.
    package var foreignAliasName: String?

    /// `Addr` as written, when present (for `L`/`R` it is kept but not interpreted).
    package var address: String?

    /// `Comments`, when present and not empty.
    package var comments: String?

    /// Where the record starts.
    package var location: Location

    /// Creates an entry.
    package init(
        name: CCMailName, code: LocationCode, homePostOffice: CCMailName, foreignAliasName: String? = nil,
        address: String? = nil, comments: String? = nil, location: Location
    ) {
        self.name = name
        self.code = code
        self.homePostOffice = homePostOffice
        self.foreignAliasName = foreignAliasName
        self.address = address
        self.comments = comments
        self.location = location
    }

    /// `user` or `mobile`.
    package var kind: UserKind { code.entryKind == .mobileUser ? .mobile : .user }
}

/// An alias named in an export (`A` or `a`).
package struct AliasEntry: Sendable, Hashable {
    /// The alias's own directory name.
    package var name: CCMailName

    /// `localAlias` or `remoteAlias`.
    package var code: LocationCode

    /// `Addr` as written: the name the alias stands for, when present.
    package var target: String?

    /// `Comments`, when present and not empty.
    package var comments: String?

    /// Where the record starts.
    package var location: Location

    /// Creates an entry.
    package init(name: CCMailName, code: LocationCode, target: String?, comments: String? = nil, location: Location) {
        self.name = name
        self.code = code
        self.target = target
        self.comments = comments
        self.location = location
    }
}

/// One directory entry of an export, interpreted by its location code.
package enum ExportEntry: Sendable, Hashable {
    case postOffice(PostOfficeEntry)
    case user(UserEntry)
    case alias(AliasEntry)

    /// The entry's directory name.
    package var name: CCMailName {
        switch self {
        case .postOffice(let entry): entry.name
        case .user(let entry): entry.name
        case .alias(let entry): entry.name
        }
    }

    /// Where the entry's record starts.
    package var location: Location {
        switch self {
        case .postOffice(let entry): entry.location
        case .user(let entry): entry.location
        case .alias(let entry): entry.location
        }
    }
}
