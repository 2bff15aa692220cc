import Config
import Foundation
import Sync

/// The run's own folder (`state.directory`): the lock, and each run's plan, report and journal.
struct StateDirectory {
    let path: String

    init(_ settings: StateSettings) throws(CommandFailure) {
        path = settings.directory.resolvedPath
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure(
                .failure,
                "cannot create the state directory \(settings.directory.declaredPath): \(FileReading.reason(error))")
        }
    }

    /// `<state>/<UTC time>-<first 12 hex digits of the plan hash>-<what>`, unique per run and sorted by time.
    func file(_ what: String, stamp: String, planHash: String) -> String {
        (path as NSString).appendingPathComponent("\(stamp)-\(planHash.prefix(12))-\(what)")
    }

    static func stamp(_ date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }
}

/// The exclusive lock that keeps two runs from writing at once.
///
/// flock(2) on `<state>/ccdirsync.lock`: the kernel drops it when the process ends however it ends, so a crashed
/// run never blocks the next. The file records who holds it, for the message the second run prints.
final class RunLock {
    private let descriptor: Int32

    init(state: StateDirectory) throws(CommandFailure) {
        let path = (state.path as NSString).appendingPathComponent("ccdirsync.lock")
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CommandFailure(.failure, "cannot open the lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 512)
            let count = pread(descriptor, &buffer, buffer.count, 0)
            close(descriptor)
            let holder = count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : "unknown"
            throw CommandFailure(
                .locked,
                "another ccdirsync run holds the lock \(path): \(holder.trimmingCharacters(in: .whitespacesAndNewlines))"
            )
        }
        self.descriptor = descriptor
        let host = ProcessInfo.processInfo.hostName
        let text = "pid \(getpid()) on \(host) since \(ISO8601DateFormatter().string(from: Date()))\n"
        _ = ftruncate(descriptor, 0)
        _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

/// A journal file, one JSON line per change, each written with write(2) as it happens.
final class FileJournal: JournalSink {
    private let handle: FileHandle
    let path: String

    init(path: String) throws(CommandFailure) {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else {
            throw CommandFailure(.failure, "cannot create the journal \(path)")
        }
        self.handle = handle
        self.path = path
    }

    func append(_ record: JournalRecord) {
        handle.write(Data(record.line))
    }

    deinit {
        try? handle.synchronize()
        try? handle.close()
    }
}
