import CCMail
import Testing

@Suite struct LineEndTests {
    static let lines = ["Name: Smith, John", "Addr:", "Loc: L", "", "Name: Doe, Jane", "Addr: PO2", "Loc: l"]

    @Test(arguments: ["\r\n", "\n"])
    func bothLineEndsGiveTheSameRecordsAndLineNumbers(lineEnd: String) {
        let parsed = Export.parse(Export.bytes(Self.lines, lineEnd: lineEnd))
        #expect(parsed.findings.isEmpty)
        #expect(parsed.records.map(\.line) == [1, 5])
        #expect(parsed.records.map { $0.field(.name)?.value } == ["Smith, John", "Doe, Jane"])
        #expect(parsed.records[1].field(.address)?.line == 6)
    }

    @Test func mixedLineEndsInOneFileAreRead() {
        let bytes = Array("Name: A\r\nLoc: L\nAddr:\r\n\nName: B\nLoc: L\r\n".utf8)
        let parsed = Export.parse(bytes)
        #expect(parsed.findings.isEmpty)
        #expect(parsed.entries.map(\.name.text) == ["A", "B"])
    }

    @Test func valuesDoNotKeepACarriageReturn() {
        let parsed = Export.parse(lines: ["Name: Smith, John", "Loc: L"])
        #expect(parsed.records.first?.field(.location)?.value == "L")
    }

    @Test func lastLineWithoutLineEndIsRead() {
        let parsed = Export.parse(Array("Name: Smith, John\r\nLoc: L".utf8))
        #expect(parsed.findings.isEmpty)
        #expect(parsed.entries.count == 1)
    }
}

@Suite struct ControlZTests {
    @Test func controlZEndsTheFile() {
        var bytes = Export.bytes(["Name: Smith, John", "Loc: L", ""], controlZ: true)
        bytes += [0x1A, 0x0D, 0x0A, 0x00, 0x00]  // padding after the end is not text
        let parsed = Export.parse(bytes)
        #expect(parsed.findings.isEmpty)
        #expect(parsed.entries.map(\.name.text) == ["Smith, John"])
    }

    @Test func controlZDirectlyAfterAValueEndsTheLine() {
        let parsed = Export.parse(Array("Name: Smith, John\r\nLoc: L\u{1A}".utf8))
        #expect(parsed.findings.isEmpty)
        #expect(parsed.records.first?.field(.location)?.value == "L")
    }

    @Test func textAfterControlZIsAnError() throws {
        var bytes = Export.bytes(["Name: Smith, John", "Loc: L"], controlZ: true)
        bytes += Array("Name: Lost, Larry\r\nLoc: L\r\n".utf8)
        let parsed = Export.parse(bytes)
        #expect(parsed.entries.map(\.name.text) == ["Smith, John"])
        let error = try #require(parsed.findings.first)
        #expect(error.severity == .error)
        #expect(error.category == .file)
        #expect(error.location.line == 3)
        #expect(error.location.column == 2)
    }

    @Test func nulAfterControlZIsPaddingNotABinaryFile() {
        let parsed = Export.parse(Export.bytes(["Name: A", "Loc: L"], controlZ: true) + [0, 0, 0])
        #expect(parsed.findings.isEmpty)
    }
}

@Suite struct RecordBoundaryTests {
    @Test func blankLineEndsARecord() {
        let parsed = Export.parse(lines: ["Name: A", "Loc: L", "", "Name: B", "Loc: L"])
        #expect(parsed.records.count == 2)
    }

    @Test func newNameLineEndsARecordWithoutABlankLine() {
        let parsed = Export.parse(lines: ["Name: A", "Addr:", "Loc: L", "Name: B", "Addr: PO2", "Loc: l"])
        #expect(parsed.findings.isEmpty)
        #expect(parsed.records.map(\.line) == [1, 4])
        #expect(parsed.users.map(\.homePostOffice.text) == ["PO1", "PO2"])
    }

    @Test func linesOfSpacesAndTabsAreBlank() {
        let parsed = Export.parse(lines: ["Name: A", "Loc: L", "  \t ", "Name: B", "Loc: L"])
        #expect(parsed.records.count == 2)
    }

    @Test func severalBlankLinesMakeNoEmptyRecords() {
        let parsed = Export.parse(lines: ["", "", "Name: A", "Loc: L", "", "", "", "Name: B", "Loc: L", "", ""])
        #expect(parsed.findings.isEmpty)
        #expect(parsed.records.map(\.line) == [3, 8])
    }

    @Test func aNameLineAlwaysStartsARecord() {
        // "Loc: L" before the first Name is a record of its own, without a name; "Name: A" then lacks its Loc.
        let parsed = Export.parse(lines: ["Loc: L", "Name: A", "", "Name: B", "Loc: L"])
        #expect(
            parsed.findings.map(\.description) == [
                "po1.exp:1:1: error: record has no Name line", "po1.exp:2:1: error: record 'A' has no Loc line",
            ])
        #expect(parsed.entries.map(\.name.text) == ["B"])
    }

    @Test func recordOrderDoesNotMatter() {
        let forward = Export.parse(lines: ["Name: A", "Loc: L", "", "Name: B", "Loc: L"])
        let backward = Export.parse(lines: ["Name: B", "Loc: L", "", "Name: A", "Loc: L"])
        #expect(Directory.merge([forward]).users.map(\.name) == Directory.merge([backward]).users.map(\.name))
    }
}

