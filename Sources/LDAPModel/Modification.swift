/// One change to one attribute inside an LDAP modify operation.
///
/// Mirrors the LDAP `ModifyRequest` change and the LDIF `add:`/`delete:`/`replace:` blocks, so one value can be sent
/// to a server and written to an audit LDIF without translation.
package struct Modification: Sendable, Hashable {
    /// What to do with the values.
    package enum Operation: String, Sendable, Hashable {
        /// Add the values to the attribute.
        case add
        /// Delete the values, or the whole attribute when no values are given.
        case delete
        /// Replace all values; no values removes the attribute.
        case replace
    }

    /// What to do.
    package var operation: Operation

    /// The attribute description, as written.
    package var attribute: String

    /// The values to add, delete or set.
    package var values: [AttributeValue]

    /// Creates a modification with binary values.
    package init(_ operation: Operation, attribute: String, values: [AttributeValue]) {
        self.operation = operation
        self.attribute = attribute
        self.values = values
    }

    /// Adds text values to `attribute`.
    package static func add(_ attribute: String, _ strings: String...) -> Modification {
        add(attribute, strings: strings)
    }

    /// Adds text values to `attribute`.
    package static func add(_ attribute: String, strings: [String]) -> Modification {
        Modification(.add, attribute: attribute, values: strings.map { Array($0.utf8) })
    }

    /// Adds binary values to `attribute`.
    package static func add(_ attribute: String, values: [AttributeValue]) -> Modification {
        Modification(.add, attribute: attribute, values: values)
    }

    /// Deletes text values from `attribute`, or the whole attribute when none are given.
    package static func delete(_ attribute: String, _ strings: String...) -> Modification {
        delete(attribute, strings: strings)
    }

    /// Deletes text values from `attribute`, or the whole attribute when none are given.
    package static func delete(_ attribute: String, strings: [String]) -> Modification {
        Modification(.delete, attribute: attribute, values: strings.map { Array($0.utf8) })
    }

    /// Deletes binary values from `attribute`, or the whole attribute when none are given.
    package static func delete(_ attribute: String, values: [AttributeValue]) -> Modification {
        Modification(.delete, attribute: attribute, values: values)
    }

    /// Replaces all values of `attribute` with text values; none removes the attribute.
    package static func replace(_ attribute: String, _ strings: String...) -> Modification {
        replace(attribute, strings: strings)
    }

    /// Replaces all values of `attribute` with text values; none removes the attribute.
    package static func replace(_ attribute: String, strings: [String]) -> Modification {
        Modification(.replace, attribute: attribute, values: strings.map { Array($0.utf8) })
    }

    /// Replaces all values of `attribute` with binary values; none removes the attribute.
    package static func replace(_ attribute: String, values: [AttributeValue]) -> Modification {
        Modification(.replace, attribute: attribute, values: values)
    }
}
