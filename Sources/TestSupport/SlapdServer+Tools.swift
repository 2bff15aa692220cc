import Foundation

/// OpenLDAP's own command-line tools against this server, bound as the admin.
///
/// Tests use them as an independent second opinion on what LDAPClient did (and the LDIF
/// cross-check feeds `ldapmodify`). The password goes through `-y <file>`, never argv.
extension SlapdServer {
    private var adminPasswordFile: String { directory.appendingPathComponent("admin.pw").path }

    private func bindArguments() -> [String] {
        ["-x", "-H", url, "-D", adminDN, "-y", adminPasswordFile]
    }

    /// Adds the LDIF's entries with `ldapadd`; throws with the tool's output on failure.
    public func ldapadd(_ ldif: String) throws {
        let result = try ldapmodify(ldif, add: true)
        guard result.status == 0 else { throw SlapdError("ldapadd failed (exit \(result.status)): \(result.output)") }
    }

    /// Applies the LDIF with `ldapmodify` (or `ldapmodify -a`); returns its exit status and output.
    public func ldapmodify(_ ldif: String, add: Bool = false) throws -> (status: Int32, output: String) {
        let file = directory.appendingPathComponent("input-\(UUID().uuidString.prefix(8)).ldif")
        try Data(ldif.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try ProcessRunner.run(
            "/usr/bin/ldapmodify", bindArguments() + (add ? ["-a"] : []) + ["-f", file.path])
        return (result.status, result.output)
    }

    /// Searches with `ldapsearch` (paged, unwrapped LDIF); throws unless it exits 0.
    public func ldapsearch(
        base: String? = nil, scope: String = "sub", filter: String = "(objectClass=*)", attributes: [String] = []
    ) throws -> String {
        let result = try ProcessRunner.run(
            "/usr/bin/ldapsearch",
            bindArguments() + [
                "-LLL", "-o", "ldif-wrap=no", "-E", "pr=1000/noprompt", "-b", base ?? suffix, "-s", scope, filter,
            ] + attributes)
        guard result.status == 0 else {
            throw SlapdError("ldapsearch failed (exit \(result.status)): \(result.output)")
        }
        return result.output
    }
}
