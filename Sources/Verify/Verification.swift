/// What `ccdirsync verify` found: for each cc:Mail user, what the directory answers to the two lookups that matter
/// (the Migration Wizard's and an ordinary address lookup), and the MIGRATE values that name nobody.
///
/// A value type with no LDAP in it, so every report format renders the same facts; encoded as JSON it is the
/// `--format json` report (see docs/VERIFY.md).
package struct Verification: Sendable, Hashable, Codable {
    /// One user's verdict, in order of precedence: a user with two answers to a lookup is `ambiguous` whatever
    /// else holds; one named at an old post office is `stale`; then `migrationReady`, `addressable`, `unresolved`.
    package enum Status: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
        /// Exactly one mailbox carries the user's MIGRATE value: the Migration Wizard finds it.
        case migrationReady
        /// Exactly one object answers the user's address (and no mailbox carries the MIGRATE value).
        case addressable
        /// Nothing answers either lookup.
        case unresolved
        /// Two or more objects answer one of the lookups.
        case ambiguous
        /// A MIGRATE value or a target names the user at a post office they are no longer on.
        case stale

        /// Whether a user with this status is fine for a migration batch.
        package var passes: Bool { self == .migrationReady || self == .addressable }

        package static func < (lhs: Status, rhs: Status) -> Bool {
            allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
        }
    }

    /// An object that answered a lookup.
    package struct Object: Sendable, Hashable, Codable {
        package var dn: String
        /// `mailbox`, `customRecipient` or `other`.
        package var kind: String
        /// Whether ccdirsync owns it (a custom recipient in its container carrying its mark).
        package var owned: Bool

        package init(dn: String, kind: String, owned: Bool) {
            self.dn = dn
            self.kind = kind
            self.owned = owned
        }
    }

    /// One lookup: the exact address searched for and what answered.
    package struct Lookup: Sendable, Hashable, Codable {
        /// The address as searched for, such as `MIGRATE:CCMAIL:Smith, John at LONDON`.
        package var address: String
        /// The LDAP filter sent, exactly.
        package var filter: String
        package var objects: [Object]
        /// The server stopped at the lookup size limit: at least this many objects answer.
        package var truncated: Bool

        package init(address: String, filter: String, objects: [Object], truncated: Bool) {
            self.address = address
            self.filter = filter
            self.objects = objects
            self.truncated = truncated
        }
    }

    /// A MIGRATE value or target address that names a cc:Mail address, where it was found.
    package struct Value: Sendable, Hashable, Codable {
        package var dn: String
        package var attribute: String
        /// The value byte for byte as read.
        package var value: String
        /// The post office the value names.
        package var postOffice: String

        package init(dn: String, attribute: String, value: String, postOffice: String) {
            self.dn = dn
            self.attribute = attribute
            self.value = value
            self.postOffice = postOffice
        }
    }

    /// One cc:Mail user and the answers the directory gave for them.
    package struct User: Sendable, Hashable, Codable {
        package var name: String
        package var postOffice: String
        package var status: Status
        /// The Migration Wizard's lookup: who carries `MIGRATE:CCMAIL:<Name> at <PO>`.
        package var migration: Lookup
        /// The address lookup: who answers to the user's target address, as a proxy or as a target.
        package var address: Lookup
        /// Values that name the user at another post office.
        package var stale: [Value]

        package init(
            name: String, postOffice: String, status: Status, migration: Lookup, address: Lookup, stale: [Value]
        ) {
            self.name = name
            self.postOffice = postOffice
            self.status = status
            self.migration = migration
            self.address = address
            self.stale = stale
        }
    }

    /// Counts, for the summary line and the exit status.
    package struct Summary: Sendable, Hashable, Codable {
        package var users: Int
        package var migrationReady: Int
        package var addressable: Int
        package var unresolved: Int
        package var ambiguous: Int
        package var stale: Int
        /// MIGRATE values that name no cc:Mail user.
        package var orphans: Int
        /// Users in conflict or excluded: not verified (see `plan`).
        package var skipped: Int
        /// Every user is `migrationReady` or `addressable` (the orphans do not count against it).
        package var passes: Bool

        package init(users: [User], orphans: Int, skipped: Int) {
            var counts: [Status: Int] = [:]
            // One pass, reading each status in place: iterating the users would copy each one, every field of it.
            for index in users.indices {
                counts[users[index].status, default: 0] += 1
            }
            self.users = users.count
            migrationReady = counts[.migrationReady] ?? 0
            addressable = counts[.addressable] ?? 0
            unresolved = counts[.unresolved] ?? 0
            ambiguous = counts[.ambiguous] ?? 0
            stale = counts[.stale] ?? 0
            self.orphans = orphans
            self.skipped = skipped
            passes = migrationReady + addressable == users.count
        }

        package func count(_ status: Status) -> Int {
            switch status {
            case .migrationReady: migrationReady
            case .addressable: addressable
            case .unresolved: unresolved
            case .ambiguous: ambiguous
            case .stale: stale
            }
        }
    }

    /// `exchange55` or `exchange2000`.
    package var profile: String
    /// Where every lookup searched (the whole subtree).
    package var baseDN: String
    /// The one user asked for with `--user`, or nil for everybody.
    package var onlyUser: String?
    /// Sorted by cc:Mail name.
    package var users: [User]
    /// MIGRATE values in the directory that name no cc:Mail user (empty with `--user`), sorted by DN and value.
    package var orphans: [Value]
    package var summary: Summary

    package init(profile: String, baseDN: String, onlyUser: String?, users: [User], orphans: [Value], skipped: Int) {
        self.profile = profile
        self.baseDN = baseDN
        self.onlyUser = onlyUser
        self.users = users
        self.orphans = orphans
        self.summary = Summary(users: users, orphans: orphans.count, skipped: skipped)
    }
}
