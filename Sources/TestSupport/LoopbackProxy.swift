import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A TCP proxy on 127.0.0.1 in front of a server's port, for faults a real server does not make on its own.
///
/// Each client connection gets its own connection to the target and two threads that copy bytes, one per
/// direction. `mode` decides what happens to them:
///
/// - `forward`: a plain proxy;
/// - `loseAnswers`: requests still reach the server (so writes land), its answers are read and thrown away, as when
///   a network drops the replies of a connection that is about to die;
/// - `refuse`: new connections are closed at once (the server looks down).
///
/// `dropConnections()` cuts every open connection, both ends. The byte counters let a caller act at a point of a
/// client's read (after so many bytes of answers) rather than after a guessed delay. `loseAnswersFromFirstWrite`
/// makes the switch itself, exactly before the first LDAP write request reaches the server, and `forwardedWrites`
/// counts the write requests that did, to compare with what a client says it sent. `clearsSizeLimits` plays a
/// server that ignores the size limit a client asks for.
package final class LoopbackProxy: @unchecked Sendable {
    package enum Mode: Sendable {
        case forward
        case loseAnswers
        case refuse
    }

    /// The proxy's own port.
    package let port: Int
    /// `ldap://127.0.0.1:<port>`.
    package var url: String { "ldap://127.0.0.1:\(port)" }
    /// The port connections are forwarded to.
    package let targetPort: Int

    private let listener: Int32
    private let lock = NSLock()
    private var currentMode = Mode.forward
    private var connections: [Int: (client: Int32, server: Int32)] = [:]
    private var nextConnection = 0
    private var answered = 0
    private var requested = 0
    private var writes = 0
    private var stopped = false
    /// Set by `loseAnswersFromFirstWrite`: what the proxy does after the loss, and how long clients must be quiet.
    private var armed: (after: Mode, quietPeriod: Double)?
    private var lost = false
    private var lastRequest = Date()
    private var clearingSizeLimits = false

    /// Listens on a free 127.0.0.1 port and forwards to 127.0.0.1:`targetPort`.
    package init(targetPort: Int) throws {
        self.targetPort = targetPort
        let fd = socket(AF_INET, Self.streamSocket, 0)
        guard fd >= 0 else { throw SlapdError("proxy: socket() failed: \(Self.lastError())") }
        var yes: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = Loopback.address(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard bound == 0, named == 0, listen(fd, 64) == 0 else {
            let reason = Self.lastError()
            close(fd)
            throw SlapdError("proxy: cannot listen on 127.0.0.1: \(reason)")
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit {
        stop()
    }

    /// What the proxy does with connections from now on.
    package var mode: Mode {
        get { lock.withLock { currentMode } }
        set { lock.withLock { currentMode = newValue } }
    }

    /// Bytes of answers the server sent (forwarded or lost), over all connections.
    package var answerBytes: Int { lock.withLock { answered } }
    /// Bytes of requests the clients sent, over all connections.
    package var requestBytes: Int { lock.withLock { requested } }
    /// Connections open right now.
    package var openConnections: Int { lock.withLock { connections.count } }
    /// LDAP write requests (add, modify, delete, modify DN) forwarded to the server, over all connections.
    package var forwardedWrites: Int { lock.withLock { writes } }
    /// Whether `loseAnswersFromFirstWrite` has started losing.
    package var hasLost: Bool { lock.withLock { lost } }

    /// Whether search requests reach the server with a size limit of 0 (none), whatever the client asked: the server
    /// then answers as one that ignores the client's size limit (Samba, with its page size too). Requests are
    /// forwarded whole messages at a time while it is on; set it before the client connects.
    package var clearsSizeLimits: Bool {
        get { lock.withLock { clearingSizeLimits } }
        set { lock.withLock { clearingSizeLimits = newValue } }
    }

    /// From the first LDAP write request on, answers are lost (`loseAnswers` starts just before that request is
    /// forwarded, so no write's answer slips through); once clients have sent nothing for `quietPeriod` seconds,
    /// every connection is cut and the proxy turns to `after`: `forward` (the connection comes back) or `refuse` (the
    /// server stays unreachable). Every write a client handed over before the cut reached the server.
    package func loseAnswersFromFirstWrite(then after: Mode, quietPeriod: Double = 0.3) {
        lock.withLock { armed = (after, quietPeriod) }
    }

    /// Cuts every open connection, client and server side.
    package func dropConnections() {
        let open = lock.withLock { Array(connections.values) }
        for pair in open {
            shutdown(pair.client, Int32(SHUT_RDWR))
            shutdown(pair.server, Int32(SHUT_RDWR))
        }
    }

    /// Stops listening and cuts every connection.
    package func stop() {
        let wasStopped = lock.withLock {
            defer { stopped = true }
            return stopped
        }
        guard !wasStopped else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        dropConnections()
    }

    // MARK: - Forwarding

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            if lock.withLock({ stopped || currentMode == .refuse }) {
                close(client)
                continue
            }
            let server = socket(AF_INET, Self.streamSocket, 0)
            var address = Loopback.address(port: targetPort)
            let connected =
                server >= 0
                && withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                } == 0
            guard connected else {
                if server >= 0 { close(server) }
                close(client)
                continue
            }
            let id = lock.withLock {
                nextConnection += 1
                connections[nextConnection] = (client, server)
                return nextConnection
            }
            let finished = Finished(count: 2) { [self] in
                lock.withLock { _ = connections.removeValue(forKey: id) }
                close(client)
                close(server)
            }
            Thread { [self] in pump(from: client, to: server, answers: false, finished) }.start()
            Thread { [self] in pump(from: server, to: client, answers: true, finished) }.start()
        }
    }

    /// Copies one direction until either end closes, then cuts both so the other direction ends too.
    private func pump(from source: Int32, to destination: Int32, answers: Bool, _ finished: Finished) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var requests = LDAPMessageSplitter()
        var rewritten = LDAPMessageSplitter()
        let clearsSizeLimits = !answers && self.clearsSizeLimits
        loop: while true {
            let count = buffer.withUnsafeMutableBytes { recv(source, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            let writesHere = answers ? 0 : requests.writes(in: buffer[0..<count])
            let outgoing =
                clearsSizeLimits
                ? rewritten.messages(in: buffer[0..<count]).flatMap(LDAPMessageSplitter.withoutSizeLimit)
                : Array(buffer[0..<count])
            let (forward, startLosing) = lock.withLock {
                if answers {
                    answered += count
                } else {
                    requested += count
                    writes += writesHere
                    lastRequest = Date()
                }
                var starts: (after: Mode, quietPeriod: Double)?
                if writesHere > 0, !lost, let armed {
                    lost = true
                    currentMode = .loseAnswers
                    starts = armed
                }
                return (!answers || currentMode == .forward, starts)
            }
            if let startLosing {
                Thread { [self] in cutWhenQuiet(then: startLosing.after, quietPeriod: startLosing.quietPeriod) }.start()
            }
            guard forward else { continue }
            var sent = 0
            while sent < outgoing.count {
                let written = outgoing.withUnsafeBytes {
                    send(destination, $0.baseAddress.map { $0 + sent }, outgoing.count - sent, Self.noSignal)
                }
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { break loop }
                sent += written
            }
        }
        shutdown(source, Int32(SHUT_RDWR))
        shutdown(destination, Int32(SHUT_RDWR))
        finished.one()
    }

    /// Cuts every connection once clients have sent nothing for `quietPeriod` seconds, then turns to `after`.
    private func cutWhenQuiet(then after: Mode, quietPeriod: Double) {
        while Date().timeIntervalSince(lock.withLock { lastRequest }) < quietPeriod {
            usleep(50_000)
        }
        mode = after
        dropConnections()
    }

    /// Runs `body` once `count` pumps have finished: the descriptors are closed only when neither uses them.
    private final class Finished: @unchecked Sendable {
        private let lock = NSLock()
        private var remaining: Int
        private let body: () -> Void

        init(count: Int, _ body: @escaping () -> Void) {
            remaining = count
            self.body = body
        }

        func one() {
            let last = lock.withLock {
                remaining -= 1
                return remaining == 0
            }
            if last { body() }
        }
    }

    #if canImport(Glibc)
        private static let streamSocket = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        /// A write to a connection the other side closed fails with EPIPE instead of killing the process.
        private static let noSignal = Int32(MSG_NOSIGNAL)
    #else
        private static let streamSocket = SOCK_STREAM
        private static let noSignal: Int32 = 0
    #endif

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}

/// Finds the LDAP messages in a stream of request bytes and counts the write requests among them.
package struct LDAPMessageSplitter {
    /// The bytes of a message that has not arrived whole yet.
    private var pending: [UInt8] = []

    /// Application tags of AddRequest, ModifyRequest, DelRequest (primitive) and ModifyDNRequest.
    private static let writeOperations: Set<UInt8> = [0x68, 0x66, 0x4A, 0x6C]

    package init() {}

    /// Takes the next bytes and returns the messages they completed, each whole.
    package mutating func messages(in bytes: ArraySlice<UInt8>) -> [[UInt8]] {
        pending += bytes
        var start = 0
        var messages: [[UInt8]] = []
        while let (length, _) = Self.message(in: pending, at: start) {
            messages.append(Array(pending[start..<start + length]))
            start += length
        }
        pending.removeFirst(start)
        return messages
    }

    /// `message` with the size limit of a SearchRequest set to 0 (BER: SEQUENCE { messageID, [APPLICATION 3]
    /// { baseObject, scope, derefAliases, sizeLimit INTEGER, … } }); any other message as it is. The INTEGER keeps
    /// its length, all of its octets zero, so no length around it changes.
    package static func withoutSizeLimit(_ message: [UInt8]) -> [UInt8] {
        guard let (header, _) = lengthField(message, at: 0), let (idHeader, idLength) = lengthField(message, at: header)
        else {
            return message
        }
        let operation = header + idHeader + idLength
        guard operation < message.count, message[operation] == searchRequest,
            let (operationHeader, _) = lengthField(message, at: operation)
        else {
            return message
        }
        // baseObject, scope and derefAliases, then the sizeLimit.
        var field = operation + operationHeader
        for _ in 0..<3 {
            guard let (fieldHeader, fieldLength) = lengthField(message, at: field) else {
                return message
            }
            field += fieldHeader + fieldLength
        }
        guard let (limitHeader, limitLength) = lengthField(message, at: field), message[field] == 0x02,
            field + limitHeader + limitLength <= message.count
        else {
            return message
        }
        var cleared = message
        for index in (field + limitHeader)..<(field + limitHeader + limitLength) {
            cleared[index] = 0
        }
        return cleared
    }

    /// The application tag of SearchRequest.
    private static let searchRequest: UInt8 = 0x63

    /// Takes the next bytes and returns how many write requests they completed.
    package mutating func writes(in bytes: ArraySlice<UInt8>) -> Int {
        pending += bytes
        var start = 0
        var count = 0
        while let (length, operation) = Self.message(in: pending, at: start) {
            if Self.writeOperations.contains(operation) {
                count += 1
            }
            start += length
        }
        pending.removeFirst(start)
        return count
    }

    /// The length and protocol operation tag of the complete LDAP message at `start` (BER: SEQUENCE { messageID,
    /// protocolOp, … }), or nil until it has arrived whole.
    static func message(in bytes: [UInt8], at start: Int) -> (length: Int, operation: UInt8)? {
        guard let (header, body) = lengthField(bytes, at: start), bytes.count >= start + header + body else {
            return nil
        }
        // messageID: an INTEGER with a short length.
        let id = start + header
        guard id + 1 < bytes.count else {
            return nil
        }
        let operation = id + 2 + Int(bytes[id + 1])
        guard operation < bytes.count else {
            return nil
        }
        return (header + body, bytes[operation])
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
}
