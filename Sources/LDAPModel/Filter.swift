/// An RFC 4515 search filter, built as a value so escaping can never be forgotten.
///
/// cc:Mail names routinely contain `(`, `)` and `*` (`Smith (Sales)`), and a filter assembled by string
/// interpolation would silently match the wrong entries. Building filters from cases escapes every value on the way
/// out; attribute descriptions are written as given.
public indirect enum Filter: Sendable, Hashable, CustomStringConvertible {
    /// `(attr=value)`.
    case equality(String, String)
    /// `(attr=*)`.
    case present(String)
    /// `(attr=initial*any1*any2*final)`; `nil` or empty parts are left out.
    case substring(String, initial: String?, any: [String], final: String?)
    /// `(attr>=value)`.
    case greaterOrEqual(String, String)
    /// `(attr<=value)`.
    case lessOrEqual(String, String)
    /// `(attr~=value)`.
    case approx(String, String)
    /// `(&f1f2…)`; an empty list is the RFC 4526 absolute true `(&)`.
    case and([Filter])
    /// `(|f1f2…)`; an empty list is the RFC 4526 absolute false `(|)`.
    case or([Filter])
    /// `(!f)`.
    case not(Filter)

    /// The RFC 4515 string form.
    public var description: String {
        switch self {
        case .equality(let attribute, let value):
            "(\(attribute)=\(Self.escape(value)))"
        case .present(let attribute):
            "(\(attribute)=*)"
        case .substring(let attribute, let initial, let any, let final):
            "(\(attribute)=\(Self.substringPattern(initial: initial, any: any, final: final)))"
        case .greaterOrEqual(let attribute, let value):
            "(\(attribute)>=\(Self.escape(value)))"
        case .lessOrEqual(let attribute, let value):
            "(\(attribute)<=\(Self.escape(value)))"
        case .approx(let attribute, let value):
            "(\(attribute)~=\(Self.escape(value)))"
        case .and(let filters):
            "(&" + filters.map(\.description).joined() + ")"
        case .or(let filters):
            "(|" + filters.map(\.description).joined() + ")"
        case .not(let filter):
            "(!" + filter.description + ")"
        }
    }

    /// Escapes an assertion value: `*`, `(`, `)`, `\` and NUL become `\2a`, `\28`, `\29`, `\5c` and `\00`.
    ///
    /// Everything else, including non-ASCII, is kept as UTF-8, which RFC 4515 allows and servers expect.
    public static func escape(_ value: String) -> String {
        // Most values need nothing escaped; finding that out on the bytes is far cheaper than rebuilding them.
        guard value.utf8.contains(where: { $0 == 0x2A || $0 == 0x28 || $0 == 0x29 || $0 == 0x5C || $0 == 0 }) else {
            return value
        }
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "*": escaped += "\\2a"
            case "(": escaped += "\\28"
            case ")": escaped += "\\29"
            case "\\": escaped += "\\5c"
            case "\u{00}": escaped += "\\00"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    private static func substringPattern(initial: String?, any: [String], final: String?) -> String {
        var pattern = escape(initial ?? "") + "*"
        for part in any where !part.isEmpty {
            pattern += escape(part) + "*"
        }
        return pattern + escape(final ?? "")
    }
}
