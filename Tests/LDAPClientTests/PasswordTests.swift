import Foundation
import Testing

@testable import LDAPClient

@Suite struct PasswordTests {
    @Test func neverPrinted() {
        let password = Password("s3cret-Pa55")
        #expect(!"\(password)".contains("s3cret"))
        #expect(!String(reflecting: password).contains("s3cret"))
        let credentials = PasswordSource.environment("CCDIRSYNC_TEST_PW")
        #expect(!"\(credentials)".contains("s3cret"))
    }

    @Test func fileDropsOneTrailingLineBreak() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pw-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("pa ss\r\n".utf8).write(to: url)
        let password = try PasswordSource.file(url.path).load()
        #expect(password.bytes == Array("pa ss".utf8))
    }

    @Test func missingSourcesNameTheSourceNotTheSecret() {
        #expect(throws: PasswordSourceError.self) {
            try PasswordSource.file("/nonexistent/ccdirsync/pw").load()
        }
        do {
            _ = try PasswordSource.environment("CCDIRSYNC_UNSET_VARIABLE").load(environment: [:])
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("CCDIRSYNC_UNSET_VARIABLE"))
        }
        let loaded = try? PasswordSource.environment("PW").load(environment: ["PW": "from-env"])
        #expect(loaded?.bytes == Array("from-env".utf8))
    }

    @Test("a password file that cannot be read: the error gives the operating system's reason")
    func unreadableFileSaysWhy() throws {
        let error = try #require(throws: PasswordSourceError.self) {
            try PasswordSource.file("/nonexistent/ccdirsync/pw").load()
        }
        #expect(error.description.hasSuffix(": No such file or directory"), "\(error)")
        #expect(error.description.contains("/nonexistent/ccdirsync/pw"), "\(error)")
    }

    @Test func groupReadableFileIsFlagged() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pw-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("x".utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
        #expect(!PasswordSource.file(url.path).isReadableByOthers)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: url.path)
        #expect(PasswordSource.file(url.path).isReadableByOthers)
    }
}
