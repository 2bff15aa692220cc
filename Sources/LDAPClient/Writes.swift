import CLDAP
import LDAPModel
import Logging

/// One write to send, with an optional precondition.
package struct WriteRequest: Sendable, Hashable {
    package var change: Change
    /// An RFC 4528 assertion: the server applies the change only if the target entry matches
    /// this filter, and answers `assertionFailed` (122) otherwise, atomically with the write.
    package var assertion: Filter?

    package init(_ change: Change, assertion: Filter? = nil) {
        self.change = change
        self.assertion = assertion
    }
}

extension Change {
    /// The operation name used in errors.
    var operation: LDAPError.Operation {
        switch self {
        case .add: .add
        case .modify: .modify
        case .delete: .delete
        case .modifyRDN: .modifyRDN
        }
    }
}

extension LDAPConnection {
    /// Adds an entry.
    package func add(_ entry: Entry) throws(LDAPError) {
        try perform(WriteRequest(.add(entry)))
    }

    /// Applies value-level modifications to one entry, optionally under an assertion.
    package func modify(
        _ dn: DistinguishedName, _ modifications: [Modification], assertion: Filter? = nil
    ) throws(LDAPError) {
        try perform(WriteRequest(.modify(dn, modifications), assertion: assertion))
    }

    /// Deletes an entry, optionally under an assertion.
    package func delete(_ dn: DistinguishedName, assertion: Filter? = nil) throws(LDAPError) {
        try perform(WriteRequest(.delete(dn), assertion: assertion))
    }

    /// Renames or moves an entry.
    package func modifyRDN(
        _ dn: DistinguishedName, newRDN: RelativeDistinguishedName, deleteOldRDN: Bool,
        newSuperior: DistinguishedName? = nil
    ) throws(LDAPError) {
        try perform(
            WriteRequest(.modifyRDN(dn, newRDN: newRDN, deleteOldRDN: deleteOldRDN, newSuperior: newSuperior)))
    }

    /// Sends one write and waits for its result.
    package func perform(_ request: WriteRequest) throws(LDAPError) {
        do throws(LDAPError) {
            let messageID = try send(request)
            try awaitResult(messageID, operation: request.change.operation, dn: request.change.dn.description)
        } catch {
            logWrite(request, code: error.code)
            throw error
        }
        logWrite(request, code: .success)
    }

    /// One debug line for a write's result: `ldap.op`, `ldap.dn`, `ldap.result` (never the values written).
    ///
    /// Callers on the pipelined path check `logger.logLevel` first, so no metadata is built when debug is off.
    func logWrite(_ request: WriteRequest, code: ResultCode) {
        logger.debug(
            "write",
            metadata: [
                "ldap.op": "\(request.change.operation.rawValue)", "ldap.dn": "\(request.change.dn)",
                "ldap.result": "\(code)",
            ])
    }

    /// Sends a write without waiting; returns its message ID.
    ///
    /// libldap encodes the request before returning, so all C memory is released here.
    func send(_ request: WriteRequest) throws(LDAPError) -> Int32 {
        let change = request.change
        let dnText = change.dn.description
        try ensureUsable(change.operation, dn: dnText)
        if let attribute = change.attributeAddedWithoutValues {
            throw LDAPError(
                change.operation, dn: dnText, code: .paramError,
                diagnosticMessage: "not sent: attribute '\(attribute)' has no values, and an add needs at least one")
        }
        clearDiagnostic()
        let arena = CArena()
        defer { arena.free() }
        var control: UnsafeMutablePointer<LDAPControl>?
        if let assertion = request.assertion {
            let status = ldap_create_assertion_control(handle, arena.string(assertion.description), 1, &control)
            guard status == LDAP_SUCCESS else { throw lastError(change.operation, dn: dnText, status: status) }
        }
        defer { if let control { ldap_control_free(control) } }
        var controls: [UnsafeMutablePointer<LDAPControl>?] = [control, nil]
        let dn = arena.string(dnText)
        var messageID: Int32 = 0
        let status: Int32 = controls.withUnsafeMutableBufferPointer { buffer in
            let serverControls = control == nil ? nil : buffer.baseAddress
            switch change {
            case .add(let entry):
                let mods = arena.modArray(
                    entry.attributes.map { (operation: LDAP_MOD_ADD, type: $0.name, values: $0.values) })
                return ldap_add_ext(handle, dn, mods, serverControls, nil, &messageID)
            case .modify(_, let modifications):
                let mods = arena.modArray(
                    modifications.map { (operation: $0.operation.libldap, type: $0.attribute, values: $0.values) })
                return ldap_modify_ext(handle, dn, mods, serverControls, nil, &messageID)
            case .delete:
                return ldap_delete_ext(handle, dn, serverControls, nil, &messageID)
            case .modifyRDN(_, let newRDN, let deleteOldRDN, let newSuperior):
                return ldap_rename(
                    handle, dn, arena.string(newRDN.description), newSuperior.map { arena.string($0.description) },
                    deleteOldRDN ? 1 : 0, serverControls, nil, &messageID)
            }
        }
        guard status == LDAP_SUCCESS else {
            let error = lastError(change.operation, dn: dnText, status: status)
            if error.isUnavailable { markLost(error) }
            throw error
        }
        return messageID
    }
}

extension Change {
    /// The first attribute the change adds without a value, which LDAP has no way to say: libldap takes an empty
    /// value list for none at all, and refuses the request or sends one the server refuses as malformed.
    var attributeAddedWithoutValues: String? {
        switch self {
        case .add(let entry):
            entry.attributes.first { $0.values.isEmpty }?.name
        case .modify(_, let modifications):
            modifications.first { $0.operation == .add && $0.values.isEmpty }?.attribute
        case .delete, .modifyRDN:
            nil
        }
    }
}

extension Modification.Operation {
    var libldap: Int32 {
        switch self {
        case .add: LDAP_MOD_ADD
        case .delete: LDAP_MOD_DELETE
        case .replace: LDAP_MOD_REPLACE
        }
    }
}
