import Testing

@testable import Sync

/// A proxy value splits at its first separator character.
@Suite struct ProxyAddressTests {
    @Test func splitsAtTheFirstSeparator() {
        let proxy = ProxyAddress(parsing: "smtp:a:b@x", separator: ":")
        #expect(proxy?.type == "smtp" && proxy?.address == "a:b@x")
        #expect(ProxyAddress(parsing: "MIGRATE$CCMAIL:x at P", separator: "$")?.address == "CCMAIL:x at P")
        #expect(ProxyAddress(parsing: ":x", separator: ":") == nil)
        #expect(ProxyAddress(parsing: "novalue", separator: ":") == nil)
    }

    /// A separator joined to a combining mark after it is part of another character, and no separator.
    @Test func separatorWithACombiningMarkIsNoSeparator() {
        let proxy = ProxyAddress(parsing: "SMTP:\u{301}x:y", separator: ":")
        #expect(proxy?.type == "SMTP:\u{301}x" && proxy?.address == "y")
        #expect(ProxyAddress(parsing: "SMTP:\u{301}x", separator: ":") == nil)
    }

    /// A prepended mark (U+0600) joins the separator after it into one character: the first separator is a later one.
    @Test func separatorAfterAPrependedMarkIsNoSeparator() {
        let proxy = ProxyAddress(parsing: "\u{600}:a:b", separator: ":")
        #expect(proxy?.type == "\u{600}:a" && proxy?.address == "b")
        #expect(ProxyAddress(parsing: "x\u{600}:", separator: ":") == nil)
        #expect(ProxyAddress(parsing: "smtp:\u{600}x", separator: ":")?.address == "\u{600}x")
    }

    /// CR LF is one character: a CR before LF is not the separator CR.
    @Test func carriageReturnBeforeLineFeedIsNoSeparator() {
        #expect(ProxyAddress(parsing: "a\r\nb\rc", separator: "\r")?.type == "a\r\nb")
    }

    @Test func knownKeys() {
        func key(_ value: String) -> String? { ProxyAddress(parsing: value, separator: ":")?.key.text }
        #expect(key("smtp:John.Smith@Example.ORG") == "SMTP:john.smith@example.org")
        #expect(key("ccMail:  Smith,\tJOHN   at  PO1 ") == "CCMAIL:smith, john at po1")
        #expect(key("MIGRATE:ccmail:Émile  Zoë at PÖ2") == "MIGRATE:CCMAIL:émile zoë at pö2")
        #expect(key("migrate:SMTP:X@Y") == "MIGRATE:smtp:x@y")
        #expect(key("migrate:ccmai:X") == "MIGRATE:ccmai:x")
        #expect(key("smtp:Ω@X") == "SMTP:ω@x")
        #expect(key("Ém:X") == "ÉM:x")
    }

    /// A proxy value as read keeps its bytes and gives the parts and key of the value parsed.
    @Test(arguments: ["smtp:Ann@X.org", "CCMAIL:Smith,  John at PO1", "MIGRATE:ccmail:e\u{301} at P", "x:", "É:é:ß"])
    func readProxyIsTheValueParsed(value: String) {
        let read = ReadProxy(value: value, separator: ":")
        let parsed = ProxyAddress(parsing: value, separator: ":")
        #expect(read?.value == value)
        #expect(read?.address == parsed && read?.key == parsed?.key)
    }
}
