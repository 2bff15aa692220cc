import ArgumentParser
import Foundation

/// The `ccdirsync` command: keeps an Exchange directory in step with a cc:Mail directory.
///
/// The root holds configuration only; each job is a subcommand. Exit codes are decided in
/// one place (`ExitStatus`).
@main
struct CCDirSync: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ccdirsync",
        abstract: "Synchronise a Lotus cc:Mail directory into Microsoft Exchange over LDAP.",
        discussion: """
            ccdirsync reads the cc:Mail post-office directory (EXPORT output) and the Exchange \
            directory over LDAP, and writes two kinds of change into Exchange: a secondary \
            MIGRATE:CCMAIL:<Name> at <PO> proxy address on mailboxes of cc:Mail users, and a \
            cc:Mail custom recipient for every cc:Mail user without a mailbox.
            """,
        version: CCDirSyncVersion.description,
        subcommands: [
            PlanCommand.self, ApplyCommand.self, SyncCommand.self, UndoCommand.self, ReportCommand.self,
            CheckCommand.self, ParseCommand.self, VerifyCommand.self,
        ]
    )

    /// Ignores SIGPIPE, as OpenLDAP's own tools do, then runs the command.
    ///
    /// libldap writes requests with `write(2)`: a server that goes away while a request is on its way raised
    /// SIGPIPE, which killed ccdirsync without a word (exit 141) in the middle of an apply. Ignored, the write fails
    /// with EPIPE and libldap reports the connection lost, which the command reports naming the server.
    static func main() {
        signal(SIGPIPE, SIG_IGN)
        main(nil)
    }
}

/// The version printed by `ccdirsync --version`: `0.1.0 (commit 1a2b3c4d5e6f)`.
///
/// `current` is the one place the version lives: the Makefile reads it from here for the Debian package's name
/// and version. `commit` is written into the build folder before each build by the BuildInfo plugin
/// (Plugins/BuildInfo): the commit the binary was built from, `-dirty` when tracked files had changes, or
/// `unknown commit` outside a git clone.
enum CCDirSyncVersion {
    static let current = "0.1.0"

    static var description: String {
        commit == "unknown commit" ? "\(current) (unknown commit)" : "\(current) (commit \(commit))"
    }
}
