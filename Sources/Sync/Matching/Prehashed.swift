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
}

/// An address key with its hash.
typealias HashedAddressKey = Prehashed<AddressKey>
