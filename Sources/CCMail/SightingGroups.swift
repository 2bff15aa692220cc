/// An entry of an export that the merge groups by name.
protocol DirectoryEntry: Sendable {
    /// The entry's directory name.
    var name: CCMailName { get }
    /// Where the entry's record starts.
    var location: Location { get }
}

extension PostOfficeEntry: DirectoryEntry {}
extension UserEntry: DirectoryEntry {}
extension AliasEntry: DirectoryEntry {}

/// One entry as read from one export, with the export's position in the merge's input.
struct Sighting<Entry: DirectoryEntry> {
    var entry: Entry
    var export: Int

    var location: Location { entry.location }
}

/// Sightings of one kind of entry, sorted by name, then by export order and line, and cut into one group per name.
///
/// Sorting indices once and cutting runs replaces a dictionary of small arrays: with 100,000 users that saves
/// 100,000 allocations and keeps the result in name order, which the directory needs anyway.
struct SightingGroups<Entry: DirectoryEntry> {
    /// All sightings in order.
    private let sorted: [Sighting<Entry>]

    /// The range of `sorted` holding each name's sightings.
    private let ranges: [Range<Int>]

    /// `sightings` is best handed over (`consume`): it is then put in order in place.
    init(_ sightings: consuming [Sighting<Entry>]) {
        // The comparator reads the names' keys from one byte buffer: comparing `String`s (or reading whole
        // sightings) would retain and release two strings per comparison, which dominated the merge.
        var keyBytes: [UInt8] = []
        var keyRanges: [Range<Int>] = []
        keyRanges.reserveCapacity(sightings.count)
        var positions: [(Int, Int)] = []
        positions.reserveCapacity(sightings.count)
        for index in sightings.indices {
            let start = keyBytes.count
            keyBytes += sightings[index].entry.name.normalized.utf8
            keyRanges.append(start..<keyBytes.count)
            positions.append((sightings[index].export, sightings[index].entry.location.line))
        }
        var order = Array(sightings.indices)
        var ranges: [Range<Int>] = []
        keyBytes.withUnsafeBufferPointer { bytes in
            func key(_ index: Int) -> UnsafeBufferPointer<UInt8> {
                UnsafeBufferPointer(rebasing: bytes[keyRanges[index]])
            }
            order.sort { lhs, rhs in
                let byName = CCMailName.compare(key(lhs), key(rhs))
                if byName != 0 {
                    return byName < 0
                }
                return positions[lhs] < positions[rhs]
            }
            // Runs of one name, told apart by the same keys (names are equal when their normalised bytes are).
            var start = 0
            for index in order.indices.dropFirst() where CCMailName.compare(key(order[index]), key(order[start])) != 0 {
                ranges.append(start..<index)
                start = index
            }
            if !order.isEmpty {
                ranges.append(start..<order.count)
            }
        }
        var sorted = consume sightings
        sorted.reorder(by: order)
        self.sorted = sorted
        self.ranges = ranges
    }

    /// The number of distinct names.
    var count: Int { ranges.count }

    /// Each name's sightings, in name order; within a group, in export order and then line order.
    var groups: [ArraySlice<Sighting<Entry>>] { ranges.map { sorted[$0] } }

    /// The group of each name, for looking up the few names another kind of entry shares.
    func groupsByName() -> [CCMailName: ArraySlice<Sighting<Entry>>] {
        var result: [CCMailName: ArraySlice<Sighting<Entry>>] = [:]
        for range in ranges {
            result[sorted[range.lowerBound].entry.name] = sorted[range]
        }
        return result
    }
}
