import Foundation
import LDAPModel

/// Writes the Exchange side of the organisation as LDIF for `slapadd`, in either flavour, chunk by chunk so a
/// million users never sit in memory as one string.
struct SeedWriter {
    enum Flavour: String {
        case exchange55
        case exchange2000
    }

    let flavour: Flavour
    let organisation: Organisation

    var suffix: String { flavour == .exchange55 ? "o=Org" : "dc=example,dc=org" }
    var baseDN: String { flavour == .exchange55 ? "ou=Site,o=Org" : "dc=example,dc=org" }
    var mailboxes: String { flavour == .exchange55 ? "cn=Recipients,ou=Site,o=Org" : "ou=Users,dc=example,dc=org" }
    var container: String {
        flavour == .exchange55 ? "cn=ccMail Users,ou=Site,o=Org" : "ou=ccMail Contacts,dc=example,dc=org"
    }
    var proxyAttribute: String { flavour == .exchange55 ? "otherMailbox" : "proxyAddresses" }
    var separator: String { flavour == .exchange55 ? "$" : ":" }

    func dn(_ text: String) -> DistinguishedName {
        (try? DistinguishedName(parsing: text)) ?? .root
    }

    func child(_ parent: String, _ value: String) -> DistinguishedName {
        dn(parent).child(RelativeDistinguishedName(type: "cn", value: value))
    }

    /// The cc:Mail address of a user on post office `number`.
    func address(_ user: Organisation.User, _ number: Int) -> String {
        number == 0 ? "\(user.fan) at INTERNET" : "\(user.name) at \(Organisation.postOfficeName(number))"
    }

    func x400(_ user: Organisation.User) -> String {
        "c=US;a= ;p=Org;o=Site;s=\(user.surname);g=\(user.givenName);"
    }

