import CCMail
import LDAPModel

/// Turns the joined directories into changes and findings: one row of DESIGN.md's situation table per user.
///
/// Pure: it reads snapshots and returns values. Every value it writes is value-level (`add`/`delete` of single
/// values), every delete names the value exactly as read, and every change carries the preconditions `apply`
/// re-checks. Objects ccdirsync does not own are only ever touched to add or update one MIGRATE value.
package struct Planner: Sendable {
    package var profile: Profile
    package var exchangeSettings: ExchangeSettings
    package var policy: PolicySettings

    /// Changes in no particular order, and findings.
    package struct Output: Sendable {
        package var changes: [Plan.Change]
        package var findings: [Plan.Finding]
    }

    package func plan(directory: Directory, exchange: ExchangeDirectory, match: MatchResult) -> Output {
        plan(
            directory: directory, exchange: exchange, match: match,
            index: MailboxIndex(mailboxes: exchange.mailboxes, ignoreDiacritics: false, mappingLookups: false),
            objectKeys: ObjectAddressKeys(exchange), userKeys: UserKeys(directory.users))
    }

    /// The same with what the matcher worked out already: its index of `exchange.mailboxes` (for the MIGRATE
    /// values), every object's address keys, and the key of each user's target address (`userKeys` of
    /// `directory.users`, the users `match` was made for).
    func plan(
        directory: Directory, exchange: ExchangeDirectory, match: MatchResult, index: MailboxIndex,
        objectKeys: ObjectAddressKeys, userKeys: UserKeys
    ) -> Output {
        var state = PlanningState(
            planner: self, exchange: exchange, index: index, objectKeys: objectKeys, targets: Set(userKeys.targets))
        state.findings += match.mappingFindings
        // Through a buffer pointer: each user is read where it is (see `PlanningState.plan`).
        directory.users.withUnsafeBufferPointer { users in
            for position in users.indices {
                state.plan(
                    users: users, position: position, targetKey: userKeys.targets[position],
                    join: match.joins[position])
            }
        }
        let conflicted = Dictionary(directory.conflicts.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let excluded = Dictionary(
            directory.exclusions.filter { $0.subject == .user }.map { ($0.name, $0) },
            uniquingKeysWith: { first, _ in first })
        let unread = directory.unreadInput
        // Our recipients no user claimed above: their users are gone (or conflicted, or excluded).
        for owned in exchange.owned where !state.namesWithRecipients.contains(owned.ccMailName) {
            if let conflict = conflicted[owned.ccMailName] {
                state.findings.append(
                    Plan.Finding(
                        ccmailName: owned.ccMailName.text, situation: .conflict,
                        detail: "kept: \(conflict.finding.message)", candidates: [owned.object.dn.description]))
            } else if let exclusion = excluded[owned.ccMailName] {
                state.findings.append(
                    Plan.Finding(
                        ccmailName: owned.ccMailName.text, situation: .excluded,
                        detail: "kept: \(exclusion.reason)", candidates: [owned.object.dn.description]))
            } else if let first = unread.first {
                // A doubt never deletes: the user may be in the part of an export that was not read.
                let more = unread.count > 1 ? " and \(unread.count - 1) more place(s) listed under parseWarning" : ""
                state.findings.append(
                    Plan.Finding(
                        ccmailName: owned.ccMailName.text, situation: .userUnknown,
                        detail: "kept, neither deleted nor hidden: the user is not in the exports, but part of them "
                            + "was not read (\(first.location): \(first.message)\(more))",
                        candidates: [owned.object.dn.description]))
            } else {
                state.retire(owned, situation: .userGone)
            }
        }
        for conflict in directory.conflicts {
            state.findings.append(
                Plan.Finding(ccmailName: conflict.name.text, situation: .conflict, detail: conflict.finding.description)
            )
        }
        for exclusion in directory.exclusions where exclusion.subject == .user {
            let place = exclusion.sources.first.map { " (\($0.fileAndLine))" } ?? ""
            state.findings.append(
                Plan.Finding(
                    ccmailName: exclusion.name.text, situation: .excluded, detail: "\(exclusion.reason)\(place)"))
        }
        for warning in directory.warnings {
            state.findings.append(Plan.Finding(ccmailName: "", situation: .parseWarning, detail: warning.description))
        }
        return Output(changes: state.changes, findings: state.findings)
    }
}

/// The running state of one planning pass: aliases taken, addresses held, changes and findings so far.
private struct PlanningState {
    let planner: Planner
    let exchange: ExchangeDirectory
    /// The matcher's index of the mailboxes, for their MIGRATE values.
    let index: MailboxIndex
    /// Writes the DNs of changes.
    var names = DNSpeller()
    var profile: Profile { planner.profile }
    var changes: [Plan.Change] = []
    var findings: [Plan.Finding] = []
    var aliases: AliasAllocator
    /// The display name, mail and X.400 templates, cut into pieces once.
    let templates: RecipientTemplates
    /// Owned custom recipients by the cc:Mail name of their mark.
    let ownedByName: [CCMailName: [ExchangeDirectory.OwnedRecipient]]
    /// The names of `ownedByName` some user has claimed so far. The recipients left out are retired: noting the few
    /// names found here replaced a table of every user's name made only for that.
    var namesWithRecipients = Set<CCMailName>()
    /// Who holds each user's target address.
    let addressHolders: AddressHolders

    /// `targets`: the target address of every user; only those are looked up, so the directory's other
    /// addresses (several per mailbox) never go into a table.
    init(
        planner: Planner, exchange: ExchangeDirectory, index: MailboxIndex, objectKeys: ObjectAddressKeys,
        targets: Set<AddressKey>
    ) {
        self.planner = planner
        self.exchange = exchange
        self.index = index
        let container = planner.exchangeSettings.customRecipientContainer
        // Every object's alias and RDN, and an alias for each user who may get a recipient: the table never grows.
        var taken = Set<String>(
            minimumCapacity: 2 * (exchange.mailboxes.count + exchange.owned.count + exchange.foreign.count)
                + targets.count)
        // The objects are read where they are (copying 100,000 of them out of their arrays costs more than the
        // reading), and the container test compares RDNs without making each object's parent DN.
        let depth = container.rdns.count + 1
        func take(_ alias: String?, _ dn: DistinguishedName) {
            if let alias {
                taken.insert(ASCIIFolding.lowercased(alias))
            }
            if dn.rdns.count == depth, dn.isWithin(container), let rdn = dn.rdn {
                taken.insert(ASCIIFolding.lowercased(rdn.value))
            }
        }
        for index in exchange.mailboxes.indices {
            take(exchange.mailboxes[index].alias, exchange.mailboxes[index].dn)
        }
        for index in exchange.owned.indices {
            take(exchange.owned[index].object.alias, exchange.owned[index].object.dn)
        }
        for index in exchange.foreign.indices {
            take(exchange.foreign[index].alias, exchange.foreign[index].dn)
        }
        aliases = AliasAllocator(taken: taken, template: planner.exchangeSettings.aliasTemplate)
        templates = RecipientTemplates(planner.exchangeSettings)
        ownedByName = Dictionary(grouping: exchange.owned) { $0.ccMailName }
        namesWithRecipients.reserveCapacity(ownedByName.count)
        addressHolders = AddressHolders(exchange: exchange, objectKeys: objectKeys, targets: targets)
    }

    /// Reports a user's target address held by two or more objects (their own joined mailbox aside, which may
    /// carry the address as a secondary while our recipient is kept): mail to it is ambiguous, and only a person
    /// can say which object stays. Races end this way: a recipient made by hand while ccdirsync created its own.
    mutating func reportSharedAddress(_ user: CCMailUser, targetKey: AddressKey, joinedMailbox: Int?) {
        let joined = joinedMailbox.map { exchange.mailboxes[$0].dn }
        guard let holders = addressHolders.shared(targetKey, besides: joined) else {
            return
        }
        let desired = DesiredRecipient(
            user: user, targetKey: targetKey, displayNameTemplate: templates.displayName)
        findings.append(
            Plan.Finding(
                ccmailName: user.name.text, situation: .duplicateAddress,
                detail: "\(desired.target) is held by \(holders.count) objects: mail to it is ambiguous; keep one "
                    + "(ccdirsync deletes none of them)",
                candidates: holders.map(\.description).sorted()))
    }

    /// Plans `users[position]`. A joined user (most of them) is read member by member where it is: copying the user
    /// to read its name and post office retained every string it holds, for each of 100,000 users. The users who
    /// get or keep a recipient are copied, as the recipient is made from most of what they hold.
    mutating func plan(
        users: UnsafeBufferPointer<CCMailUser>, position: Int, targetKey: AddressKey, join: Join
    ) {
        let owned = ownedByName[users[position].name] ?? []
        if !owned.isEmpty {
            namesWithRecipients.insert(users[position].name)
        }
        if owned.count > 1 {
            findings.append(
                Plan.Finding(
                    ccmailName: users[position].name.text, situation: .conflict,
                    detail: "\(owned.count) custom recipients carry ccdirsync's mark for this user; only the first "
                        + "is maintained, remove the others by hand",
                    candidates: owned.map(\.object.dn.description).sorted()))
        }
        // A disputed user's finding lists the objects already.
        switch join {
        case .joined(let mailbox, _): reportSharedAddress(users[position], targetKey: targetKey, joinedMailbox: mailbox)
        case .unjoined: reportSharedAddress(users[position], targetKey: targetKey, joinedMailbox: nil)
        case .disputed, .conflict, .held: break
        }
        switch join {
        case .joined(let mailbox, let rule):
            planMigrate(
                name: users[position].name, homePostOffice: users[position].homePostOffice, mailbox: mailbox,
                rule: rule)
            if let first = owned.first {
                if planner.policy.retireOnMatch {
                    retire(first, situation: .retiredOnMatch, rule: rule)
                } else {
                    maintain(first, user: users[position], targetKey: targetKey)
                }
            }
        case .unjoined(let suggestion):
            if let suggestion {
                let dn = exchange.mailboxes[suggestion].dn.description
                findings.append(
                    Plan.Finding(
                        ccmailName: users[position].name.text, situation: .suggestion,
                        detail: "surname and given name match this mailbox; approve by adding the row to the "
                            + "mapping file (or set match.byName: apply)",
                        candidates: [dn]))
            }
            if let first = owned.first {
                maintain(first, user: users[position], targetKey: targetKey)
            } else {
                create(for: users[position], targetKey: targetKey)
            }
        case .disputed(let rule, let candidates, let reason):
            findings.append(
                Plan.Finding(
                    ccmailName: users[position].name.text, situation: .disputed,
                    detail: "\(reason) (rule \(rule.rawValue)); nothing is written for this user",
                    candidates: candidates.map(\.description).sorted()))
        case .conflict(let mailbox, let rule, let others):
            let dn = exchange.mailboxes[mailbox].dn
            findings.append(
                Plan.Finding(
                    ccmailName: users[position].name.text, situation: .conflict,
                    detail: "rule \(rule.rawValue) found a mailbox that carries the MIGRATE value of "
                        + "\(others.joined(separator: "; ")); nothing is written for this user",
                    candidates: [dn.description]))
        case .held(let reason):
            findings.append(
                Plan.Finding(
                    ccmailName: users[position].name.text, situation: .mappingError,
                    detail: "\(reason); nothing is written for this user"))
        }
    }

    /// Adds the user's MIGRATE value to a joined mailbox, replacing values that name the user at another office.
    ///
    /// `mailbox` is an index into `exchange.mailboxes`. Each key is worked out once, and the value to write only
    /// when there is something to write (most joined mailboxes carry the value already).
    private mutating func planMigrate(name: CCMailName, homePostOffice: CCMailName, mailbox: Int, rule: Plan.Rule) {
        let address = CCMailAddress(name: name, postOffice: homePostOffice)
        let desired = ProxyAddress.migrate(address)
        let mine = index.migrateValues[mailbox].filter { $0.address.name == name }
        // A key is a function of the address's spelling, so a value spelled byte for byte as the desired one has its
        // key; the keys are worked out only for the others (there are none for most mailboxes).
        let spelling = address.description
        var desiredKey: AddressKey?
        var same: [Bool] = []
        for value in mine {
            let text = value.address.description
            if text.isSpelledLike(spelling) {
                same.append(true)
            } else {
                let key = desiredKey ?? desired.key
                desiredKey = key
                same.append(ProxyAddress.migrate(value.address).key == key)
            }
        }
        let hasDesired = same.contains(true)
        let stale = mine.indices.filter { !same[$0] }.map { mine[$0].value }
        guard !hasDesired || !stale.isEmpty else {
            return
        }
        let desiredValue = profile.proxyValue(desired)
        let migratePrefix = profile.proxyValue(ProxyAddress.migrateCCMailPrefix)
        var modifications: [Plan.Modification] = []
        if !stale.isEmpty {
            modifications.append(Plan.Modification(op: .delete, attribute: profile.proxyAttribute, values: stale))
        }
        if !hasDesired {
            modifications.append(Plan.Modification(op: .add, attribute: profile.proxyAttribute, values: [desiredValue]))
        }
        changes.append(
            Plan.Change(
                kind: .modify, dn: names.describe(exchange.mailboxes[mailbox].dn), ccmailName: name.text,
                situation: stale.isEmpty ? .migrateMissing : .userMoved, rule: rule, modifications: modifications,
                before: [profile.proxyAttribute: mine.map(\.value)],
                preconditions: [
                    // Every MIGRATE value the mailbox had decided the change: one that appears since makes it stale.
                    Plan.Precondition(
                        attribute: profile.proxyAttribute,
                        present: exchange.mailboxes[mailbox].proxyValues.filter {
                            CaseIgnoreMatch.hasPrefix($0, migratePrefix)
                        },
                        absent: hasDesired ? [] : [desiredValue], noOthersStartingWith: migratePrefix)
                ]))
    }

    /// Creates a custom recipient, unless the user's address already belongs to an object we do not own.
    private mutating func create(for user: CCMailUser, targetKey: AddressKey) {
        let desired = DesiredRecipient(
            user: user, targetKey: targetKey, displayNameTemplate: templates.displayName)
        if let holders = addressHolders.foreign[targetKey], !holders.isEmpty {
            findings.append(
                Plan.Finding(
                    ccmailName: user.name.text, situation: .representedElsewhere,
                    detail: "\(desired.target) is already an address of an object ccdirsync does not own; no custom "
                        + "recipient is created",
                    candidates: holders.map(\.description).sorted()))
            return
        }
        let alias = aliases.allocate(for: user)
        let container = planner.exchangeSettings.customRecipientContainer
        let dn = container.child(RelativeDistinguishedName(type: profile.namingAttribute, value: alias))
        // Room for every attribute a create has, so the table is not grown twice on the way.
        var attributes = [String: [String]](minimumCapacity: 12)
        attributes["objectClass"] = profile.customRecipientObjectClasses
        attributes[profile.aliasAttribute] = [alias]
        attributes[profile.surnameAttribute] = [desired.surname]
        attributes[profile.targetAttribute] = [desired.target]
        attributes[profile.proxyAttribute] = [profile.proxyValue(desired.proxy)]
        attributes[profile.markAttribute] = [desired.mark]
        if let given = desired.givenName {
            attributes[profile.givenNameAttribute] = [given]
        }
        var names = [alias]
        if profile.displayNameInNamingAttribute {
            if !ASCIIFolding.equalIgnoringCase(desired.displayName, alias) {
                names.append(desired.displayName)
            }
        } else {
            attributes[profile.displayNameAttribute] = [desired.displayName]
        }
        attributes[profile.namingAttribute] = names
        if let attribute = profile.mailAttribute, let template = templates.mail {
            attributes[attribute] = [template.render(user: user, alias: alias)]
        }
        if let attribute = profile.x400Attribute, let template = templates.x400 {
            attributes[attribute] = [template.render(user: user, alias: alias)]
        }
        changes.append(
            Plan.Change(
                kind: .create, dn: self.names.describe(dn), ccmailName: user.name.text, situation: .recipientMissing,
                rule: .ownRecipient, attributes: attributes))
    }

    /// Brings our custom recipient in line with the user, in place (the DN never changes, so distribution-list
    /// membership survives a move).
    private mutating func maintain(
        _ owned: ExchangeDirectory.OwnedRecipient, user: CCMailUser, targetKey: AddressKey
    ) {
        let object = owned.object
        let desired = DesiredRecipient(
            user: user, targetKey: targetKey, displayNameTemplate: templates.displayName)
        var edit = ValueEdit()
        var blockedTarget = false
        if object.targetKey != desired.targetKey {
            let holders = (addressHolders.foreign[targetKey] ?? []).filter { $0 != object.dn }
            if holders.isEmpty {
                edit.replace(profile.targetAttribute, current: object.target.map { [$0] } ?? [], with: [desired.target])
                let oldKey = object.targetKey
                let stale = object.proxies.filter { oldKey != nil && $0.key == oldKey }.map(\.value)
                edit.delete(profile.proxyAttribute, values: stale, before: object.proxyValues)
            } else {
                blockedTarget = true
                findings.append(
                    Plan.Finding(
                        ccmailName: user.name.text, situation: .representedElsewhere,
                        detail: "\(desired.target) is already an address of an object ccdirsync does not own; the "
                            + "target of our custom recipient \(object.dn) is left as it is",
                        candidates: holders.map(\.description).sorted()))
            }
        }
        if !blockedTarget, !object.proxies.contains(where: { $0.key == desired.targetKey }) {
            edit.add(profile.proxyAttribute, values: [profile.proxyValue(desired.proxy)], before: object.proxyValues)
        }
        if profile.displayNameInNamingAttribute {
            let rdnValue = object.dn.rdn?.value ?? ""
            let current = object.displayNameValues.filter { $0 != rdnValue }
            let wanted = ASCIIFolding.equalIgnoringCase(desired.displayName, rdnValue) ? [] : [desired.displayName]
            edit.replace(profile.displayNameAttribute, current: current, with: wanted, before: object.displayNameValues)
        } else {
            edit.replace(profile.displayNameAttribute, current: object.displayNameValues, with: [desired.displayName])
        }
        edit.replace(profile.givenNameAttribute, current: object.givenNames, with: desired.givenName.map { [$0] } ?? [])
        edit.replace(profile.surnameAttribute, current: object.surnames, with: [desired.surname])
        edit.replace(profile.markAttribute, current: object.marks, with: [desired.mark])
        let returning = object.isHidden
        if returning {
            edit.delete(profile.hideAttribute, values: object.hiddenValues, before: object.hiddenValues)
        }
        guard !edit.modifications.isEmpty else {
            return
        }
        var preconditions = edit.preconditions
        preconditions.append(Plan.Precondition(attribute: profile.markAttribute, present: object.marks))
        changes.append(
            Plan.Change(
                kind: .modify, dn: names.describe(object.dn), ccmailName: user.name.text,
                situation: returning ? .userReturned : .recipientChanged, rule: .ownRecipient,
                modifications: edit.modifications, before: edit.before, preconditions: Self.merge(preconditions)))
    }

    /// Deletes (or, with `onMissing: hide`, hides) our custom recipient.
    mutating func retire(
        _ owned: ExchangeDirectory.OwnedRecipient, situation: Plan.Situation, rule: Plan.Rule = .ownRecipient
    ) {
        let object = owned.object
        let markPrecondition = Plan.Precondition(attribute: profile.markAttribute, present: object.marks)
        if situation == .userGone, planner.policy.onMissing == .hide {
            guard !object.isHidden else {
                return
            }
            changes.append(
                Plan.Change(
                    kind: .modify, dn: names.describe(object.dn), ccmailName: owned.ccMailName.text,
                    situation: .userGoneHidden, rule: rule,
                    modifications: [Plan.Modification(op: .add, attribute: profile.hideAttribute, values: ["TRUE"])],
                    before: [profile.hideAttribute: object.hiddenValues],
                    preconditions: [
                        markPrecondition, Plan.Precondition(attribute: profile.hideAttribute, absent: ["TRUE"]),
                    ]))
            return
        }
        var before: [String: [String]] = [
            profile.markAttribute: object.marks,
            profile.proxyAttribute: object.proxyValues,
            profile.displayNameAttribute: object.displayNameValues,
            profile.surnameAttribute: object.surnames,
        ]
        if let target = object.target {
            before[profile.targetAttribute] = [target]
        }
        if let alias = object.alias {
            before[profile.aliasAttribute] = [alias]
        }
        if !object.givenNames.isEmpty {
            before[profile.givenNameAttribute] = object.givenNames
        }
        before = before.filter { !$0.value.isEmpty }
        var preconditions = [markPrecondition]
        if let target = object.target {
            preconditions.append(Plan.Precondition(attribute: profile.targetAttribute, present: [target]))
        }
        changes.append(
            Plan.Change(
                kind: .delete, dn: names.describe(object.dn), ccmailName: owned.ccMailName.text, situation: situation,
                rule: rule, before: before, preconditions: Self.merge(preconditions)))
    }

    /// One precondition per attribute, values in first-seen order.
    static func merge(_ preconditions: [Plan.Precondition]) -> [Plan.Precondition] {
        var order: [String] = []
        var merged: [String: Plan.Precondition] = [:]
        for precondition in preconditions
        where !(precondition.present.isEmpty && precondition.absent.isEmpty && precondition.noOthersStartingWith == nil)
        {
            let key = precondition.attribute.lowercased()
            if var existing = merged[key] {
                existing.present += precondition.present.filter { !existing.present.contains($0) }
                existing.absent += precondition.absent.filter { !existing.absent.contains($0) }
                existing.noOthersStartingWith = existing.noOthersStartingWith ?? precondition.noOthersStartingWith
                merged[key] = existing
            } else {
                order.append(key)
                merged[key] = precondition
            }
        }
        return order.compactMap { merged[$0] }
    }
}

/// Collects value-level modifications of one entry, with the values read before and the preconditions.
private struct ValueEdit {
    var modifications: [Plan.Modification] = []
    var before: [String: [String]] = [:]
    var preconditions: [Plan.Precondition] = []

    /// Deletes the current values that are not wanted and adds the wanted values that are missing (exact match:
    /// a change of case is a change, so the directory ends up spelled as cc:Mail spells it).
    mutating func replace(_ attribute: String, current: [String], with wanted: [String], before read: [String]? = nil) {
        let removed = current.filter { !wanted.contains($0) }
        let added = wanted.filter { !current.contains($0) }
        guard !removed.isEmpty || !added.isEmpty else {
            return
        }
        delete(attribute, values: removed, before: read ?? current)
        add(attribute, values: added, before: read ?? current)
        if current.isEmpty, (read ?? []).isEmpty {
            // The attribute was empty: a value someone sets meanwhile must make the change stale, not a second value.
            preconditions.append(Plan.Precondition(attribute: attribute, noOthersStartingWith: ""))
        }
    }

    mutating func delete(_ attribute: String, values: [String], before read: [String]) {
        guard !values.isEmpty else {
            return
        }
        modifications.append(Plan.Modification(op: .delete, attribute: attribute, values: values))
        before[attribute] = read
        preconditions.append(Plan.Precondition(attribute: attribute, present: values))
    }

    mutating func add(_ attribute: String, values: [String], before read: [String]) {
        guard !values.isEmpty else {
            return
        }
        modifications.append(Plan.Modification(op: .add, attribute: attribute, values: values))
        before[attribute] = read
    }
}
