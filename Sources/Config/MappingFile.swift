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
}
