import Foundation
import LDAPModel
import Testing

@Suite("LDIFReader")
struct LDIFReaderTests {
    let reader = LDIFReader()

    @Test func contentRecordsWithCommentsFoldingAndBase64() throws {
        let text = """
            version: 1
            # An export from the Exchange 5.5 directory,
             folded comment line that must be ignored

            dn: cn=Smith\\, John,ou=Site,o=Org
            objectClass: top
            objectClass: person
            # comment inside a record
            cn: Smith, John
            description: a long value that was fol
             ded across
              three lines
            sn:: TcO8bGxlcg==
            mail:
            photo:: AP8=

            # trailing comment

            dn:: b3U9U2l0ZSxvPU9yZw==
            ou: Site
            """
        let records = try reader.read(text)
        let smith = try DistinguishedName(parsing: #"cn=Smith\, John,ou=Site,o=Org"#)
        let site = try DistinguishedName(parsing: "ou=Site,o=Org")
        #expect(
            records == [
                .content(
                    Entry(
                        dn: smith,
                        attributes: [
                            Attribute("objectClass", strings: ["top", "person"]),
                            Attribute("cn", strings: ["Smith, John"]),
                            Attribute("description", strings: ["a long value that was folded across three lines"]),
                            Attribute("sn", strings: ["Müller"]),
                            Attribute("mail", strings: [""]),
                            Attribute("photo", values: [[0x00, 0xFF]]),
                        ]
                    )
                ),
                .content(Entry(dn: site, attributes: [Attribute("ou", strings: ["Site"])])),
            ]
        )
        guard case .content(let first) = records.first else { return }
        #expect(first.dn.description == #"cn=Smith\, John,ou=Site,o=Org"#)
    }

    @Test func changeRecords() throws {
        let text = """
            version: 1

            dn: cn=New,ou=Site,o=Org
            changetype: add
            objectClass: person
            cn: New

            dn: cn=Old,ou=Site,o=Org
            control: 1.2.840.113556.1.4.805 true
            changetype: delete

            dn: cn=Smith,ou=Site,o=Org
            changetype: modify
            add: mail
            mail: a@example.com
            mail: b@example.com
            -
            delete: description
            -
            replace: telephoneNumber
            telephoneNumber: 1
            -
            delete: cn
            CN: Alias

            dn: cn=Smith,ou=Site,o=Org
            changetype: modrdn
            newrdn: cn=Smyth
            deleteoldrdn: 1
            newsuperior: ou=Other,o=Org

            dn: cn=A,o=Org
            changetype: moddn
            newrdn: cn=B
            deleteoldrdn: 0
            """
        let records = try reader.read(text)
        let smith = try DistinguishedName(parsing: "cn=Smith,ou=Site,o=Org")
        #expect(
            records == [
                .change(
                    .add(
                        Entry(
                            dn: try DistinguishedName(parsing: "cn=New,ou=Site,o=Org"),
                            attributes: [
                                Attribute("objectClass", strings: ["person"]), Attribute("cn", strings: ["New"]),
                            ]
                        )
                    )
                ),
                .change(.delete(try DistinguishedName(parsing: "cn=Old,ou=Site,o=Org"))),
                .change(
                    .modify(
                        smith,
                        [
                            .add("mail", "a@example.com", "b@example.com"),
                            .delete("description"),
                            .replace("telephoneNumber", "1"),
                            .delete("cn", "Alias"),
                        ]
                    )
                ),
                .change(
                    .modifyRDN(
                        smith,
                        newRDN: RelativeDistinguishedName(type: "cn", value: "Smyth"),
                        deleteOldRDN: true,
                        newSuperior: try DistinguishedName(parsing: "ou=Other,o=Org")
                    )
                ),
                .change(
                    .modifyRDN(
                        try DistinguishedName(parsing: "cn=A,o=Org"),
                        newRDN: RelativeDistinguishedName(type: "cn", value: "B"),
                        deleteOldRDN: false,
                        newSuperior: nil
                    )
                ),
            ]
        )
    }

    /// A large group's `member` values: the reader once scanned the values it held for every new one (n²), so
    /// 100,000 values took minutes; now they take well under a second, still each value once, in file order.
    @Test(.timeLimit(.minutes(1)))
    func manyValuesOfOneAttributeReadInLinearTime() throws {
        var text = "dn: cn=Group,o=Org\n"
        for index in 0..<100_000 {
            text += "member: cn=user\(index),o=Org\n"
        }
        text += "cn: Group\nMember: cn=user0,o=Org\nMEMBER: cn=extra,o=Org\n"
        let records = try LDIFReader().read(text)
        guard case .content(let entry) = try #require(records.first) else {
            Issue.record("expected a content record")
            return
        }
        #expect(entry.attributes.map(\.name) == ["member", "cn"])
        let members = entry.values("member")
        #expect(members.count == 100_001)
        #expect(members.first == Array("cn=user0,o=Org".utf8))
        #expect(members.last == Array("cn=extra,o=Org".utf8))
    }

    @Test func crlfAndLFGiveTheSameRecords() throws {
        let lf = "version: 1\n\ndn: cn=a,o=Org\ncn: a\ndescription: fol\n ded\n\n\ndn: cn=b,o=Org\nchangetype: delete\n"
        let crlf = lf.replacing("\n", with: "\r\n")
        let fromLF = try reader.read(lf)
        #expect(fromLF.count == 2)
        #expect(try reader.read(crlf) == fromLF)
        #expect(try reader.read(Array(crlf.utf8)) == fromLF)
        guard case .content(let entry) = fromLF.first else {
            Issue.record("expected a content record")
            return
        }
        #expect(entry.strings("description") == ["folded"])
    }

    @Test func versionLineIsOptional() throws {
        let records = try reader.read("dn: cn=a,o=Org\ncn: a\n")
        #expect(records.count == 1)
        #expect(try reader.read("version: 1\ndn: cn=a,o=Org\ncn: a\n") == records)
        #expect(try reader.read("") == [])
        #expect(try reader.read("version: 1\n") == [])
    }

    @Test func fileURLValuesAreRead() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ldif-url-\(UUID().uuidString) x.bin")
        try Data([0x00, 0xFF, 0x41]).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let escapedPath = path.path.replacing(" ", with: "%20")
        let records = try reader.read("dn: cn=a,o=Org\nphoto:< file://\(escapedPath)\n")
        #expect(
            records == [
                .content(
                    Entry(
                        dn: try DistinguishedName(parsing: "cn=a,o=Org"),
                        attributes: [Attribute("photo", values: [[0x00, 0xFF, 0x41]])]))
            ])
    }

    @Test func deleteWithoutValuesNeedsNoTrailingDash() throws {
        let records = try reader.read("dn: cn=a,o=Org\nchangetype: modify\ndelete: description\n")
        #expect(records == [.change(.modify(try DistinguishedName(parsing: "cn=a,o=Org"), [.delete("description")]))])
    }
}

