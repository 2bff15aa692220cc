import CLDAP
import LDAPModel
import Logging

/// How far below the base a search looks.
package enum SearchScope: Int32, Sendable, Hashable {
    case base = 0
    case oneLevel = 1
    case subtree = 2
}

extension LDAPConnection {
    /// Searches with the simple paged results control (RFC 2696) and hands the entries over
    /// page by page, so memory holds one page, not the whole directory.
    ///
    /// Paging is what lets a search go past a server's size limit (Exchange 5.5 answers 100
    /// entries by default, AD 1000). The control is sent critical: a server that cannot page
    /// refuses the search (`unavailableCriticalExtension`) instead of quietly returning a
    /// truncated result, and any result other than success ends the search with an error, so a
    /// partial read can never pass for a complete one.
    ///
    /// - Parameters:
    ///   - attributes: the attributes to return; empty asks for all user attributes.
    ///   - pageSize: entries per page; nil sends no paging control (for base-scope reads).
    ///   - sizeLimit: the most entries the whole search may return (0 = no client limit).
    ///   - onPage: called with each page's entries, in the order the server sent them.
    package func search(
        base: DistinguishedName, scope: SearchScope = .subtree, filter: Filter = .present("objectClass"),
        attributes: [String] = [], pageSize: Int? = 500, sizeLimit: Int = 0,
        onPage: ([Entry]) throws -> Void
    ) throws {
        try pagedSearch(
            base: base, scope: scope, filter: filter, attributes: attributes, pageSize: pageSize, sizeLimit: sizeLimit,
            decode: { message, base throws(LDAPError) in try entry(from: message, base: base) }, onPage: onPage)
    }

    /// Searches as `search(base:scope:filter:attributes:pageSize:sizeLimit:onPage:)` does for the attributes of
    /// `selection`, and hands over each entry's values by their position in it.
    ///
    /// For readers that turn every entry into something of their own: the values go straight from the message into
    /// text, with no `Entry` in between to build, search by name and free.
    package func search(
        base: DistinguishedName, scope: SearchScope = .subtree, filter: Filter, selecting selection: AttributeSelection,
        pageSize: Int? = 500, sizeLimit: Int = 0, onPage: ([SelectedEntry]) throws -> Void
    ) throws {
        try pagedSearch(
            base: base, scope: scope, filter: filter, attributes: selection.names, pageSize: pageSize,
            sizeLimit: sizeLimit,
            decode: { message, base throws(LDAPError) in
                try selectedEntry(from: message, base: base, selection: selection)
            }, onPage: onPage)
    }

