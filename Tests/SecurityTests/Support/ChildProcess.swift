import Foundation
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// What one run of a child process left behind: exit status, output, peak memory and time.
struct ChildRun {
    var status: Int32
    var stdout: String
    var stderr: String
    /// The program's peak resident set size in KiB, as GNU time measured it (-1 when not measured).
    var peakKiB: Int
    var seconds: Double

    /// Both output streams, for messages and for scanning.
    var output: String { stdout + stderr }
}

/// Runs a program as a child, optionally measuring its peak memory.
///
/// Peak memory comes from GNU time (`/usr/bin/time -f %M`), which forks the program from its own small process.
/// `ru_maxrss` of a child this test process starts directly is no measure: `posix_spawn` shares the parent's memory
/// until `exec`, and Linux carries that memory's high-water mark into the child's `maxrss`, so every child would
/// report at least the test runner's own peak. Output goes to temporary files, so a chatty child never blocks on a full pipe. A child that outlives `timeout`
/// is killed and reported as an error, so a hang fails the test instead of stalling the run.
enum ChildProcess {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `executable`; `environment` is added to this process's environment. With `measureMemory` the program
    /// runs under GNU time and `peakKiB` is its peak RSS. `whileRunning` is called once with the pid as soon as the child has started.
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 60,
        measureMemory: Bool = false,
        whileRunning: ((pid_t) -> Void)? = nil
    ) throws -> ChildRun {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ccdirsync-child-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outPath = folder.appendingPathComponent("out").path
        let errPath = folder.appendingPathComponent("err").path
        let rssPath = folder.appendingPathComponent("rss").path
        let (program, argv) =
            measureMemory
            ? ("/usr/bin/time", ["-f", "%M", "-o", rssPath, executable] + arguments) : (executable, arguments)
        let pid: pid_t
        let started = Date()
        do {
            let input = try Spawn.open("/dev/null", O_RDONLY)
            defer { close(input) }
            let out = try Spawn.open(outPath, O_WRONLY | O_CREAT | O_TRUNC)
            defer { close(out) }
            let err = try Spawn.open(errPath, O_WRONLY | O_CREAT | O_TRUNC)
            defer { close(err) }
            pid = try Spawn.start(program, argv, environment: environment, stdin: input, stdout: out, stderr: err)
        }
        whileRunning?(pid)
        var status: Int32 = 0
        var usage = rusage()
        let deadline = Date().addingTimeInterval(timeout)
        var killed = false
        while true {
            let reaped = wait4(pid, &status, WNOHANG, &usage)
            if reaped == pid {
                break
            }
            if reaped == -1 && errno != EINTR {
                throw Failure(description: "wait4 failed: errno \(errno)")
            }
            if !killed && Date() > deadline {
                kill(pid, SIGKILL)
                killed = true
            }
            usleep(2_000)
        }
        let seconds = Date().timeIntervalSince(started)
        if killed {
            throw Failure(description: "\(executable) \(arguments) took longer than \(Int(timeout)) s")
        }
        var peak = -1
        if measureMemory {
            let report = (try? String(contentsOfFile: rssPath, encoding: .utf8)) ?? ""
            guard let last = report.split(separator: "\n").last, let kib = Int(last) else {
                throw Failure(description: "GNU time (/usr/bin/time, package time) measured nothing: \(report)")
            }
            peak = kib
        }
        return ChildRun(
            status: Spawn.exitCode(status),
            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "<not UTF-8>",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "<not UTF-8>",
            peakKiB: peak, seconds: seconds)
    }
}

/// The built `ccdirsync` executable, next to the test bundle in SwiftPM's build directory.
enum CCDirSync {
    static func path() throws -> String {
        var candidates: [URL] = []
        if let bundle = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            var directory = bundle.deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(directory.appendingPathComponent("ccdirsync"))
                directory = directory.deletingLastPathComponent()
            }
        }
        candidates.append(ProjectPaths.root.appendingPathComponent(".build/debug/ccdirsync"))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw ChildProcess.Failure(description: "ccdirsync binary not found; looked in \(candidates.map(\.path))")
        }
        return found.path
    }

    /// Runs ccdirsync with `arguments`, measuring its peak memory unless `whileRunning` needs its own pid.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 60,
        whileRunning: ((pid_t) -> Void)? = nil
    ) throws -> ChildRun {
        try ChildProcess.run(
            try path(), arguments, environment: environment, timeout: timeout, measureMemory: whileRunning == nil,
            whileRunning: whileRunning)
    }
}
