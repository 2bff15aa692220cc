import LDAPModel
import Testing

@Suite("Filter")
struct FilterTests {
    @Test func escapesTheFiveSpecialCharacters() {
        #expect(Filter.escape("a*b(c)d\\e\u{0}f") == #"a\2ab\28c\29d\5ce\00f"#)
    }

    @Test("every ASCII byte, in short and long values, is escaped exactly when it is special")
    func everyASCIIByte() {
        let specials: [UInt8: String] = [0x2A: "\\2a", 0x28: "\\28", 0x29: "\\29", 0x5C: "\\5c", 0: "\\00"]
        for byte in UInt8(0)..<0x80 {
            let character = String(decoding: [byte], as: UTF8.self)
            let expected = specials[byte] ?? character
            // Short values are stored inline, long ones in a buffer of their own: both paths are checked.
            for padding in ["", String(repeating: "x", count: 40)] {
                #expect(Filter.escape(padding + character + "é") == padding + expected + "é", "byte \(byte)")
            }
        }
    }

    @Test func keepsEverythingElse() {
        #expect(Filter.escape("Müller, Jürgen 日本 =<>~&|!") == "Müller, Jürgen 日本 =<>~&|!")
        #expect(Filter.escape("") == "")
    }

    static let simpleFilters: [(Filter, String)] = [
        (.equality("cn", "Smith (Sales)*"), #"(cn=Smith \28Sales\29\2a)"#),
        (.equality("cn", "Müller"), "(cn=Müller)"),
        (.present("mail"), "(mail=*)"),
        (.greaterOrEqual("uidNumber", "1000"), "(uidNumber>=1000)"),
        (.lessOrEqual("modifyTimestamp", "20240101000000Z"), "(modifyTimestamp<=20240101000000Z)"),
        (.approx("sn", "Smyth*"), #"(sn~=Smyth\2a)"#),
        (.substring("cn", initial: "Sm", any: ["i", "t"], final: "h"), "(cn=Sm*i*t*h)"),
        (.substring("cn", initial: nil, any: [], final: "son"), "(cn=*son)"),
        (.substring("cn", initial: "a*", any: [], final: nil), #"(cn=a\2a*)"#),
        (.substring("cn", initial: nil, any: ["(x)", ""], final: nil), #"(cn=*\28x\29*)"#),
        (.and([]), "(&)"),
        (.or([]), "(|)"),
    ]

    @Test("simple filters", arguments: simpleFilters)
    func simple(_ filter: Filter, _ expected: String) {
        #expect(filter.description == expected)
    }

    @Test func nestedFilters() {
        let filter = Filter.and([
            .equality("objectClass", "person"),
            .or([.equality("cn", "a*"), .not(.present("mail"))]),
            .not(.and([.equality("ou", "x"), .equality("ou", "y")])),
        ])
        #expect(filter.description == #"(&(objectClass=person)(|(cn=a\2a)(!(mail=*)))(!(&(ou=x)(ou=y))))"#)
    }
}
