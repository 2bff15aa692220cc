import Foundation
import TestSupport

/// One run of a built binary as a child process, its output in files, so the suite can kill it at a chosen moment.
final class Child {
    let pid: pid_t
    let stdoutPath: String
    let stderrPath: String
    private(set) var status: Int32?

    /// Starts `binary arguments`, standard output and error to `<log>.out` and `<log>.err`.
    init(_ binary: String, _ arguments: [String], log: String) throws {
        stdoutPath = log + ".out"
        stderrPath = log + ".err"
        let input = try Spawn.open("/dev/null", O_RDONLY)
        defer { close(input) }
        let output = try Spawn.open(stdoutPath, O_WRONLY | O_CREAT | O_TRUNC)
        defer { close(output) }
        let errors = try Spawn.open(stderrPath, O_WRONLY | O_CREAT | O_TRUNC)
        defer { close(errors) }
        pid = try Spawn.start(binary, arguments, stdin: input, stdout: output, stderr: errors)
    }

    /// The exit code (128 + signal when a signal ended it) once the child ended, nil while it runs.
    func poll() -> Int32? {
        if let status { return status }
        var raw: Int32 = 0
        var result: pid_t
        repeat { result = waitpid(pid, &raw, WNOHANG) } while result == -1 && errno == EINTR
        if result == pid { status = Spawn.exitCode(raw) }
        return status
    }

    /// Waits for the end; kills the child after `timeout` seconds (a hang is a failure, not a wait forever).
    func wait(timeout: TimeInterval = 900) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while poll() == nil {
            if Date() > deadline {
                kill(pid, SIGKILL)
                var raw: Int32 = 0
                _ = waitpid(pid, &raw, 0)
                status = Spawn.exitCode(raw)
                break
            }
            usleep(5_000)
        }
        return status ?? -1
    }

    /// kill -9, then the exit code (137, or the code it had already ended with).
    func killNow() -> Int32 {
        if poll() == nil { kill(pid, SIGKILL) }
        return wait()
    }

    var standardError: String {
        (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
    }

    var standardOutput: String {
        (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? ""
    }

    /// Runs to the end and returns the exit code.
    static func run(_ binary: String, _ arguments: [String], log: String) throws -> Child {
        let child = try Child(binary, arguments, log: log)
        _ = child.wait()
        return child
    }
}

/// Watches a state directory's journal as a run writes it: how many change lines of each kind so far.
final class JournalWatcher {
    let state: String
    private(set) var path: String?
    private var offset: UInt64 = 0
    private var partial = Data()
    private(set) var lines = 0
    private(set) var changes: [String: Int] = [:]
    /// The kind of the last change line: the phase the run was in.
    private(set) var lastKind: String?

    init(state: String) {
        self.state = state
    }

    /// Reads what was appended since the last call.
    func refresh() {
        if path == nil {
            path = Files.matching(state, suffix: "-journal.jsonl").last
        }
        guard let path, let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: offset)) != nil, let data = try? handle.readToEnd(), !data.isEmpty else {
            return
        }
        offset += UInt64(data.count)
        partial.append(data)
        while let newline = partial.firstIndex(of: 0x0A) {
            let line = String(decoding: partial[partial.startIndex..<newline], as: UTF8.self)
            partial.removeSubrange(partial.startIndex...newline)
            lines += 1
            if line.contains("\"record\":\"change\""), let kind = Self.kind(line) {
                changes[kind, default: 0] += 1
                lastKind = kind
            }
        }
    }

    /// Journal lines of one kind (`create`, `modify`, `delete`): two per change that got its answer.
    func count(_ kind: String) -> Int {
        changes[kind] ?? 0
    }

    private static func kind(_ line: String) -> String? {
        guard let range = line.range(of: "\"kind\":\"") else { return nil }
        return String(line[range.upperBound...].prefix { $0 != "\"" })
    }
}

enum Files {
    /// The files of `directory` whose names end in `suffix`, sorted by name (state files sort by time).
    static func matching(_ directory: String, suffix: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(suffix) }.sorted().map { (directory as NSString).appendingPathComponent($0) }
    }

    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}
