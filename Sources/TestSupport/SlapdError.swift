/// A test server could not be set up, started or used.
///
/// The message says what failed and includes the failing tool's output; when slapd itself is
/// involved, `logTail` holds the last lines of its log, because the temporary directory (and
/// the log in it) is removed when a start fails.
package struct SlapdError: Error, Sendable, CustomStringConvertible {
    /// What failed, with the tool's output when there was a tool.
    package var message: String
    /// The last lines of slapd's log, when slapd was involved.
    package var logTail: String?

    /// An error with a message and, when slapd was involved, the tail of its log.
    package init(_ message: String, logTail: String? = nil) {
        self.message = message
        self.logTail = logTail
    }

    package var description: String {
        guard let logTail else { return message }
        return "\(message)\n--- slapd log, last lines ---\n\(logTail.isEmpty ? "(empty)" : logTail)"
    }
}
