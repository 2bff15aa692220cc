// Temporary stand-in until the Config helper's MappingFile lands (same shape).
public struct MappingFile: Sendable, Hashable {
    public struct Row: Sendable, Hashable {
        public var ccmailName: String
        public var mailbox: String
        public var line: Int

        public init(ccmailName: String, mailbox: String, line: Int) {
            self.ccmailName = ccmailName
            self.mailbox = mailbox
            self.line = line
        }
    }

    public var file: String
    public var rows: [Row]

    public init(file: String, rows: [Row]) {
        self.file = file
        self.rows = rows
    }

    public static func parse(_ bytes: [UInt8], file: String) throws(MappingFileError) -> MappingFile {
        throw MappingFileError(file: file, line: 1, message: "not implemented")
    }
}

public struct MappingFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public var description: String { "\(file):\(line): \(message)" }
}
