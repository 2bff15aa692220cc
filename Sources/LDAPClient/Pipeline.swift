import CLDAP
import LDAPModel
import Logging

extension LDAPConnection {
    /// Sends writes asynchronously with up to `window` operations outstanding and matches
    /// every result to its request.
    ///
    /// Waiting for each result before sending the next write makes a large first
    /// reconciliation a long chain of round trips; keeping several in flight is what makes
    /// ccdirsync faster than `ldapmodify` on the same changes. Two rules keep it safe:
    /// operations on the same DN are sent strictly in request order, one at a time (a modify
    /// never overtakes the add it depends on), and a failure is reported for its own request
    /// only. If the connection is lost, every request still outstanding or not yet sent gets
    /// that error, so the caller knows exactly which ones to retry.
    ///
    /// - Parameters:
    ///   - requests: the writes, in the order the caller wants them applied per DN.
    ///   - window: the most operations outstanding at once (at least 1).
    ///   - onSend: called just before a request goes out (index into `requests`), so a caller can record its
    ///     intent first: a write the server applied but whose result never arrived is still accounted for. It is
    ///     not called for a request that cannot go out (the connection is already known to be lost), so the record
    ///     holds only what was handed to libldap. It returns whether the request may go: after `false`, nothing
    ///     more is sent, the requests outstanding get their results and every request not sent yet fails as not
    ///     sent (a caller that can no longer record what it sends stops here).
    ///   - onResult: called once per request, as its result arrives (index into `requests`).
    /// - Returns: the result of each request, by index.
    @discardableResult
    package func write(
        _ requests: [WriteRequest], window: Int = 32, onSend: (Int) -> Bool = { _ in true },
        onResult: (Int, Result<Void, LDAPError>) -> Void = { _, _ in }
    ) -> [Result<Void, LDAPError>] {
        var scheduler = WriteScheduler(keys: Self.orderingKeys(requests.map(\.change)))
        var results = [Result<Void, LDAPError>?](repeating: nil, count: requests.count)
        var outstanding: [Int32: (index: Int, deadline: ContinuousClock.Instant)] = [:]
        let clock = ContinuousClock()
        // Read once: with debug off, a write costs no log call at all.
        let logsWrites = logger.logLevel <= .debug
        if logsWrites {
            logger.debug("writing", metadata: ["ldap.writes": "\(requests.count)", "ldap.window": "\(window)"])
        }

        func finish(_ index: Int, _ result: Result<Void, LDAPError>) {
            results[index] = result
            scheduler.complete(index)
            if logsWrites {
                switch result {
                case .success: logWrite(requests[index], code: .success)
                case .failure(let error): logWrite(requests[index], code: error.code)
                }
            }
            onResult(index, result)
        }

        while !scheduler.isDone || !outstanding.isEmpty {
            // Fill the window with every request whose DN is free.
            while outstanding.count < max(window, 1), let index = scheduler.next() {
                if let lost = lostConnection {
                    finish(index, .failure(notSent(requests[index], lost)))
                    continue
                }
                guard onSend(index) else {
                    finish(index, .failure(stopped(requests[index])))
                    while let index = scheduler.next() { finish(index, .failure(stopped(requests[index]))) }
                    break
                }
                do {
                    let messageID = try send(requests[index])
                    outstanding[messageID] = (index, clock.now.advanced(by: options.operationTimeout))
                } catch {
                    finish(index, .failure(error))
                }
            }
            if let lost = lostConnection {
                for (_, pending) in outstanding {
                    finish(pending.index, .failure(lostBeforeResult(requests[pending.index], lost)))
                }
                outstanding.removeAll()
                while let index = scheduler.next() { finish(index, .failure(notSent(requests[index], lost))) }
                break
            }
            guard !outstanding.isEmpty else {
                if scheduler.isDone { break }
                continue
            }
            let earliest = outstanding.values.map(\.deadline).min() ?? clock.now
            let wait = max(earliest - clock.now, .milliseconds(1))
            do throws(LDAPError) {
                let (_, message, messageID) = try nextMessage(
                    LDAP_RES_ANY, timeout: wait, operation: .modify, dn: nil)
                defer { ldap_msgfree(message) }
                guard let pending = outstanding.removeValue(forKey: messageID) else { continue }
                let change = requests[pending.index].change
                if let error = resultError(of: message, operation: change.operation, dn: change.dn.description) {
                    finish(pending.index, .failure(error))
                } else {
                    finish(pending.index, .success(()))
                }
            } catch  where error.code == .timeout && lostConnection == nil {
                // Abandon every operation past its deadline; the others keep waiting.
                let now = clock.now
                for (messageID, pending) in outstanding where pending.deadline <= now {
                    ldap_abandon_ext(handle, messageID, nil, nil)
                    outstanding.removeValue(forKey: messageID)
                    let change = requests[pending.index].change
                    finish(
                        pending.index,
                        .failure(
                            LDAPError(
                                change.operation, dn: change.dn.description, code: .timeout,
                                diagnosticMessage: "no answer within \(options.operationTimeout); abandoned")))
                }
            } catch {
                markLost(error)
            }
        }
        return results.map { $0 ?? .failure(LDAPError(.modify, code: .localError, diagnosticMessage: "no result")) }
    }

