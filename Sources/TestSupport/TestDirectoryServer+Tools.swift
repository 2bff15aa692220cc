import Foundation

/// OpenLDAP's own command-line tools against a test server, bound as the admin.
///
/// Tests use them to set a directory up and as an independent second opinion on what
/// ccdirsync's LDAP client did. They bind at `toolURL` (plain LDAP on slapd, ldaps with the test CA on
/// Samba AD) with the password in a file (`-y`), never on the command line, and without a user's
/// ~/.ldaprc defaults (`toolEnvironment`).
extension TestDirectoryServer {
    /// Adds the LDIF's entries with `ldapadd`; throws with the tool's output unless all were added.
    package func ldapadd(_ ldif: String) throws {
        let result = try runWithLDIF("/usr/bin/ldapadd", ldif)
        guard result.status == 0 else {
            throw SlapdError("ldapadd on \(toolURL) failed (exit \(result.status)): \(result.transcript)")
        }
    }

    /// Applies LDIF change records with `ldapmodify`; returns its exit status and output.
    ///
    /// Does not throw when ldapmodify fails, so a test can check for an expected failure;
    /// `output` is stdout and stderr together.
    package func ldapmodify(_ ldif: String) throws -> (status: Int32, output: String) {
        let result = try runWithLDIF("/usr/bin/ldapmodify", ldif)
        return (result.status, result.output)
    }

    /// Searches with `ldapsearch` as the admin and returns the entries as LDIF.
    ///
    /// Unwrapped LDIF without comments or version line (`-LLL -o ldif-wrap=no`), paged so no
    /// size limit applies (the `# pagedresults` comments paging adds are removed); `base` nil
    /// means the suffix. Throws unless ldapsearch exits 0.
    package func ldapsearch(
        base: String? = nil, scope: String = "sub", filter: String = "(objectClass=*)", attributes: [String] = []
    ) throws -> String {
        let arguments =
            bindArguments + [
                "-LLL", "-o", "ldif-wrap=no", "-E", "pr=1000/noprompt", "-b", base ?? suffix, "-s", scope, filter,
            ] + attributes
        let result = try ToolRunner.run(
            "/usr/bin/ldapsearch", arguments, environment: toolEnvironment, timeout: toolTimeout)
        guard result.status == 0 else {
            throw SlapdError(
                "ldapsearch on \(toolURL) (base \(base ?? suffix), scope \(scope), filter \(filter)) failed "
                    + "(exit \(result.status)): \(result.transcript)")
        }
        guard result.output.contains("# pagedresults:") else { return result.output }
        return result.output.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("# pagedresults:") }.joined(separator: "\n")
    }

    /// Long enough for a benchmark-sized directory; a tool that takes longer has hung.
    private var toolTimeout: TimeInterval { 600 }

    private var bindArguments: [String] {
        ["-x", "-H", toolURL, "-D", adminDN, "-y", adminPasswordFile, "-o", "nettimeout=10"]
    }

    /// Runs ldapadd or ldapmodify with `ldif` in a temporary file; stdout and stderr combined.
    private func runWithLDIF(_ tool: String, _ ldif: String) throws -> ToolRunner.Result {
        let input = directory.appendingPathComponent("input-\(UUID().uuidString).ldif")
        do {
            try Data(ldif.utf8).write(to: input)
        } catch {
            throw SlapdError("cannot write \(input.path) for \(tool): \(error)")
        }
        defer { try? FileManager.default.removeItem(at: input) }
        return try ToolRunner.run(
            tool, bindArguments + ["-f", input.path], environment: toolEnvironment, combineOutput: true,
            timeout: toolTimeout)
    }
}

extension TestDirectoryServer {
    /// Every entry of `dumpFilter` below the suffix with its user attributes (operational ones, passwords and
    /// `dumpIgnoredAttributes` left out, so two servers compare), in a canonical order:
    /// entries sorted, each entry's lines sorted after its DN, folded lines joined. Two dumps are equal when the
    /// directories hold the same entries and values, whatever order the server stores them in.
    package func userDump() throws -> String {
        let ldif = try ldapsearch(base: suffix, filter: dumpFilter, attributes: ["*"])
        let ignored = Set((["userPassword"] + dumpIgnoredAttributes).map { $0.lowercased() })
        var records: [[String]] = [[]]
        for line in ldif.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty {
                records.append([])
            } else if line.hasPrefix(" "), var record = records.popLast(), let last = record.popLast() {
                record.append(last + line.dropFirst())
                records.append(record)
            } else if !line.hasPrefix("#"), !ignored.contains(Self.attributeName(line)), var record = records.popLast()
            {
                record.append(String(line))
                records.append(record)
            }
        }
        let canonical = records.filter { !$0.isEmpty && $0[0].hasPrefix("dn") }.map { record in
            ([record[0]] + record.dropFirst().sorted()).joined(separator: "\n")
        }
        return canonical.sorted().joined(separator: "\n\n")
    }

    /// The attribute name of an LDIF line (`name: value` or `name:: base64`), lower-cased.
    private static func attributeName(_ line: Substring) -> String {
        String(line.prefix { $0 != ":" }).lowercased()
    }
}
