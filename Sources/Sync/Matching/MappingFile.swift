/// The administrator's mapping file: which mailbox a cc:Mail user is (join rule 2).
///
/// Each row names a cc:Mail user and a mailbox by DN, alias or SMTP address. Rows are kept as written: what
/// duplicates mean is the matcher's business. Config reads the file (`MappingFile.parse`).
package struct MappingFile: Sendable, Hashable {
    package struct Row: Sendable, Hashable {
        package var ccmailName: String
        package var mailbox: String
        /// The line the row starts on.
        package var line: Int

        package init(ccmailName: String, mailbox: String, line: Int) {
            self.ccmailName = ccmailName
            self.mailbox = mailbox
            self.line = line
        }
    }

    /// The file as the config names it.
    package var file: String
    package var rows: [Row]

    package init(file: String, rows: [Row]) {
        self.file = file
        self.rows = rows
    }
}
