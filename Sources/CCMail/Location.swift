/// A place in an export file: the file name as given, a 1-based line and a 1-based byte column.
///
/// Exports are DOS code-page text, where a byte is a character, so a byte column is what an administrator
/// counts in an editor; for UTF-8 exports it is the byte offset, as compilers report it.
package struct Location: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The file name as the caller gave it (usually the path from the command line).
    package var file: String

    /// The 1-based line.
    package var line: Int

    /// The 1-based byte column within the line.
    package var column: Int

    /// Creates a location.
    package init(file: String, line: Int, column: Int = 1) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form editors and CI logs turn into links.
    package var description: String { "\(file):\(line):\(column)" }

    /// `file:line`, for messages that point at another record.
    package var fileAndLine: String { "\(file):\(line)" }

    /// Orders by file name, then line, then column, so reports do not depend on the order of the inputs.
    package static func < (lhs: Location, rhs: Location) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }
}
