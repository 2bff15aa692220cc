/// Bounds that keep a damaged or hostile input from costing unbounded memory or time.
///
/// An export is a few megabytes of short lines. A file that is not an export (an image, a database, a log with
/// no line breaks) must be refused with a message, not read into memory or split into millions of findings.
package struct ExportLimits: Sendable, Hashable {
    /// The longest line accepted, in bytes, without its line ending. Longer lines are an error naming the line.
    package var maximumLineLength: Int

    /// The largest file accepted, in bytes; callers check it before reading (see `check(fileSize:file:)`).
    package var maximumFileSize: Int

    /// After this many errors in one file, reading the file stops with one more error saying so.
    package var maximumErrorsPerFile: Int

    /// Creates limits; the defaults are far above any real export.
    package init(
        maximumLineLength: Int = 65_536, maximumFileSize: Int = 512 * 1024 * 1024, maximumErrorsPerFile: Int = 100
    ) {
        self.maximumLineLength = maximumLineLength
        self.maximumFileSize = maximumFileSize
        self.maximumErrorsPerFile = maximumErrorsPerFile
    }

    /// 64 KiB lines, 512 MiB files, 100 errors per file.
    package static let `default` = ExportLimits()

    /// The error for a file of `fileSize` bytes, or `nil` when the size is acceptable.
    ///
    /// Callers that read files call this with the size from the file system before reading a byte.
    package func check(fileSize: Int, file: String) -> Finding? {
        guard fileSize > maximumFileSize else {
            return nil
        }
        return Finding(
            .error, .file, "file is \(fileSize) bytes; exports are limited to \(maximumFileSize) bytes",
            at: Location(file: file, line: 1))
    }
}
