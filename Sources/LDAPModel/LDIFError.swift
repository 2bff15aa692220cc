/// Why an LDIF document could not be read.
///
/// LDIF files are edited by hand and produced by old export tools, so every error names the file and the 1-based
/// physical line where the offending (possibly folded) line starts, in the `file:line: message` form editors and
/// CI logs understand.
package struct LDIFError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file name given to the reader, if any.
    package var file: String?

    /// The 1-based physical line where the problem starts.
    package var line: Int

    /// What is wrong, in words.
    package var message: String

    /// Creates an error.
    package init(file: String?, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message`, or `line N: message` when no file name was given.
    package var description: String {
        if let file {
            return "\(file):\(line): \(message)"
        }
        return "line \(line): \(message)"
    }
}
