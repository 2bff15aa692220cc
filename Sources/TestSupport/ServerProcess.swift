import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A test server (slapd, samba), running in the foreground under a small watchdog shell that is our child.
///
/// A test process that crashes or is killed (`kill -9`, a CI timeout) never calls `stop()`,
/// and a server started by it would live on forever. So the server is not started directly: we
/// start `/bin/sh` (the watchdog) with its stdin connected to a "lifeline" whose other end
/// only this process holds (close-on-exec, so no other child inherits it). The watchdog
/// starts the server in the background and blocks reading the lifeline. That read returns
/// end-of-file exactly when our end is closed: by `stop()`, or by the kernel when this
/// process dies, however it dies. The watchdog then sends the server SIGTERM, waits for it and
/// exits. There is no polling and no parent PID to check (and so no PID reuse to fear).
///
/// The watchdog is started through `Spawn` (empty signal mask, so the server can receive SIGTERM)
/// as the leader of a new process group; the server stays in that group. If it does not stop
/// within the timeout, `stop` kills the whole group with SIGKILL. Being a group of its own
/// also keeps a terminal's Ctrl-C away from the server: it reaches the test process, whose death
/// closes the lifeline.
final class ServerProcess: @unchecked Sendable {
    /// The watchdog's PID, which is also its process group's ID.
    let pid: pid_t
    private let lock = NSLock()
    private var lifeline: Int32
    private var status: Int32?

    /// The watchdog. `$@` the server's command line; stdin is the lifeline.
    ///
    /// fd 3 keeps the lifeline for the reader; the server gets neither it nor a stdin. `wait`
    /// returns early when a trapped signal arrives, hence the loop until the server is gone.
    static let script = """
        exec 3<&0 </dev/null
        "$@" 3<&- &
        server=$!
        trap 'kill -TERM $server 2>/dev/null' TERM INT HUP
        ( read -r _ <&3; kill -TERM $server 2>/dev/null ) &
        reader=$!
        exec 3<&-
        while :; do
            wait $server
            status=$?
            kill -0 $server 2>/dev/null || break
        done
        kill $reader 2>/dev/null
        echo "ccdirsync watchdog: $1 exited with status $status"
        exit $status
        """

    private init(pid: pid_t, lifeline: Int32) {
        self.pid = pid
        self.lifeline = lifeline
    }

    deinit {
        stop(timeout: 5)
    }

    /// Starts the watchdog, which starts `executable` with `arguments`.
    ///
    /// The server must stay in the foreground; its stdout and stderr, and the watchdog's own
    /// last word, are appended to `log`.
    static func launch(_ executable: String, _ arguments: [String], log: URL) throws -> ServerProcess {
        let (watchdogEnd, ourEnd) = try Spawn.channel()
        defer { close(watchdogEnd) }
        do {
            let output = try Spawn.open(log.path, O_WRONLY | O_CREAT | O_APPEND)
            defer { close(output) }
            let arguments = ["-c", script, "ccdirsync-server-watchdog", executable] + arguments
            let pid = try Spawn.start(
                "/bin/sh", arguments, stdin: watchdogEnd, stdout: output, stderr: output, ownProcessGroup: true)
            return ServerProcess(pid: pid, lifeline: ourEnd)
        } catch {
            close(ourEnd)
            throw SlapdError("cannot start the watchdog of \(executable): \(error)")
        }
    }

    /// The watchdog's exit status once it has exited (the server's, or 128 + a signal), else nil.
    func exitStatus() -> Int32? {
        lock.lock()
        defer { lock.unlock() }
        return reap(blocking: false)
    }

    /// Stops the server: closes the lifeline, waits up to `timeout`, then SIGKILLs the group.
    ///
    /// Returns once the watchdog has exited, and with it the server, which it waits for. Idempotent.
    func stop(timeout: TimeInterval) {
        lock.lock()
        defer { lock.unlock() }
        if lifeline >= 0 {
            close(lifeline)
            lifeline = -1
        }
        let deadline = Date().addingTimeInterval(timeout)
        while reap(blocking: false) == nil {
            guard Date() < deadline else {
                kill(-pid, SIGKILL)
                _ = reap(blocking: true)
                return
            }
            usleep(2_000)
        }
    }

    /// Reaps the watchdog if it has exited and caches its status. Call with the lock held.
    private func reap(blocking: Bool) -> Int32? {
        if let status { return status }
        var raw: Int32 = 0
        switch Spawn.wait(pid, blocking: blocking, status: &raw) {
        case 0: return nil
        case pid: status = Spawn.exitCode(raw)
        default: status = -1  // ECHILD: reaped elsewhere; gone either way.
        }
        return status
    }
}
