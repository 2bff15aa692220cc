/// The address by which Exchange reaches a cc:Mail user.
package enum UserAddress: Sendable, Hashable, CustomStringConvertible {
    /// Through the cc:Mail connector.
    case ccMail(CCMailAddress)
    /// By SMTP, for users of a gateway post office configured as `smtp`; the value is the SMTP address.
    case smtp(String)

    /// `<Name> at <PO>` or `SMTP:<address>`.
    package var description: String {
        switch self {
        case .ccMail(let address): address.description
        case .smtp(let address): "SMTP:\(address)"
        }
    }
}

/// A user of the merged directory.
package struct CCMailUser: Sendable, Hashable {
    /// The directory name, the user's identity.
    package var name: CCMailName {
        didSet {
            (surname, givenName) = name.commaSplit
        }
    }

    /// `user` or `mobile`.
    package var kind: UserKind

    /// The post office the user is homed on.
    package var homePostOffice: CCMailName

    /// The foreign alias name (`Addr` after the post office of an `l`/`r` entry), when any export gives one.
    package var foreignAliasName: String?

    /// The comment of the entry held on the home post office, else the first comment read.
    package var comments: String?

    /// How Exchange reaches the user.
    package var address: UserAddress

    /// Every record that names the user, in order.
    package var sources: [Location]

    /// Creates a user; `Directory.merge` is the usual way to get one, tests and in-memory stores build them.
    package init(
        name: CCMailName, kind: UserKind, homePostOffice: CCMailName, foreignAliasName: String? = nil,
        comments: String? = nil, address: UserAddress? = nil, sources: [Location] = []
    ) {
        self.name = name
        (self.surname, self.givenName) = name.commaSplit
        self.kind = kind
        self.homePostOffice = homePostOffice
        self.foreignAliasName = foreignAliasName
        self.comments = comments
        self.address = address ?? .ccMail(CCMailAddress(name: name, postOffice: homePostOffice))
        self.sources = sources
    }

    /// The text before the first comma of the name (see `CCMailName.surname`); kept with the name because the
    /// planner reads it several times per user.
    package private(set) var surname: String

    /// The text after the first comma of the name, if any (see `CCMailName.givenName`); kept like `surname`.
    package private(set) var givenName: String?
}

/// An alias of the merged directory: a second name that stands for another entry.
package struct CCMailAlias: Sendable, Hashable {
    /// The alias's own name.
    package var name: CCMailName

    /// The name it stands for (`Addr`), when given.
    package var target: String?

    /// The comment, when any.
    package var comments: String?

    /// Whether the alias is held on an exported post office (`A`) rather than only seen as remote (`a`).
    package var isHeldOnExportedPostOffice: Bool

    /// Every record that names the alias, in order.
    package var sources: [Location]

    /// Creates an alias.
    package init(
        name: CCMailName, target: String?, comments: String? = nil, isHeldOnExportedPostOffice: Bool = true,
        sources: [Location] = []
    ) {
        self.name = name
        self.target = target
        self.comments = comments
        self.isHeldOnExportedPostOffice = isHeldOnExportedPostOffice
        self.sources = sources
    }
}
