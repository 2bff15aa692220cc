/// Lower-casing and space folding of ASCII bytes: the fast path of the comparison keys built from directory values
/// (DN values, caseIgnoreMatch assertions, attribute names), which are almost always ASCII. Each caller keeps its
/// own Unicode path for the rest.
public enum ASCIIFolding {
    /// `byte` lower-cased when it is an ASCII capital letter.
    @inlinable
    public static func lowercased(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
    }

    /// `text` lower-cased and trimmed, each run of bytes for which `isSpace` holds written as one space; nil when
    /// `text` is not ASCII.
    public static func key(_ text: String, isSpace: (UInt8) -> Bool) -> String? {
        var key: [UInt8] = []
        key.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for byte in text.utf8 {
            guard byte < 0x80 else { return nil }
            if isSpace(byte) {
                pendingSpace = !key.isEmpty
                continue
            }
            if pendingSpace {
                key.append(0x20)
                pendingSpace = false
            }
            key.append(lowercased(byte))
        }
        return String(decoding: key, as: UTF8.self)
    }
}
