import ArgumentParser
import Config

/// `--config FILE`, shared by every command that reads a configuration.
struct ConfigOption: ParsableArguments {
    @Option(name: .customLong("config"), help: ArgumentHelp("The configuration file (YAML).", valueName: "file"))
    var path: String

    /// The validated configuration; an invalid one is exit 64 naming the key.
    func load() throws(CommandFailure) -> Configuration {
        do {
            return try ConfigurationLoader.load(file: path)
        } catch {
            throw CommandFailure(.usage, "invalid configuration: \(error)")
        }
    }
}
