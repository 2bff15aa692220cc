/// Why a configuration file was refused: the file, the line, the key path of the bad key, and what is wrong.
///
/// The key path is what an administrator searches the file for (`thresholds.deletes.percent`,
/// `ccmail.exports[1].path`); the line is where YAML put it, when known.
package struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    package var file: String
    package var line: Int?
    package var keyPath: String
    package var message: String

    package init(file: String, line: Int?, keyPath: String, message: String) {
        self.file = file
        self.line = line
        self.keyPath = keyPath
        self.message = message
    }

    /// `file:line: key.path: message`.
    package var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return keyPath.isEmpty ? "\(place): \(message)" : "\(place): \(keyPath): \(message)"
    }
}