    /// The paged search behind both `search` functions; `decode` turns each SearchResultEntry into an item.
    private func pagedSearch<Item>(
        base: DistinguishedName, scope: SearchScope, filter: Filter, attributes: [String], pageSize: Int?,
        sizeLimit: Int, decode: (OpaquePointer, String) throws(LDAPError) -> Item, onPage: ([Item]) throws -> Void
    ) throws {
        let baseText = base.description
        try ensureUsable(.search, dn: baseText)
        let arena = CArena()
        defer { arena.free() }
        let attributeList = attributes.isEmpty ? nil : arena.stringArray(attributes)
        let filterText = arena.string(filter.description)
        let baseC = arena.string(baseText)
        var total = 0
        /// Sends the request for one page (the first with no cookie) and returns its message ID.
        func requestPage(_ cookie: [UInt8]?) throws(LDAPError) -> Int32 {
            clearDiagnostic()
            var control: UnsafeMutablePointer<LDAPControl>?
            if let pageSize {
                var cookieValue = arena.berval(cookie ?? [])
                let status = ldap_create_page_control(handle, ber_int_t(pageSize), &cookieValue, 1, &control)
                guard status == LDAP_SUCCESS else { throw lastError(.search, dn: baseText, status: status) }
            }
            defer { if let control { ldap_control_free(control) } }
            var controls: [UnsafeMutablePointer<LDAPControl>?] = [control, nil]
            var messageID: Int32 = 0
            let status = controls.withUnsafeMutableBufferPointer { buffer in
                ldap_search_ext(
                    handle, baseC, scope.rawValue, filterText, attributeList, 0,
                    control == nil ? nil : buffer.baseAddress, nil, nil, Int32(sizeLimit), &messageID)
            }
            guard status == LDAP_SUCCESS else { throw lastError(.search, dn: baseText, status: status) }
            return messageID
        }
        var searchLogger = logger
        searchLogger[metadataKey: "ldap.op"] = "search"
        searchLogger[metadataKey: "ldap.dn"] = "\(baseText)"
        searchLogger.debug(
            "search",
            metadata: [
                "ldap.scope": "\(scope)", "ldap.filter": "\(filter)",
                "ldap.pageSize": "\(pageSize.map(String.init) ?? "none")",
            ])
        var pages = 0
        var messageID: Int32
        var page: (entries: [Item], cookie: [UInt8]?)
        do {
            messageID = try requestPage(nil)
        } catch {
            searchLogger.debug("search failed", metadata: ["ldap.result": "\(error.code)"])
            throw error
        }
        while true {
            do {
                page = try collectPage(messageID, base: baseText, decode: decode)
            } catch {
                searchLogger.debug(
                    "search failed", metadata: ["ldap.result": "\(error.code)", "ldap.entries": "\(total)"])
                throw error
            }
            total += page.entries.count
            pages += 1
            searchLogger.debug("page read", metadata: ["ldap.page": "\(pages)", "ldap.entries": "\(total)"])
            // Checked on every page, the last one too: a server may send more than the page size and the size limit
            // asked for (Samba ignores both), or have more on pages to come.
            if sizeLimit > 0 && (total > sizeLimit || total == sizeLimit && page.cookie != nil) {
                if let cookie = page.cookie {
                    // Release the server's state for the paged search.
                    abandonPagedSearch(base: baseC, filter: filterText, scope: scope, cookie: cookie)
                }
                throw LDAPError(
                    .search, dn: baseText, code: .sizeLimitExceeded,
                    diagnosticMessage: "more than the configured maximum of \(sizeLimit) entries")
            }
            // The next page is asked for before this one is handed over, so the server finds and sends it while
            // the caller works on this one, instead of both taking turns.
            let next: Int32? = pageSize != nil && page.cookie != nil ? try requestPage(page.cookie) : nil
            do {
                try onPage(page.entries)
            } catch {
                if let next { ldap_abandon_ext(handle, next, nil, nil) }
                throw error
            }
            guard let next else {
                searchLogger.debug(
                    "search done", metadata: ["ldap.result": "\(ResultCode.success)", "ldap.entries": "\(total)"])
                return
            }
            messageID = next
        }
    }

    /// Searches and returns every entry (convenience for small reads and tests).
    package func searchAll(
        base: DistinguishedName, scope: SearchScope = .subtree, filter: Filter = .present("objectClass"),
        attributes: [String] = [], pageSize: Int? = 500, sizeLimit: Int = 0
    ) throws -> [Entry] {
        var all: [Entry] = []
        try search(
            base: base, scope: scope, filter: filter, attributes: attributes, pageSize: pageSize,
            sizeLimit: sizeLimit
        ) { all.append(contentsOf: $0) }
        return all
    }

    /// Reads one entry by DN; nil when it does not exist.
    package func read(_ dn: DistinguishedName, attributes: [String] = []) throws -> Entry? {
        do {
            return try searchAll(base: dn, scope: .base, attributes: attributes, pageSize: nil).first
        } catch let error as LDAPError where error.code == .noSuchObject {
            return nil
        }
    }

    /// The root DSE: naming contexts, supported controls and extensions.
    package func rootDSE() throws -> Entry? {
        try searchAll(
            base: DistinguishedName([]), scope: .base,
            attributes: ["namingContexts", "supportedControl", "supportedExtension", "vendorName", "vendorVersion"],
            pageSize: nil
        ).first
    }

    /// Whether the server announces the assertion control (RFC 4528) in its root DSE.
    package func supportsAssertionControl() throws -> Bool {
        try rootDSE()?.strings("supportedControl").contains(LDAPControlOID.assertion) ?? false
    }

    /// Collects one page: entries until the SearchResultDone, then the paging cookie.
    private func collectPage<Item>(
        _ messageID: Int32, base: String, decode: (OpaquePointer, String) throws(LDAPError) -> Item
    ) throws(LDAPError) -> (
        entries: [Item], cookie: [UInt8]?
    ) {
        var entries: [Item] = []
        while true {
            let (type, message, _) = try nextMessage(
                messageID, timeout: options.operationTimeout, operation: .search, dn: base)
            defer { ldap_msgfree(message) }
            switch type {
            case Int32(LDAP_RES_SEARCH_ENTRY):
                entries.append(try decode(message, base))
            case Int32(LDAP_RES_SEARCH_REFERENCE):
                continue  // Referrals are not followed; see `configure`.
            case Int32(LDAP_RES_SEARCH_RESULT):
                return (entries, try finishPage(message, base: base))
            default:
                throw LDAPError(
                    .search, dn: base, code: .decodingError, diagnosticMessage: "unexpected message \(type)")
            }
        }
    }

