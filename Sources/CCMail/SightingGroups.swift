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

    init(_ sightings: [Sighting<Entry>]) {
        // The comparator reads the names' keys from one byte buffer: comparing `String`s (or reading whole
        // sightings) would retain and release two strings per comparison, which dominated the merge.
        var keyBytes: [UInt8] = []
        var keyRanges: [Range<Int>] = []
        keyRanges.reserveCapacity(sightings.count)
        for sighting in sightings {
            let start = keyBytes.count
            keyBytes += sighting.entry.name.normalized.utf8
            keyRanges.append(start..<keyBytes.count)
        }
        let positions = sightings.map { ($0.export, $0.location.line) }
        var order = Array(sightings.indices)
        keyBytes.withUnsafeBufferPointer { bytes in
            order.sort { lhs, rhs in
                let left = UnsafeBufferPointer(rebasing: bytes[keyRanges[lhs]])
                let right = UnsafeBufferPointer(rebasing: bytes[keyRanges[rhs]])
                let byName = CCMailName.compare(left, right)
                if byName != 0 {
                    return byName < 0
                }
                return positions[lhs] < positions[rhs]
            }
        }
        let sorted = order.map { sightings[$0] }
        var ranges: [Range<Int>] = []
        var start = 0
        for index in sorted.indices.dropFirst() where sorted[index].entry.name != sorted[start].entry.name {
            ranges.append(start..<index)
            start = index
        }
        if !sorted.isEmpty {
            ranges.append(start..<sorted.count)
        }
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