@Suite("LDIFReader base64 values")
struct LDIFReaderBase64Tests {
    static let vectors: [(String, String)] = [
        ("Zg==", "f"), ("Zm8=", "fo"), ("Zm9v", "foo"), ("Zm9vYg==", "foob"), ("Zm9vYmE=", "fooba"),
        ("Zm9vYmFy", "foobar"), ("Zg", "f"), ("Zm8", "fo"), ("", ""), ("Zm9v  ", "foo"),
    ]

    @Test("RFC 4648 test vectors, padding optional", arguments: vectors)
    func decodes(_ base64: String, _ expected: String) throws {
        let records = try LDIFReader().read("dn: o=Org\ndescription::  \(base64)\n")
        guard case .content(let entry) = records.first else {
            Issue.record("expected a content record")
            return
        }
        #expect(entry.values("description") == [Array(expected.utf8)])
    }

    @Test("invalid base64 is rejected", arguments: ["Zg=", "Z", "Zm9v=", "Zm=9", "Zm9v====", "Zm 9v", "Zm9v!"])
    func rejects(_ base64: String) {
        #expect(throws: LDIFError.self) {
            try LDIFReader().read("dn: o=Org\ndescription:: \(base64)\n")
        }
    }

    @Test func keywordsTolerateTrailingSpaces() throws {
        let records = try LDIFReader().read("dn: cn=a,o=Org\nchangetype: modrdn \nnewrdn: cn=b\ndeleteoldrdn: 1 \n")
        let expected = Change.modifyRDN(
            try DistinguishedName(parsing: "cn=a,o=Org"),
            newRDN: RelativeDistinguishedName(type: "cn", value: "b"),
            deleteOldRDN: true,
            newSuperior: nil
        )
        #expect(records == [.change(expected)])
    }
}
