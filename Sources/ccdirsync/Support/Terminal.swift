import ArgumentParser
import Foundation
import Logging

/// Standard output and error, files, and the exit of a command: the only place ccdirsync prints.
enum Terminal {
    /// Text on standard output.
    ///
    /// SIGPIPE is ignored (see `CCDirSync.main`), so a reader that has gone away (`ccdirsync plan | head`) makes the
    /// write fail rather than kill the process; what it would have read is dropped, and the run goes on to its end
    /// (a sync is not stopped half-way through its writes because nobody reads its summary).
    static func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            try? FileHandle.standardOutput.write(contentsOf: UnsafeRawBufferPointer(bytes))
        }
    }

    static func write(bytes: [UInt8]) {
        try? FileHandle.standardOutput.write(contentsOf: bytes)
    }

    /// Text on standard error as it is (progress lines, `parse`'s messages); failures are dropped like `write`'s.
    static func writeError(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Array(text.utf8))
    }

    /// One line on standard error, prefixed `ccdirsync: `.
    static func warn(_ message: String) {
        writeError("ccdirsync: \(message)\n")
    }

    /// Whether standard output is a terminal.
    static var outputIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Whether reports on standard output are coloured (`usesColor(on:)`).
    static var usesColor: Bool { usesColor(on: STDOUT_FILENO) }

    /// Whether text written to `descriptor` is coloured: on a terminal, unless `NO_COLOR` is set to anything but the
    /// empty string (https://no-color.org). Reports on standard output and log lines on standard error share it.
    static func usesColor(on descriptor: Int32) -> Bool {
        isatty(descriptor) == 1 && ProcessInfo.processInfo.environment["NO_COLOR", default: ""].isEmpty
    }

    /// Writes a file through a temporary file in the same folder (`.<name>.tmp`) and a rename, so a reader never sees
    /// half a plan.
    ///
    /// `exclusive` never replaces an existing file (the state directory's run files): the temporary file is linked
    /// to its name, which fails when the name is taken. A failure is reported with the status `failure`.
    static func writeFile(
        _ bytes: [UInt8], to path: String, exclusive: Bool = false, failure: ExitStatus = .failure
    ) throws(CommandFailure) {
        try writeFile(to: path, exclusive: exclusive, failure: failure) { write in write(bytes) }
    }

    /// Writes a file as `writeFile(_:to:)` does, from the pieces `produce` hands to its `write` in order: a plan file
    /// of a million users is hundreds of megabytes that need not be held whole. After a piece fails to be written,
    /// the rest are passed over and the file is not made.
    static func writeFile(
        to path: String, exclusive: Bool = false, failure status: ExitStatus = .failure,
        _ produce: (_ write: ([UInt8]) -> Void) -> Void
    ) throws(CommandFailure) {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
        do {
            // Written from the arrays themselves: `Data(bytes)` would hold a second copy of each.
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                throw CocoaError(.fileWriteUnknown)
            }
            let handle = try FileHandle(forWritingTo: temporary)
            var failure: (any Error)?
            produce { piece in
                guard failure == nil else {
                    return
                }
                do {
                    try handle.write(contentsOf: piece)
                } catch {
                    failure = error
                }
            }
            if let failure {
                try? handle.close()
                throw failure
            }
            try handle.close()
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw CommandFailure(status, "cannot write \(path): \(FileReading.reason(error))")
        }
        // rename(2) replaces the target atomically; Foundation's replaceItemAt is not reliable on Linux. link(2)
        // gives the file its name only if the name is free.
        guard (exclusive ? link(temporary.path, url.path) : rename(temporary.path, url.path)) == 0 else {
            let reason = errno == EEXIST ? "it exists and is not overwritten" : String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw CommandFailure(status, "cannot write \(path): \(reason)")
        }
        if exclusive {
            try? FileManager.default.removeItem(at: temporary)
        }
    }

    /// Ends the process with `status` at once, for a command whose output is all written (standard output and
    /// error are unbuffered `FileHandle` writes) and which holds nothing else to clean up: no lock, no temporary
    /// file, no `defer` that must run.
    ///
    /// A verification of 100,000 users holds their verdicts, the directory read from the exports and the report;
    /// returning would free them object by object (0.15 s), where ending the process gives their memory back to the
    /// system whole.
    static func finish(_ status: ExitStatus) -> Never {
        exit(status.rawValue)
    }

    /// Runs a command body with logging set up as `logging` says and its logger bound as `Logger.current` (which the
    /// command hands to the libraries), reporting a `CommandFailure` on standard error and exiting with its status.
    static func run(logging: LoggingOptions, _ body: () throws -> ExitStatus) throws {
        let status: ExitStatus
        do {
            status = try withLogger(logging.bootstrap()) { _ in try body() }
        } catch let failure as CommandFailure {
            warn(failure.message)
            throw ExitCode(failure.status.rawValue)
        }
        if status != .success {
            throw ExitCode(status.rawValue)
        }
    }
}

/// Reading files, with the operating system's own words for what went wrong.
enum FileReading {
    /// The whole file, or a failure naming it.
    static func bytes(_ path: String, maximum: Int? = nil) throws(CommandFailure) -> [UInt8] {
        let url = URL(fileURLWithPath: path)
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            var bytes: [UInt8] = []
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                bytes += chunk
                if let maximum, bytes.count > maximum {
                    throw CommandFailure(.dataError, "\(path): larger than the limit of \(maximum) bytes")
                }
            }
            return bytes
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure(.dataError, "cannot read \(path): \(reason(error))")
        }
    }

    /// The operating system's words for an I/O error, without Foundation's framing.
    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
            let code = POSIXErrorCode(rawValue: Int32(underlying.code))
        {
            return String(cString: strerror(code.rawValue))
        }
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoSuchFileError {
            return "no such file"
        }
        return nsError.localizedDescription
    }
}
