import LDAPModel
import TestSupport
import Testing

@Suite("LDIF round trip")
struct LDIFRoundTripTests {
    static func dn(_ string: String) -> DistinguishedName {
        (try? DistinguishedName(parsing: string)) ?? DistinguishedName.root
    }

    static let site = dn("ou=Site,o=Org")

    static let hardValues: [String] = [
        "plain",
        String(repeating: "long value ", count: 40),
        String(repeating: "Jürgen Müller 日本語 🎉 ", count: 12),
        " leading space",
        "trailing space ",
        "nul\u{0}inside",
        "line\nbreak\r\nand CR",
        ":colon first",
        "<angle first",
        "#hash",
        "",
    ]

    static let changes: [Change] = [
        .add(
            Entry(
                dn: site.child(RelativeDistinguishedName(type: "cn", value: "Müller, Jürgen")),
                attributes: [
                    Attribute("objectClass", strings: ["top", "person", "organizationalPerson"]),
                    Attribute("cn", strings: ["Müller, Jürgen", " leading space"]),
                    Attribute("description", strings: hardValues),
                    Attribute(
                        "jpegPhoto", values: [[0xFF, 0xD8, 0xFF, 0x00, 0x0A, 0x0D, 0x20], (0...255).map { UInt8($0) }]),
                ]
            )
        ),
        .modify(
            site.child(RelativeDistinguishedName(type: "cn", value: " #odd, name ")),
            [
                .replace("mail", "a@example.com"),
                .add("description", strings: hardValues),
                .delete("telephoneNumber"),
                .delete("otherMailbox", "smtp$x@y", "  "),
                .replace("seeAlso"),
                Modification(.add, attribute: "userCertificate;binary", values: [[0x30, 0x82, 0x00]]),
            ]
        ),
        .modify(site, []),
        .delete(dn(#"cn=Before\0dAfter,ou=Site,o=Org"#)),
        .delete(dn("1.3.6.1.4.1.1466.0=#04024869,o=Org")),
        .modifyRDN(
            dn("cn=Old,ou=Site,o=Org"),
            newRDN: RelativeDistinguishedName(type: "cn", value: "Ñew name "),
            deleteOldRDN: true,
            newSuperior: dn("ou=Other Site,o=Org")
        ),
        .modifyRDN(
            dn("cn=a,o=Org"),
            newRDN: RelativeDistinguishedName([
                AttributeTypeAndValue(type: "cn", value: "b"), AttributeTypeAndValue(type: "uid", value: "b+c"),
            ]),
            deleteOldRDN: false,
            newSuperior: nil
        ),
        .modifyRDN(
            dn("cn=a,o=Org"), newRDN: RelativeDistinguishedName(type: "cn", value: "a"), deleteOldRDN: false,
            newSuperior: DistinguishedName.root),
    ]

    @Test("read(write(changes)) gives the changes back", arguments: [76, 30, 8, Int.max])
    func changesRoundTrip(_ width: Int) throws {
        let writer = LDIFWriter(lineWidth: width)
        let text = writer.write(Self.changes)
        let records = try LDIFReader().read(text)
        #expect(records == Self.changes.map(LDIFRecord.change))
        #expect(records.map { Self.exactDN($0) } == Self.changes.map { $0.dn.description })
        let rewritten = writer.write(
            records.compactMap { record in
                if case .change(let change) = record { change } else { nil }
            })
        #expect(rewritten == text)
    }

    @Test func entriesRoundTrip() throws {
        let entries =
            Self.changes.compactMap { change -> Entry? in
                if case .add(let entry) = change { entry } else { nil }
            } + [Entry(dn: Self.site, attributes: [Attribute("ou", strings: ["Site"])])]
        let text = LDIFWriter().write(entries: entries)
        #expect(try LDIFReader().read(text) == entries.map(LDIFRecord.content))
    }

    @Test func randomChangesRoundTrip() throws {
        var generator = SeededGenerator(seed: 2849)
        let alphabet: [Character] = Array("aZ9 :<#,+=\\\"-") + ["\u{0}", "\r", "\n", "ü", "€", "🎉"]
        func randomString() -> String {
            let length = Int.random(in: 0...90, using: &generator)
            return String((0..<length).map { _ in alphabet.randomElement(using: &generator) ?? "a" })
        }
        var changes: [Change] = []
        for index in 0..<200 {
            let target = Self.site.child(RelativeDistinguishedName(type: "cn", value: randomString()))
            switch index % 4 {
            case 0:
                let values = Array(Set((0..<3).map { _ in randomString() }))
                changes.append(.add(Entry(dn: target, attributes: [Attribute("description", strings: values)])))
            case 1:
                let operation = [Modification.Operation.add, .delete, .replace][index % 3]
                let values = (0..<Int.random(in: 0...3, using: &generator)).map { _ in Array(randomString().utf8) }
                changes.append(.modify(target, [Modification(operation, attribute: "info", values: values)]))
            case 2:
                changes.append(.delete(target))
            default:
                let rdn = RelativeDistinguishedName(type: "cn", value: randomString())
                changes.append(.modifyRDN(target, newRDN: rdn, deleteOldRDN: index % 8 == 3, newSuperior: target))
            }
        }
        let text = LDIFWriter().write(changes)
        #expect(text.utf8.allSatisfy { $0 < 128 })
        #expect(text.split(separator: "\n").allSatisfy { $0.utf8.count <= 76 })
        let records = try LDIFReader().read(text)
        #expect(records == changes.map(LDIFRecord.change))
        #expect(records.map { Self.exactDN($0) } == changes.map { $0.dn.description })
    }

    private static func exactDN(_ record: LDIFRecord) -> String {
        switch record {
        case .change(let change): change.dn.description
        case .content(let entry): entry.dn.description
        }
    }
}
