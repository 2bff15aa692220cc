/// The one-letter location code of a directory entry (`Loc:`), case-sensitive.
///
/// Upper case means the entry is held on the post office the export was taken from, lower case that it belongs
/// to another post office. cc:Mail's documentation pairs the letters with kinds of entry; any other letter is an
/// entry kind we do not know, so it is reported and skipped rather than guessed at.
package enum LocationCode: Character, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `P`: a directly connected post office.
    case directPostOffice = "P"
    /// `p`: an indirectly connected post office; `Addr` names the post office it is reached through.
    case indirectPostOffice = "p"
    /// `L`: a user with a mailbox on this post office.
    case localUser = "L"
    /// `l`: a user of another post office; `Addr` is the home post office, then the foreign alias name.
    case remoteUser = "l"
    /// `R`: a mobile (cc:Mail Remote) user homed on this post office.
    case localMobileUser = "R"
    /// `r`: a mobile user of another post office; `Addr` as for `l`.
    case remoteMobileUser = "r"
    /// `A`: an alias held on this post office.
    case localAlias = "A"
    /// `a`: an alias of another post office.
    case remoteAlias = "a"

    /// What kind of entry a location code stands for.
    package enum EntryKind: String, Sendable, Hashable {
        case postOffice
        case user
        case mobileUser
        case alias
    }

    /// The code written as `text` (already trimmed), or `nil` when it is not one of the eight letters.
    package init?(text: String) {
        guard text.count == 1, let letter = text.first else {
            return nil
        }
        self.init(rawValue: letter)
    }

    /// The kind of entry.
    package var entryKind: EntryKind {
        switch self {
        case .directPostOffice, .indirectPostOffice: .postOffice
        case .localUser, .remoteUser: .user
        case .localMobileUser, .remoteMobileUser: .mobileUser
        case .localAlias, .remoteAlias: .alias
        }
    }

    /// Whether the entry is held on the post office the export was taken from (an upper-case letter).
    package var isHeldHere: Bool { rawValue.isUppercase }

    /// The letter.
    package var description: String { String(rawValue) }
}
