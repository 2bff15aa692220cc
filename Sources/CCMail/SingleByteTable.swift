#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The 256 characters of a single-byte code page, each stored as ready-made UTF-8.
///
/// iconv is the authority on what each byte means, but calling it once per field would cost a system-library
/// round trip per value. A single-byte code page is stateless, so converting each of the 256 bytes once through
/// one iconv converter gives exactly iconv's answer for any byte string, and decoding becomes a table lookup.
struct SingleByteTable: Sendable {
    /// Per byte: UTF-8 bytes in bits 0–23 (first byte lowest), the length in bits 24–27, and bit 28 set when the
    /// character is a C1 control. Zero means the byte is not defined in the code page.
    let entries: [UInt32]

    /// Bit 28 of an entry: the byte decodes to a C1 control character.
    static let controlFlag: UInt32 = 1 << 28

    /// ISO 8859-1: every byte is the code point of the same value.
    static let latin1 = SingleByteTable(entries: (0...255).map { byte in pack(scalar: UInt32(byte)) })

    /// Asks iconv for the meaning of each byte of `iconvName`, through one converter that is closed again.
    static func load(iconvName: String) -> Result<SingleByteTable, CodePageUnavailable> {
        let converter = iconv_open("UTF-8", iconvName)
        guard let converter, Int(bitPattern: converter) != -1 else {
            return .failure(CodePageUnavailable(name: iconvName, reason: "iconv_open failed (errno \(errno))"))
        }
        defer { iconv_close(converter) }
        var entries = [UInt32](repeating: 0, count: 256)
        for byte in 0...255 {
            entries[byte] = convert(UInt8(byte), with: converter)
        }
        for byte in 0x20...0x7E where entries[byte] != pack(scalar: UInt32(byte)) {
            return .failure(CodePageUnavailable(name: iconvName, reason: "iconv does not map it onto ASCII"))
        }
        return .success(SingleByteTable(entries: entries))
    }

    /// One byte through iconv; zero when iconv refuses it or the result is longer than three UTF-8 bytes.
    private static func convert(_ byte: UInt8, with converter: iconv_t) -> UInt32 {
        var input: [CChar] = [CChar(bitPattern: byte)]
        var output = [CChar](repeating: 0, count: 8)
        let produced = input.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer -> Int in
                var inputPointer = inputBuffer.baseAddress
                var inputLeft = 1
                var outputPointer = outputBuffer.baseAddress
                var outputLeft = 8
                // Reset the converter so one refused byte cannot leave state behind for the next.
                _ = iconv(converter, nil, nil, nil, nil)
                let result = iconv(converter, &inputPointer, &inputLeft, &outputPointer, &outputLeft)
                return result == -1 || inputLeft != 0 ? 0 : 8 - outputLeft
            }
        }
        guard (1...3).contains(produced) else {
            return 0
        }
        let utf8 = output.prefix(produced).map { UInt8(bitPattern: $0) }
        var scalarValue: UInt32 = 0
        for scalar in String(decoding: utf8, as: UTF8.self).unicodeScalars {
            scalarValue = scalar.value
        }
        return pack(utf8: utf8, isControl: (0x80...0x9F).contains(scalarValue))
    }

    /// The entry for one Unicode scalar value (of at most three UTF-8 bytes).
    private static func pack(scalar: UInt32) -> UInt32 {
        guard let unicodeScalar = Unicode.Scalar(scalar) else {
            return 0
        }
        return pack(utf8: Array(String(unicodeScalar).utf8), isControl: (0x80...0x9F).contains(scalar))
    }

    private static func pack(utf8: [UInt8], isControl: Bool) -> UInt32 {
        var entry = UInt32(utf8.count) << 24
        for (index, byte) in utf8.enumerated() {
            entry |= UInt32(byte) << (8 * UInt32(index))
        }
        return isControl ? entry | controlFlag : entry
    }
}

/// The tables of the iconv-backed code pages, each built once per process on first use.
enum SingleByteTables {
    static let cp437 = SingleByteTable.load(iconvName: "CP437")
    static let cp850 = SingleByteTable.load(iconvName: "CP850")
    static let cp1252 = SingleByteTable.load(iconvName: "CP1252")
}

/// The C library cannot convert from a code page (its iconv module is missing, or it behaves unexpectedly).
package struct CodePageUnavailable: Error, Sendable, Hashable, CustomStringConvertible {
    /// The iconv name of the code page.
    package var name: String

    /// What went wrong.
    package var reason: String

    package var description: String { "cannot decode \(name): \(reason)" }
}
