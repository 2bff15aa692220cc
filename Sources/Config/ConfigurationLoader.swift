// Temporary stand-in until the Config helper's loader lands (same signatures).
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var keyPath: String
    public var message: String

    public var description: String { "\(file): \(keyPath): \(message)" }
}

public enum ConfigurationLoader {
    public static func load(file path: String) throws(ConfigurationError) -> Configuration {
        throw ConfigurationError(file: path, line: nil, keyPath: "", message: "not implemented")
    }
}
