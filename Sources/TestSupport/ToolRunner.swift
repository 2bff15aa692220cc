import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs the short-lived command-line tools a test server needs (slapadd, openssl, ldap-utils).
///
/// A tool that hangs must not hang the test run, so every run has a deadline after which the
/// tool is killed. stdout is read before waiting, so a chatty tool cannot block on a full
/// pipe; stderr goes to a temporary file, so it can neither block nor get mixed into LDIF
/// that a caller parses (unless the caller asks for both together).
enum ToolRunner {
    struct Result {
        var status: Int32
        /// stdout, or stdout and stderr together when the run asked for that.
        var output: String
        /// stderr, unless it was combined into `output`.
        var errors: String

        /// stdout and stderr, for error messages.
        var transcript: String {
            [output, errors].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
                .joined(separator: "\n")
        }
    }

    /// The environment for the ldap-utils: no ldap.conf or ~/.ldaprc defaults.
    ///
    /// A developer's `BASE`, `SIZELIMIT` or TLS settings would otherwise change what the
    /// tools do against the test server.
    static let ldapEnvironment = ["LDAPNOINIT": "1"]

    /// Runs `executable` with `arguments` and returns its exit status and output.
    ///
    /// A tool killed by a signal reports 128 + the signal, as a shell would; one that outlives
    /// `timeout` is killed and reported as an error.
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        combineOutput: Bool = false, timeout: TimeInterval = 120
    ) throws -> Result {
        let (outputReader, outputWriter) = try Spawn.channel()
        defer { close(outputReader) }
        let errorFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("ccdirsync-tool-\(UUID().uuidString).err")
        defer { if !combineOutput { try? FileManager.default.removeItem(at: errorFile) } }
        let pid: pid_t
        do {
            // Only the child may hold the write ends, or reading would never see end-of-file.
            defer { close(outputWriter) }
            let input = try Spawn.open("/dev/null", O_RDONLY)
            defer { close(input) }
            let errors = combineOutput ? outputWriter : try Spawn.open(errorFile.path, O_WRONLY | O_CREAT | O_TRUNC)
            defer { if !combineOutput { close(errors) } }
            pid = try Spawn.start(
                executable, arguments, environment: environment, stdin: input, stdout: outputWriter, stderr: errors)
        }

        let deadline = Deadline(pid: pid)
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { deadline.expire() }
        let output = Spawn.readAll(outputReader)
        // Wait without reaping first: until the zombie is reaped its pid cannot be reused, so
        // the deadline cannot hit an unrelated process that got the same pid.
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1 && errno == EINTR {}
        let killed = deadline.finish()
        var status: Int32 = 0
        _ = Spawn.wait(pid, blocking: true, status: &status)
        if killed {
            throw SlapdError("\(executable) \(arguments.joined(separator: " ")) took longer than \(Int(timeout)) s")
        }
        let errors = combineOutput ? Data() : ((try? Data(contentsOf: errorFile)) ?? Data())
        return Result(
            status: Spawn.exitCode(status), output: String(decoding: output, as: UTF8.self),
            errors: String(decoding: errors, as: UTF8.self))
    }

    /// Runs a tool and throws unless it exits 0; `what` names the step for the error message.
    @discardableResult
    static func check(
        _ executable: String, _ arguments: [String], what: String, environment: [String: String] = [:],
        timeout: TimeInterval = 120
    ) throws -> Result {
        let result = try run(executable, arguments, environment: environment, timeout: timeout)
        guard result.status == 0 else {
            throw SlapdError("\(what) failed (\(executable) exit \(result.status)): \(result.transcript)")
        }
        return result
    }

    /// Kills a tool that runs past its deadline, unless it has finished by then.
    private final class Deadline: @unchecked Sendable {
        private let pid: pid_t
        private let lock = NSLock()
        private var finished = false
        private var killed = false

        init(pid: pid_t) {
            self.pid = pid
        }

        /// Called when the deadline passes.
        func expire() {
            lock.lock()
            defer { lock.unlock() }
            guard !finished else { return }
            killed = true
            kill(pid, SIGKILL)
        }

        /// Called once the tool has exited (not yet reaped); tells whether the deadline killed it.
        func finish() -> Bool {
            lock.lock()
            defer { lock.unlock() }
            finished = true
            return killed
        }
    }
}
