/// Why a distinguished name (or a single RDN) could not be parsed.
///
/// DNs come from configuration files, LDIF and directory servers, so the error keeps the whole input, the
/// position and the reason: a message like "offset 7: invalid escape '\z'" lets the operator find the typo without
/// re-running anything.
package struct DistinguishedNameError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text that failed to parse, unchanged.
    package var input: String

    /// Where the problem starts, counted in UTF-8 bytes from the start of ``input`` (0-based).
    ///
    /// Bytes rather than characters because escapes such as `\C3\BC` work on bytes; for ASCII input the two agree.
    package var offset: Int

    /// What is wrong, in words.
    package var reason: String

    /// Creates an error for `input` at UTF-8 byte `offset`.
    package init(input: String, offset: Int, reason: String) {
        self.input = input
        self.offset = offset
        self.reason = reason
    }

    /// A one-line message naming the input, the offset and the reason.
    package var description: String {
        "invalid distinguished name \"\(input)\" at offset \(offset): \(reason)"
    }
}