    /// Checks a SearchResultDone and returns the next cookie (nil when this was the last page).
    private func finishPage(_ message: OpaquePointer, base: String) throws(LDAPError) -> [UInt8]? {
        var code: Int32 = 0
        var matched: UnsafeMutablePointer<CChar>?
        var text: UnsafeMutablePointer<CChar>?
        var controls: UnsafeMutablePointer<UnsafeMutablePointer<LDAPControl>?>?
        let status = ldap_parse_result(handle, message, &code, &matched, &text, nil, &controls, 0)
        defer {
            if let matched { ldap_memfree(matched) }
            if let text { ldap_memfree(text) }
            if let controls { ldap_controls_free(controls) }
        }
        guard status == LDAP_SUCCESS else { throw lastError(.search, dn: base, status: status) }
        guard code == LDAP_SUCCESS else {
            throw LDAPError(
                .search, dn: base, code: ResultCode(libldap: code), matchedDN: matched.map { String(cString: $0) },
                diagnosticMessage: text == nil ? Self.text(of: code) : Self.diagnostic(text))
        }
        guard let controls, let response = ldap_control_find(LDAPControlOID.pagedResults, controls, nil) else {
            return nil
        }
        var count: ber_int_t = 0
        var cookie = berval(bv_len: 0, bv_val: nil)
        let parsed = ldap_parse_pageresponse_control(handle, response, &count, &cookie)
        defer { if cookie.bv_val != nil { ber_memfree(cookie.bv_val) } }
        guard parsed == LDAP_SUCCESS else { throw lastError(.search, dn: base, status: parsed) }
        guard cookie.bv_len > 0, let bytes = cookie.bv_val else { return nil }
        return bytes.withMemoryRebound(to: UInt8.self, capacity: Int(cookie.bv_len)) {
            Array(UnsafeBufferPointer(start: $0, count: Int(cookie.bv_len)))
        }
    }

    /// Tells the server to release a paged search's state (RFC 2696: a page size of 0).
    private func abandonPagedSearch(
        base: UnsafeMutablePointer<CChar>, filter: UnsafeMutablePointer<CChar>, scope: SearchScope, cookie: [UInt8]
    ) {
        let arena = CArena()
        defer { arena.free() }
        var cookieValue = arena.berval(cookie)
        var control: UnsafeMutablePointer<LDAPControl>?
        guard ldap_create_page_control(handle, 0, &cookieValue, 0, &control) == LDAP_SUCCESS, let control else {
            return
        }
        defer { ldap_control_free(control) }
        var controls: [UnsafeMutablePointer<LDAPControl>?] = [control, nil]
        var messageID: Int32 = 0
        let status = controls.withUnsafeMutableBufferPointer { buffer in
            ldap_search_ext(handle, base, scope.rawValue, filter, nil, 0, buffer.baseAddress, nil, nil, 0, &messageID)
        }
        if status == LDAP_SUCCESS { _ = try? collectPage(messageID, base: "", decode: { _, _ in () }) }
    }

    /// Copies one SearchResultEntry into an `Entry`.
    ///
    /// Uses libldap's BER-walking accessors, which point into the message instead of copying
    /// every value twice (the same path `ldapsearch` takes).
    func entry(from message: OpaquePointer, base: String) throws(LDAPError) -> Entry {
        var attributes: [Attribute] = []
        let (dn, _) = try walkEntry(message, base: base, parsingDN: true) { type, values in
            var bytes: [[UInt8]] = []
            bytes.reserveCapacity(values.count)
            for value in values {
                bytes.append(Array(value))
            }
            attributes.append(Attribute(String(decoding: type, as: UTF8.self), values: bytes))
        }
        return Entry(dn: dn, attributes: attributes)
    }

