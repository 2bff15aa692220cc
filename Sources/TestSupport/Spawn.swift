import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Starts child processes with `posix_spawn`, for `ToolRunner`, `SlapdProcess` and tests that measure a child.
///
/// Foundation's `Process` does not fit here, for three reasons:
///
/// - it does not reset the signal mask, so a child inherits the mask of whichever thread
///   started it; the Swift test runner's threads block SIGTERM, and a slapd started from one
///   of them never sees SIGTERM at all;
/// - `waitUntilExit()` polls its run loop in 50 ms steps, so each of the dozen tool runs of
///   a server start cost 50 ms instead of 1;
/// - the child keeps a socket Foundation uses to notice its exit, and a slapd that inherits
///   it from its watchdog shell hides the watchdog's exit.
///
/// Every child here starts with an empty signal mask, default signal dispositions, and no
/// descriptors but stdin, stdout and stderr, so it holds no other process's pipe open.
package enum Spawn {
    /// Starts `path` with `arguments` (argv[1...]) and the given stdin/stdout/stderr descriptors.
    ///
    /// `environment` is added to this process's environment. With `ownProcessGroup` the child
    /// leads a new process group, which a later `kill(-pid, …)` can signal as a whole.
    package static func start(
        _ path: String, _ arguments: [String], environment: [String: String] = [:], stdin: Int32, stdout: Int32,
        stderr: Int32, ownProcessGroup: Bool = false
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        var failures: [String] = []
        func require(_ result: Int32, _ step: String) {
            if result != 0 { failures.append("\(step): \(String(cString: strerror(result)))") }
        }
        require(posix_spawn_file_actions_adddup2(&actions, stdin, 0), "stdin")
        require(posix_spawn_file_actions_adddup2(&actions, stdout, 1), "stdout")
        require(posix_spawn_file_actions_adddup2(&actions, stderr, 2), "stderr")
        require(addCloseFrom3(&actions), "closing descriptors")
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        require(posix_spawnattr_setsigmask(&attributes, &noSignals), "signal mask")
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        require(posix_spawnattr_setsigdefault(&attributes, &allSignals), "signal defaults")
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if ownProcessGroup {
            require(posix_spawnattr_setpgroup(&attributes, 0), "process group")
            flags |= POSIX_SPAWN_SETPGROUP
        }
        require(posix_spawnattr_setflags(&attributes, Int16(flags)), "flags")
        guard failures.isEmpty else {
            throw SlapdError("cannot prepare to start \(path): \(failures.joined(separator: "; "))")
        }

        let argv = [path] + arguments
        let environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0)=\($1)" }
        var pid: pid_t = 0
        let result = withCStrings(argv) { argv in
            withCStrings(environment) { envp in
                posix_spawn(&pid, path, &actions, &attributes, argv, envp)
            }
        }
        guard result == 0 else { throw SlapdError("cannot start \(path): \(String(cString: strerror(result)))") }
        return pid
    }

    /// A connected pair of descriptors, close-on-exec from birth, that works like a pipe.
    ///
    /// A socket pair because Swift's Glibc module has no `pipe2`, and a descriptor that is not
    /// close-on-exec from birth could leak into a child another thread starts at that moment.
    /// Reads see end-of-file once every copy of the other end is closed, as with a pipe.
    static func channel() throws -> (Int32, Int32) {
        var ends: [Int32] = [-1, -1]
        #if canImport(Glibc)
            let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
            guard socketpair(AF_UNIX, type, 0, &ends) == 0 else {
                throw SlapdError("socketpair() failed: errno \(errno)")
            }
        #else
            guard socketpair(AF_UNIX, SOCK_STREAM, 0, &ends) == 0 else {
                throw SlapdError("socketpair() failed: errno \(errno)")
            }
            for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        #endif
        return (ends[0], ends[1])
    }

    /// Opens a file close-on-exec, for a child's stdin, stdout or stderr.
    package static func open(_ path: String, _ flags: Int32) throws -> Int32 {
        #if canImport(Glibc)
            let fd = Glibc.open(path, flags | O_CLOEXEC, 0o644)
        #else
            let fd = Darwin.open(path, flags | O_CLOEXEC, 0o644)
        #endif
        guard fd >= 0 else { throw SlapdError("cannot open \(path): \(String(cString: strerror(errno)))") }
        return fd
    }

    /// Reads a descriptor to end-of-file.
    static func readAll(_ fd: Int32) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[0..<count])
            } else if count == 0 || errno != EINTR {
                return data
            }
        }
    }

    /// `waitpid`, retried on EINTR: the pid when the child was reaped, 0 while it runs, -1 on error.
    static func wait(_ pid: pid_t, blocking: Bool, status: inout Int32) -> pid_t {
        var result: pid_t
        repeat {
            result = waitpid(pid, &status, blocking ? 0 : WNOHANG)
        } while result == -1 && errno == EINTR
        return result
    }

    /// A `waitpid` status as a shell would report it: the exit code, or 128 + the signal.
    package static func exitCode(_ status: Int32) -> Int32 {
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    /// Closes every descriptor from 3 up in the child.
    ///
    /// glibc 2.34+ has `posix_spawn_file_actions_addclosefrom_np`, which Swift's Glibc module
    /// does not import, so it is looked up at run time. Without it, the descriptors open now
    /// are closed one by one, as Foundation does (racy against other threads, but only then).
    private static func addCloseFrom3(_ actions: inout posix_spawn_file_actions_t) -> Int32 {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            return unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap { Int32($0) }
        for fd in open ?? Array(3..<1024) where fd >= 3 {
            let result = posix_spawn_file_actions_addclose(&actions, fd)
            if result != 0 { return result }
        }
        return 0
    }

    /// Calls `body` with a NULL-terminated C array of copies of `strings`.
    private static func withCStrings<R>(
        _ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R
    ) -> R {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        return pointers.withUnsafeBufferPointer { buffer in
            // The buffer always holds at least the terminating nil, so it has a base address.
            guard let base = buffer.baseAddress else { preconditionFailure("empty C string array") }
            return body(base)
        }
    }
}
