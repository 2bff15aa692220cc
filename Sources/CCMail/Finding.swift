/// Something the reader noticed in an export or while merging exports: an error or a warning, with its place.
///
/// The library never prints or exits (swift-format's `Finding` is the model): callers decide whether a finding
/// is shown, counted, or turned into an exit status. `description` is the `file:line:column: severity: message`
/// line a command-line tool prints.
package struct Finding: Sendable, Hashable, CustomStringConvertible {
    /// How serious a finding is.
    package enum Severity: String, Sendable, Hashable, Comparable {
        /// The input is malformed; the affected record (or file) was not read.
        case error
        /// The input is well formed but was not read as it stands (for example an unknown location code).
        case warning

        package static func < (lhs: Severity, rhs: Severity) -> Bool {
            lhs == .error && rhs == .warning
        }
    }

    /// What kind of problem a finding reports, so callers can count or filter without matching message text.
    package enum Category: String, Sendable, Hashable, CaseIterable {
        /// The file as a whole: empty, too large, binary (NUL bytes), a byte order mark, text after Ctrl-Z.
        case file
        /// A line that is not `Label: value`, too long, or holds a control character.
        case syntax
        /// A byte that does not decode in the export's code page.
        case encoding
        /// A record that lacks a field or has a field twice or empty.
        case record
        /// A location code (`Loc:`) that is not one of `P p L l R r A a`.
        case unknownLocationCode
        /// The same name read twice from one export.
        case duplicate
        /// Two exports (or two entries) disagree about one name.
        case conflict
        /// A gateway user for whom no address of the configured kind can be made.
        case gateway
    }

    /// How serious the finding is.
    package var severity: Severity

    /// What kind of problem it is.
    package var category: Category

    /// What is wrong, in words, naming any other place involved as `file:line`.
    package var message: String

    /// Where the problem is.
    package var location: Location

    /// Creates a finding.
    package init(_ severity: Severity, _ category: Category, _ message: String, at location: Location) {
        self.severity = severity
        self.category = category
        self.message = message
        self.location = location
    }

    /// Whether the finding stands for input the reader did not turn into an entry: a record skipped, a file or part
    /// of one not read. A user who could be in that input is unknown, not gone (`Directory.unreadInput`).
    package var leavesInputUnread: Bool {
        switch category {
        case .file, .syntax, .encoding, .record, .unknownLocationCode: true
        case .duplicate, .conflict, .gateway: false
        }
    }

    /// `file:line:column: error: message`.
    package var description: String { "\(location): \(severity.rawValue): \(message)" }
}

extension Finding: Comparable {
    /// Orders by place, then severity, then message, so a list of findings prints the same way every time.
    package static func < (lhs: Finding, rhs: Finding) -> Bool {
        if lhs.location != rhs.location {
            return lhs.location < rhs.location
        }
        if lhs.severity != rhs.severity {
            return lhs.severity < rhs.severity
        }
        return lhs.message < rhs.message
    }
}
