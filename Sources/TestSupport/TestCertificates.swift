import Foundation

/// A test CA, a server certificate it signed for 127.0.0.1/localhost, and an unrelated CA.
///
/// Made with the `openssl` command at test time so no key is ever committed. EC P-256 keys
/// keep generation fast (a few milliseconds each).
struct TestCertificates {
    var caFile: URL
    var serverCertificate: URL
    var serverKey: URL
    var untrustedCAFile: URL

    static func make(in directory: URL) throws -> TestCertificates {
        let openssl = "/usr/bin/openssl"
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        for ca in ["ca", "other-ca"] {
            try ProcessRunner.check(
                openssl,
                ["req", "-x509"] + key + [
                    "-keyout", path("\(ca).key"), "-out", path("\(ca).pem"), "-days", "2",
                    "-subj", "/CN=ccdirsync test \(ca)",
                    "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                ], what: "openssl: making the test \(ca)")
        }
        try ProcessRunner.check(
            openssl,
            ["req"] + key + ["-keyout", path("server.key"), "-out", path("server.csr"), "-subj", "/CN=localhost"],
            what: "openssl: making the server key")
        let extensions = directory.appendingPathComponent("server.ext")
        try Data(
            """
            subjectAltName=IP:127.0.0.1,DNS:localhost
            basicConstraints=CA:FALSE
            keyUsage=critical,digitalSignature,keyEncipherment
            extendedKeyUsage=serverAuth

            """.utf8
        ).write(to: extensions)
        try ProcessRunner.check(
            openssl,
            [
                "x509", "-req", "-in", path("server.csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
                "-CAcreateserial", "-out", path("server.pem"), "-days", "2", "-extfile", extensions.path,
            ], what: "openssl: signing the server certificate")
        return TestCertificates(
            caFile: directory.appendingPathComponent("ca.pem"),
            serverCertificate: directory.appendingPathComponent("server.pem"),
            serverKey: directory.appendingPathComponent("server.key"),
            untrustedCAFile: directory.appendingPathComponent("other-ca.pem"))
    }
}
