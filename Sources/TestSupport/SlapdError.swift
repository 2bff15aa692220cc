/// A test server could not be set up, started or used.
///
/// The message says what failed and includes the failing tool's output; when the server itself
/// (slapd, or samba for `SambaADServer`) is involved, `logTail` holds the last lines of its log,
/// because the temporary directory (and the log in it) is removed when a start fails.
package struct SlapdError: Error, Sendable, CustomStringConvertible {
    /// What failed, with the tool's output when there was a tool.
    package var message: String
    /// The last lines of the server's log, when the server was involved.
    package var logTail: String?
    /// Which server's log `logTail` is.
    package var server: String

    /// An error with a message and, when the server was involved, the tail of its log.
    package init(_ message: String, logTail: String? = nil, server: String = "slapd") {
        self.message = message
        self.logTail = logTail
        self.server = server
    }

    package var description: String {
        guard let logTail else { return message }
        return "\(message)\n--- \(server) log, last lines ---\n\(logTail.isEmpty ? "(empty)" : logTail)"
    }
}