    /// Copies the values of `selection`'s attributes out of one SearchResultEntry, as text; other attributes and
    /// values that are not UTF-8 are passed over, as `Attribute.strings` passes them.
    func selectedEntry(
        from message: OpaquePointer, base: String, selection: AttributeSelection
    ) throws(LDAPError) -> SelectedEntry {
        var selected = [[String]](repeating: [], count: selection.names.count)
        var parts: [(position: Int, range: ValueRange, values: [String])] = []
        let (dn, dnText) = try walkEntry(message, base: base, parsingDN: !selection.dnTextOnly) { type, values in
            if let position = selection.position(of: type) {
                selected[position].reserveCapacity(values.count)
                for value in values {
                    if let text = UTF8Validation.decode(value) {
                        selected[position].append(text)
                    }
                }
            } else if type.contains(ValueRange.separator),
                let (position, range) = selection.part(named: String(decoding: type, as: UTF8.self))
            {
                // AD sends an attribute with more values than its MaxValRange in parts; the reader reads the rest.
                parts.append((position, range, values.compactMap { UTF8Validation.decode($0) }))
            }
        }
        var entry = SelectedEntry(dn: dn, dnText: dnText, values: selected)
        for part in parts {
            entry.append(part.values, part: part.range, at: part.position)
        }
        return entry
    }

    /// Parses one SearchResultEntry's DN (returned with its text as sent; the root DSE in place of the parsed DN
    /// unless `parsingDN`) and calls `attribute` with each attribute's name and values, which point into the
    /// message and live only during the call.
    private func walkEntry(
        _ message: OpaquePointer, base: String, parsingDN: Bool,
        attribute: (UnsafeBufferPointer<UInt8>, BervalValues) -> Void
    ) throws(LDAPError) -> (DistinguishedName, String) {
        var ber: OpaquePointer?
        var name = berval(bv_len: 0, bv_val: nil)
        guard ldap_get_dn_ber(handle, message, &ber, &name) == LDAP_SUCCESS else {
            if let ber { ber_free(ber, 0) }
            throw lastError(.search, dn: base, status: nil)
        }
        defer { if let ber { ber_free(ber, 0) } }
        let dnText = String(berval: name)
        var dn = DistinguishedName.root
        do {
            if parsingDN {
                dn = try parentCache.parse(dnText)
            }
        } catch {
            throw LDAPError(
                .search, dn: base, code: .invalidDNSyntax,
                diagnosticMessage: "the server returned an unparsable DN \"\(dnText)\": \(error)")
        }
        while true {
            var type = berval(bv_len: 0, bv_val: nil)
            var values: UnsafeMutablePointer<berval>?
            let status = ldap_get_attribute_ber(handle, message, ber, &type, &values)
            defer { if let values { ber_memfree(values) } }
            // The end of the attributes is success with no name; anything else is a message that does not decode,
            // and an entry cut short there must not pass for a whole one.
            guard status == LDAP_SUCCESS else {
                throw lastError(.search, dn: base, status: status)
            }
            guard type.bv_val != nil else {
                break
            }
            attribute(type.bytes, BervalValues(first: values))
        }
        return (dn, dnText)
    }
}

/// The values of one attribute in a message: libldap's NULL-terminated `berval` array, as byte buffers.
struct BervalValues: Sequence {
    let first: UnsafeMutablePointer<berval>?

    /// How many values there are.
    var count: Int {
        var count = 0
        var cursor = first
        while let current = cursor, current.pointee.bv_val != nil {
            count += 1
            cursor = current + 1
        }
        return count
    }

    func makeIterator() -> Iterator { Iterator(cursor: first) }

    struct Iterator: IteratorProtocol {
        var cursor: UnsafeMutablePointer<berval>?

        mutating func next() -> UnsafeBufferPointer<UInt8>? {
            guard let current = cursor, current.pointee.bv_val != nil else {
                return nil
            }
            cursor = current + 1
            return current.pointee.bytes
        }
    }
}

extension berval {
    /// The bytes a berval points at; they live as long as what holds them.
    var bytes: UnsafeBufferPointer<UInt8> {
        guard let start = bv_val else {
            return UnsafeBufferPointer(start: nil, count: 0)
        }
        return UnsafeBufferPointer(
            start: UnsafeRawPointer(start).assumingMemoryBound(to: UInt8.self), count: Int(bv_len))
    }
}

/// Object identifiers of the controls ccdirsync uses.
package enum LDAPControlOID {
    /// RFC 2696 simple paged results.
    package static let pagedResults = "1.2.840.113556.1.4.319"
    /// RFC 4528 assertion.
    package static let assertion = "1.3.6.1.1.12"
}

extension String {
    /// Decodes a berval as UTF-8 (LDAP strings are UTF-8); invalid bytes become U+FFFD.
    init(berval value: berval) {
        guard let bytes = value.bv_val, value.bv_len > 0 else {
            self = ""
            return
        }
        let length = Int(value.bv_len)
        self = bytes.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }
}