@Suite struct LabelTests {
    @Test(arguments: [
        ("Name", ExportLabel.name), ("NAME", .name), ("name", .name), ("Addr", .address), ("ADDRESS", .address),
        ("address", .address), ("Loc", .location), ("LOCATION", .location), ("Comments", .comments),
        ("comment", .comments), ("COMMENTS", .comments),
    ])
    func labelsAreCaseInsensitiveWithTheirAlternativeSpellings(label: String, expected: ExportLabel) {
        let lines = label.lowercased() == "name" ? ["\(label): X", "Loc: L"] : ["Name: X", "\(label): v"]
        let record = Export.parse(lines: lines).records.first
        #expect(record?.fields.contains { $0.label == expected } == true)
    }

    @Test func unknownLabelsAreKeptAndOtherwiseIgnored() throws {
        let parsed = Export.parse(lines: ["Name: Smith, John", "Phone: 555-0100", "Addr:", "Loc: L", "X-Dept: Sales"])
        #expect(parsed.findings.isEmpty)
        let record = try #require(parsed.records.first)
        #expect(record.unknownFields.map(\.label) == [.other("Phone"), .other("X-Dept")])
        #expect(record.unknownFields.map(\.value) == ["555-0100", "Sales"])
        #expect(record.unknownFields.map(\.line) == [2, 5])
        #expect(parsed.users.map(\.name.text) == ["Smith, John"])
    }

    @Test func unknownLabelsMayRepeat() {
        let parsed = Export.parse(lines: ["Name: A", "Note: one", "Note: two", "Loc: L"])
        #expect(parsed.findings.isEmpty)
        #expect(parsed.records.first?.unknownFields.count == 2)
    }

    @Test func spacesAroundLabelsAndValuesAreNotPartOfThem() throws {
        let parsed = Export.parse(lines: ["  Name :   Smith, John  ", "Loc:\tL\t"])
        #expect(parsed.findings.isEmpty)
        let record = try #require(parsed.records.first)
        #expect(record.field(.name)?.value == "Smith, John")
        #expect(record.field(.name)?.column == 12)
        #expect(record.field(.location)?.value == "L")
    }

    @Test func emptyValueColumnPointsJustAfterTheColon() {
        let parsed = Export.parse(lines: ["Name: A", "Addr:   ", "Loc: L"])
        #expect(parsed.records.first?.field(.address)?.column == 6)
        #expect(parsed.records.first?.field(.address)?.value == "")
    }

    @Test func valuesMayHoldColons() {
        let parsed = Export.parse(lines: ["Name: A", "Comments: room: 3.14; tel: 555", "Loc: L"])
        #expect(parsed.records.first?.field(.comments)?.value == "room: 3.14; tel: 555")
    }

    @Test func aKnownLabelTwiceIsAnError() throws {
        let parsed = Export.parse(lines: ["Name: A", "Loc: L", "Location: R"])
        let finding = try #require(parsed.findings.first)
        #expect(finding.description == "po1.exp:3:1: error: second Loc line in one record (the first is line 2)")
        #expect(parsed.entries.isEmpty)
    }
}

@Suite struct MalformedLineTests {
    @Test func lineWithoutColon() throws {
        let parsed = Export.parse(lines: ["Name: A", "Loc: L", "garbage"])
        let finding = try #require(parsed.findings.first)
        #expect(finding.description == "po1.exp:3:1: error: not a 'Label: value' line (no ':')")
        #expect(parsed.entries.isEmpty, "a record with a bad line is left out")
    }

    @Test func textBeforeTheColonThatIsNotALabel() {
        let parsed = Export.parse(lines: ["Name: A", "Smith, John: x", "Loc: L"])
        #expect(parsed.findings.map(\.location.line) == [2])
        #expect(parsed.findings.first?.category == .syntax)
    }

    @Test func aBadRecordDoesNotTakeItsNeighboursWithIt() {
        let parsed = Export.parse(lines: [
            "Name: A", "Loc: L", "", "Name: B", "oops", "Loc: L", "", "Name: C", "Loc: L",
        ])
        #expect(parsed.entries.map(\.name.text) == ["A", "C"])
        #expect(parsed.findings.count == 1)
    }

    @Test(arguments: [UInt8(0x01), 0x07, 0x08, 0x0B, 0x0C, 0x1B, 0x1F, 0x7F])
    func controlCharactersAreErrorsAtTheirColumn(byte: UInt8) throws {
        let bytes = Array("Name: Ab".utf8) + [byte] + Array("c\r\nLoc: L\r\n".utf8)
        let finding = try #require(Export.parse(bytes).findings.first)
        #expect(finding.location.line == 1)
        #expect(finding.location.column == 9)
        #expect(finding.message.contains("control character"))
    }

