/// A key with its hash worked out once, for the matcher's, planner's and validator's own tables.
///
/// Equality and hashing are the value's own (the stored hash is `value.hashValue`), so a table of these finds
/// exactly what a table of the values finds. But a probe that lands on another key is told apart by comparing two
/// integers instead of two strings, which for text outside ASCII means a Unicode comparison; and a key looked up
/// many times is hashed once.
struct Prehashed<Value: Hashable>: Hashable {
    let value: Value
    let hash: Int

    init(_ value: Value) {
        self.value = value
        self.hash = value.hashValue
    }

    static func == (lhs: Prehashed, rhs: Prehashed) -> Bool {
        lhs.hash == rhs.hash && lhs.value == rhs.value
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(hash)
    }

    /// What `Set` and `Dictionary` ask for: the stored hash mixed with the table's seed, without a `Hasher`.
    ///
    /// The stored hash is already a full SipHash of the value; the default ran SipHash again over it for every
    /// insertion and lookup (`hash(into:)`, then finalising), which only spent time. The seed is mixed in before
    /// an invertible finaliser (murmur3's), so two tables of different seeds or sizes still place the same keys
    /// differently (copying one table into another does not pile keys up in a few buckets).
    func _rawHashValue(seed: Int) -> Int {
        var bits = UInt64(truncatingIfNeeded: hash ^ seed)
        bits ^= bits >> 33
        bits &*= 0xff51_afd7_ed55_8ccd
        bits ^= bits >> 33
        bits &*= 0xc4ce_b9fe_1a85_ec53
        bits ^= bits >> 33
        return Int(truncatingIfNeeded: bits)
    }
}

/// An address key with its hash.
typealias HashedAddressKey = Prehashed<AddressKey>
