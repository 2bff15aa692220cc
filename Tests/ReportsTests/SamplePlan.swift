import Config
import LDAPModel
import Sync

/// A hand-built exchange55 plan with every situation and finding, and values that try to break each format.
enum SamplePlan {
    static let hostileName = "<script>alert(1)</script>, X"
    static let filterName = "*)(uid=*, Y"
    static let formulaName = "=HYPERLINK(\"http://evil.example\"), Z"
    static let newlineName = "Line\nBreak, Q"
    /// Every name that tries to break a format, for the property tests.
    static let hostileNames = [
        hostileName, filterName, formulaName, newlineName, "\"quoted\", Q", "@SUM(1+1)*cmd|' /C calc'!A0",
        "+cmd|' /C calc'!A0", "-2+3", "\tTab, T", "\rReturn, R", "Esc\u{1B}]0;owned\u{7}\u{1B}[2J, E",
        "Bidi\u{202E}gnp.exe, B", "it's <b>bold</b> & \"so\"", "Back\\nslash, B",
    ]

    static var plan: Plan {
        let container = "cn=ccMail Users,ou=Site,o=Org"
        var changes: [Plan.Change] = [
            Plan.Change(
                kind: .delete, dn: "cn=FFormer,\(container)", ccmailName: "Former, Fred", situation: .userGone,
                rule: .ownRecipient,
                before: [
                    "Target-Address": ["CCMAIL:Former, Fred at LONDON"],
                    "Admin-Description": ["ccdirsync:Former, Fred"],
                ],
                preconditions: [.init(attribute: "Admin-Description", present: ["ccdirsync:Former, Fred"])]),
            Plan.Change(
                kind: .delete, dn: "cn=OldOne,\(container)", ccmailName: "Old, One", situation: .retiredOnMatch,
                rule: .mapping, before: ["Admin-Description": ["ccdirsync:Old, One"]]),
            Plan.Change(
                kind: .modify, dn: "cn=Smith\\, John,cn=Recipients,ou=Site,o=Org", ccmailName: "Smith, John",
                situation: .userMoved, rule: .migrateValue,
                modifications: [
                    .init(op: .delete, attribute: "otherMailbox", values: ["MIGRATE$CCMAIL:Smith, John at PARIS"]),
                    .init(op: .add, attribute: "otherMailbox", values: ["MIGRATE$CCMAIL:Smith, John at LONDON"]),
                ],
                before: ["otherMailbox": ["SMTP$jsmith@example.org", "MIGRATE$CCMAIL:Smith, John at PARIS"]],
                preconditions: [
                    .init(
                        attribute: "otherMailbox", present: ["MIGRATE$CCMAIL:Smith, John at PARIS"],
                        absent: ["MIGRATE$CCMAIL:Smith, John at LONDON"])
                ]),
            Plan.Change(
                kind: .modify, dn: "cn=Müller\\, Jürgen,cn=Recipients,ou=Site,o=Org", ccmailName: "Müller, Jürgen",
                situation: .migrateMissing, rule: .ccMailProxy,
                modifications: [
                    .init(op: .add, attribute: "otherMailbox", values: ["MIGRATE$CCMAIL:Müller, Jürgen at ZURICH"])
                ], before: ["otherMailbox": []]),
            Plan.Change(
                kind: .modify, dn: "cn=NGarcon,\(container)", ccmailName: "Garçon, Noël", situation: .recipientChanged,
                rule: .ownRecipient,
                modifications: [
                    .init(op: .delete, attribute: "Target-Address", values: ["CCMAIL:Garçon, Noël at LONDON"]),
                    .init(op: .add, attribute: "Target-Address", values: ["CCMAIL:Garçon, Noël at PARIS"]),
                ], before: ["Target-Address": ["CCMAIL:Garçon, Noël at LONDON"]]),
            Plan.Change(
                kind: .modify, dn: "cn=Gone,\(container)", ccmailName: "Gone, G", situation: .userGoneHidden,
                rule: .ownRecipient,
                modifications: [.init(op: .add, attribute: "Hide-From-Address-Book", values: ["TRUE"])]),
            Plan.Change(
                kind: .modify, dn: "cn=Back,\(container)", ccmailName: "Back, B", situation: .userReturned,
                rule: .ownRecipient,
                modifications: [.init(op: .delete, attribute: "Hide-From-Address-Book", values: ["TRUE"])],
                before: ["Hide-From-Address-Book": ["TRUE"]]),
        ]
        for (alias, name) in [
            ("HDupont", "Dupont, Hélène"), ("Hostile", hostileName), ("Filter", filterName), ("Formula", formulaName),
            ("Newline", newlineName),
        ] {
            changes.append(
                Plan.Change(
                    kind: .create, dn: "cn=\(alias),\(container)", ccmailName: name, situation: .recipientMissing,
                    rule: .ownRecipient,
                    attributes: [
                        "objectClass": ["top", "person", "remote-address", "exchangeRecipient"],
                        "cn": [alias, name], "uid": [alias], "sn": [name],
                        "Target-Address": ["CCMAIL:\(name) at PARIS"],
                        "otherMailbox": ["CCMAIL$\(name) at PARIS"], "Admin-Description": ["ccdirsync:\(name)"],
                    ]))
        }
        for index in changes.indices {
            changes[index].id = index + 1
        }
        let findings: [Plan.Finding] = [
            .init(
                ccmailName: "Øster, Åse", situation: .disputed, detail: "2 mailboxes match the name",
                candidates: ["cn=AOster,cn=Recipients,ou=Site,o=Org", "cn=AOster2,cn=Recipients,ou=Site,o=Org"]),
            .init(ccmailName: hostileName, situation: .conflict, detail: "mailbox carries <b>another</b> value"),
            .init(
                ccmailName: "Bianchi, Lucia", situation: .representedElsewhere, detail: "already an address",
                candidates: ["cn=LBianchi,cn=Recipients,ou=Site,o=Org"]),
            .init(ccmailName: "Exchange, Ed", situation: .excluded, detail: "homed on excluded post office EXSITE"),
            .init(
                ccmailName: "Miller, Ann", situation: .suggestion, detail: "name matches",
                candidates: ["cn=AMiller,cn=Recipients,ou=Site,o=Org"]),
            .init(ccmailName: "Ghost, Casper", situation: .mappingError, detail: "mapping.csv:3: no such user"),
            .init(ccmailName: "", situation: .parseWarning, detail: "london.exp:7:1: warning: unknown Loc code 'X'"),
            .init(
                ccmailName: "Esc\u{1B}[2J, E", situation: .parseWarning,
                detail: "C:\\ccmail\\new\\paris.exp:3:1: warning: name holds a control character"),
            .init(
                ccmailName: "Gone, Gary", situation: .userUnknown,
                detail:
                    "kept, neither deleted nor hidden: the user is not in the exports, but part of them was not read",
                candidates: ["cn=GGone,\(container)"]),
            .init(
                ccmailName: "Keller, Urs", situation: .duplicateAddress,
                detail: "CCMAIL:Keller, Urs at ZURICH is held by 2 objects",
                candidates: ["cn=Keller,cn=Recipients,ou=Site,o=Org", "cn=UKeller,\(container)"]),
            .init(
                ccmailName: "Longname, Lara", situation: .valueTooLong,
                detail:
                    "not written (create of recipientMissing): sn would be 70 characters long, and the server accepts "
                    + "at most 64",
                candidates: ["cn=LLongname,\(container)"]),
        ]
        let plan = Plan(
            profile: .exchange55, baseDN: "ou=Site,o=Org", customRecipientContainer: container,
            inputs: [.init(path: "london.exp", role: "export LONDON", sha256: String(repeating: "ab", count: 32))],
            summary: .init(
                create: 5, modify: 5, delete: 2, findings: findings.count, overThreshold: true,
                thresholdReasons: ["deletes: 2 > 1"]),
            changes: changes, findings: findings)
        return PlanFile.sealed(plan)
    }
}

