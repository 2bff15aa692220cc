import Foundation

/// A bind password, kept out of every description, log line and error message.
///
/// It can only be made from a file or an environment variable, never from a command-line
/// argument, because argv is visible to every user of the machine through `ps`.
package struct Password: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The bytes sent in the simple bind.
    let bytes: [UInt8]

    /// For tests and for sources the caller has already read safely.
    package init(_ secret: String) {
        bytes = Array(secret.utf8)
    }

    package var description: String { "<redacted>" }
    package var debugDescription: String { "<redacted>" }
    package var isEmpty: Bool { bytes.isEmpty }
}

/// Where the bind password comes from.
package enum PasswordSource: Sendable, Hashable, CustomStringConvertible {
    /// A file holding the password; one trailing line break is ignored.
    case file(String)
    /// The name of an environment variable holding the password.
    case environment(String)

    package var description: String {
        switch self {
        case .file(let path): "file \(path)"
        case .environment(let name): "environment variable \(name)"
        }
    }

    /// Reads the password.
    ///
    /// - Throws: `PasswordSourceError` naming the file or variable (never its content).
    package func load(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(PasswordSourceError)
        -> Password
    {
        switch self {
        case .file(let path):
            var bytes = try Self.contents(of: path, source: self)
            if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
            if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
            guard !bytes.isEmpty else { throw PasswordSourceError(source: self, reason: "the file is empty") }
            return Password(bytes: bytes)
        case .environment(let name):
            guard let value = environment[name] else {
                throw PasswordSourceError(source: self, reason: "the variable is not set")
            }
            guard !value.isEmpty else { throw PasswordSourceError(source: self, reason: "the variable is empty") }
            return Password(value)
        }
    }

    /// The file's bytes, or an error with the operating system's reason (no such file, permission denied).
    private static func contents(of path: String, source: Self) throws(PasswordSourceError) -> [UInt8] {
        func failure(_ what: String) -> PasswordSourceError {
            PasswordSourceError(source: source, reason: what + String(cString: strerror(errno)))
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("") }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw failure("reading failed: ") }
            guard count > 0 else { return bytes }
            bytes += buffer[0..<count]
        }
    }

    /// True when the password file can be read by its group or by others (a warning, not an
    /// error: some sites manage the file's group deliberately).
    package var isReadableByOthers: Bool {
        guard case .file(let path) = self,
            let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let permissions = attributes[.posixPermissions] as? NSNumber
        else { return false }
        return permissions.intValue & 0o044 != 0
    }
}

extension Password {
    init(bytes: [UInt8]) {
        self.bytes = bytes
    }
}

/// The password could not be read.
package struct PasswordSourceError: Error, Sendable, Hashable, CustomStringConvertible {
    package var source: PasswordSource
    package var reason: String

    package var description: String { "cannot read the bind password from \(source): \(reason)" }
}
