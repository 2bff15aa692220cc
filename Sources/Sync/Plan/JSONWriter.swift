import Crypto

/// The one JSON writer of the plan format: the plan hash, the plan file and the journal's lines are all written by it.
///
/// Callers give an object's members in sorted order (a value map's keys are sorted here). Two styles:
/// - `canonical`: compact, every control character as `\u00XX`. The plan hash covers this form, and journal lines
///   are written in it.
/// - `pretty`: indented as JSONEncoder's `.prettyPrinted` with `.sortedKeys` and `.withoutEscapingSlashes` indents,
///   byte for byte (tests compare the two), with JSONEncoder's short escapes (`\n`, `\t`, …), so the plan file reads
///   as any JSON tool writes it and two plans diff line by line.
///
/// The bytes stay in memory, or go on as they are written: into a SHA-256 (the hash of a large plan without holding
/// its canonical form), or to a closure in pieces (a plan file goes to disk without being held whole). A value type
/// passed `inout`, so appending is not checked for exclusive access as a class's buffer would be.
package struct JSONWriter {
    package enum Style: Sendable {
        case canonical
        case pretty
    }

    /// What is written and not yet handed on.
    package private(set) var bytes: [UInt8] = []
    private let pretty: Bool
    private var depth = 0
    /// Whether the container being written has no member or element yet.
    private var empty = true
    /// When hashing, what is handed on goes into `hasher`.
    private let hashing: Bool
    private var hasher = SHA256()
    private let chunk: (([UInt8]) -> Void)?
    /// Once `bytes` holds this many, they are handed on (checked before each member or element).
    private let flushSize: Int

    /// A writer that keeps what it writes in `bytes`.
    package init(_ style: Style) {
        pretty = style == .pretty
        hashing = false
        chunk = nil
        flushSize = Int.max
    }

    private init(_ style: Style, hashing: Bool, flushSize: Int, chunk: (([UInt8]) -> Void)?) {
        pretty = style == .pretty
        self.hashing = hashing
        self.chunk = chunk
        self.flushSize = flushSize
        bytes.reserveCapacity(flushSize + 4096)
    }

    /// The SHA-256 of what `write` writes, hashed as it is written.
    package static func sha256(_ style: Style, _ write: (inout JSONWriter) -> Void) -> SHA256.Digest {
        var out = JSONWriter(style, hashing: true, flushSize: 1 << 16, chunk: nil)
        write(&out)
        out.handOn()
        return out.hasher.finalize()
    }

    /// What `write` writes, handed to `chunk` in order in pieces of about `chunkSize` bytes.
    package static func chunks(
        _ style: Style, chunkSize: Int, _ write: (inout JSONWriter) -> Void, to chunk: ([UInt8]) -> Void
    ) {
        withoutActuallyEscaping(chunk) { chunk in
            var out = JSONWriter(style, hashing: false, flushSize: chunkSize, chunk: chunk)
            write(&out)
            out.handOn()
        }
    }

    /// Hands what is written so far to the hasher or the closure, if there is one, and starts over.
    private mutating func handOn() {
        guard !bytes.isEmpty, hashing || chunk != nil else {
            return
        }
        if hashing {
            hasher.update(data: bytes)
        }
        chunk?(bytes)
        bytes.removeAll(keepingCapacity: true)
    }

    // MARK: - Containers

    package mutating func beginObject() {
        open(UInt8(ascii: "{"))
    }

    package mutating func endObject() {
        close(UInt8(ascii: "}"))
    }

    package mutating func beginArray() {
        open(UInt8(ascii: "["))
    }

    package mutating func endArray() {
        close(UInt8(ascii: "]"))
    }

    /// A member's name, with its separator before and its colon after; the value is written next.
    package mutating func key(_ name: StaticString) {
        separator()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(UInt8(ascii: "\""))
        colon()
    }

    /// A member's name from a format's `CodingKeys`, which are ASCII identifiers: written as it is, the name
    /// `Codable` reads.
    package mutating func key(_ member: some CodingKey) {
        separator()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: member.stringValue.utf8)
        bytes.append(UInt8(ascii: "\""))
        colon()
    }

    /// A member's name that is data (an attribute name), escaped as any string.
    package mutating func key(_ name: String) {
        separator()
        string(name)
        colon()
    }

    /// Before each element of an array.
    package mutating func element() {
        separator()
    }

    private mutating func open(_ bracket: UInt8) {
        bytes.append(bracket)
        depth += 1
        empty = true
    }

    /// Closes a container; in pretty form on a line of its own, and an empty one as `[`, a blank line, `]`, as
    /// JSONEncoder writes it.
    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        if pretty {
            bytes.append(0x0A)
            if empty {
                bytes.append(0x0A)
            }
            indent()
        }
        bytes.append(bracket)
        // The container just closed is a member or element of the one around it, which is so not empty.
        empty = false
    }

    /// Before a member or element: the comma, and in pretty form the line break and indentation.
    private mutating func separator() {
        if bytes.count >= flushSize {
            handOn()
        }
        if !empty {
            bytes.append(UInt8(ascii: ","))
        }
        empty = false
        if pretty {
            bytes.append(0x0A)
            indent()
        }
    }

    private mutating func colon() {
        if pretty {
            bytes.append(contentsOf: [UInt8(ascii: " "), UInt8(ascii: ":"), UInt8(ascii: " ")])
        } else {
            bytes.append(UInt8(ascii: ":"))
        }
    }

    private mutating func indent() {
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }

    /// A line break after a whole value: the end of a plan file or of a journal line.
    package mutating func newline() {
        bytes.append(0x0A)
    }

    // MARK: - Values

    package mutating func number(_ value: Int) {
        bytes.append(contentsOf: String(value).utf8)
    }

    package mutating func boolean(_ value: Bool) {
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// `["value", …]`.
    package mutating func strings(_ values: [String]) {
        beginArray()
        for value in values {
            element()
            string(value)
        }
        endArray()
    }

    /// `{"attribute": ["value", …], …}` with the attributes in `String`'s order.
    package mutating func valueMap(_ map: [String: [String]]) {
        beginObject()
        for (name, values) in map.sorted(by: { $0.key < $1.key }) {
            key(name)
            strings(values)
        }
        endObject()
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// The letter of JSON's two-character escape of a control character (`\b \t \n \f \r`), if it has one.
    private static func shortEscape(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x08: UInt8(ascii: "b")
        case 0x09: UInt8(ascii: "t")
        case 0x0A: UInt8(ascii: "n")
        case 0x0C: UInt8(ascii: "f")
        case 0x0D: UInt8(ascii: "r")
        default: nil
        }
    }

    /// A JSON string: `"` and `\` escaped, control characters escaped as the style says, everything else as UTF-8.
    package mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            // Most strings need no escape: copied whole.
            guard utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
                bytes.append(contentsOf: utf8)
                return
            }
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    bytes.append(UInt8(ascii: "\\"))
                    bytes.append(byte)
                case 0..<0x20 where pretty && Self.shortEscape(byte) != nil:
                    bytes.append(UInt8(ascii: "\\"))
                    bytes.append(Self.shortEscape(byte) ?? byte)
                case 0..<0x20:
                    bytes.append(contentsOf: [
                        UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                        Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 0x0F)],
                    ])
                default:
                    bytes.append(byte)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
