import LDAPClient
import Sync

extension DirectoryStoreError {
    /// The engine's view of an LDAP failure: code, the server's words, and whether the server is unreachable.
    init(operation: String, failure: any Error) {
        if let error = failure as? LDAPError {
            self.init(
                operation: operation, resultCode: Int(error.code.rawValue), message: error.description,
                isUnavailable: error.isUnavailable)
        } else {
            self.init(operation: operation, resultCode: nil, message: "\(failure)", isUnavailable: false)
        }
    }
}