    @Test func tabInsideAValueIsAllowed() {
        let parsed = Export.parse(lines: ["Name: Smith,\tJohn", "Loc: L"])
        #expect(parsed.findings.isEmpty)
        #expect(parsed.entries.first?.name.normalized == "smith, john")
    }

    @Test func carriageReturnNotBeforeLineFeed() throws {
        let finding = try #require(Export.parse(Array("Name: A\rLoc: L\r\n".utf8)).findings.first)
        #expect(finding.location.column == 8)
        #expect(finding.message.contains("carriage return"))
    }

    @Test func lineOverTheLimitIsAnErrorNamingTheLine() throws {
        let limits = ExportLimits(maximumLineLength: 16)
        let bytes = Export.bytes(["Name: A", "Comments: 0123456789abcdefghij", "Loc: L", "", "Name: B", "Loc: L"])
        let parsed = Export.parse(bytes, limits: limits)
        let finding = try #require(parsed.findings.first)
        #expect(finding.location.line == 2)
        #expect(finding.location.column == 17)
        #expect(finding.message == "line is 30 bytes long; lines are limited to 16 bytes")
        #expect(parsed.entries.map(\.name.text) == ["B"])
    }

    @Test func lineAtTheLimitIsRead() {
        let parsed = Export.parse(
            Export.bytes(["Name: 0123456789", "Loc: L"]), limits: ExportLimits(maximumLineLength: 16))
        #expect(parsed.findings.isEmpty)
    }

    @Test func readingStopsAfterTooManyErrors() {
        let parsed = Export.parse(
            Export.bytes(Array(repeating: "junk", count: 50)), limits: ExportLimits(maximumErrorsPerFile: 10))
        #expect(parsed.findings.count == 11)
        #expect(parsed.findings.last?.message == "too many errors (10); the rest of the file was not read")
        #expect(parsed.findings.last?.location.line == 10)
    }
}

@Suite struct WholeFileTests {
    @Test func emptyFile() {
        let parsed = Export.parse([UInt8]())
        #expect(
            parsed.findings.map(\.description) == [
                "po1.exp:1:1: error: file is empty: an export holds at least one record"
            ])
    }

    @Test(arguments: [[UInt8(0x1A)], [0x0D, 0x0A, 0x0D, 0x0A], [0x20, 0x0A, 0x1A]])
    func fileWithoutRecords(bytes: [UInt8]) {
        let parsed = Export.parse(bytes)
        #expect(parsed.findings.map(\.message) == ["file holds no records"])
    }

    @Test func nulBytesMakeABinaryFile() throws {
        let bytes = Export.bytes(["Name: A", "Loc: L"]) + Array("Name: B".utf8) + [0] + Array("\r\n".utf8)
        let parsed = Export.parse(bytes)
        let finding = try #require(parsed.findings.first)
        #expect(parsed.findings.count == 1)
        #expect(finding.location == Location(file: "po1.exp", line: 3, column: 8))
        #expect(finding.message.hasPrefix("NUL byte"))
        #expect(parsed.entries.isEmpty, "nothing of a binary file is read")
    }

    @Test func byteOrderMarkIsSkippedInUTF8() {
        let parsed = Export.parse([0xEF, 0xBB, 0xBF] + Array("Name: Müller\r\nLoc: L\r\n".utf8), codePage: .utf8)
        #expect(parsed.findings.isEmpty)
        #expect(parsed.entries.first?.name.text == "Müller")
    }

    @Test func byteOrderMarkIsAnErrorInADOSCodePage() {
        let parsed = Export.parse([0xEF, 0xBB, 0xBF] + Array("Name: A\r\nLoc: L\r\n".utf8), codePage: .cp850)
        #expect(parsed.findings.map(\.message) == ["file starts with a UTF-8 byte order mark but is read as CP850"])
    }

    @Test func fileSizeLimitIsCheckedBeforeReading() throws {
        let limits = ExportLimits(maximumFileSize: 10)
        #expect(limits.check(fileSize: 10, file: "a.exp") == nil)
        let finding = try #require(limits.check(fileSize: 11, file: "a.exp"))
        #expect(finding.description == "a.exp:1:1: error: file is 11 bytes; exports are limited to 10 bytes")
        #expect(Export.parse(Export.bytes(["Name: A", "Loc: L"]), limits: limits).findings.first?.category == .file)
    }

    @Test func truncatedLastRecordSaysSo() throws {
        let parsed = Export.parse(Array("Name: A\r\nLoc: L\r\n\r\nName: B\r\nAddr:".utf8))
        let finding = try #require(parsed.findings.first)
        #expect(finding.message == "record 'B' has no Loc line (the file ends inside this record: truncated?)")
        #expect(finding.location.line == 4)
    }

    @Test func completeLastRecordWithoutLineEndIsNotCalledTruncated() {
        let parsed = Export.parse(Array("Name: A\r\nAddr:\r\n\r\nName: B\r\nLoc: L".utf8))
        #expect(parsed.findings.map(\.message) == ["record 'A' has no Loc line"])
    }
}
