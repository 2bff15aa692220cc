extension String {
    /// Whether the two texts are the same UTF-8 bytes: spelled the same, which `==` (canonical equivalence) does not
    /// decide. Compares the two contiguous buffers; comparing the `utf8` views walks both through their iterators,
    /// which is not specialised and costs the planner's hot loops (docs/BENCHMARKS.md).
    package func isSpelledLike(_ other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        var left = self
        var right = other
        return left.withUTF8 { leftBytes in right.withUTF8 { leftBytes.elementsEqual($0) } }
    }
}