    /// Writes the whole seed to `handle`.
    func write(to handle: FileHandle) {
        let writer = LDIFWriter()
        // slapadd reads content records only: no `version:` line.
        func emit(_ entries: [Entry]) {
            var text = writer.write(entries: entries)
            if text.hasPrefix("version: 1\n\n") {
                text.removeFirst("version: 1\n\n".count)
            }
            handle.write(Data((text + "\n").utf8))
        }
        emit(skeleton())
        var chunk: [Entry] = []
        for user in organisation.users {
            chunk += entries(for: user)
            if chunk.count >= 2000 {
                emit(chunk)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        for list in 1...organisation.distributionLists {
            chunk.append(distributionList(list))
        }
        emit(chunk)
    }

    func skeleton() -> [Entry] {
        if flavour == .exchange55 {
            return [
                Entry(
                    dn: dn("o=Org"),
                    attributes: [.init("objectClass", strings: ["organization"]), .init("o", strings: ["Org"])]),
                Entry(
                    dn: dn("ou=Site,o=Org"),
                    attributes: [.init("objectClass", strings: ["organizationalUnit"]), .init("ou", strings: ["Site"])]),
                Entry(
                    dn: dn(mailboxes),
                    attributes: [
                        .init("objectClass", strings: ["organizationalRole"]), .init("cn", strings: ["Recipients"]),
                    ]),
                Entry(
                    dn: dn(container),
                    attributes: [
                        .init("objectClass", strings: ["organizationalRole"]), .init("cn", strings: ["ccMail Users"]),
                    ]),
            ]
        }
        return [
            Entry(
                dn: dn(suffix),
                attributes: [
                    .init("objectClass", strings: ["organization", "dcObject"]), .init("o", strings: ["Example"]),
                    .init("dc", strings: ["example"]),
                ]),
            Entry(
                dn: dn(mailboxes),
                attributes: [.init("objectClass", strings: ["organizationalUnit"]), .init("ou", strings: ["Users"])]),
            Entry(
                dn: dn(container),
                attributes: [
                    .init("objectClass", strings: ["organizationalUnit"]), .init("ou", strings: ["ccMail Contacts"]),
                ]),
        ]
    }

    func entries(for user: Organisation.User) -> [Entry] {
        switch user.exchange {
        case .mailboxWithMigrate(let postOffice):
            return [mailbox(user, alias: user.alias, extra: ["MIGRATE\(separator)CCMAIL:\(address(user, postOffice))"])]
        case .mailboxWithProxy:
            return [mailbox(user, alias: user.alias, extra: ["ccmail\(separator)\(address(user, user.postOffice))"])]
        case .disputed:
            return [
                mailbox(user, alias: user.alias, extra: []),
                mailbox(user, alias: user.alias + "B", extra: [], second: true),
            ]
        case .ownedRecipient(let postOffice):
            return [ownedRecipient(user, postOffice: postOffice)]
        case .foreignRecipient:
            return [foreignRecipient(user)]
        case .nothing:
            return []
        }
    }

    func mailbox(_ user: Organisation.User, alias: String, extra: [String], second: Bool = false) -> Entry {
        let display = "\(user.givenName) \(user.surname)"
        let smtp = "\(alias)@org.example"
        var proxies = [
            "SMTP\(separator)\(smtp)", "X400\(separator)\(x400(user))", "CCMAIL\(separator)\(user.name) at Site",
        ]
        proxies += extra
        if flavour == .exchange55 {
            return Entry(
                dn: child(mailboxes, alias),
                attributes: [
                    .init("objectClass", strings: ["organizationalPerson", "exchangeRecipient"]),
                    .init("cn", strings: [alias, display]), .init("sn", strings: [user.surname]),
                    .init("givenName", strings: [user.givenName]), .init("uid", strings: [alias]),
                    .init("mail", strings: [smtp]), .init("textEncodedORAddress", strings: [x400(user)]),
                    .init("otherMailbox", strings: proxies),
                ])
        }
        let cn = second ? display + " 2" : display
        return Entry(
            dn: child(mailboxes, cn),
            attributes: [
                .init("objectClass", strings: ["user"]), .init("cn", strings: [cn]),
                .init("sn", strings: [user.surname]),
                .init("givenName", strings: [user.givenName]), .init("displayName", strings: [display]),
                .init("mailNickname", strings: [alias]), .init("mail", strings: [smtp]),
                .init("proxyAddresses", strings: proxies),
                .init("legacyExchangeDN", strings: ["/o=Org/ou=Site/cn=Recipients/cn=\(alias)"]),
            ])
    }

    /// Exactly as ccdirsync creates one (so only the moved ones differ from what a plan wants).
    func ownedRecipient(_ user: Organisation.User, postOffice: Int) -> Entry {
        let display = "\(user.givenName) \(user.surname)"
        let target = "CCMAIL:\(address(user, postOffice))"
        let proxy = "CCMAIL\(separator)\(address(user, postOffice))"
        if flavour == .exchange55 {
            return Entry(
                dn: child(container, user.alias),
                attributes: [
                    .init("objectClass", strings: ["top", "person", "remote-address", "exchangeRecipient"]),
                    .init("cn", strings: [user.alias, display]), .init("sn", strings: [user.surname]),
                    .init("givenName", strings: [user.givenName]), .init("uid", strings: [user.alias]),
                    .init("Target-Address", strings: [target]), .init("otherMailbox", strings: [proxy]),
                    .init("mail", strings: ["\(user.alias)@org.example"]),
                    .init("textEncodedORAddress", strings: [x400(user)]),
                    .init("Admin-Description", strings: ["ccdirsync:\(user.name)"]),
                ])
        }
        return Entry(
            dn: child(container, user.alias),
            attributes: [
                .init("objectClass", strings: ["top", "person", "organizationalPerson", "contact"]),
                .init("cn", strings: [user.alias]), .init("sn", strings: [user.surname]),
                .init("givenName", strings: [user.givenName]), .init("displayName", strings: [display]),
                .init("mailNickname", strings: [user.alias]), .init("targetAddress", strings: [target]),
                .init("proxyAddresses", strings: [proxy]),
                .init("adminDescription", strings: ["ccdirsync:\(user.name)"]),
            ])
    }

    func foreignRecipient(_ user: Organisation.User) -> Entry {
        let alias = "F\(user.index)"
        let target = "CCMAIL:\(address(user, user.postOffice))"
        let objectClasses = flavour == .exchange55 ? ["remote-address", "exchangeRecipient"] : ["contact"]
        var attributes: [Attribute] = [
            .init("objectClass", strings: objectClasses), .init("cn", strings: [alias]),
            .init("sn", strings: [user.surname]),
            .init(flavour == .exchange55 ? "uid" : "mailNickname", strings: [alias]),
            .init(flavour == .exchange55 ? "Target-Address" : "targetAddress", strings: [target]),
            .init(proxyAttribute, strings: ["CCMAIL\(separator)\(address(user, user.postOffice))"]),
        ]
        if flavour == .exchange2000 {
            attributes.append(.init("displayName", strings: ["\(user.givenName) \(user.surname)"]))
        }
        return Entry(dn: child(mailboxes, alias), attributes: attributes)
    }

    func distributionList(_ number: Int) -> Entry {
        let alias = "DL\(number)"
        if flavour == .exchange55 {
            return Entry(
                dn: child(mailboxes, alias),
                attributes: [
                    .init("objectClass", strings: ["organizationalRole", "exchangeRecipient"]),
                    .init("cn", strings: [alias]),
                    .init("uid", strings: [alias]), .init("otherMailbox", strings: ["SMTP$\(alias)@org.example"]),
                ])
        }
        return Entry(
            dn: child(mailboxes, alias),
            attributes: [
                .init("objectClass", strings: ["contact"]), .init("cn", strings: [alias]),
                .init("sn", strings: [alias]),
                .init("mailNickname", strings: [alias]),
                .init("proxyAddresses", strings: ["SMTP:\(alias)@org.example"]),
                .init("description", strings: ["distribution list stand-in"]),
            ])
    }
}
