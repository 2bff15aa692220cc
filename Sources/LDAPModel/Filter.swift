/// An RFC 4515 search filter, built as a value so escaping can never be forgotten.
///
/// cc:Mail names routinely contain `(`, `)` and `*` (`Smith (Sales)`), and a filter assembled by string
/// interpolation would silently match the wrong entries. Building filters from cases escapes every value on the way
/// out; attribute descriptions are written as given.
package enum Filter: Sendable, Hashable, CustomStringConvertible {
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
    /// `(!f)`. The one case that holds a filter directly, and so the one boxed: with the whole enum `indirect`,
    /// every term of a 75-term disjunction was an allocation of its own.
    indirect case not(Filter)

    /// The RFC 4515 string form.
    package var description: String {
        var text = ""
        write(to: &text)
        return text
    }

    /// Appends the string form to `text`: one string for the whole filter, however many terms it has.
    private func write(to text: inout String) {
        switch self {
        case .equality(let attribute, let value):
            Self.appendEquality(attribute, value, to: &text)
        case .present(let attribute):
            Self.write(attribute, "=", "*", to: &text)
        case .substring(let attribute, let initial, let any, let final):
            Self.write(attribute, "=", Self.substringPattern(initial: initial, any: any, final: final), to: &text)
        case .greaterOrEqual(let attribute, let value):
            Self.write(attribute, ">=", Self.escape(value), to: &text)
        case .lessOrEqual(let attribute, let value):
            Self.write(attribute, "<=", Self.escape(value), to: &text)
        case .approx(let attribute, let value):
            Self.write(attribute, "~=", Self.escape(value), to: &text)
        case .and(let filters):
            text += "(&"
            for filter in filters { filter.write(to: &text) }
            text += ")"
        case .or(let filters):
            text += "(|"
            for filter in filters { filter.write(to: &text) }
            text += ")"
        case .not(let filter):
            text += "(!"
            filter.write(to: &text)
            text += ")"
        }
    }

    /// Appends `Filter.equality(attribute, value)`'s string form to `text`, without building the filter: for
    /// callers that spell many one-term filters (a report shows each user's own search).
    package static func appendEquality(_ attribute: String, _ value: String, to text: inout String) {
        write(attribute, "=", escape(value), to: &text)
    }

    private static func write(_ attribute: String, _ operation: String, _ value: String, to text: inout String) {
        text += "("
        text += attribute
        text += operation
        text += value
        text += ")"
    }

    package static func escape(_ value: String) -> String {
        // Most values need nothing escaped; finding that out on the bytes is far cheaper than rebuilding them.
        // The five specials are `*` `(` `)` `\` and NUL: all below 0x5D, so most bytes are passed on one test.
        func isSpecial(_ byte: UInt8) -> Bool {
            byte < 0x5D && (byte == 0x2A || byte == 0x28 || byte == 0x29 || byte == 0x5C || byte == 0)
        }
        let special =
            value.utf8.withContiguousStorageIfAvailable { $0.contains(where: isSpecial) }
            ?? value.utf8.contains(where: isSpecial)
        guard special else {
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
