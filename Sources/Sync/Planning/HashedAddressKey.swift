/// An address key with its hash worked out once, for the planner's and validator's own tables.
///
/// Equality and hashing are those of `AddressKey` (the stored hash is `key.hashValue`), so a table of these finds
/// exactly what a table of keys finds. But a probe that lands on another key is told apart by comparing two integers
/// instead of two strings, which for text outside ASCII means a Unicode comparison; and a key looked up many times
/// is hashed once.
struct HashedAddressKey: Hashable {
    let key: AddressKey
    let hash: Int

    init(_ key: AddressKey) {
        self.key = key
        self.hash = key.hashValue
    }

    static func == (lhs: HashedAddressKey, rhs: HashedAddressKey) -> Bool {
        lhs.hash == rhs.hash && lhs.key == rhs.key
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(hash)
    }
}
