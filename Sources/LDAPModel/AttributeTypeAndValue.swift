/// One `type=value` pair of a relative distinguished name.
///
/// The pair keeps the type and value exactly as given so they can be displayed and re-encoded faithfully, while
/// equality and hashing use ``normalized``: servers match DN values case-insensitively and ignore insignificant
/// spaces, so two spellings of the same name must compare equal.
///
/// Values written in the RFC 4514 `#hex` form are the BER encoding of the value. Their bytes are kept in
/// ``berEncoding`` so ``description`` prints the same `#hex` form again. ``value`` then holds the decoded text when
/// the encoding is a primitive string type (OCTET STRING, UTF8String, PrintableString, IA5String, …, see
/// ``init(type:berEncoding:)``), and otherwise the `#hex` text itself. Such pairs compare by their encoding, not by
/// the decoded text, because without the attribute's syntax we cannot know which matching rule applies. Assigning
/// ``value`` turns the pair back into an ordinary string value.
package struct AttributeTypeAndValue: Sendable, Hashable, CustomStringConvertible {
    /// The attribute type as written: a descriptor such as `cn` or `Target-Address`, or a numeric OID.
    package var type: String {
        didSet { normalized = Self.normalize(type: type, value: value, berEncoding: berEncoding) }
    }

    /// The value with all escapes resolved.
    ///
    /// Setting it clears ``berEncoding``.
    package var value: String {
        didSet {
            berEncoding = nil
            normalized = Self.normalize(type: type, value: value, berEncoding: nil)
        }
    }

    /// The raw BER bytes when the value was given in `#hex` form, else `nil`.
    package private(set) var berEncoding: [UInt8]?

    /// The comparison key: normalised type, `=`, and the normalised, escaped value (or `#` and lower-case hex).
    package private(set) var normalized: String

    /// Creates a pair holding a string value.
    package init(type: String, value: String) {
        self.type = type
        self.value = value
        self.berEncoding = nil
        self.normalized = Self.normalize(type: type, value: value, berEncoding: nil)
    }

    /// Creates a pair holding a BER-encoded value, as written in the `#hex` form.
    ///
    /// ``value`` becomes the decoded string for OCTET STRING (0x04), UTF8String (0x0C), NumericString (0x12),
    /// PrintableString (0x13), IA5String (0x16), VisibleString (0x1A), UniversalString (0x1C) and BMPString (0x1E)
    /// encodings holding valid text; otherwise it is `#` followed by the upper-case hex of `berEncoding`.
    package init(type: String, berEncoding: [UInt8]) {
        self.type = type
        self.value = BERStringValue.decode(berEncoding) ?? "#" + Hex.encode(berEncoding)
        self.berEncoding = berEncoding
        self.normalized = Self.normalize(type: type, value: value, berEncoding: berEncoding)
    }

    /// The RFC 4514 string form `type=value`, with the value escaped (or in `#hex` form for BER values).
    package var description: String {
        var text = ""
        write(to: &text)
        return text
    }

    /// Appends the string form to `text`.
    func write(to text: inout String) {
        text += type
        if let berEncoding {
            text += "=#"
            text += Hex.encode(berEncoding)
        } else {
            text += "="
            text += DistinguishedNameEscaping.escape(value)
        }
    }

    package static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.normalized == rhs.normalized
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(normalized)
    }

    private static func normalize(type: String, value: String, berEncoding: [UInt8]?) -> String {
        let normalizedType = DistinguishedNameNormalization.type(type)
        if let berEncoding {
            return normalizedType + "=#" + Hex.encode(berEncoding, uppercase: false)
        }
        return normalizedType + "=" + DistinguishedNameEscaping.escape(DistinguishedNameNormalization.value(value))
    }
}
