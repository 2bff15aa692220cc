import Foundation

/// A test CA, a server certificate it signed for one loopback address and localhost, and an unrelated CA.
///
/// Made with the `openssl` command each time a TLS server starts, so no key is ever
/// committed and nothing expires in the repository. EC P-256 keys make this take a few
/// milliseconds. Debian's slapd and samba use GnuTLS, which reads these PEM files; the key is
/// written by openssl with mode 0600 and the server runs as the same user, so it can read it.
struct TestCertificates {
    /// PEM of the CA that signed the server certificate.
    var caFile: URL
    /// PEM of the server certificate (subjectAltName IP:<the address>, DNS:localhost).
    var serverCertificate: URL
    /// PEM of the server's private key, unencrypted.
    var serverKey: URL
    /// PEM of a second CA that signed nothing here.
    var untrustedCAFile: URL

    /// Makes the files in `directory`, the server certificate for `address` (an IPv4 address in dotted form).
    static func make(in directory: URL, address: String = "127.0.0.1") throws -> TestCertificates {
        let openssl = "/usr/bin/openssl"
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        let newKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-sha256"]
        for (name, subject) in [("ca", "ccdirsync test CA"), ("untrusted-ca", "ccdirsync untrusted test CA")] {
            try ToolRunner.check(
                openssl,
                ["req", "-x509"] + newKey + [
                    "-keyout", path("\(name).key"), "-out", path("\(name).pem"), "-days", "3",
                    "-subj", "/O=ccdirsync tests/CN=\(subject)",
                    "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                ], what: "making the \(subject) with openssl")
        }
        try ToolRunner.check(
            openssl,
            ["req"] + newKey + [
                "-keyout", path("server.key"), "-out", path("server.csr"), "-subj", "/O=ccdirsync tests/CN=localhost",
            ], what: "making the server key and request with openssl")
        let extensions = directory.appendingPathComponent("server.ext")
        try Data(
            """
            subjectAltName = IP:\(address), DNS:localhost
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature, keyEncipherment
            extendedKeyUsage = serverAuth

            """.utf8
        ).write(to: extensions)
        // A random positive 128-bit serial: no serial file, and no two test servers share one.
        let serial =
            "0x" + (0..<16).map { String(format: "%02x", UInt8.random(in: $0 == 0 ? 1...0x7F : 0...0xFF)) }.joined()
        try ToolRunner.check(
            openssl,
            [
                "x509", "-req", "-sha256", "-in", path("server.csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
                "-set_serial", serial, "-days", "3", "-extfile", extensions.path, "-out", path("server.pem"),
            ], what: "signing the server certificate with openssl")
        return TestCertificates(
            caFile: directory.appendingPathComponent("ca.pem"),
            serverCertificate: directory.appendingPathComponent("server.pem"),
            serverKey: directory.appendingPathComponent("server.key"),
            untrustedCAFile: directory.appendingPathComponent("untrusted-ca.pem"))
    }
}
