import CCMail
import LDAPModel

/// One recipient of the Exchange directory, reduced to what the rules look at.
///
/// Built from an LDAP entry by `ExchangeObject(entry:kind:profile:)`, which is the only place that knows how a
/// flavour spells each value; everything after works on these fields.
package struct ExchangeObject: Sendable, Hashable {
    /// What the object is to the engine.
    package enum Kind: String, Sendable, Hashable {
        /// A mailbox: joined to cc:Mail users, and given at most one MIGRATE value.
        case mailbox
        /// A custom recipient (AD: contact), ours or not.
        case customRecipient
        /// Anything else with an alias or an address (distribution lists, public folders…).
        case other
    }

    package var dn: DistinguishedName
    package var kind: Kind
    /// The alias (`uid` / `mailNickname`), when set.
    package var alias: String?
    /// The display name (5.5: the `cn` value that is not the RDN value).
    package var displayName: String?
    /// Every value of the display name attribute as read (5.5: both `cn` values).
    package var displayNameValues: [String]
    package var givenNames: [String]
    package var surnames: [String]
    /// The proxy values as read, in the flavour's spelling.
    package var proxyValues: [String]
    /// The target address, when set (`CCMAIL:Smith, John at PO1`).
    package var target: String?
    /// The ownership mark attribute's values.
    package var marks: [String]
    /// The hiding attribute's values (`TRUE` when hidden).
    package var hiddenValues: [String]
    /// The primary SMTP address attribute's values.
    package var mail: [String]
    /// The proxy values that parse (values without a separator are left out), each with its spelling as read.
    package var proxies: [ReadProxy]
    /// Every address the object answers to (its proxies and its target) as comparison keys, worked out once.
    package let addressKeys: Set<AddressKey>
    /// The key of the target address, when there is one.
    package let targetKey: AddressKey?

    package init(
        dn: DistinguishedName, kind: Kind, alias: String? = nil, displayName: String? = nil,
        displayNameValues: [String] = [], givenNames: [String] = [], surnames: [String] = [],
        proxyValues: [String] = [], target: String? = nil, marks: [String] = [], hiddenValues: [String] = [],
        mail: [String] = [], separator: Character
    ) {
        self.dn = dn
        self.kind = kind
        self.alias = alias
        self.displayName = displayName
        self.displayNameValues = displayNameValues
        self.givenNames = givenNames
        self.surnames = surnames
        self.proxyValues = proxyValues
        self.target = target
        self.marks = marks
        self.hiddenValues = hiddenValues
        self.mail = mail
        let proxies = proxyValues.compactMap { ReadProxy(value: $0, separator: separator) }
        self.proxies = proxies
        let targetKey = target.flatMap { ReadProxy(value: $0, separator: ":")?.key }
        var keys = Set(proxies.map(\.key))
        if let targetKey {
            keys.insert(targetKey)
        }
        self.addressKeys = keys
        self.targetKey = targetKey
    }

    /// Reads an entry as the profile spells it.
    package init(entry: Entry, kind: Kind, profile: Profile) {
        let layout = ReadLayout(profile: profile)
        self.init(selected: layout.selection.select(entry), kind: kind, layout: layout)
    }

    /// Reads an entry selected for `layout.selection` (the profile's `readAttributes`).
    package init(selected entry: SelectedEntry, kind: Kind, layout: ReadLayout) {
        let names = entry[layout.displayName]
        let displayName: String?
        if layout.displayNameInNamingAttribute {
            let rdnValue = entry.dn.rdn?.value
            displayName = names.first { $0 != rdnValue } ?? names.first
        } else {
            displayName = names.first
        }
        self.init(
            dn: entry.dn, kind: kind, alias: entry[layout.alias].first, displayName: displayName,
            displayNameValues: names, givenNames: entry[layout.givenName], surnames: entry[layout.surname],
            proxyValues: entry[layout.proxy], target: entry[layout.target].first, marks: entry[layout.mark],
            hiddenValues: entry[layout.hide], mail: entry[layout.mail], separator: layout.separator)
    }

    /// Whether the object is hidden from the address book.
    package var isHidden: Bool { hiddenValues.contains { ASCIIFolding.uppercased($0) == "TRUE" } }

    /// The cc:Mail name of the ownership mark `ccdirsync:<name>`, when the object carries one.
    package var markedName: CCMailName? {
        for mark in marks where ASCIIFolding.lowercased(mark).hasPrefix(OwnershipMark.prefix) {
            let name = CCMailName(String(mark.dropFirst(OwnershipMark.prefix.count)))
            if !name.isEmpty {
                return name
            }
        }
        return nil
    }

    /// The MIGRATE values, with the cc:Mail address each names (values that do not parse are left out).
    package var migrateValues: [(value: String, address: CCMailAddress)] {
        proxies.compactMap { proxy in proxy.address.migrateTarget.map { (proxy.value, $0) } }
    }
}

