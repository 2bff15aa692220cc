import CCMail
import Foundation

/// Reads export files for `parse`, `plan` and `check`: size-limited, and keeping the bytes for the plan's hashes.
enum ExportFileReader {
    /// An export's bytes (empty when refused for its size) and what the parser made of them.
    struct ReadExport {
        var bytes: [UInt8]
        var export: ParsedExport
    }

    /// Why an export file could not be read at all.
    struct ReadFailure: Error {
        var message: String
    }

    /// Reads and parses one export (from `path`, when the file is named differently in findings); a file over the
    /// size limit is refused before it is read.
    static func read(
        _ source: ExportSource, from path: String? = nil, limits: ExportLimits
    ) -> Result<ReadExport, ReadFailure> {
        let url = URL(fileURLWithPath: path ?? source.file)
        let size: Int
        do {
            let values = try url.resourceValues(forKeys: [.isDirectoryKey, .fileSizeKey])
            if values.isDirectory == true {
                return .failure(ReadFailure(message: "it is a directory"))
            }
            size = values.fileSize ?? 0
        } catch {
            return .failure(ReadFailure(message: FileReading.reason(error)))
        }
        if let finding = limits.check(fileSize: size, file: source.file) {
            return .success(
                ReadExport(
                    bytes: [], export: ParsedExport(source: source, records: [], entries: [], findings: [finding])))
        }
        var bytes: [UInt8] = []
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            // Read in chunks up to one byte past the limit: a pipe or device reports no size up front.
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                bytes += chunk
                if let finding = limits.check(fileSize: bytes.count, file: source.file) {
                    return .success(
                        ReadExport(
                            bytes: [],
                            export: ParsedExport(source: source, records: [], entries: [], findings: [finding])))
                }
            }
        } catch {
            return .failure(ReadFailure(message: FileReading.reason(error)))
        }
        return .success(ReadExport(bytes: bytes, export: ExportParser.parse(bytes, source: source, limits: limits)))
    }
}
