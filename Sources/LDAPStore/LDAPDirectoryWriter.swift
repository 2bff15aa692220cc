import LDAPClient
import LDAPModel
import Logging
import Sync

/// The engine's `DirectoryWriter` over libldap: pipelined writes with assertions, reads, and reconnecting.
///
/// It holds a way to open a fresh, bound connection (`connect`), because after a lost connection libldap's handle
/// is spent; `LDAPDirectoryStore` reads share the current connection. It logs through the first connection's
/// `logger` (each connection logs its own operations).
package final class LDAPDirectoryWriter: DirectoryWriter {
    package private(set) var connection: LDAPConnection
    private let connect: () throws(LDAPError) -> LDAPConnection
    package let supportsAssertions: Bool

    /// Opens the first connection with `connect` and asks the server whether it honours assertions.
    package init(connect: @escaping () throws(LDAPError) -> LDAPConnection) throws(LDAPError) {
        self.connect = connect
        let connection = try connect()
        self.connection = connection
        supportsAssertions = (try? connection.supportsAssertionControl()) ?? false
        connection.logger.debug(
            "assertion control",
            metadata: [
                "ldap.assertions": "\(supportsAssertions ? "supported" : "not supported: reads check preconditions")"
            ])
    }

    package func read(_ dn: DistinguishedName, attributes: [String]) throws(DirectoryStoreError) -> Entry? {
        do {
            return try connection.read(dn, attributes: attributes)
        } catch {
            throw DirectoryStoreError(operation: "read \(dn)", failure: error)
        }
    }

    package func write(
        _ operations: [WriteOperation], window: Int, onSend: (Int) -> Bool, onResult: (Int, WriteOutcome) -> Void
    ) {
        let requests = operations.map { WriteRequest($0.change, assertion: $0.assertion) }
        connection.write(requests, window: window, onSend: onSend) { index, result in
            switch result {
            case .success:
                onResult(index, .success)
            case .failure(let error):
                onResult(index, .failure(WriteFailure(code: Int(error.code.rawValue), message: error.description)))
            }
        }
    }

    package func reconnect() throws(DirectoryStoreError) {
        let logger = connection.logger
        do {
            connection = try connect()
            logger.debug("reconnected")
        } catch {
            logger.debug("cannot reconnect", metadata: ["ldap.result": "\(error.code)"])
            throw DirectoryStoreError(operation: "reconnect", failure: error)
        }
    }
}
