extension Directory {
    /// Merges the exports of several post offices into one directory.
    ///
    /// Names are keys (cc:Mail names are unique directory-wide), so an entry seen from several exports becomes
    /// one entry, described by the export that holds it (an upper-case location code) where there is one.
    /// Disagreements become conflicts; Exchange site post offices, post offices excluded by `configuration`,
    /// and the users homed on either become exclusions; gateway users get gateway addresses. "First" always
    /// means first in the order of `exports`, then by line.
    package static func merge(_ exports: [ParsedExport], configuration: DirectoryConfiguration = .init()) -> Directory {
        var merge = DirectoryMerge(configuration: configuration)
        merge.collect(exports)
        return merge.directory()
    }
}

/// The state of one merge: sightings collected, then resolved name by name into a directory.
private struct DirectoryMerge {
    let configuration: DirectoryConfiguration

    private var findings: [Finding] = []
    private var conflicts: [Conflict] = []
    private var exportedPostOffices: [CCMailName: (name: CCMailName, file: String)] = [:]
    /// The post office of each export, by position.
    private var exportPostOffices: [CCMailName] = []
    private var postOfficeSightings: [Sighting<PostOfficeEntry>] = []
    private var userSightings: [Sighting<UserEntry>] = []
    private var aliasSightings: [Sighting<AliasEntry>] = []

    init(configuration: DirectoryConfiguration) {
        self.configuration = configuration
    }

    mutating func collect(_ exports: [ParsedExport]) {
        userSightings.reserveCapacity(exports.reduce(0) { $0 + $1.entries.count })
        for (index, export) in exports.enumerated() {
            findings += export.findings
            let postOffice = export.source.postOffice
            exportPostOffices.append(postOffice)
            if let earlier = exportedPostOffices[postOffice] {
                findings.append(
                    Finding(
                        .error, .conflict,
                        "two exports are taken from post office \(postOffice) (the other is \(earlier.file))",
                        at: Location(file: export.source.file, line: 1)))
            } else {
                exportedPostOffices[postOffice] = (postOffice, export.source.file)
            }
            for entry in export.entries {
                switch entry {
                case .postOffice(let postOffice): postOfficeSightings.append(Sighting(entry: postOffice, export: index))
                case .user(let user): userSightings.append(Sighting(entry: user, export: index))
                case .alias(let alias): aliasSightings.append(Sighting(entry: alias, export: index))
                }
            }
        }
    }

    mutating func directory() -> Directory {
        // Handed over, so each list is put in order in place rather than copied.
        let userList = userSightings
        let aliasList = aliasSightings
        let postOfficeList = postOfficeSightings
        userSightings = []
        aliasSightings = []
        postOfficeSightings = []
        let userGroups = SightingGroups(consume userList).groups
        let aliasGroups = SightingGroups(consume aliasList).groups
        let postOfficeGroups = SightingGroups(consume postOfficeList).groupsByName()
        let postOffices = mergedPostOffices(postOfficeGroups)
        var postOfficesByName: [CCMailName: PostOffice] = [:]
        for postOffice in postOffices {
            postOfficesByName[postOffice.name] = postOffice
        }
        let (keptUsers, keptAliases) = separateKinds(
            users: userGroups, aliases: aliasGroups, postOffices: postOfficeGroups)

        var exclusions = postOffices.compactMap(Self.exclusion(of:))
        var users: [CCMailUser] = []
        users.reserveCapacity(keptUsers.count)
        for sightings in keptUsers {
            guard let user = mergedUser(sightings, postOffices: postOfficesByName) else {
                continue
            }
            if let home = postOfficesByName[user.homePostOffice], home.isExcluded {
                exclusions.append(
                    Exclusion(
                        name: user.name, subject: .user, reason: .homedOnExcludedPostOffice(home.name),
                        sources: user.sources))
            } else if configuration.excludedPostOffices.contains(user.homePostOffice) {
                exclusions.append(
                    Exclusion(
                        name: user.name, subject: .user, reason: .homedOnExcludedPostOffice(user.homePostOffice),
                        sources: user.sources))
            } else {
                users.append(user)
            }
        }
        findings += conflicts.map(\.finding)
        return Directory(
            users: users,
            aliases: keptAliases.map(Self.mergedAlias),
            postOffices: postOffices,
            conflicts: conflicts.sorted { $0.name < $1.name },
            exclusions: exclusions.sorted(by: Self.exclusionOrder),
            findings: findings.sorted())
    }

