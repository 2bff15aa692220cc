import CLDAP
import LDAPModel
import Logging

/// One exact lookup: a small, unpaged search such as a mail client's "who has this address?".
package struct LookupRequest: Sendable, Hashable {
    package var base: DistinguishedName
    package var scope: SearchScope
    package var filter: Filter
    package var attributes: [String]
    /// `selectingLookup` gives each answer's DN as text only (see `AttributeSelection.dnTextOnly`).
    package var dnTextOnly: Bool

    package init(
        base: DistinguishedName, scope: SearchScope = .subtree, filter: Filter, attributes: [String],
        dnTextOnly: Bool = false
    ) {
        self.base = base
        self.scope = scope
        self.filter = filter
        self.attributes = attributes
        self.dnTextOnly = dnTextOnly
    }
}

/// What one lookup found: entries, or entries selected for an `AttributeSelection`.
package struct LookupAnswer<Item: Sendable & Hashable>: Sendable, Hashable {
    /// The entries, in the order the server sent them.
    package var entries: [Item]
    /// True when the server stopped at the size limit: there are at least `entries.count` answers, maybe more.
    package var truncated: Bool

    package init(entries: [Item], truncated: Bool) {
        self.entries = entries
        self.truncated = truncated
    }
}

extension LDAPConnection {
    /// Runs many small searches with up to `window` of them outstanding at once, and hands each answer over as it
    /// completes (answers arrive in any order; the index says which request it belongs to).
    ///
    /// 100,000 users make 200,000 lookups; one round trip at a time, that is minutes of waiting on the loopback
    /// alone. Pipelined, the server works on the next search while the client reads the last answer.
    ///
    /// Lookups carry a size limit (a lookup that should find one object and finds `sizeLimit` is ambiguous
    /// however many more there are): a `sizeLimitExceeded` answer is returned as `truncated`, not as an error. The
    /// limit holds on the client too: a server that ignores it (Samba AD sends every match) gives a truncated
    /// answer of the first `sizeLimit` entries, as slapd does.
    /// Any other failure abandons what is outstanding and throws, so a partial verification never passes for a
    /// complete one.
    package func lookup(
        _ requests: [LookupRequest], window: Int = 64, sizeLimit: Int = 16,
        onAnswer: (Int, LookupAnswer<Entry>) -> Void
    ) throws(LDAPError) {
        try lookUp(
            requests, window: window, sizeLimit: sizeLimit,
            decode: { message, _, base throws(LDAPError) in try entry(from: message, base: base) },
            onAnswer: onAnswer)
    }

    /// Runs lookups as `lookup(_:window:sizeLimit:onAnswer:)` does, and hands each entry's values over by the
    /// position of their attribute in its request's `attributes`.
    package func selectingLookup(
        _ requests: [LookupRequest], window: Int = 64, sizeLimit: Int = 16,
        onAnswer: (Int, LookupAnswer<SelectedEntry>) -> Void
    ) throws(LDAPError) {
        // Lookups usually share their attributes: one selection serves a run of them.
        var selections: [AttributeSelection] = []
        selections.reserveCapacity(requests.count)
        for request in requests {
            if let last = selections.last, last.names == request.attributes, last.dnTextOnly == request.dnTextOnly {
                selections.append(last)
            } else {
                selections.append(AttributeSelection(request.attributes, dnTextOnly: request.dnTextOnly))
            }
        }
        try lookUp(
            requests, window: window, sizeLimit: sizeLimit,
            decode: { message, index, base throws(LDAPError) in
                try selectedEntry(from: message, base: base, selection: selections[index])
            }, onAnswer: onAnswer)
    }

