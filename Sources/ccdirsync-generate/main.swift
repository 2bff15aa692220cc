import Foundation

/// `ccdirsync-generate`: a synthetic organisation for the benchmark (and for trying ccdirsync on a big directory).
///
///     ccdirsync-generate --users 100000 --flavour exchange55 --seed 1 --out DIR
///
/// Writes DIR/po01.exp … po20.exp (CP850 exports; the gateway users are remote entries in po01.exp) and
/// DIR/seed.ldif (the Exchange side, for `slapadd`), the same bytes for the same arguments.
func generate(_ arguments: [String]) throws -> Int32 {
    var options: [String: String] = ["users": "100000", "flavour": "exchange55", "seed": "1"]
    var index = 0
    while index + 1 < arguments.count, arguments[index].hasPrefix("--") {
        options[String(arguments[index].dropFirst(2))] = arguments[index + 1]
        index += 2
    }
    guard index == arguments.count, let users = Int(options["users"] ?? ""), users > 0,
        let flavour = SeedWriter.Flavour(rawValue: options["flavour"] ?? ""), let seed = UInt64(options["seed"] ?? ""),
        let out = options["out"]
    else {
        FileHandle.standardError.write(
            Data("usage: ccdirsync-generate --users N --flavour exchange55|exchange2000 --seed S --out DIR\n".utf8))
        return 64
    }
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    let organisation = Organisation(users: users, seed: seed)
    for number in 1...Organisation.postOfficeCount {
        let path = (out as NSString).appendingPathComponent(Organisation.postOfficeName(number).lowercased() + ".exp")
        try Data(ExportWriter.export(of: organisation, postOffice: number)).write(to: URL(fileURLWithPath: path))
    }
    let seedPath = (out as NSString).appendingPathComponent("seed.ldif")
    _ = FileManager.default.createFile(atPath: seedPath, contents: nil)
    guard let handle = FileHandle(forWritingAtPath: seedPath) else {
        throw CocoaError(.fileWriteUnknown)
    }
    SeedWriter(flavour: flavour, organisation: organisation).write(to: handle)
    try handle.close()
    var counts: [String: Int] = [:]
    for user in organisation.users {
        let kind: String
        switch user.exchange {
        case .mailboxWithMigrate: kind = "mailbox with MIGRATE"
        case .mailboxWithProxy: kind = "mailbox with ccmail proxy"
        case .disputed: kind = "disputed"
        case .ownedRecipient: kind = "our custom recipient"
        case .foreignRecipient: kind = "foreign recipient"
        case .nothing: kind = "nothing yet"
        }
        counts[kind, default: 0] += 1
    }
    let summary = counts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
    print("\(users) users (\(summary)); \(organisation.distributionLists) distribution lists; \(out)")
    return 0
}

do {
    exit(try generate(Array(CommandLine.arguments.dropFirst())))
} catch {
    FileHandle.standardError.write(Data("ccdirsync-generate: \(error)\n".utf8))
    exit(1)
}