    /// A name can be one kind of entry only: a name that is a user and an alias is left out as both, and a user
    /// or alias named like a post office is left out (the post office stays, as users are homed on it).
    private mutating func separateKinds(
        users: [ArraySlice<Sighting<UserEntry>>], aliases: [ArraySlice<Sighting<AliasEntry>>],
        postOffices: [CCMailName: ArraySlice<Sighting<PostOfficeEntry>>]
    ) -> (users: [ArraySlice<Sighting<UserEntry>>], aliases: [ArraySlice<Sighting<AliasEntry>>]) {
        var aliasesByName: [CCMailName: ArraySlice<Sighting<AliasEntry>>] = [:]
        for group in aliases {
            if let first = group.first {
                aliasesByName[first.entry.name] = group
            }
        }
        var disputed: Set<CCMailName> = []
        var keptUsers: [ArraySlice<Sighting<UserEntry>>] = []
        keptUsers.reserveCapacity(users.count)
        for group in users {
            guard let name = group.first?.entry.name else {
                continue
            }
            let aliasGroup = aliasesByName[name] ?? []
            let postOfficeClaims = postOfficeClaims(of: name, in: postOffices)
            if aliasGroup.isEmpty, postOfficeClaims.isEmpty {
                keptUsers.append(group)
                continue
            }
            var claims = group.map { Conflict.Claim(value: "user", location: $0.location) }
            claims += aliasGroup.map { Conflict.Claim(value: "alias", location: $0.location) }
            claims += postOfficeClaims
            conflicts.append(Conflict(name: name, subject: .entryKind, claims: claims.sorted(by: Self.claimOrder)))
            disputed.insert(name)
        }
        var keptAliases: [ArraySlice<Sighting<AliasEntry>>] = []
        for group in aliases {
            guard let name = group.first?.entry.name, !disputed.contains(name) else {
                continue
            }
            let postOfficeClaims = postOfficeClaims(of: name, in: postOffices)
            if postOfficeClaims.isEmpty {
                keptAliases.append(group)
                continue
            }
            let claims = group.map { Conflict.Claim(value: "alias", location: $0.location) } + postOfficeClaims
            conflicts.append(Conflict(name: name, subject: .entryKind, claims: claims.sorted(by: Self.claimOrder)))
        }
        return (keptUsers, keptAliases)
    }

    /// The places that make `name` a post office: its records, or the first line of the export taken on it.
    private func postOfficeClaims(
        of name: CCMailName, in postOffices: [CCMailName: ArraySlice<Sighting<PostOfficeEntry>>]
    ) -> [Conflict.Claim] {
        if let records = postOffices[name], !records.isEmpty {
            return records.map { Conflict.Claim(value: "post office", location: $0.location) }
        }
        if let exported = exportedPostOffices[name] {
            return [Conflict.Claim(value: "post office", location: Location(file: exported.file, line: 1))]
        }
        return []
    }

    /// Post offices first, then users, each by name.
    private static func exclusionOrder(_ lhs: Exclusion, _ rhs: Exclusion) -> Bool {
        if lhs.subject != rhs.subject {
            return lhs.subject == .postOffice
        }
        return lhs.name < rhs.name
    }

    private static func claimOrder(_ lhs: Conflict.Claim, _ rhs: Conflict.Claim) -> Bool {
        lhs.location < rhs.location
    }

    /// Post offices from the exports' own names and from `P`/`p` records, excluded ones flagged.
    private func mergedPostOffices(_ groups: [CCMailName: ArraySlice<Sighting<PostOfficeEntry>>]) -> [PostOffice] {
        var result: [PostOffice] = []
        for name in Set(groups.keys).union(exportedPostOffices.keys) {
            let sightings = groups[name] ?? []
            let exported = exportedPostOffices[name]
            guard let name = exported?.name ?? sightings.first?.entry.name else {
                continue
            }
            let connection: PostOffice.Connection
            if exported != nil {
                connection = .exported
            } else if sightings.contains(where: { $0.entry.code == .directPostOffice }) {
                connection = .direct
            } else if let route = sightings.lazy.compactMap(\.entry.route).first {
                connection = .indirect(via: route)
            } else {
                connection = .direct
            }
            let siteComment = sightings.first { $0.entry.isExchangeSite }?.entry.comments
            let isExcluded = siteComment != nil || configuration.excludedPostOffices.contains(name)
            result.append(
                PostOffice(
                    name: name, connection: connection,
                    comments: siteComment ?? sightings.lazy.compactMap(\.entry.comments).first,
                    isExchangeSite: siteComment != nil, gateway: configuration.gateways[name], isExcluded: isExcluded,
                    exportFile: exported?.file,
                    links: sightings.map {
                        PostOffice.Link(
                            seenFrom: exportPostOffices[$0.export], route: $0.entry.route, location: $0.location)
                    }))
        }
        return result.sorted { $0.name < $1.name }
    }

    private static func exclusion(of postOffice: PostOffice) -> Exclusion? {
        guard postOffice.isExcluded else {
            return nil
        }
        let reason: Exclusion.Reason =
            if postOffice.isExchangeSite, let comment = postOffice.comments {
                .exchangeSite(comment: comment)
            } else {
                .excludedByConfiguration
            }
        var sources = postOffice.sources
        if let file = postOffice.exportFile {
            sources.insert(Location(file: file, line: 1), at: 0)
        }
        return Exclusion(name: postOffice.name, subject: .postOffice, reason: reason, sources: sources)
    }

