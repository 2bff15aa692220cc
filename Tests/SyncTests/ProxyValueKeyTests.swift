import CCMail
import Testing

@testable import Sync

/// The byte path that keys proxy values as they are read gives what the general path (split by Character, then
/// `ProxyAddress.key`) gives, or hands the value over to it.
@Suite struct ProxyValueKeyTests {
    /// Pieces that make the paths differ if anything does: both separators, spaces and tabs, Latin-1 capitals and
    /// small letters (and `×`, `ß`, `ÿ`, whose case does not move by 0x20), scalars past Latin-1, a combining mark
    /// and a prepended mark that join the separator to a neighbour, and the types with rules of their own.
    static let pieces = [
        "a", "Z", "q", ":", ":", "$", " ", "  ", "\t", "É", "é", "Ö", "×", "ß", "ÿ", "Ÿ", "İ", "\u{301}", "\u{600}",
        "Ω", "CCMAIL", "ccMail", "MIGRATE", "migrate", "SMTP", "X400", "ccmai", "CCMAIL:", "MIGRATE:CCMAIL:",
        "migrate:ccmail:", " at ", " AT ", "Smith, John", "PO1", "x@example.org",
    ]

    private func general(_ value: String, _ separator: Character) -> ProxyValueKey.Outcome? {
        guard let address = ProxyAddress(parsing: value, separator: separator) else {
            return .unparsable
        }
        return .keyed(address.key, separatorOffset: address.type.utf8.count)
    }

    @Test(arguments: [":", "$"] as [Character])
    func agreesWithTheGeneralPath(separator: Character) {
        var generator = SystemRandomNumberGenerator()
        var fast = 0
        var handedOver = 0
        var disagreements: [String] = []
        for _ in 0..<40_000 {
            let count = Int.random(in: 0...7, using: &generator)
            let value = (0..<count).map { _ in Self.pieces.randomElement(using: &generator) ?? "" }.joined()
            let outcome = ProxyValueKey.key(of: value, separator: separator)
            if outcome == .general {
                handedOver += 1
                continue
            }
            fast += 1
            if outcome != general(value, separator) {
                disagreements.append(value)
            }
            let proxy = ReadProxy(value: value, separator: separator)
            let generalProxy = ProxyAddress(parsing: value, separator: separator)
            #expect(proxy?.key == generalProxy?.key && proxy?.address == generalProxy, "\(value)")
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(5))")
        // Both paths are taken, so neither half of the comparison is empty.
        #expect(fast > 10_000 && handedOver > 1_000)
    }

    @Test func knownKeys() {
        func key(_ value: String) -> String? {
            guard case .keyed(let key, _) = ProxyValueKey.key(of: value, separator: ":") else { return nil }
            return key.text
        }
        #expect(key("smtp:John.Smith@Example.ORG") == "SMTP:john.smith@example.org")
        #expect(key("ccMail:  Smith,\tJOHN   at  PO1 ") == "CCMAIL:smith, john at po1")
        #expect(key("MIGRATE:ccmail:Émile  Zoë at PÖ2") == "MIGRATE:CCMAIL:émile zoë at pö2")
        #expect(key("migrate:SMTP:X@Y") == "MIGRATE:smtp:x@y")
        #expect(key("migrate:ccmai:X") == "MIGRATE:ccmai:x")
        #expect(ProxyValueKey.key(of: ":x", separator: ":") == .unparsable)
        #expect(ProxyValueKey.key(of: "novalue", separator: ":") == .unparsable)
        #expect(ProxyValueKey.key(of: "smtp:Ω@x", separator: ":") == .general)
        #expect(ProxyValueKey.key(of: "Ém:x", separator: ":") == .general)
    }
}
