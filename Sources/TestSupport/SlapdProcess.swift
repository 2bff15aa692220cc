import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// slapd, running in the foreground under a small watchdog shell that is our child.
///
/// A test process that crashes or is killed (`kill -9`, a CI timeout) never calls `stop()`,
/// and a slapd started by it would live on forever. So slapd is not started directly: we
/// start `/bin/sh` (the watchdog) with its stdin connected to a "lifeline" whose other end
/// only this process holds (close-on-exec, so no other child inherits it). The watchdog
/// starts slapd in the background and blocks reading the lifeline. That read returns
/// end-of-file exactly when our end is closed: by `stop()`, or by the kernel when this
/// process dies, however it dies. The watchdog then sends slapd SIGTERM, waits for it and
/// exits. There is no polling and no parent PID to check (and so no PID reuse to fear).
///
/// The watchdog is started through `Spawn` (empty signal mask, so slapd can receive SIGTERM)
/// as the leader of a new process group; slapd stays in that group. If slapd does not stop
/// within the timeout, `stop` kills the whole group with SIGKILL. Being a group of its own
/// also keeps a terminal's Ctrl-C away from slapd: it reaches the test process, whose death
/// closes the lifeline.
final class SlapdProcess: @unchecked Sendable {
    /// The watchdog's PID, which is also its process group's ID.
    let pid: pid_t
    private let lock = NSLock()
    private var lifeline: Int32
    private var status: Int32?

    /// The watchdog. `$1` slapd.conf, `$2` the listener URLs; stdin is the lifeline.
    ///
    /// fd 3 keeps the lifeline for the reader; slapd gets neither it nor a stdin. `wait`
    /// returns early when a trapped signal arrives, hence the loop until slapd is gone.
    static let script = """
        exec 3<&0 </dev/null
        /usr/sbin/slapd -f "$1" -h "$2" -d none 3<&- &
        slapd=$!
        trap 'kill -TERM $slapd 2>/dev/null' TERM INT HUP
        ( read -r _ <&3; kill -TERM $slapd 2>/dev/null ) &
        reader=$!
        exec 3<&-
        while :; do
            wait $slapd
            status=$?
            kill -0 $slapd 2>/dev/null || break
        done
        kill $reader 2>/dev/null
        echo "ccdirsync watchdog: slapd exited with status $status"
        exit $status
        """

    private init(pid: pid_t, lifeline: Int32) {
        self.pid = pid
        self.lifeline = lifeline
    }

    deinit {
        stop(timeout: 5)
    }

    /// Starts the watchdog, which starts slapd with `config`, listening on `urls`.
    ///
    /// slapd runs with `-d none`: in the foreground, logging only errors and its start and
    /// stop to stderr. That, and the watchdog's own last word, is appended to `log`.
    static func launch(config: URL, urls: [String], log: URL) throws -> SlapdProcess {
        let (watchdogEnd, ourEnd) = try Spawn.channel()
        defer { close(watchdogEnd) }
        do {
            let output = try Spawn.open(log.path, O_WRONLY | O_CREAT | O_APPEND)
            defer { close(output) }
            let arguments = ["-c", script, "ccdirsync-slapd-watchdog", config.path, urls.joined(separator: " ")]
            let pid = try Spawn.start(
                "/bin/sh", arguments, stdin: watchdogEnd, stdout: output, stderr: output, ownProcessGroup: true)
            return SlapdProcess(pid: pid, lifeline: ourEnd)
        } catch {
            close(ourEnd)
            throw SlapdError("cannot start slapd's watchdog: \(error)")
        }
    }

    /// The watchdog's exit status once it has exited (slapd's, or 128 + a signal), else nil.
    func exitStatus() -> Int32? {
        lock.lock()
        defer { lock.unlock() }
        return reap(blocking: false)
    }

    /// Stops slapd: closes the lifeline, waits up to `timeout`, then SIGKILLs the group.
    ///
    /// Returns once the watchdog has exited, and with it slapd, which it waits for. Idempotent.
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
