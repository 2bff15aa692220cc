import Foundation

/// The files of one test server, all inside its own temporary directory.
///
/// Everything a server is made of lives here and nothing else refers to the directory's name
/// except `slapd.conf`, so a later "fresh copy of this database" only needs a new directory,
/// a new `slapd.conf` and a copy of `db/` taken while slapd is stopped.
struct SlapdFiles {
    let directory: URL

    var config: URL { directory.appendingPathComponent("slapd.conf") }
    var database: URL { directory.appendingPathComponent("db", isDirectory: true) }
    var log: URL { directory.appendingPathComponent("slapd.log") }
    var pidFile: URL { directory.appendingPathComponent("slapd.pid") }
    var argsFile: URL { directory.appendingPathComponent("slapd.args") }
    var adminPasswordFile: URL { directory.appendingPathComponent("admin.pw") }
    var servicePasswordFile: URL { directory.appendingPathComponent("service.pw") }

    /// Creates a fresh `ccdirsync-slapd-XXXXXXXX` directory under the system temporary directory.
    static func create() throws -> SlapdFiles {
        let name = "ccdirsync-slapd-\(UUID().uuidString.prefix(8))"
        let files = SlapdFiles(
            directory: FileManager.default.temporaryDirectory.appendingPathComponent(name, isDirectory: true))
        do {
            try FileManager.default.createDirectory(at: files.database, withIntermediateDirectories: true)
        } catch {
            throw SlapdError("cannot create the test server directory \(files.directory.path): \(error)")
        }
        return files
    }

    /// The last `lines` lines of slapd's log (the watchdog's messages included).
    func logTail(lines: Int = 20) -> String {
        guard let data = try? Data(contentsOf: log) else { return "(no log at \(log.path))" }
        let text = String(decoding: data, as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: true).suffix(lines).joined(separator: "\n")
    }

    /// The log's current size, so a later read can look only at what one start added.
    func logSize() -> UInt64 {
        ((try? FileManager.default.attributesOfItem(atPath: log.path))?[.size] as? NSNumber)?.uint64Value ?? 0
    }

    /// The log from byte `offset` on.
    func log(from offset: UInt64) -> String {
        guard let handle = try? FileHandle(forReadingFrom: log) else { return "" }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: offset)) != nil, let data = try? handle.readToEnd() else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes a secret for the ldap-utils' `-y` option: mode 0600, no trailing newline.
    static func writeSecret(_ secret: String, to url: URL) throws {
        guard
            FileManager.default.createFile(
                atPath: url.path, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600])
        else { throw SlapdError("cannot write the password file \(url.path)") }
    }

    /// A random password of letters and digits: safe in slapd.conf, LDIF and `-y` files.
    static func randomPassword(length: Int = 24) -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] })
    }
}
