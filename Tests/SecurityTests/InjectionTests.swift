import Foundation
import LDAPClient
import LDAPModel
import TestSupport
import Testing

/// cc:Mail names, FANs and post offices holding every RFC 4515 and RFC 4514 special character go through parse,
/// plan and apply against slapd and Samba AD: searches match exactly what an exact-match oracle says, every DN
/// created is in the container, and the LDIF report applied with ldapmodify gives the same directory as `apply`.
@Suite struct InjectionTests {
    /// The exported post office (a config value) and a post office known only from `Addr` lines.
    static let exportedPO = #"HO*(S)\T,+"<>;#"#
    static let foreignPO = ##"P*O(1)\#=+;<>",X"##
    static let longName = String(repeating: #"Long*(x)\, "#, count: 800).trimmingCharacters(in: .whitespaces)

    /// (name as written in the export, Loc, Addr, the name as cc:Mail reads it, home post office).
    static let users: [(written: String, loc: String, addr: String?, name: String, po: String)] = [
        ("*", "L", nil, "*", exportedPO),
        ("*)(objectClass=*", "L", nil, "*)(objectClass=*", exportedPO),
        ("Smith*, John", "L", nil, "Smith*, John", exportedPO),
        ("Smith, John", "L", nil, "Smith, John", exportedPO),
        (#"Back\5cslash\, A"#, "L", nil, #"Back\5cslash\, A"#, exportedPO),
        (#"Comma, Plus+Quote"Lt<Gt>Semi;Eq=Hash#"#, "L", nil, #"Comma, Plus+Quote"Lt<Gt>Semi;Eq=Hash#"#, exportedPO),
        ("#Hash, Lead", "L", nil, "#Hash, Lead", exportedPO),
        ("   Spaced   Out   ", "L", nil, "Spaced   Out", exportedPO),
        ("Paren (Sales), Bob", "L", nil, "Paren (Sales), Bob", exportedPO),
        (#"NulLike\00, X"#, "L", nil, #"NulLike\00, X"#, exportedPO),
        ("Tab\tName", "L", nil, "Tab\tName", exportedPO),
        (longName, "L", nil, longName, exportedPO),
        ("Far, User", "l", foreignPO, "Far, User", foreignPO),
        ("Gate", "l", #"INTERNET a*)(b\c,d+e"f<g>h;i=j#k@example.com"#, "Gate", "INTERNET"),
        ("Star", "l", "INTERNET *@example.com", "Star", "INTERNET"),
    ]

    /// The cc:Mail address a user's objects carry: `<Name> at <PO>`, or `<FAN> at INTERNET` for gateway users.
    static func address(_ user: (written: String, loc: String, addr: String?, name: String, po: String)) -> String {
        if user.po == "INTERNET", let addr = user.addr {
            return "\(addr.dropFirst("INTERNET ".count)) at INTERNET"
        }
        return "\(user.name) at \(user.po)"
    }

    static var export: String {
        users.map { user in
            "Name: \(user.written)\r\nLoc: \(user.loc)\r\n" + (user.addr.map { "Addr: \($0)\r\n" } ?? "") + "\r\n"
        }.joined() + "\u{1A}"
    }

    /// RDN values of the mailboxes added to the fixture organisation, as hostile as an RDN gets.
    static let joinedRDN = #"Mailbox *)(objectClass=*\, "q"+<a>;b=c#"#
    static let movedRDN = "#Smith+Star "

    /// Adds two mailboxes with hostile DNs (one joined by its ccmail proxy, one carrying a MIGRATE value of
    /// `Smith*, John` at another post office), our recipient for `Paren (Sales), Bob` at an old post office, and our
    /// recipient for a user who is gone.
    static func seed(_ server: any TestDirectoryServer, _ flavour: SchemaFlavour) throws {
        let admin = try server.adminConnection()
        let names = FixtureNames(flavour)
        let proxy = names.proxyAttribute
        let separator = names.proxySeparator
        let mailboxParent = try DistinguishedName(parsing: names.janeDoe).parent ?? DistinguishedName.root
        let container = try DistinguishedName(parsing: names.contactContainer)
        func mailbox(_ rdn: String, alias: String, proxies: [String]) -> Entry {
            let dn = mailboxParent.child(RelativeDistinguishedName(type: "cn", value: rdn))
            var entry = Entry(dn: dn)
            if flavour == .exchange55 {
                entry.add("objectClass", strings: ["organizationalPerson", "exchangeRecipient"])
                entry.add("cn", strings: [rdn, "Display \(alias)"])
                entry.add("uid", strings: [alias])
            } else {
                entry.add("objectClass", strings: ["top", "person", "organizationalPerson", "user"])
                entry.add("cn", strings: [rdn])
                entry.add("mailNickname", strings: [alias])
            }
            entry.add("sn", strings: ["Mailbox"])
            entry.add(proxy, strings: ["SMTP\(separator)\(alias)@example.org"] + proxies)
            return entry
        }
        func recipient(_ alias: String, name: String, po: String) -> Entry {
            var entry = Entry(dn: container.child(RelativeDistinguishedName(type: "cn", value: alias)))
            let (sur, given) = name.split(separator: ",", maxSplits: 1).map {
                $0.trimmingCharacters(in: .whitespaces)
            }.splat
            let address = "\(name) at \(po)"
            if flavour == .exchange55 {
                entry.add("objectClass", strings: ["top", "person", "remote-address", "exchangeRecipient"])
                entry.add("cn", strings: [alias, "\(given) \(sur)"])
                entry.add("uid", strings: [alias])
                entry.add("mail", strings: ["\(alias)@org.example"])
                entry.add("textEncodedORAddress", strings: ["c=US;a= ;p=Org;o=Site;s=\(sur);g=\(given);"])
            } else {
                entry.add("objectClass", strings: ["top", "person", "organizationalPerson", "contact"])
                entry.add("cn", strings: [alias])
                entry.add("displayName", strings: ["\(given) \(sur)"])
                entry.add("mailNickname", strings: [alias])
            }
            entry.add("sn", strings: [sur])
            entry.add("givenName", strings: [given])
            entry.add(names.targetAttribute, strings: ["CCMAIL:\(address)"])
            entry.add(proxy, strings: ["CCMAIL\(separator)\(address)"])
            entry.add(names.adminDescription, strings: ["ccdirsync:\(name)"])
            return entry
        }
        try admin.add(
            mailbox(joinedRDN, alias: "MJoined", proxies: ["ccmail\(separator)*)(objectClass=* at \(exportedPO)"]))
        try admin.add(mailbox(movedRDN, alias: "MMoved", proxies: [names.migrate("Smith*, John at OLD*PO")]))
        try admin.add(recipient("PSales", name: "Paren (Sales), Bob", po: "OLD*PO"))
        try admin.add(recipient("GGone", name: "Gone*)(x, G", po: exportedPO))
    }

    /// How slapd compares `caseIgnoreMatch` values: case folded, runs of spaces as one, ends trimmed.
    static func folded(_ text: String) -> String {
        text.replacingOccurrences(of: "\t", with: " ").lowercased().split(separator: " ").joined(separator: " ")
    }

    static func workspace(_ server: any TestDirectoryServer, _ flavour: SchemaFlavour) throws -> SecurityWorkspace {
        let workspace = try SecurityWorkspace("inject-\(flavour)")
        try workspace.write("hostile.exp", export)
        try workspace.write("secret.txt", server.servicePassword, mode: 0o600)
        var spec = ConfigSpec(flavour: flavour, server: server)
        spec.exports = [(exportedPO, "hostile.exp")]
        try workspace.writeConfig(spec)
        return workspace
    }

    @Test("parse reads every hostile name, FAN and post office as written (trimmed at the ends)")
    func parseKeepsHostileText() throws {
        let workspace = try SecurityWorkspace("inject-parse")
        try workspace.write("hostile.exp", Self.export)
        let run = try CCDirSync.run([
            "parse", "\(Self.exportedPO)=\(workspace.path("hostile.exp"))", "--gateway", "INTERNET", "--format", "json",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let users = try #require(json["users"] as? [[String: Any]], "\(json.keys)")
        let read = Set(users.compactMap { $0["ccmail_address"] as? String })
        #expect(users.count == Self.users.count, "\(users.count)")
        for user in Self.users {
            #expect(read.contains(Self.address(user)), "\(Self.address(user).prefix(80))")
        }
    }

    /// Each flavour's fixture on every server that holds it: exchange55 on slapd, exchange2000 on slapd and Samba AD.
    static let servers: [(SchemaFlavour, TestServerKind)] = SchemaFlavour.allCases.flatMap { flavour in
        TestServerKind.servers(for: flavour).map { (flavour, $0) }
    }

    @Test(
        "hostile names: plan → apply equals the LDIF report through ldapmodify; DNs in the container; exact searches",
        arguments: servers)
    func hostileNamesEndToEnd(flavour: SchemaFlavour, kind: TestServerKind) async throws {
        let names = FixtureNames(flavour)
        let container = try DistinguishedName(parsing: names.contactContainer)
        try await kind.withServer(flavour) { server in
            try await kind.withServer(flavour) { twin in
                try Self.seed(server, flavour)
                try Self.seed(twin, flavour)
                let workspace = try Self.workspace(server, flavour)
                let before = try server.userDump()
                try #require(before == (try twin.userDump()))
                let admin = try server.adminConnection()
                let suffix = try DistinguishedName(parsing: server.suffix)
                let beforeDNs = Set(try admin.searchAll(base: suffix, attributes: ["1.1"]).map(\.dn))

                let plan = try workspace.run([
                    "plan", "--config", workspace.configPath, "--out", workspace.path("plan.json"), "--format", "ldif",
                ])
                try #require(plan.status == 0, "\(plan.stderr)")
                let planJSON = try #require(
                    try JSONSerialization.jsonObject(
                        with: Data(contentsOf: URL(fileURLWithPath: workspace.path("plan.json"))))
                        as? [String: Any])
                let changes = try #require(planJSON["changes"] as? [[String: Any]])
                let mailboxParent = try DistinguishedName(parsing: names.janeDoe).parent ?? .root
                let joined = mailboxParent.child(RelativeDistinguishedName(type: "cn", value: Self.joinedRDN))
                let moved = mailboxParent.child(RelativeDistinguishedName(type: "cn", value: Self.movedRDN))
                let smith = try DistinguishedName(parsing: names.johnSmith)
                for change in changes {
                    let kind = change["kind"] as? String ?? "?"
                    let dn = try DistinguishedName(parsing: change["dn"] as? String ?? "")
                    if kind == "create" {
                        // Created DNs: cn=<ASCII letters and digits> directly in the container.
                        #expect(dn.parent == container, "\(dn)")
                        #expect(dn.rdn?.description.wholeMatch(of: /cn=[A-Za-z0-9]{1,64}/) != nil, "\(dn)")
                    } else {
                        #expect(dn.isWithin(container) || [joined, moved, smith].contains(dn), "\(kind) \(dn)")
                    }
                }
                let creates = changes.filter { $0["kind"] as? String == "create" }
                // Every user but the one joined to a mailbox, the two moved ones and the one already represented;
                // on exchange2000 not the long name either, whose surname and display name are over AD's limits:
                // a valueTooLong finding, never a write the server would refuse.
                let tooLong = flavour == .exchange2000 ? [Self.longName] : []
                #expect(creates.count == Self.users.count - 4 - tooLong.count, "\(creates.count) creates")
                let findings = try #require(planJSON["findings"] as? [[String: Any]])
                #expect(
                    findings.filter { $0["situation"] as? String == "valueTooLong" }.map { $0["ccmailName"] as? String }
                        == tooLong)

                let apply = try workspace.run([
                    "apply", "--config", workspace.configPath, "--plan", workspace.path("plan.json"),
                ])
                #expect(apply.status == 0, "\(apply.stderr)")
                let ldapmodify = try twin.ldapmodify(plan.stdout)
                #expect(ldapmodify.status == 0, "\(ldapmodify.output)")
                #expect(
                    try server.userDump() == (try twin.userDump()), "apply and ldapmodify of the LDIF report differ")

                let again = try workspace.run(["plan", "--config", workspace.configPath, "--detailed-exitcode"])
                #expect(again.status == 0, "every hostile value is found again exactly: \(again.stdout.prefix(2000))")

                // Exact-match oracle: for each user, the entries holding its mark or its MIGRATE value, computed
                // here from a full read, equal what a filter built from the name finds, and there is one.
                let everything = try admin.searchAll(base: suffix, attributes: ["*"])
                let migratePrefix = names.migrate("")
                for user in Self.users {
                    let mark = "ccdirsync:\(user.name)"
                    let migrate = migratePrefix + Self.address(user)
                    let oracle = Set(
                        everything.filter { entry in
                            entry.strings(names.adminDescription).contains { Self.folded($0) == Self.folded(mark) }
                                || entry.strings(names.proxyAttribute).contains {
                                    Self.folded($0) == Self.folded(migrate)
                                }
                        }.map(\.dn))
                    let found = try admin.searchAll(
                        base: suffix,
                        filter: .or([.equality(names.adminDescription, mark), .equality(names.proxyAttribute, migrate)]
                        ),
                        attributes: ["1.1"])
                    #expect(Set(found.map(\.dn)) == oracle, "\(user.name.prefix(60))")
                    #expect(oracle.count == (tooLong.contains(user.name) ? 0 : 1), "\(user.name.prefix(60)): \(oracle)")
                }
                // The joined and moved mailboxes carry exactly the new value; John Smith's own move is his own.
                let movedEntry = try #require(try admin.read(moved, attributes: [names.proxyAttribute]))
                #expect(
                    movedEntry.strings(names.proxyAttribute).contains(
                        names.migrate("Smith*, John at \(Self.exportedPO)")))
                #expect(!movedEntry.strings(names.proxyAttribute).contains(names.migrate("Smith*, John at OLD*PO")))
                let smithEntry = try #require(try admin.read(smith, attributes: [names.proxyAttribute]))
                #expect(
                    smithEntry.strings(names.proxyAttribute).contains(
                        names.migrate("Smith, John at \(Self.exportedPO)")))
                #expect(try admin.read(container.child(RelativeDistinguishedName(type: "cn", value: "GGone"))) == nil)
                // Nothing outside the container was created or deleted.
                let afterDNs = Set(everything.map(\.dn))
                for dn in afterDNs.symmetricDifference(beforeDNs) {
                    #expect(dn.isWithin(container) && dn != container, "created or deleted outside: \(dn)")
                }
                #expect(afterDNs.subtracting(beforeDNs).count == creates.count)
            }
        }
    }

    @Test(
        "Filter values are exact: each search finds what the oracle says, its negation the rest, and ldapsearch agrees",
        arguments: TestServerKind.allCases)
    func filterOracle(kind: TestServerKind) async throws {
        let started: any TestDirectoryServer =
            switch kind {
            case .slapd: try SlapdServer.start(SlapdConfiguration(flavour: .exchange2000, seed: .suffixOnly))
            case .sambaAD: try SambaADServer.start(SambaADConfiguration(seed: .empty))
            }
        defer { started.stop() }
        do {
            let server = started
            let admin = try server.adminConnection()
            // An organizational unit of the test's own, so the searches see only its entries (a domain holds more).
            let base = try DistinguishedName(parsing: server.suffix).child(
                RelativeDistinguishedName(type: "ou", value: "Oracle"))
            var unit = Entry(dn: base)
            unit.add("objectClass", strings: ["organizationalUnit"])
            unit.add("ou", strings: ["Oracle"])
            try admin.add(unit)
            // AD's description holds at most 1024 characters (its rangeUpper); slapd's has no bound.
            let longValue = kind == .sambaAD ? String(Self.longName.prefix(1024)) : Self.longName
            let stored = [
                "a", "ab", "a*b", "aXb", "a(b)", "a\\b", "a\\2ab", "a\\5cb", "*", "**", "(", ")", "\\", "\\2a", "\\00",
                "a b", "A  B", "a,b", "a+b", "#a", "a=b", "a;b", "a<b>", "a\"b\"", "*)(cn=*", "a)(cn=*", "x*", "*x",
                " lead", "trail ", longValue,
            ]
            for (index, value) in stored.enumerated() {
                // The value in description, a multi-valued caseIgnoreMatch attribute on both servers ("a b" and
                // "A  B" are one RDN value, and AD's cn is its single-valued RDN). AD instantiates no person: its
                // nearest class is contact, which is a person too.
                var entry = Entry(dn: base.child(RelativeDistinguishedName(type: "cn", value: "oracle \(index)")))
                entry.add("objectClass", strings: [kind == .sambaAD ? "contact" : "person"])
                entry.add("cn", strings: ["oracle \(index)"])
                entry.add("sn", strings: ["oracle \(index)"])
                entry.add("description", strings: [value])
                try admin.add(entry)
            }
            let queries = stored + ["a*", "*b", "a\u{0}b", "\u{0}", "a\\", "A*B", "a  b", "lead", "trail", "", " "]
            for query in queries {
                // Samba AD ends a filter value at a NUL (`a\00b` finds `a`, with ldapsearch too): the server's rule,
                // not ccdirsync's encoding. cc:Mail names never hold one: parse refuses NUL bytes.
                let compared = kind == .sambaAD ? String(query.prefix { $0 != "\u{0}" }) : query
                let oracle = Set(stored.filter { Self.folded($0) == Self.folded(compared) })
                let people = Filter.equality("objectClass", "person")
                let found = try admin.searchAll(
                    base: base, filter: .and([people, .equality("description", query)]), attributes: ["description"])
                let foundValues = Set(found.flatMap { $0.strings("description") })
                #expect(foundValues == oracle, "query \(query.debugDescription.prefix(40))")
                let rest = try admin.searchAll(
                    base: base, filter: .and([people, .not(.equality("description", query))]),
                    attributes: ["description"])
                if !query.contains("\u{0}") && !query.trimmingCharacters(in: .whitespaces).isEmpty {
                    #expect(
                        rest.count == stored.count - oracle.count, "negation of \(query.debugDescription.prefix(40))")
                }
                // An independent reader of the filter text: OpenLDAP's ldapsearch.
                let text = Filter.and([people, .equality("description", query)]).description
                let listed = try server.ldapsearch(base: base.description, filter: text, attributes: ["1.1"])
                let count = listed.split(separator: "\n").filter { $0.hasPrefix("dn:") }.count
                #expect(count == oracle.count, "ldapsearch \(text.prefix(60))")
            }
        }
    }

    @Test("characters the export format cannot carry are refused with file:line:column, nothing half-read")
    func parserRefusals() throws {
        let workspace = try SecurityWorkspace("inject-refuse")
        let cases: [(String, [UInt8], String)] = [
            ("nul.exp", Array("Name: a".utf8) + [0] + Array("b\r\nLoc: L\r\n\r\n".utf8), ":1:8: error: NUL byte"),
            ("cr.exp", Array("Name: a\rb\r\nLoc: L\r\n\r\n".utf8), ":1:8: error: carriage return"),
            ("newline.exp", Array("Name: a\nb, c\r\nLoc: L\r\n\r\n".utf8), ":2:1: error: not a 'Label: value' line"),
            ("control.exp", Array("Name: a".utf8) + [0x1B] + Array("b\r\nLoc: L\r\n\r\n".utf8), ":1:8: error: "),
            (
                "long.exp", Array(("Name: " + String(repeating: "x", count: 70_000) + "\r\nLoc: L\r\n\r\n").utf8),
                ":1:"
            ),
        ]
        for (file, bytes, message) in cases {
            try workspace.write(file, bytes)
            let run = try CCDirSync.run(["parse", "PO=\(workspace.path(file))", "--format", "csv"])
            #expect(run.status == 65, "\(file): \(run.stderr)")
            #expect(run.stderr.contains(workspace.path(file) + message), "\(file): \(run.stderr)")
            #expect(run.stdout.split(separator: "\n").count == 1, "\(file): no user read: \(run.stdout)")
        }
    }
}

extension Array where Element == String {
    /// The first two elements (the second empty when missing), for `sur, given` splits.
    fileprivate var splat: (String, String) { (self.first ?? "", count > 1 ? self[1] : "") }
}
