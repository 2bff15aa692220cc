import CCMail
import Testing

@Suite struct CodePageTests {
    /// Bytes and the text each code page must make of them (from the code pages' published tables).
    static let samples: [(CodePage, [UInt8], String)] = [
        (.cp437, [0x4D, 0x81, 0x6C, 0x6C, 0x65, 0x72], "Müller"),
        (.cp437, [0x80, 0x87, 0x9B, 0x9C, 0x9D, 0xE1, 0xA5, 0xC9, 0xE3], "Çç¢£¥ßÑ╔π"),
        (.cp850, [0x4D, 0x81, 0x6C, 0x6C, 0x65, 0x72], "Müller"),
        (.cp850, [0x9B, 0x9D, 0x8F, 0x86, 0xD4, 0xE1, 0xA4, 0x82, 0x8A], "øØÅåÈßñéè"),
        (.cp1252, [0x80, 0x8A, 0x8C, 0x9C, 0x9F, 0xE9, 0xFC, 0xDF], "€ŠŒœŸéüß"),
        (.iso8859_1, [0xC4, 0xD6, 0xDC, 0xE4, 0xF6, 0xFC, 0xDF, 0xA0, 0xFF], "ÄÖÜäöüß\u{A0}ÿ"),
        (
            .utf8, [0x4D, 0xC3, 0xBC, 0x6C, 0x6C, 0x65, 0x72, 0x20, 0xE2, 0x82, 0xAC, 0x20, 0xF0, 0x9F, 0x93, 0xAE],
            "Müller € 📮"
        ),
    ]

    @Test(arguments: samples)
    func bytesDecodeToTheExpectedUnicode(codePage: CodePage, bytes: [UInt8], expected: String) throws {
        let decoder = try CodePageDecoder(codePage)
        #expect(try decoder.decode(bytes).get() == expected)
    }

    @Test(arguments: samples)
    func fieldValuesAreDecodedInTheExportsCodePage(codePage: CodePage, bytes: [UInt8], expected: String) {
        let parsed = Export.parse(Array("Name: ".utf8) + bytes + Array("\r\nLoc: L\r\n".utf8), codePage: codePage)
        #expect(parsed.findings.isEmpty)
        #expect(parsed.entries.first?.name.text == expected)
    }

    @Test func theSameByteMeansDifferentLettersInCP437AndCP850() throws {
        #expect(try CodePageDecoder(.cp437).decode([0x9D]).get() == "¥")
        #expect(try CodePageDecoder(.cp850).decode([0x9D]).get() == "Ø")
    }

    @Test(arguments: [CodePage.cp437, .cp850])
    func everyByteOfADOSCodePageDecodes(codePage: CodePage) throws {
        let decoder = try CodePageDecoder(codePage)
        let text = try decoder.decode((0x20...0xFF).map { UInt8($0) }.filter { $0 != 0x7F }).get()
        #expect(text.unicodeScalars.count == 0xFF - 0x20)
    }

    @Test(arguments: [UInt8(0x81), 0x8D, 0x8F, 0x90, 0x9D])
    func undefinedCP1252BytesAreErrorsAtTheirOffset(byte: UInt8) throws {
        let result = try CodePageDecoder(.cp1252).decode([0x41, 0x42, byte, 0x43])
        guard case .failure(let failure) = result else {
            Issue.record("byte 0x\(String(byte, radix: 16)) decoded")
            return
        }
        #expect(failure.offset == 2)
        #expect(failure.byte == byte)
        #expect(failure.reason == .undefined)
    }

    @Test func undefinedByteInAFileNamesFileLineAndColumn() {
        let bytes = Array("Name: A\r\nComments: caf".utf8) + [0x90] + Array("\r\nLoc: L\r\n".utf8)
        let parsed = Export.parse(bytes, file: "paris.exp", codePage: .cp1252)
        #expect(parsed.findings.map(\.description) == ["paris.exp:2:14: error: byte 0x90 is not a character in CP1252"])
    }

    @Test(arguments: Array(UInt8(0x80)...UInt8(0x9F)))
    func latin1C1ControlsAreRefused(byte: UInt8) throws {
        let result = try CodePageDecoder(.iso8859_1).decode([0x41, byte])
        guard case .failure(let failure) = result else {
            Issue.record("C1 control decoded")
            return
        }
        #expect(failure.offset == 1)
        #expect(failure.reason == .controlCharacter(Unicode.Scalar(byte)))
    }

    @Test(arguments: [
        ([UInt8(0xC3)], 0),  // truncated two-byte sequence
        ([0x41, 0xC3, 0x41], 2),  // bad continuation byte
        ([0xC0, 0x80], 0),  // overlong NUL
        ([0xE0, 0x80, 0x80], 1),  // overlong three-byte form
        ([0xED, 0xA0, 0x80], 1),  // UTF-16 surrogate
        ([0xF4, 0x90, 0x80, 0x80], 1),  // above U+10FFFF
        ([0xF5, 0x80, 0x80, 0x80], 0),  // never a lead byte
        ([0x41, 0x80], 1),  // lone continuation byte
        ([0xC2, 0x85], 0),  // the C1 control NEL, encoded
    ])
    func invalidUTF8IsAnErrorAtTheOffendingByte(bytes: [UInt8], offset: Int) throws {
        let result = try CodePageDecoder(.utf8).decode(bytes)
        guard case .failure(let failure) = result else {
            Issue.record("\(bytes) decoded")
            return
        }
        #expect(failure.offset == offset)
    }

    @Test(arguments: [
        ("CP437", CodePage.cp437), ("437", .cp437), ("ibm437", .cp437), ("cp850", .cp850), ("IBM850", .cp850),
        ("CP1252", .cp1252), ("windows-1252", .cp1252), ("ISO-8859-1", .iso8859_1), ("latin1", .iso8859_1),
        ("ISO8859_1", .iso8859_1), ("UTF-8", .utf8), ("utf8", .utf8),
    ])
    func codePageNamesAreRecognised(name: String, expected: CodePage) {
        #expect(CodePage(name: name) == expected)
    }

    @Test func unknownCodePageNamesAreNot() {
        #expect(CodePage(name: "EBCDIC") == nil)
        #expect(CodePage(name: "") == nil)
    }

    @Test func defaultIsCP437() {
        #expect(CodePage.default == .cp437)
    }
}
