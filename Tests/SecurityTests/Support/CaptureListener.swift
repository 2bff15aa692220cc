import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP listener that plays a directory server just long enough to record the first LDAP message a client sends,
/// then hangs up: what would cross the network before any TLS.
///
/// It listens on a local address that is not loopback when the machine has one (so the client sees a remote-looking
/// server while no packet leaves the machine), else on 127.0.0.1.
final class CaptureListener: @unchecked Sendable {
    let host: String
    let port: Int
    private let descriptor: Int32
    private let lock = NSLock()
    private var captured: [UInt8] = []
    private let done = DispatchSemaphore(value: 0)

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init() throws {
        host = Self.localNonLoopbackAddress() ?? "127.0.0.1"
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr(host)
        address.sin_port = 0
        let size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, size) }
        }
        guard fd >= 0, bound == 0, listen(fd, 4) == 0 else {
            close(fd)
            throw Failure(description: "cannot listen on \(host)")
        }
        var length = size
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        descriptor = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in serveOnce() }
        thread.start()
    }

    deinit {
        close(descriptor)
    }

    var url: String { "ldap://\(host):\(port)" }

    /// Whether the listener is on a non-loopback address.
    var isRemoteLooking: Bool { !host.hasPrefix("127.") }

    /// The bytes of the first LDAP message, once the client sent it (or gave up); waits up to `seconds`.
    func firstMessage(waiting seconds: Double = 10) -> [UInt8] {
        _ = done.wait(timeout: .now() + seconds)
        lock.lock()
        defer { lock.unlock() }
        return captured
    }

    /// Accepts one connection, reads one complete BER element (or what arrives within 5 s), and closes it.
    private func serveOnce() {
        defer { done.signal() }
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 15_000) == 1 else {
            return
        }
        let connection = accept(descriptor, nil, nil)
        guard connection >= 0 else {
            return
        }
        defer { close(connection) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline, Self.elementLength(bytes).map({ bytes.count < $0 }) ?? true {
            var reader = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
            guard poll(&reader, 1, 200) == 1 else {
                continue
            }
            let count = buffer.withUnsafeMutableBytes { read(connection, $0.baseAddress, $0.count) }
            guard count > 0 else {
                break
            }
            bytes += buffer[0..<count]
        }
        lock.lock()
        captured = bytes
        lock.unlock()
    }

    /// The total length of the BER element at the start of `bytes`, once its header is complete.
    static func elementLength(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 2 else {
            return nil
        }
        let first = bytes[1]
        if first < 0x80 {
            return 2 + Int(first)
        }
        let octets = Int(first & 0x7F)
        guard octets > 0, octets <= 4, bytes.count >= 2 + octets else {
            return nil
        }
        let length = bytes[2..<2 + octets].reduce(0) { $0 << 8 | Int($1) }
        return 2 + octets + length
    }

    /// The tag of the protocol operation in an LDAPMessage (after the SEQUENCE header and the message ID).
    static func protocolOpTag(_ message: [UInt8]) -> UInt8? {
        guard message.first == 0x30, let total = elementLength(message), message.count >= total else {
            return nil
        }
        let header = message[1] < 0x80 ? 2 : 2 + Int(message[1] & 0x7F)
        guard message.count > header + 2, message[header] == 0x02 else {
            return nil
        }
        let idLength = Int(message[header + 1])
        let opIndex = header + 2 + idLength
        return opIndex < message.count ? message[opIndex] : nil
    }

    /// An IPv4 address of this machine that is not loopback, if any: connecting to it stays inside the kernel.
    static func localNonLoopbackAddress() -> String? {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else {
            return nil
        }
        defer { freeifaddrs(list) }
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET),
                entry.pointee.ifa_flags & UInt32(IFF_LOOPBACK) == 0,
                entry.pointee.ifa_flags & UInt32(IFF_UP) != 0
            else {
                continue
            }
            var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            var inet = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
            guard inet_ntop(AF_INET, &inet, &text, socklen_t(INET_ADDRSTRLEN)) != nil else {
                continue
            }
            return String(cString: text)
        }
        return nil
    }
}