extension SamplePlan {
    /// A small plan whose every string (paths, roles, hash, reasons, DNs' values, names, attribute values, details,
    /// candidates) carries `hostile`: one change of each kind and one finding of each situation.
    static func hostile(_ hostile: String) -> Plan {
        let dn = DistinguishedName([
            RelativeDistinguishedName(type: "cn", value: hostile), RelativeDistinguishedName(type: "ou", value: "Site"),
            RelativeDistinguishedName(type: "o", value: "Org"),
        ]).description
        let changes = [
            Plan.Change(
                id: 1, kind: .delete, dn: dn, ccmailName: hostile, situation: .userGone, rule: .ownRecipient,
                before: ["Target-Address": ["CCMAIL:\(hostile) at LONDON"]]),
            Plan.Change(
                id: 2, kind: .modify, dn: dn, ccmailName: hostile, situation: .userMoved, rule: .migrateValue,
                modifications: [
                    .init(op: .delete, attribute: "otherMailbox", values: ["MIGRATE$CCMAIL:\(hostile) at PARIS"]),
                    .init(op: .add, attribute: "otherMailbox", values: ["MIGRATE$CCMAIL:\(hostile) at LONDON"]),
                ],
                before: ["otherMailbox": ["MIGRATE$CCMAIL:\(hostile) at PARIS"]]),
            Plan.Change(
                id: 3, kind: .create, dn: dn, ccmailName: hostile, situation: .recipientMissing, rule: .ownRecipient,
                attributes: ["objectClass": ["top"], "cn": [hostile], "Target-Address": ["CCMAIL:\(hostile) at X"]]),
        ]
        let findings = Plan.FindingSituation.allCases.map { situation in
            Plan.Finding(ccmailName: hostile, situation: situation, detail: "detail \(hostile)", candidates: [dn])
        }
        return Plan(
            planHash: "hash\(hostile)", profile: .exchange55,
            baseDN: RelativeDistinguishedName(type: "o", value: hostile).description,
            customRecipientContainer: dn, inputs: [.init(path: "\(hostile).exp", role: hostile, sha256: hostile)],
            summary: .init(
                create: 1, modify: 1, delete: 1, findings: findings.count, overThreshold: true,
                thresholdReasons: [hostile]),
            changes: changes, findings: findings)
    }
}