    /// The pipelined lookups behind both `lookup` functions; `decode` turns a SearchResultEntry answering the request
    /// at an index into an item.
    private func lookUp<Item>(
        _ requests: [LookupRequest], window: Int, sizeLimit: Int,
        decode: (OpaquePointer, Int, String) throws(LDAPError) -> Item, onAnswer: (Int, LookupAnswer<Item>) -> Void
    ) throws(LDAPError) {
        try ensureUsable(.search, dn: nil)
        // One line per batch at debug, one per lookup at trace: a verification makes hundreds of thousands.
        let tracesLookups = logger.logLevel <= .trace
        logger.debug(
            "lookups", metadata: ["ldap.op": "search", "ldap.lookups": "\(requests.count)", "ldap.window": "\(window)"])
        // `over`: the server sent more than `sizeLimit` entries; those past it are dropped.
        var outstanding: [Int32: (index: Int, entries: [Item], over: Bool)] = [:]
        var next = 0
        // Lookups share their base: spell it once, not once per request.
        var lastBase: DistinguishedName?
        var lastBaseText = ""
        func text(_ base: DistinguishedName) -> String {
            if base != lastBase {
                lastBase = base
                lastBaseText = base.description
            }
            return lastBaseText
        }
        do throws(LDAPError) {
            while next < requests.count || !outstanding.isEmpty {
                while outstanding.count < max(window, 1), next < requests.count {
                    let request = requests[next]
                    outstanding[try sendLookup(request, base: text(request.base), sizeLimit: sizeLimit)] = (
                        next, [], false
                    )
                    next += 1
                }
                let (type, message, messageID) = try nextMessage(
                    LDAP_RES_ANY, timeout: options.operationTimeout, operation: .search, dn: nil)
                defer { ldap_msgfree(message) }
                guard let pending = outstanding[messageID] else {
                    continue
                }
                let base = text(requests[pending.index].base)
                switch type {
                case Int32(LDAP_RES_SEARCH_ENTRY):
                    guard sizeLimit <= 0 || pending.entries.count < sizeLimit else {
                        outstanding[messageID]?.over = true
                        continue
                    }
                    outstanding[messageID]?.entries.append(try decode(message, pending.index, base))
                case Int32(LDAP_RES_SEARCH_REFERENCE):
                    continue  // Referrals are not followed; see `configure`.
                case Int32(LDAP_RES_SEARCH_RESULT):
                    outstanding.removeValue(forKey: messageID)
                    let error = resultError(of: message, operation: .search, dn: base)
                    if tracesLookups {
                        logger.trace(
                            "lookup",
                            metadata: [
                                "ldap.op": "search", "ldap.dn": "\(base)",
                                "ldap.filter": "\(requests[pending.index].filter)",
                                "ldap.result": "\(error?.code ?? .success)", "ldap.entries": "\(pending.entries.count)",
                            ])
                    }
                    if let error {
                        guard error.code == .sizeLimitExceeded else {
                            throw LDAPError(
                                .search, dn: base, code: error.code, matchedDN: error.matchedDN,
                                diagnosticMessage:
                                    "\(error.diagnosticMessage ?? "") (filter \(requests[pending.index].filter))")
                        }
                        onAnswer(pending.index, LookupAnswer(entries: pending.entries, truncated: true))
                    } else {
                        onAnswer(pending.index, LookupAnswer(entries: pending.entries, truncated: pending.over))
                    }
                default:
                    throw LDAPError(
                        .search, dn: base, code: .decodingError, diagnosticMessage: "unexpected message \(type)")
                }
            }
        } catch {
            for messageID in outstanding.keys {
                ldap_abandon_ext(handle, messageID, nil, nil)
            }
            logger.debug("lookups failed", metadata: ["ldap.op": "search", "ldap.result": "\(error.code)"])
            throw error
        }
    }

    /// Sends one lookup without waiting; returns its message ID.
    private func sendLookup(_ request: LookupRequest, base: String, sizeLimit: Int) throws(LDAPError) -> Int32 {
        var messageID: Int32 = 0
        clearDiagnostic()
        let status = base.withCString { baseC in
            request.filter.description.withCString { filterC in
                withAttributeList(request.attributes) { attributes in
                    ldap_search_ext(
                        handle, baseC, request.scope.rawValue, filterC, attributes, 0, nil, nil, nil,
                        Int32(clamping: sizeLimit), &messageID)
                }
            }
        }
        guard status == LDAP_SUCCESS else {
            let error = lastError(.search, dn: base, status: status)
            if error.isUnavailable { markLost(error) }
            throw error
        }
        return messageID
    }

    /// Calls `body` with a NULL-terminated C array of `names` (NULL itself when empty: all user attributes).
    private func withAttributeList<Result>(
        _ names: [String], _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Result
    ) -> Result {
        guard !names.isEmpty else {
            return body(nil)
        }
        let arena = CArena()
        defer { arena.free() }
        return body(arena.stringArray(names))
    }
}
