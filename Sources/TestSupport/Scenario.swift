import CCMail
import Config
import LDAPModel
import Sync

/// A small Exchange organisation built in memory, spelled the way one profile spells it, plus the cc:Mail side.
///
/// Entries are LDAP entries (not engine values), so every scenario also exercises the reader.
package struct Scenario {
    package let profile: Profile
    package var entries: [Entry] = []
    package var users: [CCMailUser] = []
    package var mapping: [MappingFile.Row] = []
    package var configuration: Configuration
    /// Value length bounds as a server's schema would publish them, over the profile's defaults.
    package var publishedLimits = AttributeLimits()

    package init(_ profile: Profile) {
        self.profile = profile
        let base = Self.base(profile)
        let file = ConfigPath(declaredPath: "ccdirsync.yaml", resolvedPath: "/tmp/ccdirsync.yaml")
        configuration = Configuration(
            profile: profile.name,
            ldap: LDAPSettings(
                url: "ldap://127.0.0.1:389", bindDN: base, password: .environment("PW"), baseDN: base),
            ccmail: CCMailSettings(
                exports: [CCMailSettings.Export(postOffice: "LONDON", path: file)]),
            exchange: ExchangeSettings(
                customRecipientContainer: Self.container(profile),
                mailTemplate: profile.mailAttribute == nil ? nil : "{alias}@org.example",
                x400Template: profile.x400Attribute == nil ? nil : "c=US;a= ;p=Org;o=Site;s={sur};g={given};"),
            thresholds: Thresholds(
                deletes: .init(count: 1000, percent: 1000), modifies: .init(count: 1000, percent: 1000),
                creates: .init(count: 1000, percent: 1000)),
            state: StateSettings(directory: file), file: file)
        entries = [
            Entry(dn: base, attributes: [Attribute("objectClass", strings: ["organizationalUnit"])]),
            Entry(dn: Self.mailboxes(profile), attributes: [Attribute("objectClass", strings: ["organizationalRole"])]),
            Entry(dn: Self.container(profile), attributes: [Attribute("objectClass", strings: ["organizationalRole"])]),
        ]
    }

    package static func base(_ profile: Profile) -> DistinguishedName {
        dn(profile.name == .exchange55 ? "ou=Site,o=Org" : "dc=example,dc=org")
    }

    package static func mailboxes(_ profile: Profile) -> DistinguishedName {
        dn(profile.name == .exchange55 ? "cn=Recipients,ou=Site,o=Org" : "ou=Users,dc=example,dc=org")
    }

    package static func container(_ profile: Profile) -> DistinguishedName {
        dn(profile.name == .exchange55 ? "cn=ccMail Users,ou=Site,o=Org" : "ou=ccMail Contacts,dc=example,dc=org")
    }

    package static func dn(_ text: String) -> DistinguishedName {
        // Every literal DN here is valid; `.root` would make the scenario's tests fail loudly, not pass.
        (try? DistinguishedName(parsing: text)) ?? .root
    }

    package var container: DistinguishedName { Self.container(profile) }

    /// A proxy value in this profile's spelling.
    package func proxy(_ type: String, _ address: String) -> String {
        profile.proxyValue(ProxyAddress(type: type, address: address))
    }

    /// The MIGRATE value for `name at po` in this profile's spelling.
    package func migrate(_ name: String, _ po: String) -> String {
        proxy("MIGRATE", "CCMAIL:\(name) at \(po)")
    }

    /// Adds a mailbox named by its alias (a display name `Given Sur`), with extra proxy values.
    @discardableResult
    package mutating func mailbox(
        _ alias: String, given: String?, sur: String, proxies: [String] = [], under parent: DistinguishedName? = nil
    ) -> DistinguishedName {
        let display = [given, sur].compactMap { $0 }.joined(separator: " ")
        let dn = (parent ?? Self.mailboxes(profile)).child(RelativeDistinguishedName(type: "cn", value: alias))
        var entry = Entry(dn: dn)
        entry.add(
            "objectClass",
            strings: profile.name == .exchange55 ? ["organizationalPerson", "exchangeRecipient"] : ["user"])
        entry.add("cn", strings: [alias])
        if profile.displayNameInNamingAttribute {
            entry.add("cn", strings: [display])
        } else {
            entry.add(profile.displayNameAttribute, strings: [display])
        }
        entry.add("sn", strings: [sur])
        if let given {
            entry.add("givenName", strings: [given])
        }
        entry.add(profile.aliasAttribute, strings: [alias])
        entry.add("mail", strings: ["\(alias)@org.example"])
        entry.add(profile.proxyAttribute, strings: [proxy("SMTP", "\(alias)@org.example")] + proxies)
        entries.append(entry)
        return dn
    }

    /// Adds a custom recipient as ccdirsync creates one, marked for `name` (or with `mark`), optionally hidden.
    @discardableResult
    package mutating func ownedRecipient(
        _ alias: String, name: String, po: String, display: String, mark: String? = nil, hidden: Bool = false,
        inContainer: Bool = true
    ) -> DistinguishedName {
        let parent = inContainer ? container : Self.mailboxes(profile)
        let dn = parent.child(RelativeDistinguishedName(type: "cn", value: alias))
        let user = CCMailName(name)
        var entry = Entry(dn: dn)
        entry.add("objectClass", strings: profile.customRecipientObjectClasses)
        entry.add("cn", strings: [alias])
        if profile.displayNameInNamingAttribute {
            entry.add("cn", strings: [display])
        } else {
            entry.add(profile.displayNameAttribute, strings: [display])
        }
        entry.add("sn", strings: [user.surname])
        if let given = user.givenName {
            entry.add("givenName", strings: [given])
        }
        entry.add(profile.aliasAttribute, strings: [alias])
        entry.add(profile.targetAttribute, strings: ["CCMAIL:\(name) at \(po)"])
        entry.add(profile.proxyAttribute, strings: [proxy("CCMAIL", "\(name) at \(po)")])
        entry.add(profile.markAttribute, strings: [mark ?? "ccdirsync:\(name)"])
        if hidden {
            entry.add(profile.hideAttribute, strings: ["TRUE"])
        }
        entries.append(entry)
        return dn
    }

    /// Adds a custom recipient somebody else made (no mark), with a target address.
    @discardableResult
    package mutating func foreignRecipient(
        _ alias: String, target: String, inContainer: Bool = false
    ) -> DistinguishedName {
        let parent = inContainer ? container : Self.mailboxes(profile)
        let dn = parent.child(RelativeDistinguishedName(type: "cn", value: alias))
        var entry = Entry(dn: dn)
        entry.add("objectClass", strings: profile.customRecipientObjectClasses)
        entry.add("cn", strings: [alias])
        entry.add("sn", strings: [alias])
        entry.add(profile.aliasAttribute, strings: [alias])
        entry.add(profile.targetAttribute, strings: [target])
        if let typed = ProxyAddress(parsing: target, separator: ":") {
            entry.add(profile.proxyAttribute, strings: [profile.proxyValue(typed)])
        }
        entries.append(entry)
        return dn
    }

    /// Adds a cc:Mail user homed on `po`.
    package mutating func user(_ name: String, _ po: String) {
        users.append(CCMailUser(name: CCMailName(name), kind: .user, homePostOffice: CCMailName(po)))
    }

    /// The cc:Mail directory of `users`.
    package var directory: Directory {
        Directory(
            users: users.sorted { $0.name < $1.name }, aliases: [], postOffices: [], conflicts: [], exclusions: [],
            findings: [])
    }

    /// Reads the organisation through the in-memory store and plans; the plan is sealed, as `ccdirsync plan` seals it.
    package func plan(directory: Directory? = nil) throws -> Plan {
        let store = InMemoryDirectoryStore(entries: entries)
        let exchange = try read(store)
        var builder = PlanBuilder(settings: configuration.planSettings)
        builder.limits = builder.limits.overridden(by: publishedLimits)
        return PlanFile.sealed(
            try builder.build(
                directory: try PlanBuilder.checkInputs(directory ?? self.directory), exchange: exchange,
                mapping: mapping.isEmpty ? nil : MappingFile(file: "mapping.csv", rows: mapping), inputs: []))
    }

    package func read(_ store: InMemoryDirectoryStore) throws -> ExchangeDirectory {
        try ExchangeReader(profile: profile, baseDN: configuration.ldap.baseDN, container: container).read(from: store)
    }
}

extension Plan {
    /// The changes for one cc:Mail user.
    package func changes(for name: String) -> [Plan.Change] {
        changes.filter { CCMailName($0.ccmailName) == CCMailName(name) }
    }

    /// The findings for one cc:Mail user.
    package func findings(for name: String) -> [Plan.Finding] {
        findings.filter { CCMailName($0.ccmailName) == CCMailName(name) }
    }
}

/// Both profiles, for `@Test(arguments:)`.
package let bothProfiles: [Profile] = [.exchange55, .exchange2000]
