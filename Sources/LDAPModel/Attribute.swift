/// The raw bytes of one attribute value.
///
/// LDAP values are octet strings; most are UTF-8 text but some (`objectGUID`, certificates) are not, so the model
/// keeps bytes and offers string views on top.
package typealias AttributeValue = [UInt8]

/// One attribute of an entry: a name and its values.
///
/// The name is kept as written (it may carry options such as `cn;lang-de`); entries look attributes up by name
/// case-insensitively.
package struct Attribute: Sendable, Hashable {
    /// The attribute description as written, for example `mail` or `Target-Address`.
    package var name: String

    /// The values, in order.
    package var values: [AttributeValue]

    /// Creates an attribute with binary values.
    package init(_ name: String, values: [AttributeValue]) {
        self.name = name
        self.values = values
    }

    /// Creates an attribute with text values, stored as UTF-8.
    package init(_ name: String, strings: [String]) {
        self.init(name, values: strings.map { Array($0.utf8) })
    }

    /// The values that are valid UTF-8, decoded; binary values are skipped.
    package var strings: [String] {
        values.compactMap(UTF8Validation.decode)
    }
}
