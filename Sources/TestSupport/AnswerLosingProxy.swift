import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A TCP proxy on loopback in front of an LDAP server that loses the answers to the first writes it forwards: the
/// server applies them, the client never hears back, and then the connection drops.
///
/// From the first write request (add, modify, delete, modify DN) on, the proxy goes on forwarding requests but
/// drops every answer, and once the client has sent nothing for `quietPeriod` it closes both sides, so every write
/// the client handed over on that connection reached the server. Later connections are forwarded faithfully
/// (`AfterLoss.forward`, a connection that comes back) or refused (`.refuse`, a server that stays unreachable).
/// It counts the write requests that reached the server, to compare with what a client says it sent.
package final class AnswerLosingProxy: @unchecked Sendable {
    package enum AfterLoss: Sendable {
        case forward
        case refuse
    }

    package let port: Int
    private let targetPort: Int
    private let afterLoss: AfterLoss
    private let quietPeriod: Double
    private let listener: Int32
    private let lock = NSLock()
    private var lost = false
    private var writes = 0
    private var stopped = false

    package init(targetPort: Int, afterLoss: AfterLoss, quietPeriod: Double = 0.3) throws {
        self.targetPort = targetPort
        self.afterLoss = afterLoss
        self.quietPeriod = quietPeriod
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = Self.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard fd >= 0, bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw SlapdError("the proxy cannot listen on loopback: errno \(errno)")
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// The write requests forwarded to the server so far, on every connection.
    package var forwardedWrites: Int {
        lock.withLock { writes }
    }

    /// Whether the answers of a connection have been lost yet.
    package var hasLost: Bool {
        lock.withLock { lost }
    }

    package func stop() {
        lock.withLock { stopped = true }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    deinit {
        stop()
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                return
            }
            let refuse = lock.withLock { stopped || (lost && afterLoss == .refuse) }
            let server = refuse ? -1 : Self.dial(port: targetPort)
            guard server >= 0 else {
                close(client)
                continue
            }
            let connection = Connection(client: client, server: server)
            Thread { [self] in forwardRequests(connection) }.start()
            Thread { [self] in forwardAnswers(connection) }.start()
        }
    }

    private final class Connection: @unchecked Sendable {
        let client: Int32
        let server: Int32
        let lock = NSLock()
        var losing = false
        var lastRequest = Date()
        var closed = false

        init(client: Int32, server: Int32) {
            self.client = client
            self.server = server
        }

        func closeBoth() {
            let first = lock.withLock {
                defer { closed = true }
                return !closed
            }
            if first {
                shutdown(client, Int32(SHUT_RDWR))
                shutdown(server, Int32(SHUT_RDWR))
            }
        }
    }

    /// Client to server: every byte, counting the write requests among the complete LDAP messages.
    private func forwardRequests(_ connection: Connection) {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(connection.client, &buffer, buffer.count)
            guard count > 0 else {
                break
            }
            pending += buffer[0..<count]
            var writesHere = 0
            while let (length, operation) = Self.message(in: pending) {
                if [0x66, 0x68, 0x4A, 0x6C].contains(operation) {
                    writesHere += 1
                }
                pending.removeFirst(length)
            }
            // Losing starts before the first write reaches the server, so its answer cannot slip through.
            var startLosing = false
            if writesHere > 0 {
                startLosing = lock.withLock {
                    defer { lost = true }
                    return !lost
                }
                if startLosing {
                    connection.lock.withLock { connection.losing = true }
                }
            }
            guard Self.sendAll(connection.server, Array(buffer[0..<count])) else {
                break
            }
            lock.withLock { writes += writesHere }
            connection.lock.withLock { connection.lastRequest = Date() }
            if startLosing {
                Thread { [self] in closeWhenQuiet(connection) }.start()
            }
        }
        connection.closeBoth()
        close(connection.client)
    }

    /// Server to client: every answer, except on the losing connection.
    private func forwardAnswers(_ connection: Connection) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(connection.server, &buffer, buffer.count)
            guard count > 0 else {
                break
            }
            if connection.lock.withLock({ connection.losing }) {
                continue
            }
            guard Self.sendAll(connection.client, Array(buffer[0..<count])) else {
                break
            }
        }
        connection.closeBoth()
        close(connection.server)
    }

    private func closeWhenQuiet(_ connection: Connection) {
        while true {
            usleep(50_000)
            let quiet = connection.lock.withLock { Date().timeIntervalSince(connection.lastRequest) }
            if quiet >= quietPeriod {
                connection.closeBoth()
                return
            }
        }
    }

    /// The length and protocol operation tag of the first complete LDAP message (BER: SEQUENCE { messageID,
    /// protocolOp, ... }), or nil until one has arrived whole.
    static func message(in bytes: [UInt8]) -> (length: Int, operation: UInt8)? {
        guard let (header, body) = lengthField(bytes, at: 0), bytes.count >= header + body else {
            return nil
        }
        // messageID: INTEGER with a short length.
        let idStart = header
        guard idStart + 1 < bytes.count else {
            return nil
        }
        let operationAt = idStart + 2 + Int(bytes[idStart + 1])
        guard operationAt < bytes.count else {
            return nil
        }
        return (header + body, bytes[operationAt])
    }

    /// The size of the tag and length octets at `start`, and the length they give.
    private static func lengthField(_ bytes: [UInt8], at start: Int) -> (Int, Int)? {
        guard bytes.count >= start + 2 else {
            return nil
        }
        let first = Int(bytes[start + 1])
        if first < 0x80 {
            return (2, first)
        }
        let octets = first & 0x7F
        guard bytes.count >= start + 2 + octets else {
            return nil
        }
        var length = 0
        for index in 0..<octets {
            length = length << 8 | Int(bytes[start + 2 + index])
        }
        return (2 + octets, length)
    }

    private static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else {
                return false
            }
            sent += count
        }
        return true
    }

    private static func dial(port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            return -1
        }
        return fd
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
