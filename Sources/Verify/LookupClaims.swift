import LDAPModel

extension LookupRunner {
    /// The users of a group, by the values their lookups assert: spelled exactly as sent, and folded as the
    /// server's equality rule folds them.
    struct Claims {
        /// A user's claim on a value: whose (by position in the group), and whether it is their MIGRATE value
        /// (else their address).
        struct Claim: Hashable {
            var index: Int
            var isMigrate: Bool
        }

        /// The claims on one value: nearly always one, kept without an array of its own (a group makes 75 of
        /// these, 300,000 at 100,000 users).
        struct ClaimList: Sequence {
            private var first: Claim?
            private var more: [Claim] = []

            init() {}

            mutating func append(_ claim: Claim) {
                if first == nil {
                    first = claim
                } else {
                    more.append(claim)
                }
            }

            mutating func append(contentsOf claims: ClaimList) {
                for claim in claims {
                    append(claim)
                }
            }

            func makeIterator() -> Iterator {
                Iterator(list: self)
            }

            struct Iterator: IteratorProtocol {
                let list: ClaimList
                /// -1 for `first`, then positions in `more`.
                var position = -1

                mutating func next() -> Claim? {
                    if position < 0 {
                        position = 0
                        if let first = list.first {
                            return first
                        }
                        return nil
                    }
                    guard position < list.more.count else {
                        return nil
                    }
                    position += 1
                    return list.more[position - 1]
                }
            }
        }

        /// One value asserted in the group, with its claims.
        private struct Asserted {
            var value: ValueBytes
            var hash: UInt64
            var claims = ClaimList()
        }

        /// The values in the order they were first added.
        private var asserted: [Asserted] = []
        /// An open-addressing table over `asserted` by `ValueBytes.foldedHash`: position + 1 in each used slot, 0 in
        /// a free one; a power of two in size, at least twice the values. A group is small (75 values for 25 users)
        /// and is matched against once per returned value: a table of our own, probed with the hash already made,
        /// costs less to fill than a `Dictionary` and a `Set`, whose `Hasher` hashes every key a second time
        /// (docs/BENCHMARKS.md).
        private var slots: [Int32]
        /// The fingerprints of the values (see `fingerprint`), in a table of the same kind (0 free): a Latin-1 value
        /// whose fingerprint is not among them cannot match, and is turned away without folding anything.
        private var fingerprints: [UInt64]
        /// The folded table, made on the first value the exact table cannot answer.
        private(set) var folded: [String: ClaimList]?
        /// Some value is beyond Latin-1: fingerprints cannot speak for it, so every miss is folded.
        private var beyondLatin1 = false

        init(capacity: Int) {
            asserted.reserveCapacity(capacity)
            let size = Self.tableSize(for: capacity)
            slots = [Int32](repeating: 0, count: size)
            fingerprints = [UInt64](repeating: 0, count: size)
        }

        /// The smallest power of two at least twice `count` (and at least 8).
        private static func tableSize(for count: Int) -> Int {
            var size = 8
            while size < 2 * count {
                size <<= 1
            }
            return size
        }

        mutating func add(_ value: String, _ index: Int, isMigrate: Bool = false) {
            let claim = Claim(index: index, isMigrate: isMigrate)
            let key = ValueBytes(value)
            let keys = Self.keys(value)
            folded = nil
            if let position = find(key, hash: keys.exact) {
                asserted[position].claims.append(claim)
                return
            }
            if 2 * (asserted.count + 1) > slots.count {
                rebuild(size: 2 * slots.count)
            }
            var entry = Asserted(value: key, hash: keys.exact)
            entry.claims.append(claim)
            asserted.append(entry)
            insert(position: asserted.count - 1, hash: keys.exact)
            if let fingerprint = keys.fingerprint {
                insert(fingerprint: fingerprint)
            } else {
                beyondLatin1 = true
            }
        }

        /// The users asserting `value`. Values ccdirsync wrote are spelled as they are asked for, up to the case of
        /// their type, so the exact table answers almost always; folding, the costly part, is left for the rest.
        mutating func users(_ value: String) -> ClaimList {
            let keys = Self.keys(value)
            if let position = find(ValueBytes(value), hash: keys.exact) {
                return asserted[position].claims
            }
            if !beyondLatin1, let fingerprint = keys.fingerprint, !contains(fingerprint: fingerprint) {
                return ClaimList()
            }
            let table = folded ?? foldedTable()
            folded = table
            return table[CaseIgnoreMatch.key(value)] ?? ClaimList()
        }

        /// What survives of a value under `CaseIgnoreMatch.key` when it is Latin-1: how many bytes are not spaces, and a hash of
        /// them in order after case folding (ASCII capitals and the Latin-1 capitals `À`…`Þ` but `×`, whose UTF-8
        /// second byte is 0x20 below their small letter's). Values with equal match keys have equal fingerprints;
        /// nil for anything beyond Latin-1, where case mapping may change the length. The hash is in order so that
        /// a user moved from `PO12` to `PO21`, whose old MIGRATE value has the same bytes in another order, is
        /// turned away here too.
        struct Fingerprint: Hashable {
            var count: Int
            var hash: UInt64

