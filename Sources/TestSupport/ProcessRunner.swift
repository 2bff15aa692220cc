import Foundation

/// Runs a command-line tool to completion and collects its output.
enum ProcessRunner {
    struct Result {
        var status: Int32
        var output: String
    }

    /// Runs `executable` with `arguments`; stdout and stderr are collected together.
    ///
    /// The output is read before waiting, so a chatty tool cannot block on a full pipe.
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil
    ) throws
        -> Result
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// Runs a tool and throws unless it exits 0.
    @discardableResult
    static func check(_ executable: String, _ arguments: [String], what: String) throws -> String {
        let result = try run(executable, arguments)
        guard result.status == 0 else {
            throw SlapdError("\(what) failed (exit \(result.status)): \(result.output)")
        }
        return result.output
    }
}

/// A test server could not be set up; the message says what and includes the tool's output.
public struct SlapdError: Error, Sendable, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