    /// One user from its sightings (in export and line order), or `nil` and a conflict when they disagree.
    private mutating func mergedUser(
        _ sightings: ArraySlice<Sighting<UserEntry>>, postOffices: [CCMailName: PostOffice]
    ) -> CCMailUser? {
        guard let first = sightings.first else {
            return nil
        }
        if sightings.count > 1 {
            guard agree(sightings) else {
                return nil
            }
            reportDuplicates(sightings)
        }
        let primary = (sightings.count == 1 ? nil : sightings.first { $0.entry.code.isHeldHere }) ?? first
        let entry = primary.entry
        let home = postOffices[entry.homePostOffice]?.name ?? entry.homePostOffice
        var foreignAliasName = entry.foreignAliasName
        var comments = entry.comments
        var sources = [entry.location]
        if sightings.count > 1 {
            foreignAliasName = foreignAliasName ?? sightings.lazy.compactMap { $0.entry.foreignAliasName }.first
            comments = comments ?? sightings.lazy.compactMap { $0.entry.comments }.first
            sources = sightings.map { $0.entry.location }
        }
        return CCMailUser(
            name: entry.name, kind: entry.kind, homePostOffice: home, foreignAliasName: foreignAliasName,
            comments: comments,
            address: address(of: entry.name, home: home, foreignAliasName: foreignAliasName, at: entry.location),
            sources: sources)
    }

    /// Whether all sightings of one user name the same home post office and, where they give one, the same
    /// foreign alias name; records a conflict when not.
    private mutating func agree(_ sightings: ArraySlice<Sighting<UserEntry>>) -> Bool {
        guard let first = sightings.first else {
            return true
        }
        if sightings.contains(where: { $0.entry.homePostOffice != first.entry.homePostOffice }) {
            let claims = sightings.map { Conflict.Claim(value: $0.entry.homePostOffice.text, location: $0.location) }
            conflicts.append(Conflict(name: first.entry.name, subject: .homePostOffice, claims: claims))
            return false
        }
        let withForeignAliasName = sightings.filter { $0.entry.foreignAliasName != nil }
        if let fan = withForeignAliasName.first?.entry.foreignAliasName,
            withForeignAliasName.contains(where: { !Conflict.same($0.entry.foreignAliasName ?? "", fan) })
        {
            let claims = withForeignAliasName.map {
                Conflict.Claim(value: $0.entry.foreignAliasName ?? "", location: $0.location)
            }
            conflicts.append(Conflict(name: first.entry.name, subject: .foreignAliasName, claims: claims))
            return false
        }
        return true
    }

    /// One export naming a user twice cannot come from cc:Mail (names are unique); it is merged, but reported.
    private mutating func reportDuplicates(_ sightings: ArraySlice<Sighting<UserEntry>>) {
        for index in sightings.indices.dropFirst() {
            let sighting = sightings[index]
            if let earlier = sightings[..<index].first(where: { $0.export == sighting.export }) {
                findings.append(
                    Finding(
                        .warning, .duplicate,
                        "'\(sighting.entry.name)' appears again in this export (first at line \(earlier.location.line))",
                        at: sighting.location))
            }
        }
    }

    /// The user's address: `<Name> at <PO>`, or for a gateway post office the foreign alias name at the gateway
    /// (mode `ccmail`) or as an SMTP address (mode `smtp`).
    ///
    /// A gateway user without a foreign alias name is addressed by the name itself, which is how cc:Mail lists
    /// SMTP correspondents whose name is their address (`mrochek@example.com r PMDF`). In `smtp` mode a name that
    /// is not shaped like an address cannot be used; the cc:Mail form is kept and a warning says so.
    private mutating func address(
        of name: CCMailName, home: CCMailName, foreignAliasName: String?, at location: Location
    ) -> UserAddress {
        guard let mode = configuration.gateways[home] else {
            return .ccMail(CCMailAddress(name: name, postOffice: home))
        }
        let gatewayName = foreignAliasName ?? name.text
        switch mode {
        case .ccMail:
            return .ccMail(CCMailAddress(name: CCMailName(gatewayName), postOffice: home))
        case .smtp:
            if Self.looksLikeSMTPAddress(gatewayName) {
                return .smtp(gatewayName)
            }
            findings.append(
                Finding(
                    .warning, .gateway,
                    "gateway user '\(name)' of \(home) has no foreign alias name shaped like an SMTP address; "
                        + "addressed as '\(name.text) at \(home.text)'",
                    at: location))
            return .ccMail(CCMailAddress(name: name, postOffice: home))
        }
    }

    /// `local@domain` with no spaces and exactly one `@`: enough to tell an address from a person's name.
    private static func looksLikeSMTPAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty
            && !text.contains(where: { $0 == " " || $0 == "\t" })
    }

    /// One alias from its sightings (in export and line order).
    private static func mergedAlias(_ sightings: ArraySlice<Sighting<AliasEntry>>) -> CCMailAlias {
        let held = sightings.first { $0.entry.code.isHeldHere }
        let primary = held ?? sightings[sightings.startIndex]
        return CCMailAlias(
            name: primary.entry.name,
            target: primary.entry.target ?? sightings.lazy.compactMap(\.entry.target).first,
            comments: primary.entry.comments ?? sightings.lazy.compactMap(\.entry.comments).first,
            isHeldOnExportedPostOffice: held != nil,
            sources: sightings.map(\.location))
    }
}
