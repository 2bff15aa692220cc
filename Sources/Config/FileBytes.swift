import Foundation

/// Reads a whole small file, with a short reason when it cannot.
///
/// The config file and the mapping file are both read whole; the reason ("no such file", "is a directory") is
/// what an administrator needs, not Foundation's error domain and code.
enum FileBytes {
    static func read(_ absolutePath: String) -> Result<[UInt8], FileProblem> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolutePath, isDirectory: &isDirectory) else {
            return .failure(FileProblem(message: "no such file"))
        }
        guard !isDirectory.boolValue else {
            return .failure(FileProblem(message: "is a directory, not a file"))
        }
        guard let data = FileManager.default.contents(atPath: absolutePath) else {
            return .failure(FileProblem(message: "cannot be read (permissions?)"))
        }
        return .success([UInt8](data))
    }

    /// Why a file could not be read.
    struct FileProblem: Error {
        var message: String
    }
}
