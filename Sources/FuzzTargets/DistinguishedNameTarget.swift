import LDAPModel

/// The RFC 4514 DN parser: it never traps, errors point into the input, and what parses round-trips.
///
/// The bytes are read as UTF-8 (ill-formed sequences become U+FFFD, as they would coming from a `String`).
/// Properties, for a DN that parses:
///
/// - its string form parses again, to an equal DN with an equal hash, and prints the same string form again
///   (printing is canonical: print∘parse is idempotent);
/// - each of its RDNs alone parses with `RelativeDistinguishedName(parsing:)` to an equal RDN;
/// - its comparison key is a fixed point: the key, parsed, has the same key;
/// - it is within its parent, and a descendant of it unless it is the root DSE;
///
/// and for one that does not: the error's offset is inside the input and it has a reason. Either way a
/// `DistinguishedNameParentCache` gives the same: the same DN (RDN by RDN, and printed the same) or the same
/// error, on a first parse and on a second that finds the parent cached.
package enum DistinguishedNameTarget {
    static let target = FuzzTarget.distinguishedName

    package static func run(_ data: [UInt8]) throws(PropertyViolation) {
        let input = String(decoding: data, as: UTF8.self)
        try checkParentCache(input)
        let dn: DistinguishedName
        do {
            dn = try DistinguishedName(parsing: input)
        } catch {
            try target.require(
                error.offset >= 0 && error.offset <= input.utf8.count,
                "error offset \(error.offset) outside the \(input.utf8.count)-byte input: \(error)")
            try target.require(!error.reason.isEmpty, "error without a reason at offset \(error.offset)")
            try checkSingleRDN(input)
            return
        }
        let printed = dn.description
        let reparsed: DistinguishedName
        do {
            reparsed = try DistinguishedName(parsing: printed)
        } catch {
            throw PropertyViolation(
                target, "\(debug(input)) printed as \(debug(printed)), which does not parse: \(error)")
        }
        try target.require(
            reparsed == dn && reparsed.hashValue == dn.hashValue,
            "\(debug(input)) printed as \(debug(printed)) parses to a different DN (\(debug(reparsed.normalized)) ≠ "
                + "\(debug(dn.normalized)))")
        try target.require(
            reparsed.description == printed,
            "printing is not canonical: \(debug(printed)) prints as \(debug(reparsed.description))")
        for rdn in dn.rdns {
            let single: RelativeDistinguishedName
            do {
                single = try RelativeDistinguishedName(parsing: rdn.description)
            } catch {
                throw PropertyViolation(target, "RDN \(debug(rdn.description)) does not parse alone: \(error)")
            }
            try target.require(single == rdn, "RDN \(debug(rdn.description)) parses alone to a different RDN")
        }
        let key = dn.normalized
        let keyed: DistinguishedName
        do {
            keyed = try DistinguishedName(parsing: key)
        } catch {
            throw PropertyViolation(target, "the key \(debug(key)) of \(debug(input)) does not parse: \(error)")
        }
        try target.require(
            keyed.normalized == key,
            "the key \(debug(key)) of \(debug(input)) is not a fixed point: \(debug(keyed.normalized))")
        if let parent = dn.parent {
            try target.require(
                dn.isWithin(parent) && dn.isDescendant(of: parent) && !parent.isDescendant(of: dn),
                "\(debug(printed)) is not below its parent \(debug(parent.description))")
        } else {
            try target.require(dn.isEmpty && printed.isEmpty, "a DN without a parent is not the root DSE")
        }
    }

    /// The parent cache parses `input` as `DistinguishedName(parsing:)` does, twice (the second time from the cache).
    static func checkParentCache(_ input: String) throws(PropertyViolation) {
        let plain = Result { () throws(DistinguishedNameError) in try DistinguishedName(parsing: input) }
        var cache = DistinguishedNameParentCache()
        for round in ["first", "cached"] {
            let cached = Result { () throws(DistinguishedNameError) in try cache.parse(input) }
            switch (plain, cached) {
            case (.success(let expected), .success(let got)):
                try target.require(
                    got.rdns.elementsEqual(expected.rdns) { $0.description == $1.description && $0 == $1 }
                        && got.description == expected.description,
                    "\(debug(input)): the parent cache (\(round)) gives \(debug(got.description)), not "
                        + "\(debug(expected.description))")
            case (.failure(let expected), .failure(let got)):
                try target.require(
                    got == expected, "\(debug(input)): the parent cache (\(round)) fails with \(got), not \(expected)")
            default:
                throw PropertyViolation(
                    target, "\(debug(input)): the parent cache (\(round)) gives \(cached), the parser \(plain)")
            }
        }
    }

    /// A single RDN parses the same alone as as the first RDN of a one-RDN DN.
    static func checkSingleRDN(_ input: String) throws(PropertyViolation) {
        guard let rdn = try? RelativeDistinguishedName(parsing: input) else {
            return
        }
        throw PropertyViolation(target, "\(debug(input)) is an RDN (\(debug(rdn.description))) but not a DN")
    }

    /// The text with its scalars escaped, so a violation message shows invisible characters.
    static func debug(_ text: String) -> String {
        text.debugDescription
    }
}
