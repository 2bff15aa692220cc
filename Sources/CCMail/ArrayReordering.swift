extension Array {
    /// Puts `self[order[i]]` at `i` (`order` a permutation of the indices) by swapping along the permutation's
    /// cycles: a swap in the buffer moves two values without copying them, where building a reordered copy
    /// retains every field of every element. The merge reorders its sightings and the planner its changes so.
    package mutating func reorder(by order: [Int]) {
        var placed = [Bool](repeating: false, count: order.count)
        withUnsafeMutableBufferPointer { elements in
            for start in order.indices where !placed[start] {
                // Walk the cycle through `start`: position `current` takes the element now at `order[current]`.
                var current = start
                placed[current] = true
                while !placed[order[current]] {
                    let next = order[current]
                    elements.swapAt(current, next)
                    placed[next] = true
                    current = next
                }
            }
        }
    }
}