            /// Count and hash as one table key, never 0 (a free slot). Distinct fingerprints may share a key; that
            /// only lets a value through to the folded table.
            var key: UInt64 {
                (hash ^ (UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15)) | 1
            }
        }

        static func fingerprint(_ value: String) -> Fingerprint? {
            keys(value).fingerprint
        }

        /// `ValueBytes.foldedHash` and `fingerprint` of `value`, in one pass over its bytes.
        static func keys(_ value: String) -> (exact: UInt64, fingerprint: Fingerprint?) {
            var exact: UInt64 = ValueBytes.hashStart
            var count = 0
            var hash: UInt64 = 0
            var latin1 = true
            var afterC3 = false
            for byte in value.utf8 {
                let lowered = ASCIIFolding.lowercased(byte)
                exact = ValueBytes.hashStep(exact, lowered)
                guard latin1 else {
                    continue
                }
                let folded: UInt8
                if afterC3 {
                    afterC3 = false
                    folded = ASCIIFolding.lowercasedAfterC3(byte)
                } else {
                    switch byte {
                    case 0x20:
                        continue
                    case 0..<0x80, 0x80...0xBF, 0xC2:
                        folded = lowered
                    case 0xC3:
                        afterC3 = true
                        folded = byte
                    default:
                        latin1 = false
                        continue
                    }
                }
                hash = hash &* 1_099_511_628_211 ^ UInt64(folded)
                count += 1
            }
            return (exact, latin1 ? Fingerprint(count: count, hash: hash) : nil)
        }

        /// The position in `asserted` of the value equal to `key`, whose hash is `hash`.
        private func find(_ key: ValueBytes, hash: UInt64) -> Int? {
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 {
                let position = Int(slots[slot]) - 1
                if asserted[position].hash == hash, asserted[position].value == key {
                    return position
                }
                slot = (slot + 1) & mask
            }
            return nil
        }

        private mutating func insert(position: Int, hash: UInt64) {
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 {
                slot = (slot + 1) & mask
            }
            slots[slot] = Int32(position + 1)
        }

        private func contains(fingerprint: Fingerprint) -> Bool {
            let key = fingerprint.key
            let mask = fingerprints.count - 1
            var slot = Int(truncatingIfNeeded: key) & mask
            while fingerprints[slot] != 0 {
                if fingerprints[slot] == key {
                    return true
                }
                slot = (slot + 1) & mask
            }
            return false
        }

        private mutating func insert(fingerprint: Fingerprint) {
            let key = fingerprint.key
            let mask = fingerprints.count - 1
            var slot = Int(truncatingIfNeeded: key) & mask
            while fingerprints[slot] != 0 {
                if fingerprints[slot] == key {
                    return
                }
                slot = (slot + 1) & mask
            }
            fingerprints[slot] = key
        }

        /// Both tables again at `size` slots, for more values than `init` was told of.
        private mutating func rebuild(size: Int) {
            let kept = fingerprints.filter { $0 != 0 }
            slots = [Int32](repeating: 0, count: size)
            fingerprints = [UInt64](repeating: 0, count: size)
            for (position, entry) in asserted.enumerated() {
                insert(position: position, hash: entry.hash)
            }
            for key in kept {
                let mask = size - 1
                var slot = Int(truncatingIfNeeded: key) & mask
                while fingerprints[slot] != 0 {
                    slot = (slot + 1) & mask
                }
                fingerprints[slot] = key
            }
        }

        private func foldedTable() -> [String: ClaimList] {
            var table: [String: ClaimList] = [:]
            for entry in asserted {
                table[CaseIgnoreMatch.key(entry.value.text), default: ClaimList()].append(contentsOf: entry.claims)
            }
            return table
        }
    }

    /// A value as a dictionary key compared and hashed by its UTF-8 bytes with ASCII letters folded to small, hashed
    /// in one call: as a `String` key it would be hashed through Unicode normalization, which is most of the cost of
    /// looking up names with accents. Values equal here are equal under caseIgnoreMatch (ASCII letters are one byte
    /// and fold only to each other). The server returns a value as it was written, and Exchange writes the type of a
    /// secondary address in small letters (`ccmail$…` beside the asserted `CCMAIL$…`; 8,375 of them in the
    /// 100,000-user bench), so ASCII case is folded here and not left to the folded table, which is built per group
    /// and costs as much as the rest of the matching. Canonical equivalence and spaces are the folded table's job.
    struct ValueBytes: Hashable {
        var text: String

        init(_ text: String) {
            self.text = text
        }

        static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.text.utf8.count == rhs.text.utf8.count
                && lhs.text.utf8.elementsEqual(rhs.text.utf8) {
                    ASCIIFolding.lowercased($0) == ASCIIFolding.lowercased($1)
                }
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(foldedHash)
        }

        /// FNV-1a over the bytes with ASCII letters folded: equal values have equal hashes.
        var foldedHash: UInt64 {
            var hash = Self.hashStart
            for byte in text.utf8 {
                hash = Self.hashStep(hash, ASCIIFolding.lowercased(byte))
            }
            return hash
        }

        static let hashStart: UInt64 = 0xcbf2_9ce4_8422_2325

        @inline(__always)
        static func hashStep(_ hash: UInt64, _ folded: UInt8) -> UInt64 {
            (hash ^ UInt64(folded)) &* 0x100_0000_01b3
        }
    }
}
