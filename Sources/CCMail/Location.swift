/// A place in an export file: the file name as given, a 1-based line and a 1-based byte column.
///
/// Exports are DOS code-page text, where a byte is a character, so a byte column is what an administrator
/// counts in an editor; for UTF-8 exports it is the byte offset, as compilers report it.
public struct Location: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The file name as the caller gave it (usually the path from the command line).
    public var file: String

    /// The 1-based line.
    public var line: Int

    /// The 1-based byte column within the line.
    public var column: Int

    /// Creates a location.
    public init(file: String, line: Int, column: Int = 1) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form editors and CI logs turn into links.
    public var description: String { "\(file):\(line):\(column)" }

    /// `file:line`, for messages that point at another record.
    public var fileAndLine: String { "\(file):\(line)" }

    /// Orders by file name, then line, then column, so reports do not depend on the order of the inputs.
    public static func < (lhs: Location, rhs: Location) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }
}
