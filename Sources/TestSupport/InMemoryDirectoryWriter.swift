import LDAPModel
import Sync

/// Writes for `InMemoryDirectoryStore`, with LDAP's answers and injectable faults, to test `apply` without a server.
///
/// Results follow RFC 4511 as slapd gives them: 68 for an entry that exists, 32 for one that does not, 20 for a
/// value that exists, 16 for a value that does not, 122 when the assertion does not hold; a modify is all or
/// nothing. Faults are consumed in order: each answers one matching operation, either before it runs or (with
/// `afterApplying`) after, as a connection lost after the server acted would.
extension InMemoryDirectoryStore: DirectoryWriter {
    /// An injected failure.
    package struct Fault: Sendable {
        package var dn: String?
        package var failure: WriteFailure
        package var afterApplying: Bool

        package init(dn: String? = nil, failure: WriteFailure, afterApplying: Bool = false) {
            self.dn = dn
            self.failure = failure
            self.afterApplying = afterApplying
        }
    }

    package var supportsAssertions: Bool { assertionsSupported }

    package func read(_ dn: DistinguishedName, attributes: [String]) throws(DirectoryStoreError) -> Entry? {
        entries.first { $0.dn == dn }.map { returned($0, asked: attributes) }
    }

    package func write(
        _ operations: [WriteOperation], window: Int, onSend: (Int) -> Bool, onResult: (Int, WriteOutcome) -> Void
    ) {
        var sending = true
        for (index, operation) in operations.enumerated() {
            sending = sending && onSend(index)
            guard sending else {
                onResult(index, .failure(WriteFailure(code: 88, message: "not sent: the caller stopped sending")))
                continue
            }
            sentOperations.append(operation)
            if let position = faults.firstIndex(where: { $0.dn == nil || $0.dn == operation.change.dn.description }) {
                let fault = faults.remove(at: position)
                if fault.afterApplying {
                    _ = perform(operation)
                }
                onResult(index, .failure(fault.failure))
                continue
            }
            onResult(index, perform(operation))
        }
    }

    package func reconnect() throws(DirectoryStoreError) {
        reconnects += 1
    }

    private func perform(_ operation: WriteOperation) -> WriteOutcome {
        let change = operation.change
        let position = entries.firstIndex { $0.dn == change.dn }
        if let assertion = operation.assertion, let position, !Self.matches(assertion, entries[position]) {
            return .failure(WriteFailure(code: WriteFailure.assertionFailed, message: "assertion failed"))
        }
        switch change {
        case .add(let entry):
            guard position == nil else {
                return .failure(WriteFailure(code: WriteFailure.entryAlreadyExists, message: "already exists"))
            }
            entries.append(entry)
        case .delete:
            guard let position else {
                return .failure(WriteFailure(code: WriteFailure.noSuchObject, message: "no such object"))
            }
            entries.remove(at: position)
        case .modify(_, let modifications):
            guard let position else {
                return .failure(WriteFailure(code: WriteFailure.noSuchObject, message: "no such object"))
            }
            var entry = entries[position]
            for modification in modifications {
                let current = entry.strings(modification.attribute)
                let values = modification.values.map { String(decoding: $0, as: UTF8.self) }
                func has(_ value: String) -> Bool { current.contains { CaseIgnoreMatch.equal($0, value) } }
                switch modification.operation {
                case .add:
                    if values.contains(where: has) {
                        return .failure(
                            WriteFailure(code: WriteFailure.attributeOrValueExists, message: "value exists"))
                    }
                    entry.add(modification.attribute, strings: values)
                case .delete:
                    if values.isEmpty {
                        guard !current.isEmpty else {
                            return .failure(
                                WriteFailure(code: WriteFailure.noSuchAttribute, message: "no such attribute"))
                        }
                        entry.remove(modification.attribute)
                    } else {
                        guard values.allSatisfy(has) else {
                            return .failure(WriteFailure(code: WriteFailure.noSuchAttribute, message: "no such value"))
                        }
                        let kept = current.filter { value in !values.contains { CaseIgnoreMatch.equal($0, value) }
                        }
                        entry.remove(modification.attribute)
                        if !kept.isEmpty {
                            entry.add(modification.attribute, strings: kept)
                        }
                    }
                case .replace:
                    entry.remove(modification.attribute)
                    if !values.isEmpty {
                        entry.add(modification.attribute, strings: values)
                    }
                }
            }
            entries[position] = entry
        case .modifyRDN:
            return .failure(WriteFailure(code: 53, message: "unwilling to perform"))
        }
        return .success
    }
}
