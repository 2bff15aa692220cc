import Testing

@testable import Reports

/// Text made in parts on several threads is the text made in one piece.
@Suite struct ParallelTextTests {
    @Test("parts joined in order equal the text made in one piece, for every size and number of parts")
    func joinedInOrder() {
        let sizes = [
            0, 1, 2, ParallelText.smallestSplit - 1, ParallelText.smallestSplit, 3 * ParallelText.smallestSplit + 7,
        ]
        for size in sizes {
            let items = (0..<size).map { "line \($0) é\n" }
            let whole = items.joined()
            for parts in [1, 2, 3, 8] {
                let joined = ParallelText.join(items[...], parts: parts) { $0.joined() }
                #expect(joined == whole, "\(size) items in \(parts) parts")
            }
        }
        // A slice that does not start at zero is split by its own indices.
        let items = (0..<(2 * ParallelText.smallestSplit)).map(String.init)
        let slice = items[5..<(items.count - 3)]
        #expect(
            ParallelText.join(slice, parts: 4) { $0.joined(separator: ",") + ";" }.split(separator: ";").joined(
                separator: ",") == slice.joined(separator: ","))
    }

    @Test("large inputs really are made in several parts")
    func splits() {
        let items = Array(0..<(4 * ParallelText.smallestSplit))
        let text = ParallelText.join(items[...], parts: 4) { "[\($0.count)]" }
        #expect(
            text == "[\(ParallelText.smallestSplit)]" + String(repeating: "[\(ParallelText.smallestSplit)]", count: 3))
        #expect(ParallelText.join(items[..<10], parts: 4) { "[\($0.count)]" } == "[10]")
    }
}
