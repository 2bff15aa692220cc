/// Interprets a scanned record as a post office, user or alias entry, or says why it cannot.
///
/// Structural problems (no `Name`, no `Loc`, an `l` entry without its home post office) are errors; a location
/// letter we do not know is a warning, because the record may be a well-formed entry of a kind that later
/// cc:Mail versions added, and skipping it is safe.
enum ExportEntryReader {
    /// The outcome for one record.
    enum Outcome {
        case entry(ExportEntry)
        case finding(Finding)
    }

    /// Interprets `record`; `isCut` says the file ends inside this record without a line end.
    static func read(_ record: ExportRecord, from source: ExportSource, isCut: Bool) -> Outcome {
        let start = source.location(line: record.line)
        let cut = isCut ? " (the file ends inside this record: truncated?)" : ""
        guard let nameField = record.field(.name) else {
            return .finding(Finding(.error, .record, "record has no Name line\(cut)", at: start))
        }
        let name = CCMailName(nameField.value)
        guard !name.isEmpty else {
            return .finding(Finding(.error, .record, "Name is empty", at: at(nameField, in: source)))
        }
        guard let locationField = record.field(.location) else {
            return .finding(Finding(.error, .record, "record '\(name)' has no Loc line\(cut)", at: start))
        }
        guard !locationField.value.isEmpty else {
            return .finding(Finding(.error, .record, "Loc of '\(name)' is empty", at: at(locationField, in: source)))
        }
        guard let code = LocationCode(text: locationField.value) else {
            let problem =
                locationField.value.count == 1
                ? "unknown location code '\(locationField.value)'"
                : "location code '\(locationField.value)' is not one letter"
            return .finding(
                Finding(
                    .warning, .unknownLocationCode, "\(problem) (expected one of P p L l R r A a); '\(name)' skipped",
                    at: at(locationField, in: source)))
        }
        let address = nonEmpty(record.field(.address)?.value)
        let comments = nonEmpty(record.field(.comments)?.value)
        switch code {
        case .directPostOffice, .indirectPostOffice:
            var route: CCMailName?
            if code == .indirectPostOffice {
                guard let address, let first = words(address).first else {
                    return .finding(
                        Finding(
                            .error, .record,
                            "indirect post office '\(name)' (Loc p) needs Addr: <post office it is reached through>",
                            at: at(record.field(.address) ?? locationField, in: source)))
                }
                route = CCMailName(first)
            }
            return .entry(
                .postOffice(
                    PostOfficeEntry(
                        name: name, code: code, route: route, address: address, comments: comments, location: start)))
        case .localUser, .localMobileUser:
            return .entry(
                .user(
                    UserEntry(
                        name: name, code: code, homePostOffice: source.postOffice, foreignAliasName: nil,
                        address: address, comments: comments, location: start)))
        case .remoteUser, .remoteMobileUser:
            guard let address, let home = words(address).first else {
                return .finding(
                    Finding(
                        .error, .record,
                        "'\(name)' (Loc \(code)) needs Addr: <home post office> [foreign alias name]",
                        at: at(record.field(.address) ?? locationField, in: source)))
            }
            let rest = CCMailName.trimmed(String(address.dropFirst(home.count)))
            return .entry(
                .user(
                    UserEntry(
                        name: name, code: code, homePostOffice: CCMailName(home),
                        foreignAliasName: rest.isEmpty ? nil : rest, address: address, comments: comments,
                        location: start)))
        case .localAlias, .remoteAlias:
            return .entry(
                .alias(AliasEntry(name: name, code: code, target: address, comments: comments, location: start)))
        }
    }

    private static func at(_ field: ExportField, in source: ExportSource) -> Location {
        source.location(line: field.line, column: field.column)
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else {
            return nil
        }
        return value
    }

    /// The space- or tab-separated words of an `Addr` value (already trimmed).
    private static func words(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }
}
