import CCMail
import Config
import Foundation
import LDAPClient
import LDAPModel
import LDAPStore
import Sync
import TestSupport

/// The steps the orchestrator measures in their own process (so `/usr/bin/time` sees each one's peak memory).
enum StepRunners {
    /// `serve --seed LDIF [--flavour F]`: a slapd for profiling by hand, stopped when standard input closes.
    static func serve(_ arguments: [String]) -> Int32 {
        let options: [String: String] = Dictionary(
            stride(from: 0, to: arguments.count - 1, by: 2).map { (arguments[$0], arguments[$0 + 1]) },
            uniquingKeysWith: { _, last in last })
        guard let seed = options["--seed"] else {
            return usage("serve --seed LDIF [--flavour exchange55|exchange2000]")
        }
        let flavour: SchemaFlavour = options["--flavour"] == "exchange2000" ? .exchange2000 : .exchange55
        do {
            let server = try SlapdServer.start(
                SlapdConfiguration(flavour: flavour, seed: .ldif(URL(fileURLWithPath: seed)), sizeLimit: nil))
            defer { server.stop() }
            let fragment =
                "url: \"\(server.url)\"\nbindDN: \"\(server.adminDN)\"\npasswordFile: \"\(server.adminPasswordFile)\"\n"
            FileHandle.standardOutput.write(Data(fragment.utf8))
            _ = FileHandle.standardInput.readDataToEndOfFile()
            return 0
        } catch {
            FileHandle.standardError.write(Data("serve: \(error)\n".utf8))
            return 1
        }
    }

    /// `read --config F`: the Exchange read ccdirsync's plan makes, nothing else.
    static func read(_ arguments: [String]) -> Int32 {
        guard arguments.count == 2, arguments[0] == "--config" else {
            return usage("read --config F")
        }
        do {
            let configuration = try ConfigurationLoader.load(file: arguments[1])
            let settings = configuration.ldap
            // The read `plan` and `sync` make: mailboxes on one connection, the rest on a second one, with the
            // TLS settings of `ldap.tls` as ccdirsync's ServerConnection.options reads them (ldaps on Samba AD).
            let options = ConnectionOptions(
                url: settings.url, startTLS: settings.tls.mode == .starttls, caFile: settings.tls.caFile?.resolvedPath,
                certificateCheck: settings.tls.verify ? .require : .allow,
                operationTimeout: .seconds(settings.timeoutSeconds))
            @Sendable func open() throws -> LDAPDirectoryStore {
                let connection = try LDAPConnection.open(options)
                let source: PasswordSource =
                    switch settings.password {
                    case .file(let path): .file(path.resolvedPath)
                    case .environment(let name): .environment(name)
                    }
                try connection.bind(dn: settings.bindDN.description, password: try source.load())
                return LDAPDirectoryStore(
                    connection: connection, pageSize: settings.pageSize, maxEntries: settings.maxEntries)
            }
            let exchange = try ExchangeReader(
                profile: Profile.named(configuration.profile), baseDN: settings.baseDN,
                container: configuration.exchange.customRecipientContainer
            ).read(from: try open(), othersFrom: open)
            FileHandle.standardOutput.write(
                Data(
                    "read \(exchange.mailboxes.count) mailboxes, \(exchange.owned.count) owned, \(exchange.foreign.count) foreign\n"
                        .utf8))
            // What was read is where `plan` goes on from: freeing it object by object is no part of reading, so the
            // step ends here, as `verify` ends once its report is written (its memory goes back with the process).
            exit(0)
        } catch {
            FileHandle.standardError.write(Data("read: \(error)\n".utf8))
            return 1
        }
    }

    /// `plan-offline --config F --seed seed.ldif [--out PLAN]`: parse the exports, build the Exchange picture from
    /// the seed, join, plan and validate; prints the CPU seconds of all but the LDIF parse (the stand-in for the LDAP
    /// read) and the plan hash. `--out` writes the plan file after the clock stops, so a change to the plan's code can
    /// be checked byte for byte against the plan made before it.
    static func planOffline(_ arguments: [String]) -> Int32 {
        guard arguments.count == 4 || (arguments.count == 6 && arguments[4] == "--out"), arguments[0] == "--config",
            arguments[2] == "--seed"
        else {
            return usage("plan-offline --config F --seed LDIF [--out PLAN]")
        }
        do {
            let configuration = try ConfigurationLoader.load(file: arguments[1])
            // The Exchange side is read before the clock starts: (b) measures the plan without the read. The seed
            // and the stand-in server holding it are let go first, so the peak is the plan's, not theirs, and the
            // plan runs on a heap the read has churned, as it does in `ccdirsync plan`.
            let exchange = try readSeed(arguments[3], configuration)
            let started = cpuSeconds()
            // The exports are merged in a function of their own, so their records are let go before the plan, as
            // `ccdirsync plan` lets them go.
            let directory = try mergedExports(configuration)
            let plan = PlanFile.sealed(
                try PlanBuilder(settings: configuration.planSettings).build(
                    directory: try PlanBuilder.checkInputs(directory), exchange: exchange, mapping: nil, inputs: []))
            let seconds = cpuSeconds() - started
            print(
                "plan-cpu-seconds \(String(format: "%.3f", seconds)) users \(directory.users.count) create "
                    + "\(plan.summary.create) modify \(plan.summary.modify) delete \(plan.summary.delete) findings "
                    + "\(plan.summary.findings) planHash \(plan.planHash)")
            if arguments.count == 6 {
                try Data(PlanFile.prettyJSON(plan)).write(to: URL(fileURLWithPath: arguments[5]))
            }
            return 0
        } catch {
            FileHandle.standardError.write(Data("plan-offline: \(error)\n".utf8))
            return 1
        }
    }

    /// The exports parsed and merged, as `ccdirsync plan` reads them (without the mapping file).
    static func mergedExports(_ configuration: Configuration) throws -> Directory {
        var exports: [ParsedExport] = []
        for export in configuration.ccmail.exports {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: export.path.resolvedPath))
            exports.append(
                ExportParser.parse(
                    [UInt8](bytes),
                    source: ExportSource(
                        postOffice: CCMailName(export.postOffice), file: export.path.declaredPath,
                        codePage: export.codePage ?? configuration.ccmail.codePage)))
        }
        let gateways = Dictionary(
            configuration.ccmail.gateways.map { (CCMailName($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
        return Directory.merge(exports, configuration: DirectoryConfiguration(gateways: gateways))
    }

    /// The Exchange picture of the seed LDIF, read through the in-memory stand-in for the server.
    static func readSeed(_ path: String, _ configuration: Configuration) throws -> ExchangeDirectory {
        let seed = try Data(contentsOf: URL(fileURLWithPath: path))
        let entries = try LDIFReader().read([UInt8](seed)).compactMap { record -> Entry? in
            if case .content(let entry) = record { return entry }
            return nil
        }
        return try ExchangeReader(
            profile: Profile.named(configuration.profile), baseDN: configuration.ldap.baseDN,
            container: configuration.exchange.customRecipientContainer
        ).read(from: InMemoryDirectoryStore(entries: entries, pageSize: 1000))
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return user + system
    }

    static func usage(_ text: String) -> Int32 {
        FileHandle.standardError.write(Data("usage: ccdirsync-bench \(text)\n".utf8))
        return 64
    }
}
