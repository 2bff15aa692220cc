/// Turns the bytes of one field value into text, in the code page of its export.
///
/// Only field values are decoded; labels and line structure are ASCII and handled on bytes. Single-byte code
/// pages decode through a table built from iconv; UTF-8 is validated here so the offending byte's offset is known.
package struct CodePageDecoder: Sendable {
    /// The code page this decoder reads.
    package let codePage: CodePage

    /// The byte table, or `nil` for UTF-8.
    private let table: SingleByteTable?

    /// Creates a decoder; fails only when the C library cannot convert from `codePage`.
    package init(_ codePage: CodePage) throws(CodePageUnavailable) {
        self.codePage = codePage
        let loaded: Result<SingleByteTable, CodePageUnavailable>
        switch codePage {
        case .cp437: loaded = SingleByteTables.cp437
        case .cp850: loaded = SingleByteTables.cp850
        case .cp1252: loaded = SingleByteTables.cp1252
        case .iso8859_1: loaded = .success(.latin1)
        case .utf8:
            table = nil
            return
        }
        table = try loaded.get()
    }

    /// Decodes `bytes`, or says which byte does not decode.
    package func decode(_ bytes: [UInt8]) -> Result<String, DecodingFailure> {
        bytes.withUnsafeBufferPointer { decode($0) }
    }

    /// Decodes `bytes`, or says which byte does not decode.
    ///
    /// Bytes below 0x80 are taken as ASCII in every supported code page; the scanner has already refused C0
    /// control characters other than tab.
    package func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<String, DecodingFailure> {
        var isASCII = true
        for byte in bytes where byte >= 0x80 {
            isASCII = false
            break
        }
        if isASCII {
            return .success(String(decoding: bytes, as: UTF8.self))
        }
        guard let table else {
            return decodeUTF8(bytes)
        }
        return decode(bytes, with: table)
    }

    private func decode(
        _ bytes: UnsafeBufferPointer<UInt8>, with table: SingleByteTable
    ) -> Result<String, DecodingFailure> {
        var failure: DecodingFailure?
        let text = table.entries.withUnsafeBufferPointer { entries in
            String(unsafeUninitializedCapacity: bytes.count * 3) { output in
                var written = 0
                for (offset, byte) in bytes.enumerated() {
                    let entry = entries[Int(byte)]
                    if entry == 0 || entry & SingleByteTable.controlFlag != 0 {
                        // A C1 control is stored as the UTF-8 pair C2 xx, and xx is its code point.
                        let reason: DecodingFailure.Reason =
                            entry == 0
                            ? .undefined : .controlCharacter(Unicode.Scalar(UInt8(truncatingIfNeeded: entry >> 8)))
                        failure = DecodingFailure(offset: offset, byte: byte, reason: reason, codePage: codePage)
                        return 0
                    }
                    let length = Int((entry >> 24) & 0x0F)
                    for index in 0..<length {
                        output[written] = UInt8(truncatingIfNeeded: entry >> (8 * UInt32(index)))
                        written += 1
                    }
                }
                return written
            }
        }
        if let failure {
            return .failure(failure)
        }
        return .success(text)
    }

    /// Validates UTF-8 strictly (no overlong forms, no surrogates, nothing above U+10FFFF) and refuses C1 controls.
    private func decodeUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<String, DecodingFailure> {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var secondRange: ClosedRange<UInt8> = 0x80...0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                secondRange = 0xA0...0xBF
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                secondRange = 0x80...0x9F
            case 0xF0:
                length = 4
                secondRange = 0x90...0xBF
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                secondRange = 0x80...0x8F
            default:
                return .failure(DecodingFailure(offset: index, byte: lead, reason: .invalidUTF8, codePage: codePage))
            }
            for position in 1..<length {
                let at = index + position
                let allowed = position == 1 ? secondRange : 0x80...0xBF
                guard at < bytes.count, allowed.contains(bytes[at]) else {
                    let offending = at < bytes.count ? at : index
                    return .failure(
                        DecodingFailure(
                            offset: offending, byte: bytes[offending], reason: .invalidUTF8, codePage: codePage)
                    )
                }
            }
            if lead == 0xC2, bytes[index + 1] <= 0x9F {
                let scalar = Unicode.Scalar(bytes[index + 1])
                return .failure(
                    DecodingFailure(offset: index, byte: lead, reason: .controlCharacter(scalar), codePage: codePage))
            }
            index += length
        }
        return .success(String(decoding: bytes, as: UTF8.self))
    }
}
