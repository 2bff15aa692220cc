import Dispatch
import Foundation

/// Text made from many items in parts, on all cores, then joined in order.
///
/// A report's text is made on one thread while the other cores stand idle: `verify`'s, after the directory has
/// answered everything, and the HTML report that `apply` keeps before its first write (docs/BENCHMARKS.md, "Bespoke
/// code kept for speed"). Each part's text depends only on its own items, so the parts are independent and the
/// result is the same text as made in one piece.
enum ParallelText {
    /// Fewer items than this are made in one piece: starting threads costs more than it saves.
    static let smallestSplit = 4_000

    /// `make` applied to consecutive parts of `items`, joined in order. Four parts per core by default: the report's
    /// sections cost different amounts per user, and with one part per core the last one to finish kept the others
    /// waiting.
    static func join<Item: Sendable>(
        _ items: ArraySlice<Item>, parts requested: Int = 4 * ProcessInfo.processInfo.activeProcessorCount,
        _ make: @Sendable (ArraySlice<Item>) -> String
    ) -> String {
        let parts = min(max(requested, 1), max(items.count / (smallestSplit / 2), 1))
        guard parts > 1 else {
            return make(items)
        }
        let bounds = (0...parts).map { items.startIndex + items.count * $0 / parts }
        var texts = [String](repeating: "", count: parts)
        texts.withUnsafeMutableBufferPointer { buffer in
            // Each iteration writes its own element only, and all have finished when concurrentPerform returns.
            nonisolated(unsafe) let texts = buffer
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                texts[part] = make(items[bounds[part]..<bounds[part + 1]])
            }
        }
        var joined = ""
        joined.reserveCapacity(texts.reduce(0) { $0 + $1.utf8.count })
        for text in texts {
            joined += text
        }
        return joined
    }
}
