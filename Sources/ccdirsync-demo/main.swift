import Foundation
import TestSupport

/// `make demo`: the main job on the embedded default, from nothing.
///
/// Starts a throwaway slapd seeded from `fixtures/exchange55` (or, with `--ad`, `make demo FLAVOUR=ad`, a Samba
/// Active Directory seeded from `fixtures/exchange2000` with the Exchange schema extension, reached over ldaps),
/// writes a configuration next to a copy of the fixture exports, and runs the real `ccdirsync` binary: plan (the
/// text report), apply, plan again (nothing left to do), and the HTML report; then stops the server. Every
/// command is printed before it runs.

/// Prints at once, so the lines interleave correctly with the output of the commands it runs.
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

func run(_ binary: URL, _ arguments: [String]) throws -> Int32 {
    say("\n$ ccdirsync \(arguments.joined(separator: " "))")
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}

func demo() throws {
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        .appendingPathComponent("ccdirsync")
    guard FileManager.default.isExecutableFile(atPath: binary.path) else {
        throw SlapdError("ccdirsync is not built next to ccdirsync-demo (\(binary.path)); run make demo")
    }
    let output = ProjectPaths.root.appendingPathComponent(".build/demo")
    try? FileManager.default.removeItem(at: output)
    try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
    let activeDirectory = CommandLine.arguments.dropFirst().contains("--ad")
    let flavour: SchemaFlavour = activeDirectory ? .exchange2000 : .exchange55
    let names = FixtureNames(flavour)
    let server: any TestDirectoryServer
    if activeDirectory {
        say("Starting a throwaway Samba AD domain controller seeded from fixtures/exchange2000 …")
        server = try SambaADServer.start()
    } else {
        say("Starting a throwaway slapd seeded from fixtures/exchange55 …")
        server = try SlapdServer.start(SlapdConfiguration(flavour: .exchange55))
    }
    defer {
        server.stop()
        say("\n\(server.kind) stopped.")
    }
    say("\(server.kind) is listening on \(server.clientURL) (suffix \(server.suffix)); workspace \(output.path)")
    for file in ["london.exp", "paris.exp", "zurich.exp"] {
        try FileManager.default.copyItem(
            at: ProjectPaths.fixtures.appendingPathComponent("ccmail/\(file)"), to: output.appendingPathComponent(file))
    }
    try FileManager.default.copyItem(
        at: URL(fileURLWithPath: server.servicePasswordFile), to: output.appendingPathComponent("secret.txt"))
    // 5.5 creates custom recipients with an SMTP and an X.400 address from templates; AD makes its own.
    let templates =
        activeDirectory
        ? ""
        : """

          mailTemplate: "{alias}@org.example"
          x400Template: "c=US;a= ;p=Org;o=Site;s={sur};g={given};"
        """
    let config = """
        version: 1
        profile: \(flavour)
        ldap:
          url: \(server.clientURL)
          bindDN: "\(server.serviceDN)"
          passwordFile: secret.txt
          tls: \(server.clientTLS)          # a throwaway server on loopback
          baseDN: "\(activeDirectory ? server.suffix : "ou=Site,o=Org")"
        ccmail:
          codepage: CP850
          exports:
            - {postOffice: LONDON, path: london.exp}
            - {postOffice: PARIS, path: paris.exp}
            - {postOffice: ZURICH, path: zurich.exp}
          gateways: {INTERNET: ccmail}
        exchange:
          customRecipientContainer: "\(names.contactContainer)"\(templates)
        thresholds: {deletes: {count: 50, percent: 60}}
        state: {directory: state}

        """
    let configFile = output.appendingPathComponent("ccdirsync.yaml")
    try Data(config.utf8).write(to: configFile)
    let plan = output.appendingPathComponent("plan.json").path
    let report = output.appendingPathComponent("report.html").path
    try step(binary, ["check", "--config", configFile.path], expect: 0)
    try step(binary, ["plan", "--config", configFile.path, "--out", plan, "--detailed-exitcode"], expect: 2)
    try step(binary, ["report", "--plan", plan, "--format", "html", "--out", report], expect: 0)
    // The first reconciliation creates more custom recipients than ccdirsync owns yet: over the creates
    // threshold, so it is applied the way a reviewer approves it, by its hash.
    let planJSON = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: plan)))
    let hash = (planJSON as? [String: Any])?["planHash"] as? String ?? ""
    try step(binary, ["apply", "--config", configFile.path, "--plan", plan, "--approve", hash], expect: 0)
    try step(binary, ["plan", "--config", configFile.path, "--detailed-exitcode"], expect: 0)
    // Proof that addresses resolve. One user stays unresolved on purpose: two mailboxes match "Øster, Åse" by
    // name, so nothing is written for her until a mapping file row says which one is hers (exit 2).
    let verification = output.appendingPathComponent("verify.html").path
    try step(binary, ["verify", "--config", configFile.path, "--report", verification], expect: 2)
    say("\nThe reviewer's HTML report of the applied plan: \(report)")
    say("The verification (every cc:Mail user looked up as the Migration Wizard and a client would): \(verification)")
    say("The run's plan, report and journal: \(output.appendingPathComponent("state").path)")
}

func step(_ binary: URL, _ arguments: [String], expect expected: Int32) throws {
    let status = try run(binary, arguments)
    guard status == expected else {
        throw SlapdError("ccdirsync \(arguments[0]) exited \(status), expected \(expected)")
    }
}

do {
    try demo()
} catch {
    FileHandle.standardError.write(Data("demo failed: \(error)\n".utf8))
    exit(1)
}
