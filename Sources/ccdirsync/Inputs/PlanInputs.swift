import CCMail
import Config
import Crypto
import Foundation
import Sync

/// Everything a plan is computed from besides the Exchange directory: the merged cc:Mail directory, the mapping
/// file, and the fingerprints of the files they came from.
struct PlanInputs {
    /// What `check` reports of one export.
    struct ExportSummary {
        var source: ExportSource
        var entryCount: Int
        var findings: [Finding]
    }

    var directory: Directory
    /// The exports' records are let go once merged (at 1,000,000 users they are about a gigabyte); only what
    /// `check` reports of them stays.
    var exports: [ExportSummary]
    var mapping: MappingFile?
    /// Each file's SHA-256, for the plan to record; empty when loaded without `fingerprinting`.
    var fingerprints: [Plan.Input]

    /// Reads every export and the mapping file the configuration names; unreadable files fail with 65.
    ///
    /// `fingerprinting` false skips hashing the files, for a command that writes no plan (`verify`, which waits
    /// for the exports before it can send a lookup).
    static func load(_ configuration: Configuration, fingerprinting: Bool = true) throws(CommandFailure) -> PlanInputs {
        var limits = ExportLimits.default
        limits.maximumFileSize = configuration.ccmail.maxExportBytes
        var exports: [ParsedExport] = []
        var fingerprints: [Plan.Input] = []
        for export in configuration.ccmail.exports {
            let source = ExportSource(
                postOffice: CCMailName(export.postOffice), file: export.path.declaredPath,
                codePage: export.codePage ?? configuration.ccmail.codePage)
            switch ExportFileReader.read(source, from: export.path.resolvedPath, limits: limits) {
            case .success(let read):
                exports.append(read.export)
                guard fingerprinting else {
                    continue
                }
                fingerprints.append(
                    Plan.Input(
                        path: export.path.declaredPath, role: Plan.Input.exportRole(export.postOffice),
                        sha256: SHA256.hex(of: read.bytes)))
            case .failure(let failure):
                throw CommandFailure(.dataError, "cannot read \(export.path.declaredPath): \(failure.message)")
            }
        }
        let gateways = Dictionary(
            configuration.ccmail.gateways.map { (CCMailName($0.key), $0.value) },
            uniquingKeysWith: { first, _ in first })
        let directory = Directory.merge(
            exports,
            configuration: DirectoryConfiguration(
                gateways: gateways,
                excludedPostOffices: Set(configuration.ccmail.excludePostOffices.map(CCMailName.init))))
        // Each export's post office's users, for the export shrink guard.
        var homed: [CCMailName: Int] = [:]
        for user in directory.users {
            homed[user.homePostOffice, default: 0] += 1
        }
        for index in fingerprints.indices {
            if let postOffice = fingerprints[index].exportPostOffice {
                fingerprints[index].users = homed[CCMailName(postOffice)] ?? 0
            }
        }
        var mapping: MappingFile?
        if let path = configuration.mappingFile {
            let bytes = try FileReading.bytes(path.resolvedPath)
            do {
                mapping = try MappingFile.parse(bytes, file: path.declaredPath)
            } catch {
                throw CommandFailure(.dataError, "\(error)")
            }
            if fingerprinting {
                fingerprints.append(
                    Plan.Input(path: path.declaredPath, role: "mapping", sha256: SHA256.hex(of: bytes)))
            }
        }
        return PlanInputs(
            directory: directory,
            exports: exports.map {
                ExportSummary(source: $0.source, entryCount: $0.entries.count, findings: $0.findings)
            }, mapping: mapping, fingerprints: fingerprints)
    }
}
