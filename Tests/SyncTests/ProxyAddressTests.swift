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

    /// CR LF is one character: a CR before LF is not the separator CR.
    @Test func carriageReturnBeforeLineFeedIsNoSeparator() {
        #expect(ProxyAddress(parsing: "a\r\nb\rc", separator: "\r")?.type == "a\r\nb")
    }
}
