import Config
import Foundation
import Sync

/// The run's own folder (`state.directory`): the lock, and each run's plan, report and journal.
///
/// Nothing in it is ever overwritten: each run's files carry a run id of their own and are created exclusively.
struct StateDirectory {
    let path: String

    init(_ settings: StateSettings) throws(CommandFailure) {
        path = settings.directory.resolvedPath
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure(
                .stateNotWritable,
                "cannot create the state directory \(settings.directory.declaredPath): \(FileReading.reason(error))")
        }
    }

    /// The files of a new run for the plan: an id no file in the directory uses yet.
    func newRun(planHash: String, date: Date = Date()) -> RunFiles {
        let names = Set((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
        while true {
            let random = String(format: "%06x", UInt32.random(in: 0...0xFF_FFFF))
            let run = RunFiles(directory: path, id: "\(Self.stamp(date))-\(planHash.prefix(12))-\(random)")
            if !RunFiles.kinds.contains(where: { names.contains("\(run.id)-\($0)") }) {
                return run
            }
        }
    }

    static func stamp(_ date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    /// Removes the temporary files a killed run left while writing one of the directory's own files
    /// (`.<run file or lock file>.tmp`, see `Terminal.writeFile`). Only the lock holder calls it, so no run is
    /// writing them now.
    func removeStaleTemporaries() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") {
            let inner = name.dropFirst().dropLast(".tmp".count)
            guard inner == RunLock.fileName || RunFiles.kinds.contains(where: { inner.hasSuffix("-\($0)") }) else {
                continue
            }
            try? FileManager.default.removeItem(atPath: (path as NSString).appendingPathComponent(name))
        }
    }
}

/// The files one run keeps: `<UTC time>-<first 12 hex digits of the plan hash>-<random>-<kind>`, sorted by time.
struct RunFiles {
    static let kinds = ["plan.json", "report.html", "journal.jsonl"]

    let directory: String
    let id: String

    var plan: String { path("plan.json") }
    var report: String { path("report.html") }
    var journal: String { path("journal.jsonl") }

    private func path(_ kind: String) -> String {
        (directory as NSString).appendingPathComponent("\(id)-\(kind)")
    }
}

/// The exclusive lock that keeps two runs from writing at once.
///
/// flock(2) on the state directory itself: the kernel drops it when the process ends however it ends, so a crashed
/// run never blocks the next, and no file can be removed or replaced from under it (a lock on a file would be lost
/// with the file's name, letting a second run lock a new file of the same name). `ccdirsync.lock` in the directory
/// only records who holds the lock, for the message a second run prints.
final class RunLock {
    static let fileName = "ccdirsync.lock"

    private let descriptor: Int32

    init(state: StateDirectory) throws(CommandFailure) {
        let file = (state.path as NSString).appendingPathComponent(Self.fileName)
        let descriptor = open(state.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw CommandFailure(
                .stateNotWritable, "cannot open the state directory \(state.path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            defer { close(descriptor) }
            guard reason == EWOULDBLOCK else {
                throw CommandFailure(
                    .stateNotWritable,
                    "cannot lock the state directory \(state.path): \(String(cString: strerror(reason)))")
            }
            throw CommandFailure(
                .locked, "another ccdirsync run holds the lock \(file): \(Self.holder(of: descriptor, file: file))")
        }
        self.descriptor = descriptor
        let text =
            "pid \(getpid()) on \(ProcessInfo.processInfo.hostName) since \(ISO8601DateFormatter().string(from: Date()))\n"
        do {
            try Terminal.writeFile(Array(text.utf8), to: file, failure: .stateNotWritable)
        } catch {
            close(descriptor)
            throw error
        }
        state.removeStaleTemporaries()
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// Who holds the lock now: the process the kernel names (`/proc/locks`), with the lock file's words once the
    /// file names that process. The winner writes the file just after it takes the lock, so a file naming someone
    /// else is read again for a moment; a previous, finished holder is never named.
    static func holder(of descriptor: Int32, file: String) -> String {
        var info = stat()
        let inode = fstat(descriptor, &info) == 0 ? UInt64(info.st_ino) : nil
        let deadline = Date().addingTimeInterval(0.5)
        while true {
            let text = ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard let inode, let pid = lockingProcess(inode: inode) else {
                // No kernel record to check against (not Linux, or the holder just let go): the file's words.
                return text.isEmpty ? "unknown" : text
            }
            if text.hasPrefix("pid \(pid) ") {
                return text
            }
            if Date() > deadline {
                return "pid \(pid) on \(ProcessInfo.processInfo.hostName)"
            }
            usleep(20_000)
        }
    }

    /// The process holding a flock on the inode, from `/proc/locks` (`1: FLOCK ADVISORY WRITE <pid> <maj:min:inode>
    /// 0 EOF`; waiting requests are marked `->` and skipped).
    static func lockingProcess(inode: UInt64) -> Int32? {
        guard let table = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else {
            return nil
        }
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[1] == "FLOCK", fields[3] == "WRITE",
                fields[5].split(separator: ":").last == Substring(String(inode))
            else {
                continue
            }
            return Int32(fields[4])
        }
        return nil
    }
}

/// A journal file, one JSON line per change, each written with write(2) as it happens.
///
/// Created exclusively (a journal is never overwritten); a line that cannot be written is an error the applier
/// stops on.
final class FileJournal: JournalSink {
    private let descriptor: Int32
    let path: String

    init(path: String) throws(CommandFailure) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CommandFailure(
                .stateNotWritable, "cannot create the journal \(path): \(String(cString: strerror(errno)))")
        }
        self.descriptor = descriptor
        self.path = path
    }

    func append(_ record: JournalRecord) throws(JournalWriteError) {
        let line = record.line
        var written = 0
        while written < line.count {
            let count = line.withUnsafeBytes { bytes in
                write(descriptor, bytes.baseAddress.map { $0 + written }, bytes.count - written)
            }
            if count < 0, errno == EINTR {
                continue
            }
            guard count > 0 else {
                throw JournalWriteError("\(path): \(count < 0 ? String(cString: strerror(errno)) : "nothing written")")
            }
            written += count
        }
    }

    deinit {
        close(descriptor)
    }
}
