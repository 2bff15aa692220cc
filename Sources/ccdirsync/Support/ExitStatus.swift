/// Every exit status ccdirsync uses, decided in this one place (DESIGN.md, "CLI and exit codes").
enum ExitStatus: Int32 {
    /// Done, or in step.
    case success = 0
    /// Anything not covered below.
    case failure = 1
    /// `plan --detailed-exitcode`: changes are pending.
    case changesPending = 2
    /// A plan is over a threshold and was not applied.
    case thresholdExceeded = 3
    /// Some changes failed.
    case someChangesFailed = 4
    /// Another run holds the lock.
    case locked = 5
    /// EX_USAGE: bad command line or configuration.
    case usage = 64
    /// EX_DATAERR: bad input data (exports, mapping file, plan file).
    case dataError = 65
    /// EX_UNAVAILABLE: the LDAP server could not be reached.
    case unavailable = 69
    /// EX_IOERR: the state directory could not be written (journal, plan, report, lock file): nothing more was
    /// written to LDAP.
    case stateNotWritable = 74
    /// EX_CONFIG: a configuration problem found while connecting (a certificate that fails verification, StartTLS
    /// refused by a server without TLS, a custom recipient container that does not exist); retrying will not help.
    case configuration = 78
}

/// A failure the CLI reports on standard error and turns into an exit status.
struct CommandFailure: Error, CustomStringConvertible {
    var status: ExitStatus
    var message: String

    init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    var description: String { message }
}
