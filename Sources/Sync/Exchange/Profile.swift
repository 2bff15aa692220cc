import LDAPModel

/// The two Exchange directory flavours ccdirsync knows.
package enum ProfileName: String, Sendable, Hashable, CaseIterable, Codable {
    /// Exchange 5.5's own LDAP directory.
    case exchange55
    /// Active Directory with the Exchange 2000 (and later) schema.
    case exchange2000
}

/// Every class name, attribute name and address spelling of one Exchange directory flavour.
///
/// The rules of the engine never spell an attribute themselves: they ask the profile, so the same matcher and
/// planner serve Exchange 5.5's LDAP directory and Active Directory.
package struct Profile: Sendable, Hashable {
    /// Which flavour.
    package var name: ProfileName
    /// Object classes every mailbox has (all of them).
    package var mailboxClasses: [String]
    /// An attribute every mailbox has (`mailNickname` in AD, where a `user` without one is not mail-enabled).
    package var mailboxRequiredAttribute: String?
    /// The structural class that marks a custom recipient (a mailbox never has it).
    package var customRecipientClass: String
    /// The object classes a new custom recipient is created with.
    package var customRecipientObjectClasses: [String]
    /// The naming attribute of what ccdirsync creates (`cn`).
    package var namingAttribute: String
    /// The alias (`uid` / `mailNickname`).
    package var aliasAttribute: String
    /// The display name (`cn` in 5.5, see `displayNameInNamingAttribute`; `displayName` in AD).
    package var displayNameAttribute: String
    /// Exchange 5.5 returns the display name in `cn` beside the RDN value.
    package var displayNameInNamingAttribute: Bool
    package var givenNameAttribute: String
    package var surnameAttribute: String
    /// The multi-valued proxy address attribute (`otherMailbox` / `proxyAddresses`).
    package var proxyAttribute: String
    /// Between type and address in a proxy value (`$` / `:`).
    package var proxySeparator: Character
    /// The target address of a custom recipient (`Target-Address` / `targetAddress`).
    package var targetAttribute: String
    /// Where ccdirsync writes its ownership mark (`Admin-Description` / `adminDescription`).
    package var markAttribute: String
    /// The primary SMTP address attribute, which 5.5 needs on a new custom recipient; nil when not written.
    package var mailAttribute: String?
    /// The X.400 address attribute 5.5 needs on a new custom recipient; nil when not written.
    package var x400Attribute: String?
    /// The attribute that hides a recipient from the address book, set to `TRUE` by `onMissing: hide`.
    package var hideAttribute: String
    /// The longest value of each attribute the server accepts when its schema does not say (Active Directory's
    /// `rangeUpper`; docs/CONFIG.md lists them); a bound the server publishes takes the place of these.
    package var attributeLimits: AttributeLimits

    /// Exchange 5.5's LDAP directory.
    package static let exchange55 = Profile(
        name: .exchange55,
        mailboxClasses: ["organizationalPerson", "exchangeRecipient"],
        mailboxRequiredAttribute: nil,
        customRecipientClass: "remote-address",
        customRecipientObjectClasses: ["top", "person", "remote-address", "exchangeRecipient"],
        namingAttribute: "cn",
        aliasAttribute: "uid",
        displayNameAttribute: "cn",
        displayNameInNamingAttribute: true,
        givenNameAttribute: "givenName",
        surnameAttribute: "sn",
        proxyAttribute: "otherMailbox",
        proxySeparator: "$",
        targetAttribute: "Target-Address",
        markAttribute: "Admin-Description",
        mailAttribute: "mail",
        x400Attribute: "textEncodedORAddress",
        hideAttribute: "Hide-From-Address-Book",
        attributeLimits: AttributeLimits()
    )

    /// Active Directory with the Exchange 2000 schema.
    package static let exchange2000 = Profile(
        name: .exchange2000,
        mailboxClasses: ["user"],
        mailboxRequiredAttribute: "mailNickname",
        customRecipientClass: "contact",
        customRecipientObjectClasses: ["top", "person", "organizationalPerson", "contact"],
        namingAttribute: "cn",
        aliasAttribute: "mailNickname",
        displayNameAttribute: "displayName",
        displayNameInNamingAttribute: false,
        givenNameAttribute: "givenName",
        surnameAttribute: "sn",
        proxyAttribute: "proxyAddresses",
        proxySeparator: ":",
        targetAttribute: "targetAddress",
        markAttribute: "adminDescription",
        mailAttribute: nil,
        x400Attribute: nil,
        hideAttribute: "msExchHideFromAddressLists",
        // Active Directory's and Exchange's schema: rangeUpper of each attribute ccdirsync writes.
        attributeLimits: AttributeLimits([
            "cn": 64, "sn": 64, "givenName": 64, "displayName": 256, "mailNickname": 64, "adminDescription": 1024,
            "proxyAddresses": 1123, "targetAddress": 1123,
        ])
    )

    /// The profile called `name`.
    package static func named(_ name: ProfileName) -> Profile {
        switch name {
        case .exchange55: .exchange55
        case .exchange2000: .exchange2000
        }
    }

    /// The attributes a read asks for: everything the rules look at, nothing else.
    package var readAttributes: [String] {
        var names = [
            "objectClass", namingAttribute, aliasAttribute, displayNameAttribute, givenNameAttribute,
            surnameAttribute, proxyAttribute, targetAttribute, markAttribute, hideAttribute, "mail",
        ]
        var seen = Set<String>()
        names = names.filter { seen.insert($0.lowercased()).inserted }
        return names
    }

    /// The attributes the planner changes on a custom recipient of ccdirsync's own (an update in place, a hide):
    /// what the bind identity must be allowed to write there (`check` asks the server where it can tell).
    package var ownRecipientAttributes: [String] {
        var names = [
            targetAttribute, proxyAttribute, displayNameAttribute, givenNameAttribute, surnameAttribute, markAttribute,
            hideAttribute,
        ]
        var seen = Set<String>()
        names = names.filter { seen.insert($0.lowercased()).inserted }
        return names
    }

    /// The attributes of a custom recipient that ccdirsync keeps to recreate it (undo of a delete): everything it
    /// reads or writes on one. Nothing the server keeps for itself (on AD `objectGUID`, `instanceType`,
    /// `whenCreated`, `uSNCreated`, `objectCategory`, `distinguishedName`, `name`), which an add would be refused for.
    package var recipientAttributes: [String] {
        var seen = Set<String>()
        return (readAttributes + [mailAttribute, x400Attribute].compactMap { $0 }).filter {
            seen.insert($0.lowercased()).inserted
        }
    }

    /// The values of an entry (by attribute name, as `values` spells it) that recreate it: the
    /// `recipientAttributes` that hold at least one value. An attribute with no text value (a binary one read as
    /// text) is left out, since an add cannot carry an attribute without values.
    package func recreatable(_ values: [String: [String]]) -> [String: [String]] {
        let kept = Set(recipientAttributes.map { $0.lowercased() })
        return values.filter { name, values in !values.isEmpty && kept.contains(name.lowercased()) }
    }

    /// Matches mailboxes: every mailbox class, the required attribute, and not a custom recipient.
    package var mailboxFilter: Filter {
        var parts = mailboxClasses.map { Filter.equality("objectClass", $0) }
        if let required = mailboxRequiredAttribute {
            parts.append(.present(required))
        }
        parts.append(.not(.equality("objectClass", customRecipientClass)))
        return .and(parts)
    }

    /// What an entry is, judged the way `mailboxFilter` and `customRecipientFilter` judge it; the entry must carry
    /// `objectClass` (and the mailbox's required attribute, when the profile has one).
    package func kind(of entry: Entry) -> ExchangeObject.Kind {
        kind(
            objectClasses: entry.strings("objectClass"),
            hasRequiredAttribute: mailboxRequiredAttribute.map { !entry.strings($0).isEmpty } ?? true)
    }

    /// What an entry with these object classes is, judged as `kind(of:)` judges it; `hasRequiredAttribute` says
    /// whether it carries the mailbox's required attribute (true when the profile has none).
    package func kind(objectClasses classes: [String], hasRequiredAttribute: Bool) -> ExchangeObject.Kind {
        // Object class names are compared without case, as `Entry` compares attribute names; a handful of values
        // per entry, so a linear look beats lower-casing them into a set.
        func has(_ name: String) -> Bool {
            classes.contains { Entry.sameName($0, name) }
        }
        if has(customRecipientClass) {
            return .customRecipient
        }
        if hasRequiredAttribute && mailboxClasses.allSatisfy(has) {
            return .mailbox
        }
        return .other
    }

    /// Matches custom recipients (ours and everybody else's).
    package var customRecipientFilter: Filter {
        .equality("objectClass", customRecipientClass)
    }

    /// Matches every other object with an alias or an address (distribution lists, public folders…): they take
    /// part in alias and address uniqueness, and nothing else.
    package var otherAddressedFilter: Filter {
        .and([
            .or([.present(aliasAttribute), .present(proxyAttribute), .present(targetAttribute)]),
            .not(mailboxFilter),
            .not(customRecipientFilter),
        ])
    }

    /// `TYPE<separator>address`, the spelling of a proxy value in this flavour.
    package func proxyValue(_ proxy: ProxyAddress) -> String {
        "\(proxy.type)\(proxySeparator)\(proxy.address)"
    }

    /// Reads a proxy value in this flavour's spelling; nil when it has no separator.
    package func parseProxy(_ value: String) -> ProxyAddress? {
        ProxyAddress(parsing: value, separator: proxySeparator)
    }
}
