import Foundation
import TestSupport

/// A whole directory as `SlapdServer.userDump()` gives it (user attributes only, canonical order), read into entries
/// so the suite can say what differs and whether a foreign value went missing.
struct Dump: Equatable {
    /// The canonical text: two dumps are the same directory when their texts are equal.
    let text: String
    /// Entry DN (lower case) → its `attribute: value` lines, attribute names lower case, base64 values decoded.
    let entries: [String: Set<String>]

    init(_ server: SlapdServer) throws {
        self.init(text: try server.userDump())
    }

    init(text: String) {
        self.text = text
        var entries: [String: Set<String>] = [:]
        for record in text.components(separatedBy: "\n\n") {
            let lines = record.split(separator: "\n").map { Self.decoded($0) }
            guard let first = lines.first, first.hasPrefix("dn: ") else { continue }
            entries[String(first.dropFirst(4)).lowercased()] = Set(lines.dropFirst())
        }
        self.entries = entries
    }

    static func == (lhs: Dump, rhs: Dump) -> Bool {
        lhs.text == rhs.text
    }

    /// `attr: value` with the attribute name in lower case; `attr:: base64` decoded.
    static func decoded(_ line: Substring) -> String {
        guard let colon = line.firstIndex(of: ":") else { return String(line) }
        let name = line[..<colon].lowercased()
        let rest = line[line.index(after: colon)...]
        if rest.hasPrefix(": "), let data = Data(base64Encoded: String(rest.dropFirst(2))) {
            return name + ": " + String(decoding: data, as: UTF8.self)
        }
        return name + ":" + rest
    }

    /// An entry ccdirsync owns carries its mark; everything else is foreign.
    static func isOwned(_ lines: Set<String>) -> Bool {
        lines.contains { $0.hasPrefix("admin-description: ccdirsync:") || $0.hasPrefix("admindescription: ccdirsync:") }
    }

    /// The MIGRATE value is the one value ccdirsync writes on a foreign object (and updates when a user moves).
    static func isMigrate(_ line: String) -> Bool {
        let lower = line.lowercased()
        return lower.hasPrefix("othermailbox: migrate$") || lower.hasPrefix("proxyaddresses: migrate:")
    }

    /// A short account of how `self` differs from `expected`: counts and the first differing entry.
    func difference(from expected: Dump) -> String {
        let missing = expected.entries.keys.filter { entries[$0] == nil }.sorted()
        let extra = entries.keys.filter { expected.entries[$0] == nil }.sorted()
        let changed = expected.entries.keys.filter { key in entries[key].map { $0 != expected.entries[key] } ?? false }
            .sorted()
        var parts: [String] = []
        if !missing.isEmpty { parts.append("\(missing.count) entries missing (\(missing[0]))") }
        if !extra.isEmpty { parts.append("\(extra.count) entries extra (\(extra[0]))") }
        if let first = changed.first, let want = expected.entries[first], let have = entries[first] {
            let lost = want.subtracting(have).sorted().first ?? "-"
            let added = have.subtracting(want).sorted().first ?? "-"
            parts.append("\(changed.count) entries differ (\(first): lost '\(lost)', added '\(added)')")
        }
        return parts.isEmpty ? "same" : parts.joined(separator: "; ")
    }

    /// Values of foreign entries in `original` missing here, leaving out those `allowedToGo` (what the uninterrupted
    /// run itself removes: the MIGRATE values of moved users) — nil when none is missing, else a count and an example.
    func lostForeignValues(of original: Dump, allowedToGo: Dump? = nil) -> String? {
        var lost = 0
        var example = ""
        for (dn, lines) in original.entries where !Dump.isOwned(lines) {
            let have = entries[dn] ?? []
            for line in lines where !have.contains(line) {
                if let allowed = allowedToGo, Dump.isMigrate(line), !(allowed.entries[dn]?.contains(line) ?? false) {
                    continue
                }
                lost += 1
                if example.isEmpty { example = "\(dn): \(line)" }
            }
        }
        return lost == 0 ? nil : "\(lost) foreign values lost (\(example))"
    }
}
