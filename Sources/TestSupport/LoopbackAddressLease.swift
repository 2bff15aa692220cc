import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One address of 127.0.0.0/8 (127.0.0.2, 127.0.0.3, …) held by this process for a server with fixed ports.
///
/// Active Directory listens on fixed ports (389, 636, 3268, 3269), so servers side by side need an address
/// each. An address is taken when its lock file (`/tmp/ccdirsync-loopback-<address>.lock`) can be locked with
/// `flock` and every port is free on it; the lock keeps the other test processes of the machine away until
/// `release()` or this process's death, which frees it by itself. The lock file is opened close-on-exec, so no
/// child keeps the lock after we let go.
final class LoopbackAddressLease: @unchecked Sendable {
    /// The address in dotted form, `127.0.0.N`.
    let address: String
    /// The address in host byte order.
    let host: UInt32
    private let lock = NSLock()
    private var descriptor: Int32

    private init(address: String, host: UInt32, descriptor: Int32) {
        self.address = address
        self.host = host
        self.descriptor = descriptor
    }

    deinit {
        release()
    }

    /// The first address from 127.0.0.2 up that nobody holds and on which every one of `ports` is free.
    ///
    /// Throws when none of the `candidates` addresses is free, naming what held the first one.
    static func take(ports: [Int], candidates: Int = 64) throws -> LoopbackAddressLease {
        var firstRefusal: String?
        for last in 2..<(2 + candidates) {
            let host = UInt32(0x7F00_0000) | UInt32(last)
            let address = "127.0.0.\(last)"
            let path = FileManager.default.temporaryDirectory
                .appendingPathComponent("ccdirsync-loopback-\(address).lock").path
            let fd = try Spawn.open(path, O_RDWR | O_CREAT)
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                close(fd)
                firstRefusal = firstRefusal ?? "\(address) is held by another test process (\(path))"
                continue
            }
            if let busy = ports.first(where: { !Loopback.canBind(host: host, port: $0) }) {
                close(fd)
                firstRefusal =
                    firstRefusal ?? "port \(busy) on \(address) is in use (another server on it or on 0.0.0.0?)"
                continue
            }
            return LoopbackAddressLease(address: address, host: host, descriptor: fd)
        }
        throw SlapdError(
            "no free loopback address for ports \(ports.map(String.init).joined(separator: ", ")) among "
                + "127.0.0.2 to 127.0.0.\(1 + candidates); first refusal: \(firstRefusal ?? "none")")
    }

    /// Lets the address go. Idempotent.
    func release() {
        lock.lock()
        defer { lock.unlock() }
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }
}