    /// The keys each change must hold while it is outstanding: its own DN (and a rename's new name), plus, when an
    /// earlier change in the batch targets its parent (an add) or a descendant (a delete), that DN too, so a child
    /// is never added before its parent nor a parent deleted before its children.
    static func orderingKeys(_ changes: [Change]) -> [[String]] {
        var earlier = Set<String>()
        var earlierDNs: [DistinguishedName] = []
        var result: [[String]] = []
        for change in changes {
            var keys = change.orderingKeys
            switch change {
            case .add(let entry):
                if let parent = entry.dn.parent, earlier.contains(parent.normalized) {
                    keys.append(parent.normalized)
                }
            case .delete(let dn):
                for other in earlierDNs where other.isDescendant(of: dn) && !keys.contains(other.normalized) {
                    keys.append(other.normalized)
                }
            default:
                break
            }
            result.append(keys)
            earlier.insert(change.dn.normalized)
            earlierDNs.append(change.dn)
        }
        return result
    }

    /// The request was sent but its result never came: it may or may not have been applied.
    private func lostBeforeResult(_ request: WriteRequest, _ cause: LDAPError) -> LDAPError {
        LDAPError(
            request.change.operation, dn: request.change.dn.description, code: cause.code,
            diagnosticMessage: "sent, but the connection was lost before the result: \(cause.diagnosticMessage ?? "")")
    }

    private func stopped(_ request: WriteRequest) -> LDAPError {
        LDAPError(
            request.change.operation, dn: request.change.dn.description, code: .userCancelled,
            diagnosticMessage: "not sent: the caller stopped sending")
    }

    private func notSent(_ request: WriteRequest, _ cause: LDAPError) -> LDAPError {
        LDAPError(
            request.change.operation, dn: request.change.dn.description, code: cause.code,
            diagnosticMessage: "not sent: \(cause.diagnosticMessage ?? "connection lost")")
    }
}

extension Change {
    /// The normalised DNs this change must not overtake or be overtaken on: its own, and for
    /// a rename also the new name.
    var orderingKeys: [String] {
        guard case .modifyRDN(let dn, let newRDN, _, let newSuperior) = self else { return [dn.normalized] }
        let parent = newSuperior ?? dn.parent ?? DistinguishedName([])
        return [dn.normalized, parent.child(newRDN).normalized]
    }
}

/// Decides which request may be sent next: in order, but never two at once on one DN.
///
/// A plain value with no I/O, so the ordering rule is testable on its own.
struct WriteScheduler {
    private let keys: [[String]]
    private var nextIndex = 0
    /// Requests held back because an earlier request on the same DN is still pending.
    private var waiting: [String: [Int]] = [:]
    private var ready: [Int] = []
    private var busy: [String: Int] = [:]
    private var readyCursor = 0
    private var completed = 0

    init(keys: [[String]]) {
        self.keys = keys
    }

    var isDone: Bool { completed == keys.count }

    /// The next request that may be sent now, or nil if none can until something completes.
    mutating func next() -> Int? {
        if readyCursor < ready.count {
            let index = ready[readyCursor]
            readyCursor += 1
            if readyCursor == ready.count {
                ready.removeAll(keepingCapacity: true)
                readyCursor = 0
            }
            return index
        }
        while nextIndex < keys.count {
            let index = nextIndex
            nextIndex += 1
            if keys[index].contains(where: { busy[$0] != nil }) {
                // Queue behind the first busy key; it is released when that key frees.
                let blocking = keys[index].first(where: { busy[$0] != nil }) ?? keys[index][0]
                waiting[blocking, default: []].append(index)
                for key in keys[index] where busy[key] == nil { busy[key] = index }
                continue
            }
            for key in keys[index] { busy[key] = index }
            return index
        }
        return nil
    }

    /// Marks a request done and releases the next one waiting on its DN.
    mutating func complete(_ index: Int) {
        completed += 1
        for key in keys[index] where busy[key] == index {
            busy[key] = nil
            guard var queue = waiting[key], !queue.isEmpty else { continue }
            let released = queue.removeFirst()
            waiting[key] = queue.isEmpty ? nil : queue
            for key in keys[released] { busy[key] = released }
            ready.append(released)
        }
    }
}
