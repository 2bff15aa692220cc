import LDAPModel
import Testing

@Suite("LDIFWriter")
struct LDIFWriterTests {
    let site: DistinguishedName
    let smith: DistinguishedName

    init() throws {
        site = try DistinguishedName(parsing: "ou=Site,o=Org")
        smith = try DistinguishedName(parsing: #"cn=Smith\, John,ou=Site,o=Org"#)
    }

    static let safety: [(String, Bool)] = [
        ("", true),
        ("plain", true),
        ("mid dle", true),
        ("mid:dle", true),
        ("mid<dle", true),
        ("#hash", true),
        ("tab\there", true),
        (" leading", false),
        (":colon", false),
        ("<angle", false),
        ("trailing ", false),
        ("a\u{0}b", false),
        ("a\nb", false),
        ("a\rb", false),
        ("Müller", false),
        ("escape \u{1B}[31m red", false),
        ("bell \u{07}", false),
        ("delete \u{7F}", false),
    ]

    @Test("SAFE-STRING", arguments: safety)
    func safeString(_ value: String, _ safe: Bool) {
        #expect(LDIFWriter.isSafeString(Array(value.utf8)) == safe)
    }

    static let unsafeValues: [(String, String)] = [
        (" leading", "IGxlYWRpbmc="),
        ("trailing ", "dHJhaWxpbmcg"),
        (":colon", "OmNvbG9u"),
        ("<angle", "PGFuZ2xl"),
        ("a\u{0}b", "YQBi"),
        ("a\nb", "YQpi"),
        ("a\rb", "YQ1i"),
        ("Müller", "TcO8bGxlcg=="),
    ]

    @Test("unsafe values are written as base64", arguments: unsafeValues)
    func unsafeValue(_ value: String, _ base64: String) {
        let entry = Entry(dn: site, attributes: [Attribute("description", strings: [value])])
        let text = LDIFWriter().write(entries: [entry])
        #expect(text == "version: 1\n\ndn: ou=Site,o=Org\ndescription:: \(base64)\n")
    }

    @Test func safeAndEmptyValuesAreWrittenPlain() {
        let entry = Entry(dn: site, attributes: [Attribute("description", strings: ["mid: <x> ", "ok", ""])])
        let text = LDIFWriter().write(entries: [entry])
        #expect(text == "version: 1\n\ndn: ou=Site,o=Org\ndescription:: bWlkOiA8eD4g\ndescription: ok\ndescription:\n")
    }

    @Test func modifyRecordExactText() {
        let change = Change.modify(
            smith,
            [
                .replace("mail", "john.smith@example.com"),
                .add("telephoneNumber", "+1 555 0100", "+1 555 0101"),
                .delete("description"),
                .delete("cn", " Müller"),
            ]
        )
        let expected = """
            version: 1

            dn: cn=Smith\\, John,ou=Site,o=Org
            changetype: modify
            replace: mail
            mail: john.smith@example.com
            -
            add: telephoneNumber
            telephoneNumber: +1 555 0100
            telephoneNumber: +1 555 0101
            -
            delete: description
            -
            delete: cn
            cn:: IE3DvGxsZXI=
            -

            """
        #expect(LDIFWriter().write([change]) == expected)
    }

    @Test func otherChangeTypesExactText() throws {
        let changes: [Change] = [
            .add(Entry(dn: smith, attributes: [Attribute("objectClass", strings: ["top", "person"])])),
            .delete(site),
            .modifyRDN(
                smith,
                newRDN: RelativeDistinguishedName(type: "cn", value: "Jürgen"),
                deleteOldRDN: true,
                newSuperior: try DistinguishedName(parsing: "ou=Other,o=Org")
            ),
            .modifyRDN(
                smith, newRDN: RelativeDistinguishedName(type: "cn", value: "J"), deleteOldRDN: false,
                newSuperior: nil),
        ]
        let expected = """
            version: 1

            dn: cn=Smith\\, John,ou=Site,o=Org
            changetype: add
            objectClass: top
            objectClass: person

            dn: ou=Site,o=Org
            changetype: delete

            dn: cn=Smith\\, John,ou=Site,o=Org
            changetype: modrdn
            newrdn:: Y249SsO8cmdlbg==
            deleteoldrdn: 1
            newsuperior: ou=Other,o=Org

            dn: cn=Smith\\, John,ou=Site,o=Org
            changetype: modrdn
            newrdn: cn=J
            deleteoldrdn: 0

            """
        #expect(LDIFWriter().write(changes) == expected)
    }

    @Test func nonASCIIDistinguishedNameIsBase64() throws {
        let dn = try DistinguishedName(parsing: #"cn=Müller\, Jürgen,ou=Site,o=Org"#)
        let text = LDIFWriter().write([.delete(dn)])
        #expect(text == "version: 1\n\ndn:: Y249TcO8bGxlclwsIErDvHJnZW4sb3U9U2l0ZSxvPU9yZw==\nchangetype: delete\n")
    }

    @Test func emptyInputIsJustTheVersion() {
        #expect(LDIFWriter().write([]) == "version: 1\n")
        #expect(LDIFWriter().write(entries: []) == "version: 1\n")
    }

    @Test("long lines are folded", arguments: [76, 20, 2])
    func folding(_ width: Int) throws {
        let long = String(repeating: "abcdefghij", count: 30)
        let binary = (0..<200).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let entry = Entry(
            dn: site,
            attributes: [Attribute("description", strings: [long]), Attribute("photo", values: [binary])]
        )
        let text = LDIFWriter(lineWidth: width).write(entries: [entry])
        let physical = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(physical.allSatisfy { $0.utf8.count <= width })
        #expect(physical.contains { $0.utf8.count == width })
        let unfolded = text.replacing("\n ", with: "")
        #expect(unfolded.contains("\ndescription: \(long)\n"))
        #expect(unfolded.contains("\nphoto:: "))
        #expect(try LDIFReader().read(text) == [.content(entry)])
    }

    @Test func foldingAt76ExactText() {
        let value = String(repeating: "x", count: 100)
        let text = LDIFWriter().write(entries: [
            Entry(dn: site, attributes: [Attribute("description", strings: [value])])
        ])
        let first = "description: " + String(repeating: "x", count: 63)
        let second = " " + String(repeating: "x", count: 37)
        #expect(text == "version: 1\n\ndn: ou=Site,o=Org\n\(first)\n\(second)\n")
    }

    @Test("folding never splits a UTF-8 sequence", arguments: [4, 5, 6, 7])
    func foldingKeepsUTF8Whole(_ width: Int) {
        let entry = Entry(dn: site, attributes: [Attribute("äöü€", strings: ["x"])])
        let text = LDIFWriter(lineWidth: width).write(entries: [entry])
        let physical = Array(text.utf8).split(separator: UInt8(ascii: "\n"))
        #expect(physical.allSatisfy { $0.count <= width })
        #expect(physical.allSatisfy { String(validating: $0, as: UTF8.self) != nil })
        #expect(text.replacing("\n ", with: "").hasSuffix("\näöü€: x\n"))
    }

    @Test func outputIsDeterministic() {
        let changes: [Change] = [.modify(smith, [.replace("mail", "a@b")]), .delete(smith)]
        #expect(LDIFWriter().write(changes) == LDIFWriter().write(changes))
    }
}
