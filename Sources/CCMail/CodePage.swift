/// The character set an export was written in.
///
/// cc:Mail's DOS tools write text in the post office's DOS code page, and nothing in an export says which one,
/// so the code page is chosen per export by configuration. CP437 (US DOS) is the default because it is what a
/// US-installed post office used; Western European post offices usually used CP850.
package enum CodePage: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// IBM PC code page 437 (US DOS).
    case cp437 = "CP437"
    /// IBM code page 850 (DOS Latin-1, Western Europe).
    case cp850 = "CP850"
    /// Windows-1252; five bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) are not defined in it.
    case cp1252 = "CP1252"
    /// ISO 8859-1; bytes 0x80–0x9F are C1 control characters in it and are refused.
    case iso8859_1 = "ISO-8859-1"
    /// UTF-8, for exports that were converted before they reached us.
    case utf8 = "UTF-8"

    /// The code page used when configuration names none.
    package static let `default` = CodePage.cp437

    /// Recognises the usual spellings: `CP850`, `850`, `IBM850`, `windows-1252`, `latin1`, `utf8`, in any case.
    package init?(name: String) {
        let key = name.uppercased().filter { $0 != "-" && $0 != "_" && $0 != " " }
        switch key {
        case "CP437", "437", "IBM437": self = .cp437
        case "CP850", "850", "IBM850": self = .cp850
        case "CP1252", "1252", "WINDOWS1252": self = .cp1252
        case "ISO88591", "LATIN1", "L1", "ISOLATIN1": self = .iso8859_1
        case "UTF8": self = .utf8
        default: return nil
        }
    }

    /// The canonical name, as `CP850` or `UTF-8`.
    package var description: String { rawValue }

    /// The name glibc's iconv knows this code page by, for the code pages whose table comes from iconv.
    var iconvName: String? {
        switch self {
        case .cp437: "CP437"
        case .cp850: "CP850"
        case .cp1252: "CP1252"
        case .iso8859_1, .utf8: nil
        }
    }
}