/// Where each attribute an `ExchangeObject` is read from sits among the profile's `readAttributes`: worked out once
/// per read, so that reading an entry's fields is indexing, not a search by name.
package struct ReadLayout: Sendable {
    /// The profile's `readAttributes`, which every search of the reader asks for.
    package let selection: AttributeSelection
    let alias: Int?
    let displayName: Int?
    let givenName: Int?
    let surname: Int?
    let proxy: Int?
    let target: Int?
    let mark: Int?
    let hide: Int?
    let mail: Int?
    let displayNameInNamingAttribute: Bool
    let separator: Character

    package init(profile: Profile) {
        let selection = AttributeSelection(profile.readAttributes)
        self.selection = selection
        alias = selection.position(of: profile.aliasAttribute)
        displayName = selection.position(of: profile.displayNameAttribute)
        givenName = selection.position(of: profile.givenNameAttribute)
        surname = selection.position(of: profile.surnameAttribute)
        proxy = selection.position(of: profile.proxyAttribute)
        target = selection.position(of: profile.targetAttribute)
        mark = selection.position(of: profile.markAttribute)
        hide = selection.position(of: profile.hideAttribute)
        mail = selection.position(of: "mail")
        displayNameInNamingAttribute = profile.displayNameInNamingAttribute
        separator = profile.proxySeparator
    }
}

/// A proxy value as read, and what it says.
package struct ReadProxy: Sendable, Hashable {
    /// The value byte for byte, as a delete must name it.
    package var value: String
    /// Where the separator is: UTF-8 bytes from the start of `value`.
    private var separatorOffset: Int
    /// The comparison key, worked out once.
    package let key: AddressKey

    /// Splits `value` at the first `separator`; nil when there is none or the type before it is empty.
    package init?(value: String, separator: Character) {
        guard let (typeEnd, addressStart) = ProxyAddress.separatorOffsets(in: value, separator: separator) else {
            return nil
        }
        var bytes = value
        self.key = bytes.withUTF8 {
            AddressKey(
                type: UnsafeBufferPointer(rebasing: $0[..<typeEnd]),
                address: UnsafeBufferPointer(rebasing: $0[addressStart...]))
        }
        self.separatorOffset = typeEnd
        self.value = value
    }

    /// What the value says, split at its separator.
    ///
    /// Worked out when asked rather than kept: a directory of a million mailboxes holds millions of proxy values,
    /// and keeping each one's two parts beside it cost a fifth of what the Exchange side takes in memory; the
    /// engine asks for the parts once per value.
    package var address: ProxyAddress {
        let separator = value.utf8.index(value.utf8.startIndex, offsetBy: separatorOffset)
        return ProxyAddress(
            type: String(value[..<separator]), address: String(value[value.index(after: separator)...]))
    }
}

/// The mark ccdirsync writes on every object it creates, and the only proof that it owns one.
package enum OwnershipMark {
    /// Lower-case prefix; compared without regard to case.
    package static let prefix = "ccdirsync:"

    /// `ccdirsync:<cc:Mail name>`.
    package static func value(for name: CCMailName) -> String {
        "ccdirsync:\(name.text)"
    }
}
