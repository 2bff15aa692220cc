import ArgumentParser
import CCMail
import Foundation

/// The output formats of `ccdirsync parse`.
enum ParseOutputFormat: String, CaseIterable, ExpressibleByArgument {
    /// Sections for people: exports, post offices, users, aliases, exclusions, conflicts, a summary line.
    case text
    /// Everything in the directory, for programs.
    case json
    /// One row per user: `name,post_office,kind,fan,ccmail_address`.
    case csv
}

/// Renders a merged directory as `parse` prints it.
///
/// Pure: it returns text and does no I/O, so the three formats are tested without running the binary. Output
/// is deterministic (the directory is sorted) and UTF-8, whatever code page the exports were in.
struct ParseOutput {
    var directory: Directory
    var exports: [ParsedExport]

    /// The directory in `format`.
    func render(_ format: ParseOutputFormat) -> String {
        switch format {
        case .text: text()
        case .json: json()
        case .csv: csv()
        }
    }

    // MARK: - CSV

    /// The CSV header; the column set is part of the command's contract.
    static let csvHeader = "name,post_office,kind,fan,ccmail_address"

    /// RFC 4180 quoting, with LF line ends; users only, since aliases have no post office or address.
    func csv() -> String {
        var lines = [Self.csvHeader]
        for user in directory.users {
            let fields = [
                user.name.text, user.homePostOffice.text, user.kind.rawValue, user.foreignAliasName ?? "",
                user.address.description,
            ]
            lines.append(fields.map(Self.csvField).joined(separator: ","))
        }
        return lines.map { $0 + "\n" }.joined()
    }

