/// Why an LDIF document could not be read.
///
/// LDIF files are edited by hand and produced by old export tools, so every error names the file and the 1-based
/// physical line where the offending (possibly folded) line starts, in the `file:line: message` form editors and
/// CI logs understand.
public struct LDIFError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file name given to the reader, if any.
    public var file: String?

    /// The 1-based physical line where the problem starts.
    public var line: Int

    /// What is wrong, in words.
    public var message: String

    /// Creates an error.
    public init(file: String?, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message`, or `line N: message` when no file name was given.
    public var description: String {
        if let file {
            return "\(file):\(line): \(message)"
        }
        return "line \(line): \(message)"
    }
}
