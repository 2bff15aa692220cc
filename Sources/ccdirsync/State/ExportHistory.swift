import Config
import Foundation
import Sync

/// What the state directory remembers of the exports for the export shrink guard: per post office, how many users
/// the last applied run's exports had homed there (`<state>/exports.json`).
///
/// Written after every run that applied a plan (and every `sync` that found nothing to do), from the counts the plan
/// recorded in its inputs; read by the next plan. A file that cannot be read is an error rather than "no history":
/// without it the guard would be off.
struct ExportHistory: Codable, Equatable {
    /// One post office's count and the run it comes from.
    struct PostOffice: Codable, Equatable {
        var users: Int
        var planHash: String
        var time: String
    }

    var postOffices: [String: PostOffice] = [:]

    static let fileName = "exports.json"

    static func path(_ settings: StateSettings) -> String {
        (settings.directory.resolvedPath as NSString).appendingPathComponent(fileName)
    }

    /// The users per post office at the last applied run; empty before the first.
    static func usersAtLastApply(_ settings: StateSettings) throws(CommandFailure) -> [String: Int] {
        let path = path(settings)
        guard FileManager.default.fileExists(atPath: path) else {
            return [:]
        }
        do {
            let history = try JSONDecoder().decode(
                ExportHistory.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
            return history.postOffices.mapValues(\.users)
        } catch {
            throw CommandFailure(
                .dataError,
                "\(path): cannot read the export counts of the last applied run (\(FileReading.reason(error))); "
                    + "remove the file to start counting afresh (the shrink guard is off for the next run)")
        }
    }

    /// Remembers the export counts `plan` recorded, as those of the last applied run.
    static func record(_ plan: Plan, in settings: StateSettings) throws(CommandFailure) {
        var history = ExportHistory()
        let time = ISO8601DateFormatter().string(from: Date())
        for input in plan.inputs {
            if let postOffice = input.exportPostOffice, let users = input.users {
                history.postOffices[postOffice] = PostOffice(users: users, planHash: plan.planHash, time: time)
            }
        }
        guard !history.postOffices.isEmpty else {
            return
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let bytes: Data
        do {
            bytes = try encoder.encode(history)
        } catch {
            throw CommandFailure(.failure, "cannot encode the export counts: \(error)")
        }
        try Terminal.writeFile(Array(bytes), to: path(settings), failure: .stateNotWritable)
    }
}