    private static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return value
        }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: - JSON

    /// Keys are snake_case, matching the CSV columns.
    func json() -> String {
        let document = JSONDocument(
            exports: exports.map {
                JSONExport(
                    post_office: $0.source.postOffice.text, file: $0.source.file,
                    code_page: $0.source.codePage.description, records: $0.records.count)
            },
            post_offices: directory.postOffices.map(JSONPostOffice.init),
            users: directory.users.map(JSONUser.init),
            aliases: directory.aliases.map(JSONAlias.init),
            exclusions: directory.exclusions.map {
                JSONExclusion(
                    name: $0.name.text, subject: $0.subject.rawValue, reason: $0.reason.description,
                    sources: $0.sources.map(\.description))
            },
            conflicts: directory.conflicts.map { conflict in
                JSONConflict(
                    name: conflict.name.text, subject: conflict.subject.rawValue,
                    claims: conflict.claims.map { JSONClaim(value: $0.value, location: $0.location.description) })
            },
            findings: directory.findings.map {
                JSONFinding(
                    severity: $0.severity.rawValue, category: $0.category.rawValue, location: $0.location.description,
                    message: $0.message)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(document) else {
            return "{}\n"
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private struct JSONDocument: Encodable {
        var exports: [JSONExport]
        var post_offices: [JSONPostOffice]
        var users: [JSONUser]
        var aliases: [JSONAlias]
        var exclusions: [JSONExclusion]
        var conflicts: [JSONConflict]
        var findings: [JSONFinding]
    }

    private struct JSONExport: Encodable {
        var post_office: String
        var file: String
        var code_page: String
        var records: Int
    }

    private struct JSONPostOffice: Encodable {
        var name: String
        var connection: String
        var route: String?
        var comments: String?
        var exchange_site: Bool
        var gateway: String?
        var excluded: Bool
        var export_file: String?
        var links: [JSONLink]

        init(_ postOffice: PostOffice) {
            name = postOffice.name.text
            switch postOffice.connection {
            case .exported: connection = "exported"
            case .direct: connection = "direct"
            case .indirect(let via):
                connection = "indirect"
                route = via.text
            }
            comments = postOffice.comments
            exchange_site = postOffice.isExchangeSite
            gateway = postOffice.gateway?.rawValue
            excluded = postOffice.isExcluded
            export_file = postOffice.exportFile
            links = postOffice.links.map {
                JSONLink(
                    seen_from: $0.seenFrom.text, connection: $0.route == nil ? "direct" : "indirect",
                    route: $0.route?.text, source: $0.location.description)
            }
        }
    }

    private struct JSONLink: Encodable {
        var seen_from: String
        var connection: String
        var route: String?
        var source: String
    }

    private struct JSONUser: Encodable {
        var name: String
        var post_office: String
        var kind: String
        var fan: String?
        var ccmail_address: String
        var surname: String
        var given_name: String?
        var comments: String?
        var sources: [String]

        init(_ user: CCMailUser) {
            name = user.name.text
            post_office = user.homePostOffice.text
            kind = user.kind.rawValue
            fan = user.foreignAliasName
            ccmail_address = user.address.description
            surname = user.surname
            given_name = user.givenName
            comments = user.comments
            sources = user.sources.map(\.description)
        }
    }

    private struct JSONAlias: Encodable {
        var name: String
        var kind = "alias"
        var target: String?
        var comments: String?
        var sources: [String]

        init(_ alias: CCMailAlias) {
            name = alias.name.text
            target = alias.target
            comments = alias.comments
            sources = alias.sources.map(\.description)
        }
    }

    private struct JSONExclusion: Encodable {
        var name: String
        var subject: String
        var reason: String
        var sources: [String]
    }

    private struct JSONConflict: Encodable {
        var name: String
        var subject: String
        var claims: [JSONClaim]
    }

    private struct JSONClaim: Encodable {
        var value: String
        var location: String
    }

    private struct JSONFinding: Encodable {
        var severity: String
        var category: String
        var location: String
        var message: String
    }

    // MARK: - Text

    /// Aligned sections, each headed by its count, and a summary line.
    func text() -> String {
        var out: [String] = []
        out.append("Exports (\(exports.count))")
        out += Self.table(
            exports.map {
                [
                    $0.source.postOffice.text, $0.source.file, $0.source.codePage.description,
                    "\($0.records.count) record\($0.records.count == 1 ? "" : "s")",
                ]
            })
        out.append("")
        out.append("Post offices (\(directory.postOffices.count))")
        out += Self.table(
            directory.postOffices.map { postOffice in
                var notes: [String] = []
                if let gateway = postOffice.gateway {
                    notes.append("gateway (\(gateway))")
                }
                if postOffice.isExchangeSite {
                    notes.append("Exchange site")
                }
                if postOffice.isExcluded {
                    notes.append("excluded")
                }
                return [postOffice.name.text, Self.connections(of: postOffice), notes.joined(separator: ", ")]
            })
        out.append("")
        out.append("Users (\(directory.users.count))")
        out += Self.table(
            directory.users.map { user in
                [user.name.text, user.kind.rawValue, user.homePostOffice.text, user.address.description]
            })
        out.append("")
        out.append("Aliases (\(directory.aliases.count))")
        out += Self.table(directory.aliases.map { [$0.name.text, "->", $0.target ?? "(no target)"] })
        out.append("")
        out.append("Excluded (\(directory.exclusions.count))")
        out += directory.exclusions.map { "  \($0)" }
        out.append("")
        out.append("Conflicts (\(directory.conflicts.count))")
        out += directory.conflicts.map { "  \($0.finding.message)" }
        out.append("")
        out.append(summary)
        return out.map { $0 + "\n" }.joined()
    }

    /// How the exports see a post office: `exported; direct from A, B; via C from D`.
    ///
    /// Direct and indirect are relations between two post offices, so each is named with the exports that
    /// report it rather than folded into one word.
    static func connections(of postOffice: PostOffice) -> String {
        var parts: [String] = []
        if postOffice.exportFile != nil {
            parts.append("exported")
        }
        var groups: [(route: CCMailName?, from: [String])] = []
        for link in postOffice.links {
            if let index = groups.firstIndex(where: { $0.route == link.route }) {
                if !groups[index].from.contains(link.seenFrom.text) {
                    groups[index].from.append(link.seenFrom.text)
                }
            } else {
                groups.append((link.route, [link.seenFrom.text]))
            }
        }
        for group in groups.sorted(by: { ($0.route?.normalized ?? "") < ($1.route?.normalized ?? "") }) {
            let how = group.route.map { "via \($0)" } ?? "direct"
            parts.append("\(how) from \(group.from.joined(separator: ", "))")
        }
        return parts.joined(separator: "; ")
    }

    /// One line of counts.
    var summary: String {
        let counts = [
            (exports.count, "export"), (directory.postOffices.count, "post office"), (directory.users.count, "user"),
            (directory.aliases.count, "alias"), (directory.exclusions.count, "exclusion"),
            (directory.conflicts.count, "conflict"), (directory.errors.count, "error"),
            (directory.warnings.count, "warning"),
        ]
        return counts.map { count, noun in
            "\(count) \(noun)\(count == 1 ? "" : (noun.hasSuffix("s") ? "es" : "s"))"
        }.joined(separator: ", ")
    }

    /// Rows indented by two spaces with columns padded to their widest cell; the last column is not padded.
    private static func table(_ rows: [[String]]) -> [String] {
        guard let columns = rows.map(\.count).max() else {
            return []
        }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() {
                widths[index] = max(widths[index], cell.count)
            }
        }
        return rows.map { row in
            var line = " "
            for (index, cell) in row.enumerated() {
                let isLast = index == row.count - 1
                line += " " + cell + (isLast ? "" : String(repeating: " ", count: widths[index] - cell.count))
            }
            return String(line.reversed().drop(while: { $0 == " " }).reversed())
        }
    }
}
