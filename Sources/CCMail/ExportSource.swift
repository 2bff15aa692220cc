/// Where an export came from: the post office it was taken on, the file, and its code page.
///
/// `L` and `R` entries carry no post office name; they belong to the post office the export was taken from,
/// which only configuration (or the command line's `PO1=path`) can say.
package struct ExportSource: Sendable, Hashable {
    /// The post office the export was taken from.
    package var postOffice: CCMailName

    /// The file name used in findings (usually the path as the administrator typed it).
    package var file: String

    /// The code page the export's text is in.
    package var codePage: CodePage

    /// Creates a source.
    package init(postOffice: CCMailName, file: String, codePage: CodePage = .default) {
        self.postOffice = postOffice
        self.file = file
        self.codePage = codePage
    }

    /// The location of `line` and `column` in this source's file.
    func location(line: Int, column: Int = 1) -> Location {
        Location(file: file, line: line, column: column)
    }
}
