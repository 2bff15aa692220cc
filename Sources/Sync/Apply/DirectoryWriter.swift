import LDAPModel

/// What `apply` needs from a directory server beyond reading: pipelined writes, single reads, reconnecting.
///
/// Like `DirectoryStore`, it keeps LDAP out of the engine: the CLI plugs in a libldap-backed writer, tests an
/// in-memory one that can also inject failures.
package protocol DirectoryWriter: AnyObject {
    /// Whether the server honours the assertion control (RFC 4528), so preconditions travel with the write.
    var supportsAssertions: Bool { get }

    /// Reads one entry (nil when it does not exist); `attributes` empty reads every user attribute.
    func read(_ dn: DistinguishedName, attributes: [String]) throws(DirectoryStoreError) -> Entry?

    /// Sends the operations with up to `window` outstanding, operations on one DN in order. `onSend` is called just
    /// before an operation goes out, and only when it can (never on a connection already known to be lost), so the
    /// caller can record it first; it returns whether the operation may go: after `false`, nothing more is sent and
    /// every operation not sent yet gets a failure. `onResult` is called once per operation as its result arrives.
    /// Both get the operation's index.
    func write(
        _ operations: [WriteOperation], window: Int, onSend: (Int) -> Bool, onResult: (Int, WriteOutcome) -> Void)

    /// Drops a broken connection and opens (and binds) a new one.
    func reconnect() throws(DirectoryStoreError)
}

/// One write, with the assertion that must hold on the entry for the server to run it.
package struct WriteOperation: Sendable, Hashable {
    package var change: Change
    package var assertion: Filter?

    package init(_ change: Change, assertion: Filter? = nil) {
        self.change = change
        self.assertion = assertion
    }
}

/// How one write ended.
package enum WriteOutcome: Sendable, Hashable {
    case success
    case failure(WriteFailure)
}

/// A refused or lost write: the LDAP result code, the server's words, and whether trying again may help.
package struct WriteFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The LDAP result code (libldap's own negative codes renumbered 81–97, as `LDAPClient` does).
    package var code: Int
    /// The code's name and the server's diagnostic message.
    package var message: String

    package init(code: Int, message: String) {
        self.code = code
        self.message = message
    }

    /// busy (51), unavailable (52), server down (81), timeout (85), connect error (91): worth retrying.
    package var isTransient: Bool { [51, 52, 81, 85, 91].contains(code) }
    /// The connection is gone: reconnect before retrying.
    package var isConnectionLost: Bool { [81, 91].contains(code) }
    /// No answer came from the server (libldap's own codes: the connection was lost, the operation timed out): for
    /// a write that was sent, whether it landed is unknown. Not the codes of a request refused before it was sent
    /// (encoding error 83, filter error 87, parameter error 89): nothing reached the server.
    package var isUnanswered: Bool { (81...97).contains(code) && ![83, 87, 89].contains(code) }

    package static let noSuchAttribute = 16
    package static let attributeOrValueExists = 20
    package static let noSuchObject = 32
    package static let entryAlreadyExists = 68
    package static let assertionFailed = 122

    package var description: String { "result \(code): \(message)" }
}
