import Testing

@testable import Sync

@Suite struct PrehashedTests {
    /// Names as a directory has them, accented ones included.
    static let names = (0..<20_000).map { "Müller-\($0), Jürgen \($0 % 97)" }

    @Test("tables of prehashed keys find exactly their own keys")
    func tablesFindTheirKeys() {
        let keys = Self.names.map { Prehashed($0) }
        var table = Set<Prehashed<String>>()
        var positions: [Prehashed<String>: Int] = [:]
        for (position, key) in keys.enumerated() where position % 2 == 0 {
            table.insert(key)
            positions[key] = position
        }
        for (position, name) in Self.names.enumerated() {
            let probe = Prehashed(name)
            #expect(table.contains(probe) == (position % 2 == 0), "\(name)")
            #expect(positions[probe] == (position % 2 == 0 ? position : nil), "\(name)")
        }
        #expect(table.count == 10_000)
        // Copied into a table grown from nothing, as `Set(other)` and `formUnion` do: every key arrives.
        var copy = Set<Prehashed<String>>()
        copy.formUnion(table)
        #expect(copy == table)
    }

    /// The seed goes in before the mixing, so two tables place the same keys independently: when they placed them
    /// alike, copying one table into a smaller one piled the keys into a few runs of buckets.
    @Test("two seeds place the same keys independently, and evenly")
    func seedsPlaceKeysIndependently() {
        let keys = Self.names.prefix(4_096).map { Prehashed($0) }
        let buckets = 1_024
        let first = keys.map { $0._rawHashValue(seed: 0x1234_5678) & (buckets - 1) }
        let second = keys.map { $0._rawHashValue(seed: 0x1234_5679) & (buckets - 1) }
        let same = zip(first, second).count { $0 == $1 }
        // Chance alone gives about 4,096 / 1,024 = 4.
        #expect(same < 40, "\(same) of 4,096 keys in the same bucket under both seeds")
        var load = [Int](repeating: 0, count: buckets)
        for bucket in first {
            load[bucket] += 1
        }
        // Four keys per bucket on average; a bucket with 20 would mean the low bits are not mixed.
        #expect((load.max() ?? 0) < 20, "fullest bucket \(load.max() ?? 0)")
        // Consecutive buckets of one table land far apart in the other.
        let neighbours = zip(first, second).filter { $0.0 < 8 }.map(\.1)
        #expect(Set(neighbours.map { $0 / 128 }).count > 4, "\(neighbours)")
    }
}
